// The server presents a host key that known_hosts marks @revoked: ssh refuses it outright. Pure.
// No fix is offered: someone revoked that key on purpose (it may have been stolen), and only the
// server's admin can say whether the server now has a new one.
import type { Finding } from '../report.js';
import { compareHostKey } from './compare-host-key.js';
import type { HandshakeResult, KnownHostsResult, LoginResult } from './probes/types.js';

interface Facts {
  knownHosts?: KnownHostsResult;
  handshake?: HandshakeResult;
  login?: LoginResult;
}

/** Our own handshake saw a revoked key, or ssh's attempt said so (the only word through a jump host). */
export const hostKeyRevoked = (f: Facts): boolean =>
  (!!f.handshake?.hostKey &&
    !!f.knownHosts &&
    compareHostKey(f.knownHosts.entries, f.handshake.hostKey) === 'revoked') ||
  f.login?.debug.hostKeyRevoked === true;

export function hostKeyRevokedFinding(f: Facts, sshLines: readonly string[]): Omit<Finding, 'id' | 'severity'> {
  const hk = f.handshake?.hostKey;
  const name = f.knownHosts?.lookupName ?? 'the host';
  // Without our own handshake (a jump host), every @revoked line for the name is a candidate.
  const marks = (f.knownHosts?.entries ?? []).filter((e) => e.marker === '@revoked' && (!hk || e.key === hk.key));
  return {
    summary: `The host key ${name} presents is marked revoked${marks.length ? ' in your known_hosts' : ''}: ssh refuses to connect. A key is revoked when it may have been stolen, so this server may be an impostor.`,
    evidence: [
      ...marks.map(
        (e) => `${e.file}:${e.line} marks this ${e.keyType} key @revoked${e.hashed ? ' (hashed entry)' : ''}`,
      ),
      ...(marks.length ? [] : ['no @revoked line in known_hosts names it: a RevokedHostKeys list does']),
      ...(hk ? [`the server presents ${hk.type} ${hk.fingerprint}`] : []),
      ...sshLines,
    ],
    next: [
      "Do not log in. Ask the server's admin (on its console) for its current host key: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub",
      'If it is still the revoked key, the server must get new host keys before anyone trusts it again.',
    ],
  };
}
