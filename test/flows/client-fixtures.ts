// Sample probe outputs for the client flow: one per branch the flow can take.
import type {
  OtherPortResult,
  DnsResult,
  HandshakeResult,
  KeyFilesResult,
  KnownHostsResult,
  LoginResult,
  ResolvedTarget,
  SshDebug,
  TcpResult,
} from '../../src/probes/client/types.js';

export const target: ResolvedTarget = {
  alias: 'box',
  host: '127.0.0.1',
  user: 'alice',
  port: 22,
  identityFiles: ['/root/.ssh/id_ed25519'],
  userKnownHostsFiles: ['/root/.ssh/known_hosts'],
  globalKnownHostsFiles: [],
  addressFamily: 'any',
  configPorts: [],
};

const key = (mode: number) => ({
  path: '/root/.ssh/id_ed25519',
  exists: true,
  mode,
  ownerUid: 0,
  tooOpen: (mode & 0o077) !== 0,
  pubPath: '/root/.ssh/id_ed25519.pub',
  pubExists: true,
  pubMatches: true,
  type: 'ED25519',
  fingerprint: 'SHA256:key',
  explicit: false,
});

export const keys: Record<string, KeyFilesResult> = {
  good: { files: [key(0o600)], agent: { available: false, fingerprints: [] } },
  tooOpen: { files: [key(0o644)], agent: { available: false, fingerprints: [] } },
};

export const knownHosts: Record<string, KnownHostsResult> = {
  empty: { lookupName: '127.0.0.1', entries: [], searched: ['/root/.ssh/known_hosts'] },
  stored: {
    lookupName: '127.0.0.1',
    entries: [{ file: '/root/.ssh/known_hosts', line: 3, keyType: 'ssh-ed25519', key: 'AAAAold', hashed: true }],
    searched: ['/root/.ssh/known_hosts'],
  },
};

export const dns: Record<string, DnsResult> = {
  ok: { addresses: [{ address: '127.0.0.1', family: 4 }], source: 'literal' },
  none: { addresses: [], error: 'ENOTFOUND' },
};

const attempt = (outcome: TcpResult['attempts'][0]['outcome'], extra: Partial<TcpResult['attempts'][0]> = {}) => ({
  attempts: [{ address: '127.0.0.1', port: 22, outcome, ms: 1, ...extra }],
});
export const tcp: Record<string, TcpResult> = {
  ssh: attempt('connected', { bannerOutcome: 'ssh', banner: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10' }),
  other: attempt('connected', { bannerOutcome: 'other', banner: '220 mail ESMTP' }),
  closed: attempt('connected', { bannerOutcome: 'closed' }),
  throttled: attempt('connected', { bannerOutcome: 'closed', banner: 'Exceeded MaxStartups' }),
  refused: attempt('refused', { errno: 'ECONNREFUSED' }),
  timeout: attempt('timeout'),
  unreachable: attempt('unreachable', { errno: 'EHOSTUNREACH' }),
};

export const otherPorts: Record<string, OtherPortResult[]> = {
  found: [{ port: 2222, outcome: 'connected', bannerOutcome: 'ssh', banner: 'SSH-2.0-OpenSSH_9.2p1' }, { port: 2200, outcome: 'refused' }],
  none: [{ port: 2222, outcome: 'refused' }],
};

export const handshake: Record<string, HandshakeResult> = {
  newKey: {
    ok: true,
    hostKey: { type: 'ssh-ed25519', key: 'AAAAnew', fingerprint: 'SHA256:new' },
    authMethods: ['publickey', 'password'],
  },
};

const debug = (outcome: SshDebug['outcome'], extra: Partial<SshDebug> = {}): LoginResult => ({
  exitCode: outcome === 'ok' ? 0 : 255,
  timedOut: false,
  debug: { outcome, keysOffered: [], keysIgnored: [], keysMissing: [], evidence: [`ssh said ${outcome}`], ...extra },
});
export const login: Record<string, LoginResult> = {
  ok: debug('ok'),
  pubkeyDenied: debug('auth-denied', { methodsLeft: ['publickey'], keysOffered: ['/root/.ssh/id_ed25519 ED25519 SHA256:key'] }),
  passwordOnly: debug('auth-denied', { methodsLeft: ['password'] }),
  keyIgnored: debug('auth-denied', { methodsLeft: ['publickey'], keysIgnored: [{ path: '/root/.ssh/id_ed25519', mode: '0644' }] }),
  tooMany: debug('too-many-auth-failures'),
  algorithm: debug('algorithm-mismatch', { algorithm: { what: 'host key type', theirOffer: ['ssh-rsa'] } }),
  hostKeyChanged: debug('host-key-changed', { offendingKey: { file: '/root/.ssh/known_hosts', line: 3 } }),
  refused: debug('connection-refused'),
  other: debug('other'),
};
