// Sample probe outputs for the client flow: one per branch the flow can take.
import type { ClientInput } from '../../flows/client.js';
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
} from '../../src/client/probes/types.js';

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
  encrypted: { files: [{ ...key(0o600), encrypted: true }], agent: { available: false, fingerprints: [] } },
  /** No key file exists and the agent is empty. */
  none: { files: [{ ...key(0o600), exists: false, pubExists: false }], agent: { available: true, fingerprints: [] } },
  /** The key, and an expired user certificate for it beside it. */
  withCert: {
    files: [key(0o600)],
    agent: { available: false, fingerprints: [] },
    certificates: [
      {
        path: '/root/.ssh/id_ed25519-cert.pub',
        kind: 'user',
        fingerprint: 'SHA256:key',
        signingCa: 'ED25519 SHA256:ca (using ssh-ed25519)',
        keyId: 'alice@corp',
        validFrom: '2020-01-01T00:00:00',
        validTo: '2020-01-02T00:00:00',
        principals: ['alice'],
      },
    ],
  },
  /** An -i file that does not exist, and a key whose .pub is another key's. */
  odd: {
    files: [
      {
        ...key(0o600),
        path: '/root/.ssh/deploy',
        pubPath: '/root/.ssh/deploy.pub',
        exists: false,
        pubExists: false,
        explicit: true,
      },
      { ...key(0o600), pubMatches: false },
    ],
    agent: { available: false, fingerprints: [] },
  },
};

export const knownHosts: Record<string, KnownHostsResult> = {
  empty: { lookupName: '127.0.0.1', entries: [], searched: ['/root/.ssh/known_hosts'] },
  /** Holds the key the server presents (handshake.newKey). */
  current: {
    lookupName: '127.0.0.1',
    entries: [{ file: '/root/.ssh/known_hosts', line: 3, keyType: 'ssh-ed25519', key: 'AAAAnew', hashed: true }],
    searched: ['/root/.ssh/known_hosts'],
  },
  /** Holds another ed25519 key for the host than handshake.newKey. */
  stored: {
    lookupName: '127.0.0.1',
    entries: [{ file: '/root/.ssh/known_hosts', line: 3, keyType: 'ssh-ed25519', key: 'AAAAold', hashed: true }],
    searched: ['/root/.ssh/known_hosts'],
  },
  /** Holds handshake.newKey, and marks it @revoked on another line. */
  revoked: {
    lookupName: '127.0.0.1',
    entries: [
      { file: '/root/.ssh/known_hosts', line: 3, keyType: 'ssh-ed25519', key: 'AAAAnew', hashed: false },
      {
        file: '/root/.ssh/known_hosts',
        line: 7,
        keyType: 'ssh-ed25519',
        key: 'AAAAnew',
        hashed: false,
        marker: '@revoked',
      },
    ],
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
  /** Two addresses: IPv6 drops packets, IPv4 answers SSH. */
  oneSilent: {
    attempts: [
      { address: '2001:db8::1', port: 22, outcome: 'timeout', ms: 5000 },
      {
        address: '127.0.0.1',
        port: 22,
        outcome: 'connected',
        ms: 1,
        bannerOutcome: 'ssh',
        banner: 'SSH-2.0-OpenSSH_9.2p1',
      },
    ],
  },
  /** Two addresses: IPv6 refuses, IPv4 answers SSH. */
  oneRefused: {
    attempts: [
      { address: '2001:db8::1', port: 22, outcome: 'refused', ms: 1, errno: 'ECONNREFUSED' },
      {
        address: '127.0.0.1',
        port: 22,
        outcome: 'connected',
        ms: 1,
        bannerOutcome: 'ssh',
        banner: 'SSH-2.0-OpenSSH_9.2p1',
      },
    ],
  },
  /** Two addresses: IPv6 has no route, IPv4 answers SSH. */
  oneUnreachable: {
    attempts: [
      { address: '2001:db8::1', port: 22, outcome: 'unreachable', ms: 1, errno: 'ENETUNREACH' },
      {
        address: '127.0.0.1',
        port: 22,
        outcome: 'connected',
        ms: 1,
        bannerOutcome: 'ssh',
        banner: 'SSH-2.0-OpenSSH_9.2p1',
      },
    ],
  },
  /** -b 10.9.9.9, an address this machine does not have (Node's error, as in the lab). */
  bindFailed: attempt('bind-failed', {
    errno: 'EADDRNOTAVAIL',
    bindProblem:
      'BindAddress 10.9.9.9: this machine has no address 10.9.9.9 (ssh says "bind 10.9.9.9: Cannot assign requested address")',
  }),
  /** -b 127.0.0.2: IPv6 cannot take an IPv4 source address, IPv4 answers SSH from it. */
  oneBindFailed: {
    attempts: [
      {
        address: '::1',
        port: 22,
        outcome: 'bind-failed',
        ms: 0,
        bindProblem: 'BindAddress 127.0.0.2 is an IPv4 address, and the destination is IPv6',
      },
      {
        address: '127.0.0.1',
        port: 22,
        outcome: 'connected',
        ms: 1,
        localAddress: '127.0.0.2',
        bannerOutcome: 'ssh',
        banner: 'SSH-2.0-OpenSSH_9.2p1',
      },
    ],
  },
  /** -b 127.0.0.2: IPv6 cannot take it, IPv4 refuses. */
  bindFailedAndRefused: {
    attempts: [
      {
        address: '::1',
        port: 22,
        outcome: 'bind-failed',
        ms: 0,
        bindProblem: 'BindAddress 127.0.0.2 is an IPv4 address, and the destination is IPv6',
      },
      { address: '127.0.0.1', port: 22, outcome: 'refused', ms: 1, errno: 'ECONNREFUSED', localAddress: '127.0.0.2' },
    ],
  },
  /** Two addresses: one refuses, one is unreachable. */
  refusedAndUnreachable: {
    attempts: [
      { address: '2001:db8::1', port: 22, outcome: 'unreachable', ms: 1, errno: 'ENETUNREACH' },
      { address: '127.0.0.1', port: 22, outcome: 'refused', ms: 1, errno: 'ECONNREFUSED' },
    ],
  },
};

export const otherPorts: Record<string, OtherPortResult[]> = {
  found: [
    { port: 2222, outcome: 'connected', bannerOutcome: 'ssh', banner: 'SSH-2.0-OpenSSH_9.2p1' },
    { port: 2200, outcome: 'refused' },
  ],
  none: [{ port: 2222, outcome: 'refused' }],
};

export const handshake: Record<string, HandshakeResult> = {
  newKey: {
    ok: true,
    hostKey: { type: 'ssh-ed25519', key: 'AAAAnew', fingerprint: 'SHA256:new' },
    authMethods: ['publickey', 'password'],
  },
  passwordOnly: {
    ok: true,
    hostKey: { type: 'ssh-ed25519', key: 'AAAAnew', fingerprint: 'SHA256:new' },
    authMethods: ['password', 'keyboard-interactive'],
  },
};

const debug = (outcome: SshDebug['outcome'], extra: Partial<SshDebug> = {}): LoginResult => ({
  exitCode: outcome === 'ok' ? 0 : 255,
  timedOut: false,
  debug: {
    outcome,
    keysOffered: [],
    keysIgnored: [],
    keysMissing: [],
    keysAccepted: [],
    keysSkipped: [],
    evidence: [`ssh said ${outcome}`],
    ...extra,
  },
});
export const login: Record<string, LoginResult> = {
  ok: debug('ok'),
  pubkeyDenied: debug('auth-denied', {
    methodsLeft: ['publickey'],
    keysOffered: ['/root/.ssh/id_ed25519 ED25519 SHA256:key'],
  }),
  passwordOnly: debug('auth-denied', { methodsLeft: ['password'] }),
  /** Denied before ssh heard which methods remain (and with no key offered). */
  deniedSilently: debug('auth-denied'),
  keyIgnored: debug('auth-denied', {
    methodsLeft: ['publickey'],
    keysIgnored: [{ path: '/root/.ssh/id_ed25519', mode: '0644' }],
  }),
  /** The key and its certificate offered, both refused. */
  certDenied: debug('auth-denied', {
    methodsLeft: ['publickey'],
    keysOffered: ['/root/.ssh/id_ed25519', '/root/.ssh/id_ed25519'],
    certificatesOffered: [
      { fingerprint: 'SHA256:key', line: 'debug1: Offering public key: /root/.ssh/id_ed25519 ED25519-CERT SHA256:key' },
    ],
  }),
  tooMany: debug('too-many-auth-failures'),
  algorithm: debug('algorithm-mismatch', { algorithm: { what: 'host key type', theirOffer: ['ssh-rsa'] } }),
  hostKeyChanged: debug('host-key-changed', { offendingKey: { file: '/root/.ssh/known_hosts', line: 3 } }),
  hostKeyRevoked: debug('other', { hostKeyRevoked: true }),
  refused: debug('connection-refused'),
  timeout: debug('connection-timeout'),
  dnsUnresolved: debug('dns-unresolved'),
  noRoute: debug('no-route'),
  banner: debug('banner-exchange-failed'),
  hostKeyUnknown: debug('host-key-unknown'),
  other: debug('other'),
  /** Through a ProxyCommand: the server answered (its version seen), then the outcome as usual. */
  proxiedOk: debug('ok', { serverVersion: 'SSH-2.0-OpenSSH_9.2p1' }),
  proxiedDenied: debug('auth-denied', {
    serverVersion: 'SSH-2.0-OpenSSH_9.2p1',
    methodsLeft: ['publickey'],
    keysOffered: ['/root/.ssh/id_ed25519 ED25519 SHA256:key'],
  }),
  /** Logged in, after 12 s of the server's reverse DNS lookup (UseDNS yes). */
  slowAuth: {
    ...debug('ok'),
    followedPastDeadline: true,
    timeline: {
      pastKeyExchange: true,
      phases: [
        { phase: 'name lookup', ms: 10 },
        { phase: 'TCP connect', ms: 5 },
        { phase: 'banner wait', ms: 20 },
        { phase: 'key exchange', ms: 300 },
        {
          phase: 'authentication',
          ms: 12_040,
          longestWait: { ms: 12_000, after: 'debug1: SSH2_MSG_SERVICE_ACCEPT received' },
        },
        { phase: 'session start', ms: 150 },
      ],
    },
  },
  /** Through a jump host that could not open the connection on: ssh itself sees only the pipe close. */
  hopRefused: {
    ...debug('banner-exchange-failed'),
    hopFailed: { reason: 'connect failed: Connection refused', evidence: ['stdio forwarding failed'] },
  },
  hopProhibited: {
    ...debug('banner-exchange-failed'),
    hopFailed: { reason: 'administratively prohibited: open failed', evidence: ['stdio forwarding failed'] },
  },
  /** The proxy's program is missing: ssh saw its pipe close before any banner. */
  proxyMissing: {
    ...debug('banner-exchange-failed'),
    proxy: { command: 'no-such-proxy box 22', exitStatus: 127, stderr: ['bash: line 1: no-such-proxy: not found'] },
  },
  accountLocked: debug('account-locked'),
  passwordChange: debug('password-change-required'),
  nologin: debug('login-shell-nologin', { authenticated: true, exitStatus: 1 }),
  forcedCommandFailed: debug('forced-command-failed', { authenticated: true, exitStatus: 127 }),
  sessionClosed: debug('session-closed-after-auth', { authenticated: true }),
  /** A git host: the session started and ended with status 1 and a greeting. */
  gitHost: {
    ...debug('ok', { authenticated: true, exitStatus: 1, sessionOutput: ['Hi you! No shell access.'] }),
    exitCode: 1,
  },
  secondFactor: debug('auth-second-factor-required', {
    methodsLeft: ['keyboard-interactive'],
    keysAccepted: ['/root/.ssh/id_ed25519'],
  }),
  /** The server accepted the key; ssh could not sign with it. */
  keyAcceptedUnused: debug('auth-denied', {
    methodsLeft: ['publickey', 'password'],
    keysOffered: ['/root/.ssh/id_ed25519'],
    keysAccepted: ['/root/.ssh/id_ed25519'],
  }),
  dsaSkipped: debug('auth-denied', {
    methodsLeft: ['publickey'],
    keysSkipped: [
      { path: '/root/.ssh/id_dsa', type: 'ssh-dss', reason: 'corresponding algo not in PubkeyAcceptedAlgorithms' },
    ],
  }),
};

/** The flow's input with no terminal: no wizard, no fix applied. */
export const headlessInput: ClientInput = {
  destination: 'box',
  sshFlags: [],
  timeoutMs: 5000,
  interactive: false,
  autoApply: false,
};

/** Every probe's answer for a host that works: the key is known, ssh logs in. */
export const healthy = {
  target,
  keys: keys.good,
  knownHosts: knownHosts.current,
  dns: dns.ok,
  tcp: tcp.ssh,
  otherPorts: otherPorts.none,
  handshake: handshake.newKey,
  login: login.ok,
};
