// The client's probes: each one's public id in the report, and its one line for the live list and
// the report (what it found, and whether that is good).
import { formatMode, type ProbeStatus } from '../report.js';
import type { ClientFacts } from './findings.js';

type Fact<K extends keyof ClientFacts> = NonNullable<ClientFacts[K]>;

const octal = (m?: number) => (m === undefined ? '?' : formatMode(m));
const hostPort = (address: string, port: number) => `${address.includes(':') ? `[${address}]` : address}:${port}`;

type Detail = { status: ProbeStatus; detail: string };

export type ClientProbe = Extract<keyof ClientFacts, string>;

interface ProbeEntry<K extends ClientProbe> {
  /** The probe id in the report (README, stable). */
  id: string;
  describe: (output: Fact<K>) => Detail;
}

/**
 * Keyed by the probe's one name in code: its actor, its invoke and state in flows/client.ts, and
 * the context field its result is recorded under.
 */
export const CLIENT_PROBES: { readonly [K in ClientProbe]: ProbeEntry<K> } = {
  target: {
    id: 'config',
    describe: (t) => ({
      status: 'ok',
      detail: `${t.user}@${t.host}:${t.port}${t.alias !== t.host ? ` (alias ${t.alias})` : ''}${t.proxyJump ? ` via ${t.proxyJump}` : t.proxyCommand ? ` via ProxyCommand ${t.proxyCommand}` : ''}`,
    }),
  },
  keys: {
    id: 'keys',
    describe: (k) => {
      const present = k.files.filter((f) => f.exists);
      const bad = present.filter((f) => f.tooOpen);
      const missing = k.files.filter((f) => f.explicit && !f.exists);
      const agent = k.agent.available ? `agent: ${k.agent.fingerprints.length} key(s)` : 'no agent';
      const keys =
        present.map((f) => `${f.path} ${octal(f.mode)}${f.type ? ` ${f.type}` : ''}`).join(', ') || 'no key files';
      return {
        status: bad.length || missing.length ? 'fail' : 'ok',
        detail: `${keys}; ${agent}${missing.length ? `; missing: ${missing.map((f) => f.path).join(', ')}` : ''}${k.certificates?.length ? `; certificates: ${k.certificates.map((c) => c.path).join(', ')}` : ''}`,
      };
    },
  },
  knownHosts: {
    id: 'known-hosts',
    describe: (k) => ({
      status: 'ok',
      detail: k.entries.length
        ? `${k.entries.length} entr${k.entries.length === 1 ? 'y' : 'ies'} for ${k.lookupName} (${[...new Set(k.entries.map((e) => e.keyType))].join(', ')})`
        : `${k.lookupName} not known yet`,
    }),
  },
  dns: {
    id: 'dns',
    describe: (d) =>
      d.addresses.length
        ? { status: 'ok', detail: `${d.addresses.map((a) => a.address).join(', ')}${d.source ? ` (${d.source})` : ''}` }
        : { status: 'fail', detail: `no address${d.error ? ` (${d.error})` : ''}` },
  },
  tcp: {
    id: 'tcp',
    describe: (t) => ({
      status: t.attempts.some((a) => a.outcome === 'connected' && a.bannerOutcome === 'ssh') ? 'ok' : 'fail',
      detail: t.attempts
        .map((a) =>
          a.outcome === 'connected'
            ? `${hostPort(a.address, a.port)}${a.localAddress ? ` from ${a.localAddress}` : ''} ${a.bannerOutcome === 'ssh' || a.bannerOutcome === 'other' ? `says ${JSON.stringify(a.banner ?? '')}` : `connected, then ${a.bannerOutcome}`}`
            : a.outcome === 'bind-failed'
              ? `${hostPort(a.address, a.port)} not tried: ${a.bindProblem ?? 'bind failed'}`
              : `${hostPort(a.address, a.port)} ${a.outcome}${a.errno ? ` (${a.errno})` : ''}`,
        )
        .join('; '),
    }),
  },
  otherPorts: {
    id: 'other-ports',
    describe: (ports) => {
      const ssh = ports.filter((p) => p.bannerOutcome === 'ssh');
      return {
        status: ssh.length ? 'ok' : 'fail',
        detail: ssh.length
          ? `SSH on port ${ssh.map((p) => p.port).join(', ')}`
          : `no SSH on ${ports.map((p) => p.port).join(', ')}`,
      };
    },
  },
  handshake: {
    id: 'handshake',
    describe: (h) =>
      h.ok
        ? {
            status: 'ok',
            detail: `${h.hostKey ? `${h.hostKey.type} ${h.hostKey.fingerprint}` : 'no host key'}${h.authMethods ? `; accepts ${h.authMethods.join(',')}` : ''}${h.localAddress ? `; from ${h.localAddress}` : ''}`,
          }
        : { status: 'unknown', detail: h.error?.message ?? 'handshake failed' },
  },
  login: {
    id: 'login',
    describe: (l) => ({
      status: l.debug.outcome === 'ok' ? 'ok' : 'fail',
      detail:
        l.debug.outcome === 'ok'
          ? 'ssh -o BatchMode=yes logged in'
          : `${l.debug.outcome}${l.debug.evidence[0] ? `: ${l.debug.evidence[0]}` : ''}`,
    }),
  },
  password: {
    id: 'password-login',
    describe: (a) => ({
      status: a.exitCode === 0 ? 'ok' : 'fail',
      detail: `the password you typed into ssh: ${a.exitCode === 0 ? 'logged in' : a.exitCode === undefined ? 'ssh did not finish' : `ssh exited with ${a.exitCode}`}`,
    }),
  },
};

/** One probe's line for the report. */
export function describeProbe<K extends ClientProbe>(probe: K, output: Fact<K>): Detail {
  const entry: ProbeEntry<K> = CLIENT_PROBES[probe];
  return entry.describe(output);
}
