// An SSH handshake of our own (ssh2), to learn what the server offers: its identification, its
// KEXINIT proposal, its host key, and the auth methods it lists after an auth "none" request.
// No credential is ever sent on this connection.
import { Socket } from 'node:net';
import { publicKeyFromBlob } from './ssh-key.js';
import type { HandshakeInput, HandshakeResult, HostKey } from './types.js';

type Algorithms = NonNullable<HandshakeResult['serverAlgorithms']>;

/** What ssh2's `debug` lines tell about the server (strings from ssh2 1.17 lib/protocol). */
export function parseSsh2Debug(lines: readonly string[]): {
  serverAlgorithms?: Algorithms;
  serverVersion?: string;
  authMethods?: string[];
} {
  const out: ReturnType<typeof parseSsh2Debug> = {};
  const algos: Partial<Algorithms> = {};
  const list = (s: string) => s.split(',').filter(Boolean);
  // "s": a server's names may hold CR, which "." would not cross (the lists stay whole).
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if ((m = /^Remote ident: (['"])(.*)\1$/.exec(line))) out.serverVersion = m[2]!.trim();
    // kex-strict-* and ext-info-* are protocol flags riding in the KEX list, not algorithms.
    else if ((m = /^Handshake: \(remote\) KEX method: (.*)$/s.exec(line)))
      algos.kex = list(m[1]!).filter((a) => !/^(kex-strict|ext-info)-/.test(a));
    else if ((m = /^Handshake: \(remote\) Host key format: (.*)$/s.exec(line))) algos.hostKey = list(m[1]!);
    else if ((m = /^Handshake: \(remote\) C->S cipher: (.*)$/s.exec(line))) algos.cipher = list(m[1]!);
    else if ((m = /^Handshake: \(remote\) C->S MAC: (.*)$/s.exec(line))) algos.mac = list(m[1]!);
    else if ((m = /^Inbound: Received USERAUTH_FAILURE \((.*)\)$/s.exec(line))) out.authMethods = list(m[1]!);
  }
  // ssh2 prints the lists one by one and stops at the first one with no match, so keep what came.
  if (algos.kex)
    out.serverAlgorithms = {
      kex: algos.kex,
      hostKey: algos.hostKey ?? [],
      cipher: algos.cipher ?? [],
      mac: algos.mac ?? [],
    };
  return out;
}

/**
 * The only debug lines parseSsh2Debug reads. A server decides how many lines ssh2 prints (a flood
 * of IGNORE messages until our timer fires): only these are kept, and only so many.
 */
const KEPT_DEBUG = /^(Remote ident: |Handshake: \(remote\) |Inbound: Received USERAUTH_FAILURE )/;
const MAX_DEBUG_LINES = 200;

/** known_hosts key types → the host key algorithms that present them (RSA keys sign three ways). */
export function hostKeyAlgorithmsFor(keyTypes: readonly string[]): string[] {
  return [...new Set(keyTypes.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t])))];
}

export async function probeHandshake(opts: HandshakeInput): Promise<HandshakeResult> {
  const { Client } = (await import('ssh2')).default;
  const lines: string[] = [];
  let hostKey: HostKey | undefined;
  let noneAccepted = false;
  // As exact-match patterns: ssh2 throws on a listed name it does not implement (sk-*, certs),
  // but skips patterns that match nothing.
  const preferred = hostKeyAlgorithmsFor(opts.preferredHostKeyTypes ?? []).map(
    (a) => new RegExp(`^${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
  );
  const all = /./; // everything ssh2 implements: this probe wants to learn, not to be strict
  const client = new Client();
  // Our own socket, so it can be closed for sure: ssh2's end() only half-closes, and a server
  // that never reads would keep ssh-doctor from exiting. ssh2 reports its errors (client-socket).
  const sock = new Socket().on('error', () => {});
  const config = {
    sock,
    username: opts.user,
    readyTimeout: opts.timeoutMs,
    tryKeyboard: false,
    debug: (line: string) => {
      if (lines.length < MAX_DEBUG_LINES && KEPT_DEBUG.test(line)) lines.push(line);
    },
    algorithms: {
      kex: { append: all },
      cipher: { append: all },
      hmac: { append: all },
      serverHostKey: { remove: preferred, prepend: preferred, append: all },
    },
    // Return a plain boolean synchronously: ssh2 accepts any truthy value (a Promise too).
    hostVerifier: (key: Buffer): boolean => {
      hostKey = publicKeyFromBlob(key);
      return true;
    },
    // "none" first and only: the failure lists the methods; then give up. Never a password or key.
    authHandler: (methodsLeft: string[] | null) =>
      methodsLeft === null ? { type: 'none', username: opts.user } : false,
  };
  return new Promise<HandshakeResult>((done) => {
    let settled = false;
    const finish = (error?: { level?: string; message: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // A polite disconnect, then gone even if the server never closes its side.
      client.end();
      setTimeout(() => sock.destroy(), 1000).unref();
      const facts = parseSsh2Debug(lines);
      const authMethods = noneAccepted ? [] : facts.authMethods;
      const ok = !!hostKey && authMethods !== undefined;
      done({
        ok,
        ...(hostKey ? { hostKey } : {}),
        ...(facts.serverAlgorithms ? { serverAlgorithms: facts.serverAlgorithms } : {}),
        ...(authMethods ? { authMethods } : {}),
        ...(facts.serverVersion ? { serverVersion: facts.serverVersion } : {}),
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
        ...(ok ? {} : { error: error ?? { message: 'the handshake ended early' } }),
      });
    };
    const timer = setTimeout(
      () => finish({ level: 'client-timeout', message: 'Timed out while waiting for handshake' }),
      opts.timeoutMs,
    );
    client.on('ready', () => {
      // The server let us in with auth "none": nothing to list.
      noneAccepted = true;
      finish();
    });
    client.on('error', (e: Error & { level?: string }) => {
      // Our authHandler gives up after "none" on purpose: that is the expected end.
      if (e.level === 'client-authentication') finish();
      else finish({ ...(e.level ? { level: e.level } : {}), message: e.message });
    });
    client.on('close', () => finish());
    try {
      sock.connect({
        host: opts.address,
        port: opts.port,
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      });
      client.connect(config as never);
    } catch (e) {
      // ssh2 validates the config synchronously.
      finish({ message: (e as Error).message });
    }
  });
}
