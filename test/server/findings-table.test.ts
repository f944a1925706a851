// What `ssh-doctor server` tells a person for each finding: summary, evidence and next steps, word
// for word, for one changed fact at a time on a healthy host (test/server/server-facts.ts).
import { describe, expect, it } from 'vitest';
import type { FileStat, ServerFacts } from '../../src/server/facts.js';
import { matchPattern } from '../../src/server/client-address.js';
import { needsRoot, notAllowedBecause, serverFindings, uncheckedParts } from '../../src/server/findings.js';
import type { Finding, Fix } from '../../src/report.js';
import { alice, eff, files, healthy, st } from './server-facts.js';

const only = (f: ServerFacts): Finding[] => serverFindings(f);
const one = (f: ServerFacts): Finding => {
  const all = only(f);
  expect(all).toHaveLength(1);
  return all[0]!;
};

describe('the daemon', () => {
  it('not installed: nothing else is said', () => {
    expect(only(healthy({ sshd: {}, processes: { pids: [], commands: [] } }))).toEqual([
      {
        id: 'sshd-not-installed',
        severity: 'error',
        summary: 'The OpenSSH server (sshd) is not installed.',
        evidence: ['no sshd binary in /usr/sbin, /usr/local/sbin or PATH'],
      },
    ]);
  });

  it('config invalid: where, and every error line', () => {
    const f = one(
      healthy({
        configTest: {
          ok: false,
          errors: [
            { file: '/etc/ssh/sshd_config', line: 14, message: 'Bad configuration option: Prot' },
            { file: '/etc/ssh/sshd_config.d/x.conf', message: 'unsupported' },
            { message: 'terminating, 2 bad configuration options' },
          ],
          hostKeyErrors: [],
          raw: [],
        },
      }),
    );
    expect(f).toEqual({
      id: 'sshd-config-invalid',
      severity: 'error',
      summary: 'sshd -t rejects /etc/ssh/sshd_config line 14: sshd will not start or reload.',
      evidence: [
        '/etc/ssh/sshd_config:14: Bad configuration option: Prot',
        '/etc/ssh/sshd_config.d/x.conf:?: unsupported',
        'terminating, 2 bad configuration options',
      ],
    });
  });

  it.each<[string, { file?: string; line?: number }, string]>([
    ['a file without a line', { file: '/etc/ssh/sshd_config.d/x.conf' }, '/etc/ssh/sshd_config.d/x.conf'],
    ['no file', {}, 'the configuration'],
  ])('config invalid, %s', (_, where, said) => {
    const f = one(
      healthy({ configTest: { ok: false, errors: [{ ...where, message: 'm' }], hostKeyErrors: [], raw: [] } }),
    );
    expect(f.summary).toBe(`sshd -t rejects ${said}: sshd will not start or reload.`);
  });

  it('a failed sshd -t without error lines says nothing', () => {
    expect(only(healthy({ configTest: { ok: false, errors: [], hostKeyErrors: [], raw: [] } }))).toEqual([]);
  });

  it('not running: the process check and the service manager', () => {
    const down = { processes: { pids: [], commands: [] }, listeners: { source: 'ss' as const, sockets: [] } };
    expect(one(healthy(down))).toEqual({
      id: 'sshd-not-running',
      severity: 'error',
      summary: 'sshd is not running, so nothing answers on the SSH port.',
      evidence: ['no live sshd listener process (ps -C sshd)', 'service manager: systemd (service "ssh")'],
    });
    expect(one(healthy({ ...down, init: { system: 'none' } })).evidence).toEqual([
      'no live sshd listener process (ps -C sshd)',
      'service manager: none',
    ]);
  });

  it('not running, with the service manager unknown: socket activation may answer, so it is unchecked', () => {
    const down = healthy({
      processes: { pids: [], commands: [] },
      listeners: { source: 'ss', sockets: [] },
      init: { unknown: 'systemctl is-active ssh.socket did not answer within 3 s' },
    });
    expect(only(down)).toEqual([]);
    expect(uncheckedParts(down)).toEqual([
      { check: 'service manager (socket activation)', why: 'systemctl is-active ssh.socket did not answer within 3 s' },
    ]);
    // With sshd running, the service manager only adds evidence.
    expect(uncheckedParts(healthy({ init: { unknown: 'x' } }))).toEqual([]);
  });

  it('not running is no problem under socket activation (systemd holds the port)', () => {
    expect(
      only(
        healthy({
          processes: { pids: [], commands: [] },
          init: { system: 'systemd', service: 'ssh', socket: true },
          listeners: { source: 'ss', sockets: [{ address: '0.0.0.0', port: 22, process: 'systemd', pid: 1 }] },
        }),
      ),
    ).toEqual([]);
  });

  it('privsep directory missing, from stat or from sshd -t', () => {
    expect(one(healthy({ privsepDir: { path: '/run/sshd', exists: false } }))).toEqual({
      id: 'privsep-dir-missing',
      severity: 'error',
      summary: 'The privilege separation directory /run/sshd is missing: sshd refuses to start.',
      evidence: ['/run/sshd does not exist'],
    });
    const f = one(
      healthy({
        privsepDir: { unknown: 'x' },
        configTest: {
          ok: true,
          errors: [],
          hostKeyErrors: [],
          raw: [],
          privsepMissing: 'Missing privilege separation directory: /run/sshd',
        },
      }),
    );
    expect([f.summary, f.evidence]).toEqual([
      'The privilege separation directory /run/sshd is missing: sshd refuses to start.',
      ['Missing privilege separation directory: /run/sshd'],
    ]);
  });
});

describe('host keys', () => {
  const key = (path: string, mode: number, extra: Partial<FileStat> = {}): FileStat => ({
    ...st(path, mode, 'file', 0, 0),
    ...extra,
  });
  const ed = '/etc/ssh/ssh_host_ed25519_key';
  const rsa = '/etc/ssh/ssh_host_rsa_key';

  it('one readable by others while another is usable: a warning, sshd skips it', () => {
    const f = one(
      healthy({
        hostKeys: { keys: [key(ed, 0o600), key(rsa, 0o640, { group: 'ssh_keys', gid: 995 })] },
        configTest: {
          ok: true,
          errors: [],
          hostKeyErrors: [
            { path: rsa, message: `Unable to load host key "${rsa}": bad permissions` },
            { path: ed, message: 'unrelated' },
          ],
          raw: [],
        },
      }),
    );
    expect(f).toEqual({
      id: 'host-key-permissions',
      severity: 'warning',
      summary: `Host key ${rsa} is readable by others: sshd skips it.`,
      evidence: [
        `${rsa}: mode 0640 owner root:ssh_keys (sshd requires no group/other access, e.g. 0600 root)`,
        `Unable to load host key "${rsa}": bad permissions`,
      ],
    });
  });

  it('every key readable by others: an error, sshd cannot start; owner by number when unnamed', () => {
    const f = one(healthy({ hostKeys: { keys: [key(ed, 0o604, { owner: undefined, group: undefined })] } }));
    expect([f.severity, f.summary, f.evidence]).toEqual([
      'error',
      `Host key ${ed} is readable by others: sshd has no usable host key and refuses to start.`,
      [`${ed}: mode 0604 owner 0:0 (sshd requires no group/other access, e.g. 0600 root)`],
    ]);
  });

  it('a key owned by a user is not judged by its mode here (sshd rejects it otherwise)', () => {
    expect(only(healthy({ hostKeys: { keys: [key(ed, 0o644, { uid: 1001 })] } }))).toEqual([]);
  });

  it('one missing while another is usable: a warning naming it', () => {
    const f = one(healthy({ hostKeys: { keys: [key(ed, 0o600), { path: rsa, exists: false }] } }));
    expect(f).toEqual({
      id: 'host-keys-missing',
      severity: 'warning',
      summary: `Host key ${rsa} is missing.`,
      evidence: [`${rsa} does not exist`],
    });
  });

  it('none exists: an error', () => {
    const f = one(
      healthy({
        hostKeys: {
          keys: [
            { path: ed, exists: false },
            { path: rsa, exists: false },
          ],
        },
      }),
    );
    expect([f.id, f.severity, f.summary, f.evidence]).toEqual([
      'host-keys-missing',
      'error',
      'No host key exists: sshd refuses to start.',
      [`${ed} does not exist`, `${rsa} does not exist`],
    ]);
  });

  it('one missing and the other too open: both, as errors', () => {
    const fs = only(healthy({ hostKeys: { keys: [key(ed, 0o644), { path: rsa, exists: false }] } }));
    expect(fs.map((f) => [f.id, f.severity])).toEqual([
      ['host-key-permissions', 'error'],
      ['host-keys-missing', 'error'],
    ]);
  });
});

describe('the network', () => {
  const sockets = (...s: { address: string; port: number; process?: string; pid?: number }[]) => ({
    listeners: { source: 'ss' as const, sockets: s },
  });

  it('sshd on another port than asked', () => {
    const f = one(
      healthy({
        ...sockets(
          { address: '0.0.0.0', port: 2222, process: 'sshd', pid: 10 },
          { address: '::', port: 2222, pid: 10 },
        ),
        effective: eff({ port: ['2222'] }),
      }),
    );
    expect(f).toEqual({
      id: 'sshd-port-mismatch',
      severity: 'error',
      summary: 'sshd listens on 2222, not on port 22.',
      evidence: ['sshd listens on 0.0.0.0:2222, [::]:2222', 'sshd -T: port 2222'],
    });
  });

  it('the port taken by another program', () => {
    const f = one(healthy(sockets({ address: '0.0.0.0', port: 22, process: 'docker-proxy', pid: 77 })));
    expect(f).toEqual({
      id: 'sshd-port-mismatch',
      severity: 'error',
      summary: 'Port 22 is taken by docker-proxy, not sshd.',
      evidence: ['docker-proxy (pid 77) listens on 0.0.0.0:22'],
    });
  });

  it('sshd not listening at all but configured for another port; under socket activation, how it takes effect', () => {
    const f = one(
      healthy({
        ...sockets(),
        processes: { pids: [], commands: [] },
        init: { system: 'systemd', service: 'ssh', socket: true },
        effective: eff({ port: ['2200', '2201'] }),
      }),
    );
    expect(f).toEqual({
      id: 'sshd-port-mismatch',
      severity: 'error',
      summary: 'sshd is configured for port 2200, 2201, not 22.',
      evidence: [
        'sshd -T: port 2200, 2201',
        'ssh.socket (systemd socket activation) listens for sshd: Port and ListenAddress take effect after systemctl daemon-reload and a restart of that socket',
      ],
    });
  });

  it('nothing listening while sshd -T says the right port: no port finding (the daemon findings say why)', () => {
    expect(only(healthy({ ...sockets() }))).toEqual([]);
  });

  it('loopback only', () => {
    const f = one(
      healthy({
        ...sockets({ address: '127.0.0.1', port: 22, process: 'sshd', pid: 10 }, { address: '::1', port: 22, pid: 10 }),
        effective: eff({ listenaddress: ['127.0.0.1:22', '[::1]:22'] }),
      }),
    );
    expect(f).toEqual({
      id: 'sshd-listen-address',
      severity: 'error',
      summary: 'sshd listens on port 22 only on a loopback address: other machines cannot reach it.',
      evidence: ['sshd listens on 127.0.0.1:22, [::1]:22', 'sshd -T: listenaddress 127.0.0.1:22, [::1]:22'],
    });
  });

  it('loopback and a public address: fine', () => {
    expect(
      only(
        healthy(
          sockets(
            { address: '127.0.0.1', port: 22, process: 'sshd', pid: 10 },
            { address: '192.0.2.5', port: 22, process: 'sshd', pid: 10 },
          ),
        ),
      ),
    ).toEqual([]);
  });

  describe('a ListenAddress this host does not have', () => {
    const down = { ...sockets(), processes: { pids: [], commands: [] } };
    it('is named with the addresses the host has', () => {
      const fs = only(
        healthy({
          ...down,
          localAddresses: ['127.0.0.1', '192.0.2.5'],
          effective: eff({ listenaddress: ['198.51.100.7:22', '[2001:db8::7]:22', '192.0.2.5:2222'] }),
        }),
      );
      expect(fs.find((f) => f.id === 'sshd-listen-address')).toEqual({
        id: 'sshd-listen-address',
        severity: 'error',
        summary: 'sshd is told to listen on 198.51.100.7, 2001:db8::7, which this host does not have: it cannot bind.',
        evidence: [
          'sshd -T: listenaddress 198.51.100.7:22, [2001:db8::7]:22, 192.0.2.5:2222',
          'addresses here: 127.0.0.1, 192.0.2.5',
        ],
      });
    });
    it.each([
      ['a wildcard', ['0.0.0.0:22']],
      ['an address it has', ['192.0.2.5:22', '198.51.100.7:22']],
      ['none for this port', ['198.51.100.7:2222']],
      ['an address without a port means port 22, and it has it', ['192.0.2.5']],
    ])('not with %s', (_, listen) => {
      const fs = only(healthy({ ...down, localAddresses: ['192.0.2.5'], effective: eff({ listenaddress: listen }) }));
      expect(fs.map((f) => f.id)).not.toContain('sshd-listen-address');
    });
    it('a bare address not here counts as port 22', () => {
      const fs = only(
        healthy({ ...down, localAddresses: ['192.0.2.5'], effective: eff({ listenaddress: ['198.51.100.7'] }) }),
      );
      expect(fs.map((f) => f.id)).toEqual(['sshd-not-running', 'sshd-listen-address']);
    });
  });

  it('a firewall that blocks: its rule and where it sits', () => {
    const f = one(
      healthy({
        firewall: [
          {
            name: 'nftables',
            state: 'blocks',
            rule: 'tcp dport 22 drop',
            verdict: 'drop',
            where: { family: 'inet', table: 'filter', chain: 'input', handle: 7 },
            detail: 'before any accept',
          },
          { name: 'ufw', state: 'blocks', managedBy: 'ufw' },
          { name: 'iptables', state: 'accepts' },
        ],
      }),
    );
    expect(f).toEqual({
      id: 'firewall-blocks-ssh',
      severity: 'error',
      summary: 'nftables blocks TCP port 22 (tcp dport 22 drop).',
      evidence: ['nftables: tcp dport 22 drop — table inet filter, chain input, handle 7', 'before any accept'],
    });
  });

  it.each<[string, NonNullable<ServerFacts['firewall']>[number], string, string]>([
    [
      'iptables by position',
      {
        name: 'iptables',
        state: 'blocks',
        rule: '-A INPUT -j DROP',
        where: { table: 'filter', chain: 'INPUT', position: 3 },
      },
      'iptables blocks TCP port 22 (-A INPUT -j DROP).',
      'iptables: -A INPUT -j DROP — table filter, chain INPUT, rule 3',
    ],
    [
      'firewalld zone, verdict only',
      { name: 'firewalld', state: 'blocks', verdict: 'REJECT', where: { zone: 'public', chain: 'in' } },
      'firewalld blocks TCP port 22.',
      'firewalld: REJECT — zone public, chain in',
    ],
    ['nothing known but the state', { name: 'ufw', state: 'blocks' }, 'ufw blocks TCP port 22.', 'ufw: blocks'],
  ])('a firewall that blocks: %s', (_, fw, summary, evidence) => {
    const f = one(healthy({ firewall: [fw] }));
    expect([f.summary, f.evidence]).toEqual([summary, [evidence]]);
  });
});

describe('the account', () => {
  it('no such account stops the account checks', () => {
    expect(only(healthy({ user: { name: 'alice', exists: false } }))).toEqual([
      {
        id: 'user-not-allowed',
        severity: 'error',
        summary: 'There is no account named alice on this host.',
        evidence: ['getent passwd alice: not found'],
      },
    ]);
  });

  it('AllowUsers without alice', () => {
    expect(one(healthy({ effective: eff({ allowusers: ['bob carol@10.0.0.1'] }) }))).toEqual({
      id: 'user-not-allowed',
      severity: 'error',
      summary: 'sshd does not allow alice to log in: AllowUsers does not include alice.',
      evidence: ['sshd -T: allowusers bob carol@10.0.0.1'],
    });
  });

  it('locked three ways, with the steps to unlock (no fix: someone may have locked it on purpose)', () => {
    const f = one(
      healthy({
        user: { ...alice, accountExpired: true, passwordInactive: true, expiryDetail: 'expire=19000' },
        effective: eff({ usepam: ['no'] }),
      }),
    );
    expect(f).toEqual({
      id: 'account-locked',
      severity: 'error',
      summary: 'The account alice is locked: sshd refuses every login, even with a key.',
      evidence: [
        'account expired (expire=19000)',
        'password expired and past its inactive period (expire=19000)',
        'password field starts with "!" and UsePAM is no, so sshd treats the account as locked',
      ],
      next: [
        'as root, if the account should be usable:',
        'chage -E -1 alice    # remove the account expiry date',
        'chage -I -1 alice    # no inactive period after the password expired (or set a new password: passwd alice)',
        'usermod -p \'*\' alice    # no usable password but not locked ("!"), so key logins work',
      ],
    });
  });

  it('locked by expiry alone, without the shadow detail', () => {
    const f = one(healthy({ user: { ...alice, accountExpired: true } }));
    expect([f.evidence, f.next]).toEqual([
      ['account expired (shadow expiry date passed)'],
      ['as root, if the account should be usable:', 'chage -E -1 alice    # remove the account expiry date'],
    ]);
  });

  it('password inactive alone, without the shadow detail', () => {
    expect(one(healthy({ user: { ...alice, passwordInactive: true } })).evidence).toEqual([
      'password expired and past its inactive period (shadow)',
    ]);
  });

  it('"!" with UsePAM yes, or unknown config: not locked (PAM lets keys in)', () => {
    expect(only(healthy())).toEqual([]);
    expect(only(healthy({ effective: { unknown: 'needs root', needsRoot: true } }))).toEqual([]);
  });

  it('/etc/nologin: its first line; root is not concerned', () => {
    const nologin = { exists: true, path: '/etc/nologin', text: '\nSystem is going down\nat 5\n' };
    expect(one(healthy({ nologin }))).toEqual({
      id: 'nologin-present',
      severity: 'error',
      summary: '/etc/nologin exists: only root may log in.',
      evidence: ['/etc/nologin exists: "System is going down"'],
    });
    expect(one(healthy({ nologin: { exists: true, path: '/run/nologin' } })).evidence).toEqual(['/run/nologin exists']);
    const rootUser = { ...alice, name: 'root', uid: 0, gid: 0, home: '/root' };
    expect(
      only(healthy({ target: { user: 'root', port: 22 }, user: rootUser, nologin, authFiles: { unknown: 'x' } })),
    ).toEqual([]);
  });
});

describe('authorized_keys', () => {
  it('missing, password login off: an error, with the commands to add a key', () => {
    const af = files();
    const f = one(healthy({ authFiles: { ...af, keyCounts: {} } }));
    expect(f).toEqual({
      id: 'authorized-keys-missing',
      severity: 'error',
      summary: 'alice has no authorized key, so no key login can succeed.',
      evidence: [
        '/home/alice/.ssh/authorized_keys exists but holds no key',
        '/home/alice/.ssh/authorized_keys2 does not exist',
      ],
      next: [
        "as root, with alice's PUBLIC key (one line of their id_ed25519.pub; never the private key):",
        'install -d -m 700 /home/alice/.ssh',
        "printf '%s\\n' 'ssh-ed25519 AAAA…paste…' >> /home/alice/.ssh/authorized_keys",
        'chown alice: /home/alice/.ssh /home/alice/.ssh/authorized_keys && chmod 600 /home/alice/.ssh/authorized_keys',
      ],
    });
  });

  it.each([
    ['passwordauthentication', { passwordauthentication: ['yes'] }],
    ['kbdinteractiveauthentication', { kbdinteractiveauthentication: ['yes'] }],
  ])('missing while %s is on: a warning that says so', (_, config) => {
    const f = one(healthy({ effective: eff(config), authFiles: { ...files(), keyCounts: {} } }));
    expect([f.severity, f.summary]).toEqual([
      'warning',
      'alice has no authorized key, so no key login can succeed (password login is still enabled).',
    ]);
  });

  it('missing, with sshd -T unknown: an error', () => {
    const fs = only(healthy({ effective: { unknown: 'x' }, authFiles: { ...files(), keyCounts: {} } }));
    expect(fs.map((f) => [f.id, f.severity])).toEqual([['authorized-keys-missing', 'error']]);
  });

  it('no steps when the file is outside the home', () => {
    const f = one(
      healthy({
        authFiles: {
          authorizedKeys: [{ path: '/etc/ssh/keys/alice', exists: false }],
          keyCounts: {},
          dirs: [],
          groups: [],
        },
      }),
    );
    expect([f.evidence, f.next]).toEqual([['/etc/ssh/keys/alice does not exist'], undefined]);
  });

  it('oversize just under the size where logins hang: still a warning', () => {
    const af = files();
    const f = one(
      healthy({
        authFiles: {
          ...af,
          keyCounts: {},
          unread: [{ path: af.authorizedKeys[0]!.path, why: 'over the cap', bytes: 4 * 1024 ** 3 - 1 }],
        },
      }),
    );
    expect(f.severity).toBe('warning');
  });

  it('a file whose keys could not be counted is not called empty', () => {
    const af = files();
    expect(
      only(
        healthy({ authFiles: { ...af, keyCounts: {}, unread: [{ path: af.authorizedKeys[0]!.path, why: 'EACCES' }] } }),
      ),
    ).toEqual([]);
  });

  it.each([
    [
      5 * 1024 ** 2,
      'warning',
      '/home/alice/.ssh/authorized_keys is 5 MiB: sshd reads all of it at every key login of alice, which makes logins slow, and anyone who can reach sshd can make it do so.',
    ],
    [
      4 * 1024 ** 3,
      'error',
      '/home/alice/.ssh/authorized_keys is 4 GiB: sshd reads all of it at every key login of alice, so key logins take minutes or never finish, and anyone who can reach sshd can make it do so.',
    ],
  ])('oversize (%i bytes)', (bytes, severity, summary) => {
    const af = files();
    const f = one(
      healthy({
        authFiles: { ...af, keyCounts: {}, unread: [{ path: af.authorizedKeys[0]!.path, why: 'over the cap', bytes }] },
      }),
    );
    expect(f).toEqual({
      id: 'authorized-keys-oversize',
      severity,
      summary,
      evidence: [`/home/alice/.ssh/authorized_keys: ${bytes} bytes (over the cap); its keys were not counted`],
    });
  });

  describe('StrictModes', () => {
    const tail = 'sshd (StrictModes) ignores authorized_keys';
    it('each level named with its reason', () => {
      const fs = only(healthy({ authFiles: files({ ak: 0o666, ssh: 0o777, home: 0o757 }) }));
      expect(fs).toEqual([
        {
          id: 'authorized-keys-permissions',
          severity: 'error',
          summary: `authorized_keys has unsafe ownership or modes: ${tail}.`,
          evidence: ['/home/alice/.ssh/authorized_keys: writable by everyone (mode 0666)'],
        },
        {
          id: 'ssh-dir-permissions',
          severity: 'error',
          summary: `The .ssh directory has unsafe ownership or modes: ${tail}.`,
          evidence: ['/home/alice/.ssh: writable by everyone (mode 0777)'],
        },
        {
          id: 'home-permissions',
          severity: 'error',
          summary: `The home directory (or a directory above it) has unsafe ownership or modes: ${tail}.`,
          evidence: ['/home/alice: writable by everyone (mode 0757)'],
        },
      ]);
    });

    it('authorized_keys that is a directory', () => {
      const af = files();
      const dir = { ...af.authorizedKeys[0]!, type: 'dir' as const, mode: 0o755 };
      expect(one(healthy({ authFiles: { ...af, authorizedKeys: [dir] } })).evidence).toEqual([
        '/home/alice/.ssh/authorized_keys is not a regular file',
      ]);
    });

    it('StrictModes no: modes are not judged', () => {
      expect(only(healthy({ effective: eff({ strictmodes: ['no'] }), authFiles: files({ ssh: 0o777 }) }))).toEqual([]);
    });

    it('a path a user controls: named, and no fix is safe', () => {
      const af = files({ ssh: 0o777 });
      const fs = only(
        healthy({
          authFiles: {
            ...af,
            userLinks: [{ path: '/home/alice/.ssh', owner: 'alice', target: '/srv/keys' }],
            dirs: af.dirs.map((d) => (d.path === '/home/alice' ? { ...d, uid: 1002, owner: 'bob', mode: 0o755 } : d)),
          },
        }),
      );
      expect(fs.map((f) => f.id)).toEqual(['ssh-dir-permissions', 'home-permissions', 'unsafe-path']);
      expect(fs[2]).toEqual({
        id: 'unsafe-path',
        severity: 'warning',
        summary:
          'ssh-doctor will not change these permissions as root: a user controls what the path leads to. Check them by hand.',
        evidence: [
          '/home/alice/.ssh is a symlink owned by alice (to /srv/keys)',
          '/home/alice is owned by uid 1002, neither alice nor root',
        ],
      });
    });
  });
});

describe('configuration', () => {
  it('PubkeyAuthentication no, with the context sshd -T was asked for', () => {
    expect(one(healthy({ effective: eff({ pubkeyauthentication: ['No'] }) }))).toEqual({
      id: 'pubkey-auth-disabled',
      severity: 'error',
      summary: 'PubkeyAuthentication is off: sshd refuses every key.',
      evidence: ['sshd -T -C user=alice,host=client.invalid,addr=203.0.113.10: pubkeyauthentication no'],
    });
  });

  it('UseDNS yes', () => {
    expect(one(healthy({ effective: eff({ usedns: ['yes'] }) }))).toEqual({
      id: 'usedns-enabled',
      severity: 'warning',
      summary: 'UseDNS is on: each login waits for reverse DNS of the client, which is slow when DNS is.',
      evidence: ['sshd -T: usedns yes'],
    });
  });

  it("sshd's log: the line that says why is quoted, not the generic close after it", () => {
    const SHELL = 'User alice not allowed because shell /bin/zsh-not-installed does not exist';
    const CLOSED = 'Connection closed by authenticating user alice 127.0.0.1 port 55694 [preauth]';
    expect(one(healthy({ logs: { source: 'journalctl', lines: [SHELL, CLOSED] } }))).toEqual({
      id: 'sshd-log-refusal',
      severity: 'info',
      summary: `sshd's log (journalctl) says: "${SHELL}"`,
      evidence: [SHELL],
    });
    expect(one(healthy({ logs: { source: 'journalctl', lines: [CLOSED] } }))?.evidence).toEqual([CLOSED]);
  });

  it("sshd's log: the last ten lines", () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`);
    expect(one(healthy({ logs: { source: 'journalctl', lines } }))).toEqual({
      id: 'sshd-log-refusal',
      severity: 'info',
      // The latest line that says why is quoted (here every line is a reason).
      summary: 'sshd\'s log (journalctl) says: "line 12"',
      evidence: lines.slice(2),
    });
    expect(only(healthy({ logs: { source: 'journalctl', lines: [] } }))).toEqual([]);
  });
});

describe('options: fixes and more steps', () => {
  const fix: Fix = { id: 'enable-pubkey-auth', title: 't', commands: [['true']], risk: 'r', undo: [] };
  it('the proposer’s fix and the caller’s steps are attached to the finding they are for', () => {
    const facts = healthy({ effective: eff({ pubkeyauthentication: ['no'], usedns: ['yes'] }) });
    const fs = serverFindings(facts, {
      proposeFix: (id) => (id === 'pubkey-auth-disabled' ? fix : undefined),
      moreSteps: (id) => (id === 'usedns-enabled' ? ['then reload sshd'] : []),
    });
    expect(fs.map((f) => [f.id, f.fix?.id, f.next])).toEqual([
      ['pubkey-auth-disabled', 'enable-pubkey-auth', undefined],
      ['usedns-enabled', undefined, ['then reload sshd']],
    ]);
  });
});

describe('notAllowedBecause: sshd’s allowed_user()', () => {
  const root = { ...alice, name: 'root', uid: 0, gid: 0, groups: ['root'] };
  const bob = { ...alice, name: 'bob', groups: ['bob', 'staff', 'docker'] };
  it.each<[string, typeof alice, Record<string, string[]>, ReturnType<typeof notAllowedBecause>]>([
    [
      'root with PermitRootLogin no',
      root,
      { permitrootlogin: ['no'] },
      { summary: 'PermitRootLogin is no', evidence: ['sshd -T: permitrootlogin no'] },
    ],
    ['root with prohibit-password', root, { permitrootlogin: ['prohibit-password'] }, undefined],
    ['a user with PermitRootLogin no', bob, { permitrootlogin: ['no'] }, undefined],
    [
      'DenyUsers by pattern',
      bob,
      { denyusers: ['carol b*'] },
      { summary: 'DenyUsers names b*', evidence: ['sshd -T: denyusers carol b*'] },
    ],
    [
      'DenyUsers USER@HOST',
      bob,
      { denyusers: ['bob@10.0.0.1'] },
      // No client address was given or found: the host part cannot be decided.
      {
        summary: 'DenyUsers names bob@10.0.0.1: whether that refuses bob depends on the address they connect from',
        evidence: ['sshd -T: denyusers bob@10.0.0.1'],
        depends: true,
      },
    ],
    ['AllowUsers with ? wildcard', bob, { allowusers: ['b?b'] }, undefined],
    ['AllowUsers USER@HOST matches the user part', bob, { allowusers: ['bob@*'] }, undefined],
    [
      'DenyGroups on a supplementary group: the step to leave it',
      bob,
      { denygroups: ['docker'] },
      {
        summary: 'DenyGroups names group docker',
        evidence: ['sshd -T: denygroups docker', 'bob is in groups: bob staff docker'],
        next: ['as root, if bob should not be in docker:', 'gpasswd -d bob docker'],
      },
    ],
    [
      'DenyGroups on the primary group: no step (it cannot be left)',
      bob,
      { denygroups: ['bo*'] },
      {
        summary: 'DenyGroups names group bob',
        evidence: ['sshd -T: denygroups bo*', 'bob is in groups: bob staff docker'],
      },
    ],
    [
      'AllowGroups without any of the user’s: the step to join the first plain one',
      bob,
      { allowgroups: ['ssh-* sshusers wheel'] },
      {
        summary: 'AllowGroups does not include any group of bob',
        evidence: ['sshd -T: allowgroups ssh-* sshusers wheel', 'bob is in groups: bob staff docker'],
        next: [
          'as root, if bob belongs in sshusers (its members may have other rights too):',
          'usermod -aG sshusers bob',
        ],
      },
    ],
    [
      'AllowGroups of patterns only: no step',
      bob,
      { allowgroups: ['ssh-*'] },
      {
        summary: 'AllowGroups does not include any group of bob',
        evidence: ['sshd -T: allowgroups ssh-*', 'bob is in groups: bob staff docker'],
      },
    ],
    ['AllowGroups with one of the user’s', bob, { allowgroups: ['wheel st?ff'] }, undefined],
    [
      'no groups known',
      { ...bob, groups: undefined },
      { allowgroups: ['wheel'] },
      {
        summary: 'AllowGroups does not include any group of bob',
        evidence: ['sshd -T: allowgroups wheel', 'bob is in groups: '],
        next: ['as root, if bob belongs in wheel (its members may have other rights too):', 'usermod -aG wheel bob'],
      },
    ],
  ])('%s', (_, user, config, want) => {
    expect(notAllowedBecause(user, eff(config))).toEqual(want);
  });

  it.each([
    ['a*', 'alice', true],
    ['a*', 'bob', false],
    ['al?ce', 'alice', true],
    ['al?ce', 'allice', false],
    ['alice', 'alice2', false],
    ['a.ice', 'alice', false],
    ['*', '', true],
  ])('matchPattern: %s on %s = %s', (p, s, want) => {
    expect(matchPattern(s, p)).toBe(want);
  });
});

describe('needsRoot: which checks a normal user could not run', () => {
  it('each unknown part that root would have told, then the firewalls, then shadow', () => {
    const facts = healthy({
      root: false,
      configTest: { unknown: 'x', needsRoot: true },
      effective: { unknown: 'x', needsRoot: true },
      authFiles: { unknown: 'x', needsRoot: true },
      logs: { unknown: 'x', needsRoot: true },
      firewall: [
        { name: 'nftables', state: 'unknown', needsRoot: true },
        { name: 'ufw', state: 'unknown' },
      ],
      user: { ...alice, passwordStatus: undefined },
    });
    expect(needsRoot(facts)).toEqual([
      'sshd -t',
      'sshd -T',
      'authorized_keys',
      'logs',
      'nftables',
      'shadow (account lock and expiry)',
    ]);
  });

  it('unknown for another reason, root, or a known password status: nothing', () => {
    expect(needsRoot(healthy({ root: false, configTest: { unknown: 'timed out' } }))).toEqual([]);
    expect(needsRoot(healthy({ root: true, user: { ...alice, passwordStatus: undefined } }))).toEqual([]);
    expect(needsRoot(healthy({ root: false, user: { name: 'alice', exists: false } }))).toEqual([]);
  });
});
