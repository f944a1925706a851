// Hand-built server facts for the findings tables: a healthy Debian host where alice can log in
// with a key; each test changes one thing. Shared by the findings tests.
import type {
  AuthFilesFacts,
  EffectiveConfig,
  FileStat,
  GroupFacts,
  ServerFacts,
  UserFacts,
} from '../../src/server/facts.js';

export const alice: UserFacts = {
  name: 'alice',
  exists: true,
  uid: 1001,
  gid: 1001,
  home: '/home/alice',
  shell: '/bin/bash',
  groups: ['alice'],
  passwordStatus: 'L',
  lockedWithBang: true,
};
export const aliceGroup: GroupFacts = {
  gid: 1001,
  name: 'alice',
  members: [],
  primaryOf: [{ name: 'alice', uid: 1001 }],
};
export const st = (path: string, mode: number, type: FileStat['type'] = 'dir', uid = 1001, gid = 1001): FileStat => ({
  path,
  exists: true,
  type,
  mode,
  uid,
  gid,
  owner: uid === 0 ? 'root' : 'alice',
  group: gid === 0 ? 'root' : 'alice',
});
export const eff = (config: Record<string, string[]> = {}): EffectiveConfig => ({
  context: { user: 'alice', host: 'client.invalid', addr: '203.0.113.10' },
  config: {
    port: ['22'],
    usepam: ['yes'],
    strictmodes: ['yes'],
    pubkeyauthentication: ['yes'],
    usedns: ['no'],
    passwordauthentication: ['no'],
    ...config,
  },
});
export const files = (over: Partial<Record<'home' | 'ssh' | 'ak', number>> = {}): AuthFilesFacts => ({
  authorizedKeys: [
    st('/home/alice/.ssh/authorized_keys', over.ak ?? 0o600, 'file'),
    { path: '/home/alice/.ssh/authorized_keys2', exists: false },
  ],
  keyCounts: { '/home/alice/.ssh/authorized_keys': 1 },
  dirs: [
    st('/home/alice/.ssh', over.ssh ?? 0o700),
    st('/home/alice', over.home ?? 0o755),
    st('/home', 0o755, 'dir', 0, 0),
    st('/', 0o755, 'dir', 0, 0),
  ],
  groups: [aliceGroup],
});
export const healthy = (over: Partial<ServerFacts> = {}): ServerFacts => ({
  target: { user: 'alice', port: 22 },
  root: true,
  sshd: {
    path: '/usr/sbin/sshd',
    version: 'OpenSSH_9.2',
    package: { manager: 'dpkg', name: 'openssh-server', version: '1:9.2p1-2+deb12u7' },
  },
  processes: { pids: [10], commands: ['sshd: /usr/sbin/sshd -D [listener]'] },
  init: { system: 'systemd', service: 'ssh', enabled: true },
  configTest: { ok: true, errors: [], hostKeyErrors: [], raw: [] },
  effective: eff(),
  listeners: { source: 'ss', sockets: [{ address: '0.0.0.0', port: 22, process: 'sshd', pid: 10 }] },
  firewall: [{ name: 'iptables', state: 'inactive' }],
  privsepDir: st('/run/sshd', 0o755, 'dir', 0, 0),
  hostKeys: { keys: [st('/etc/ssh/ssh_host_ed25519_key', 0o600, 'file', 0, 0)] },
  user: alice,
  authFiles: files(),
  nologin: { exists: false, path: '/etc/nologin' },
  ...over,
});
