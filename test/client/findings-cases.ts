// Facts for the client findings table (test/client/findings-table.test.ts): one target, and the
// probe answers that lead to each verdict, written out by hand.
import type { ClientFacts } from '../../src/client/findings.js';
import type { KeyFile, LoginResult, ResolvedTarget, SshDebug, TcpAttempt } from '../../src/client/probes/types.js';

export const target: ResolvedTarget = {
  alias: 'web',
  host: 'web1.example',
  user: 'alice',
  port: 2222,
  identityFiles: ['/home/alice/.ssh/id_ed25519', '/home/alice/.ssh/id_rsa'],
  userKnownHostsFiles: ['/home/alice/.ssh/known_hosts'],
  globalKnownHostsFiles: ['/etc/ssh/ssh_known_hosts'],
  addressFamily: 'any',
  configPorts: [],
};

export const attempt = (over: Partial<TcpAttempt>): TcpAttempt => ({
  address: '192.0.2.10',
  port: 2222,
  outcome: 'connected',
  ms: 12,
  ...over,
});

export const debug = (over: Partial<SshDebug> = {}): SshDebug => ({
  outcome: 'other',
  keysOffered: [],
  keysIgnored: [],
  keysMissing: [],
  keysAccepted: [],
  keysSkipped: [],
  evidence: [],
  ...over,
});

export const login = (over: Partial<SshDebug> = {}, exitCode: number | undefined = 255): LoginResult => ({
  exitCode,
  timedOut: false,
  debug: debug(over),
});

export const key = (over: Partial<KeyFile>): KeyFile => ({
  path: '/home/alice/.ssh/id_ed25519',
  exists: true,
  mode: 0o600,
  tooOpen: false,
  pubPath: '/home/alice/.ssh/id_ed25519.pub',
  pubExists: true,
  explicit: false,
  ...over,
});

export const base: ClientFacts = { target };
