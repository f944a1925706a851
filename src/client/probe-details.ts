// One line per probe for the live list and the report: what it found, and whether that is good.
import { formatMode, type ProbeStatus } from '../report.js';
import type { ClientFacts } from './findings.js';

type Fact<K extends keyof ClientFacts> = NonNullable<ClientFacts[K]>;

const octal = (m?: number) => (m === undefined ? '?' : formatMode(m));
const hostPort = (address: string, port: number) => `${address.includes(':') ? `[${address}]` : address}:${port}`;

type Detail = { status: ProbeStatus; detail: string };

const describers: Record<string, (output: any) => Detail> = {
  config: (t: Fact<'target'>) => ({
    status: 'ok',
    detail: `${t.user}@${t.host}:${t.port}${t.alias !== t.host ? ` (alias ${t.alias})` : ''}${t.proxyJump ? ` via ${t.proxyJump}` : ''}`,
  }),
  keys: (k: Fact<'keys'>) => {
    const present = k.files.filter((f) => f.exists);
    const bad = present.filter((f) => f.tooOpen);
    const missing = k.files.filter((f) => f.explicit && !f.exists);
    const agent = k.agent.available ? `agent: ${k.agent.fingerprints.length} key(s)` : 'no agent';
    const keys = present.map((f) => `${f.path} ${octal(f.mode)}${f.type ? ` ${f.type}` : ''}`).join(', ') || 'no key files';
    return { status: bad.length || missing.length ? 'fail' : 'ok', detail: `${keys}; ${agent}${missing.length ? `; missing: ${missing.map((f) => f.path).join(', ')}` : ''}` };
  },
  'known-hosts': (k: Fact<'knownHosts'>) => ({
    status: 'ok',
    detail: k.entries.length
      ? `${k.entries.length} entr${k.entries.length === 1 ? 'y' : 'ies'} for ${k.lookupName} (${[...new Set(k.entries.map((e) => e.keyType))].join(', ')})`
      : `${k.lookupName} not known yet`,
  }),
  dns: (d: Fact<'dns'>) =>
    d.addresses.length
      ? { status: 'ok', detail: `${d.addresses.map((a) => a.address).join(', ')}${d.source ? ` (${d.source})` : ''}` }
      : { status: 'fail', detail: `no address${d.error ? ` (${d.error})` : ''}` },
  tcp: (t: Fact<'tcp'>) => ({
    status: t.attempts.some((a) => a.outcome === 'connected' && a.bannerOutcome === 'ssh') ? 'ok' : 'fail',
    detail: t.attempts
      .map((a) =>
        a.outcome === 'connected'
          ? `${hostPort(a.address, a.port)} ${a.bannerOutcome === 'ssh' || a.bannerOutcome === 'other' ? `says ${JSON.stringify(a.banner ?? '')}` : `connected, then ${a.bannerOutcome}`}`
          : `${hostPort(a.address, a.port)} ${a.outcome}${a.errno ? ` (${a.errno})` : ''}`,
      )
      .join('; '),
  }),
  'other-ports': (ports: Fact<'altPorts'>) => {
    const ssh = ports.filter((p) => p.bannerOutcome === 'ssh');
    return {
      status: ssh.length ? 'ok' : 'fail',
      detail: ssh.length ? `SSH on port ${ssh.map((p) => p.port).join(', ')}` : `no SSH on ${ports.map((p) => p.port).join(', ')}`,
    };
  },
  handshake: (h: Fact<'handshake'>) =>
    h.ok
      ? {
          status: 'ok',
          detail: `${h.hostKey ? `${h.hostKey.type} ${h.hostKey.fingerprint}` : 'no host key'}${h.authMethods ? `; accepts ${h.authMethods.join(',')}` : ''}`,
        }
      : { status: 'unknown', detail: h.error?.message ?? 'handshake failed' },
  login: (l: Fact<'login'>) => ({
    status: l.debug.outcome === 'ok' ? 'ok' : 'fail',
    detail: l.debug.outcome === 'ok' ? 'ssh -o BatchMode=yes logged in' : `${l.debug.outcome}${l.debug.evidence[0] ? `: ${l.debug.evidence[0]}` : ''}`,
  }),
};

export function describeProbe(id: string, output: unknown): Detail {
  const d = describers[id];
  return d ? d(output) : { status: 'ok', detail: '' };
}
