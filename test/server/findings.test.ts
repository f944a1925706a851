// serverFindings on hand-built facts: the rules that the lab scenarios exercise end to end, here
// pinned down case by case (including the ones the lab cannot stage, like RPM's group rule).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAuthorizedKeys } from '../../src/server/authorized-keys.js';
import { SERVER_FINDINGS, serverFindings, uncheckedParts } from '../../src/server/findings.js';
import { needsRootFinding, checksIncompleteFinding } from '../../src/server/server-report.js';
import { insecureReason, walkedDirs } from '../../src/server/strict-modes.js';
import { LEFT_OUT } from '../../src/shell-quote.js';
import { alice, aliceGroup, eff, files, healthy, st } from './server-facts.js';
import type { AddressDependence, AuthFilesFacts, ServerFacts, UserFacts } from '../../src/server/facts.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIpYW+f0+Typ3Ehit8M2lQH2YzfP9Rhl/X4mDg1LSfG0 alice@laptop';
const DSA_BLOB = readFileSync(new URL('../fixtures/server/authorized_keys-mixed.txt', import.meta.url), 'utf8')
  .split('\n')[4]!
  .split(' ')[1]!;
const withLines = (text: string): AuthFilesFacts => ({
  ...files(),
  keyLines: { '/home/alice/.ssh/authorized_keys': parseAuthorizedKeys(text) },
});
const ids = (f: ServerFacts) => serverFindings(f).map((x) => x.id);

/** sshd -T for 10.0.0.1 (Match Address 10.0.0.0/8) says pubkeyauthentication no. */
const keysOffIn10: AddressDependence = {
  sample: { host: 'client.invalid', addr: '203.0.113.10' },
  differs: [
    {
      match: 'Address 10.0.0.0/8',
      host: '10.0.0.1',
      addr: '10.0.0.1',
      settings: [{ key: 'pubkeyauthentication', sample: ['yes'], there: ['no'] }],
      config: eff({ pubkeyauthentication: ['no'] }).config,
    },
  ],
  unchecked: [],
};

describe('serverFindings', () => {
  it('healthy: nothing', () => expect(ids(healthy())).toEqual([]));
  it('unknown parts produce no finding', () => {
    expect(
      ids(
        healthy({
          processes: { unknown: 'ps hung' },
          effective: { unknown: 'needs root', needsRoot: true },
          authFiles: { unknown: 'x' },
        }),
      ),
    ).toEqual([]);
  });
  it('not installed stops there', () => expect(ids(healthy({ sshd: {} }))).toEqual(['sshd-not-installed']));

  const cases: [string, Partial<ServerFacts>, string[]][] = [
    [
      'not running',
      { processes: { pids: [], commands: [] }, listeners: { source: 'ss', sockets: [] } },
      ['sshd-not-running'],
    ],
    [
      'config invalid',
      {
        configTest: {
          ok: false,
          errors: [{ file: '/etc/ssh/sshd_config', line: 3, message: 'Bad configuration option: X' }],
          hostKeyErrors: [],
          raw: [],
        },
      },
      ['sshd-config-invalid'],
    ],
    [
      'other port',
      { listeners: { source: 'ss', sockets: [{ address: '0.0.0.0', port: 2222, process: 'sshd', pid: 10 }] } },
      ['sshd-port-mismatch'],
    ],
    [
      'port taken by nginx',
      {
        processes: { pids: [], commands: [] },
        listeners: { source: 'ss', sockets: [{ address: '0.0.0.0', port: 22, process: 'nginx', pid: 5 }] },
      },
      ['sshd-not-running', 'sshd-port-mismatch'],
    ],
    [
      'loopback only',
      {
        listeners: {
          source: 'ss',
          sockets: [
            { address: '127.0.0.1', port: 22, process: 'sshd', pid: 10 },
            { address: '::1', port: 22, process: 'sshd', pid: 10 },
          ],
        },
      },
      ['sshd-listen-address'],
    ],
    [
      'ListenAddress of another host',
      {
        processes: { pids: [], commands: [] },
        listeners: { source: 'ss', sockets: [] },
        localAddresses: ['127.0.0.1', '::1', '10.0.0.5'],
        effective: eff({ listenaddress: ['198.51.100.7:22'] }),
      },
      ['sshd-not-running', 'sshd-listen-address'],
    ],
    [
      'ListenAddress of this host, not running',
      {
        processes: { pids: [], commands: [] },
        listeners: { source: 'ss', sockets: [] },
        localAddresses: ['127.0.0.1', '10.0.0.5'],
        effective: eff({ listenaddress: ['10.0.0.5:22'] }),
      },
      ['sshd-not-running'],
    ],
    ['privsep', { privsepDir: { path: '/run/sshd', exists: false } }, ['privsep-dir-missing']],
    [
      'host key 0640',
      { hostKeys: { keys: [st('/etc/ssh/ssh_host_ed25519_key', 0o640, 'file', 0, 0)] } },
      ['host-key-permissions'],
    ],
    [
      'host key of another owner is not checked by sshd',
      { hostKeys: { keys: [st('/etc/ssh/ssh_host_ed25519_key', 0o644, 'file', 1001, 0)] } },
      [],
    ],
    [
      'no host key',
      { hostKeys: { keys: [{ path: '/etc/ssh/ssh_host_ed25519_key', exists: false }] } },
      ['host-keys-missing'],
    ],
    [
      'firewall',
      {
        firewall: [
          {
            name: 'nftables',
            state: 'blocks',
            rule: 'tcp dport 22 drop',
            where: { family: 'inet', table: 'filter', chain: 'input', handle: 4 },
          },
        ],
      },
      ['firewall-blocks-ssh'],
    ],
    [
      'firewall managed by ufw reported once',
      {
        firewall: [
          { name: 'ufw', state: 'blocks', rule: 'Default: deny (incoming)' },
          { name: 'iptables', state: 'blocks', rule: 'policy DROP', managedBy: 'ufw' },
        ],
      },
      ['firewall-blocks-ssh'],
    ],
    [
      'no keys',
      { authFiles: { ...files(), keyCounts: { '/home/alice/.ssh/authorized_keys': 0 } } },
      ['authorized-keys-missing'],
    ],
    // Not read, so its keys are unknown: never "no key".
    [
      'ak 50 GiB',
      {
        authFiles: {
          ...files(),
          keyCounts: {},
          unread: [
            {
              path: '/home/alice/.ssh/authorized_keys',
              why: '50 GiB, over the 16 MiB ssh-doctor reads',
              bytes: 50 * 1024 ** 3,
            },
          ],
        },
      },
      ['authorized-keys-oversize'],
    ],
    [
      'ak read timed out',
      {
        authFiles: {
          ...files(),
          keyCounts: {},
          unread: [{ path: '/home/alice/.ssh/authorized_keys', why: 'cat did not answer within 4 s' }],
        },
      },
      [],
    ],
    ['ak 0646', { authFiles: files({ ak: 0o646 }) }, ['authorized-keys-permissions']],
    ['ak 0664 private group (Debian)', { authFiles: files({ ak: 0o664 }) }, []],
    [
      'ak 0664 on an RPM sshd',
      {
        authFiles: files({ ak: 0o664 }),
        sshd: { path: '/usr/sbin/sshd', package: { manager: 'rpm', name: 'openssh-server', version: '9.2' } },
      },
      ['authorized-keys-permissions'],
    ],
    ['.ssh 0777', { authFiles: files({ ssh: 0o777 }) }, ['ssh-dir-permissions']],
    ['home 0757', { authFiles: files({ home: 0o757 }) }, ['home-permissions']],
    [
      'home 0757 but StrictModes no',
      { authFiles: files({ home: 0o757 }), effective: eff({ strictmodes: ['no'] }) },
      [],
    ],
    ['no such user', { user: { name: 'alice', exists: false } }, ['user-not-allowed']],
    ['AllowUsers', { effective: eff({ allowusers: ['bob', 'carol@10.0.0.1'] }) }, ['user-not-allowed']],
    // USER@HOST is decided for the assumed client address; without one it depends on it.
    [
      'AllowUsers alice@10.0.0.0/8, client address unknown',
      { effective: eff({ allowusers: ['alice@10.0.0.0/8'] }), client: { source: 'none', why: 'none' } },
      ['user-not-allowed'],
    ],
    [
      'AllowUsers alice@10.0.0.0/8, client 10.1.2.3',
      {
        effective: eff({ allowusers: ['alice@10.0.0.0/8'] }),
        client: { address: '10.1.2.3', source: 'option', why: 'x' },
      },
      [],
    ],
    [
      'AllowUsers alice@10.0.0.0/8, client 127.0.0.1',
      {
        effective: eff({ allowusers: ['alice@10.0.0.0/8'] }),
        client: { address: '127.0.0.1', source: 'log', why: 'x' },
      },
      ['user-not-allowed'],
    ],
    [
      'DenyUsers alice@127.0.0.1, client 10.1.2.3',
      {
        effective: eff({ denyusers: ['alice@127.0.0.1'] }),
        client: { address: '10.1.2.3', source: 'option', why: 'x' },
      },
      [],
    ],
    [
      'DenyUsers alice@127.0.0.1, client 127.0.0.1',
      { effective: eff({ denyusers: ['alice@127.0.0.1'] }), client: { address: '127.0.0.1', source: 'log', why: 'x' } },
      ['user-not-allowed'],
    ],
    ['DenyUsers glob', { effective: eff({ denyusers: ['al*'] }) }, ['user-not-allowed']],
    ['AllowGroups without hers', { effective: eff({ allowgroups: ['wheel'] }) }, ['user-not-allowed']],
    [
      'root and PermitRootLogin no',
      {
        target: { user: 'root', port: 22 },
        user: { ...alice, name: 'root', uid: 0 },
        effective: eff({ permitrootlogin: ['no'] }),
        authFiles: undefined,
      },
      ['user-not-allowed'],
    ],
    ['"!" with UsePAM yes is fine', {}, []],
    ['"!" with UsePAM no', { effective: eff({ usepam: ['no'] }) }, ['account-locked']],
    [
      'expired',
      { user: { ...alice, accountExpired: true, expiryDetail: 'account expired on 2020-01-01' } },
      ['account-locked'],
    ],
    ['nologin', { nologin: { exists: true, path: '/etc/nologin', text: 'later\n' } }, ['nologin-present']],
    [
      'nologin does not stop root',
      {
        target: { user: 'root', port: 22 },
        user: { ...alice, name: 'root', uid: 0 },
        nologin: { exists: true, path: '/etc/nologin' },
        authFiles: undefined,
      },
      [],
    ],
    ['pubkey off', { effective: eff({ pubkeyauthentication: ['no'] }) }, ['pubkey-auth-disabled']],
    ['usedns', { effective: eff({ usedns: ['yes'] }) }, ['usedns-enabled']],
    [
      "ak a symlink of alice's (to bob's file): sshd refuses, ssh-doctor will not act through it",
      {
        authFiles: {
          ...files(),
          authorizedKeys: [st('/home/bob/.bashrc', 0o644, 'file', 1002, 1002)],
          keyCounts: { '/home/bob/.bashrc': 1 },
          userLinks: [{ path: '/home/alice/.ssh/authorized_keys', owner: 'alice', target: '/home/bob/.bashrc' }],
        },
      },
      ['authorized-keys-permissions', 'unsafe-path'],
    ],
    [
      'ak owned by another account',
      {
        authFiles: { ...files(), authorizedKeys: [st('/home/alice/.ssh/authorized_keys', 0o600, 'file', 1002, 1002)] },
      },
      ['authorized-keys-permissions', 'unsafe-path'],
    ],
    [
      'ak with a second hard link',
      {
        authFiles: {
          ...files({ ak: 0o666 }),
          authorizedKeys: [{ ...st('/home/alice/.ssh/authorized_keys', 0o666, 'file'), nlink: 2 }],
        },
      },
      ['authorized-keys-permissions', 'unsafe-path'],
    ],
    [
      'a user link with nothing to fix is not a finding',
      {
        authFiles: {
          ...files(),
          userLinks: [{ path: '/home/alice/.ssh/authorized_keys', owner: 'alice', target: '/home/alice/dotfiles/ak' }],
        },
      },
      [],
    ],
    [
      'banned by fail2ban',
      {
        target: { user: 'alice', port: 22, from: '203.0.113.9' },
        bans: {
          from: '203.0.113.9',
          by: [
            {
              guard: 'fail2ban',
              jail: 'sshd',
              evidence: 'fail2ban-client status sshd: Banned IP list includes 203.0.113.9',
            },
          ],
        },
      },
      ['address-banned'],
    ],
    [
      'sshd crashing',
      {
        crash: {
          libraries: [],
          changedFiles: [],
          segfaults: ['kernel: sshd[4521]: segfault at 0 ip 00007f8a1b2c3d4e sp 00007fff error 4 in libcrypto.so.3'],
          machineChecks: [],
          kernelSource: '/var/log/kern.log',
        },
      },
      ['sshd-crashing'],
    ],
    [
      'log lines',
      {
        logs: {
          source: '/var/log/auth.log',
          lines: ['sshd[5]: Authentication refused: bad ownership or modes for directory /home/alice'],
        },
      },
      ['sshd-log-refusal'],
    ],
    // Key lines sshd skips or refuses (more cases in authorized-keys.test.ts).
    [
      'a wrapped key line',
      { authFiles: withLines(`${KEY.slice(0, 40)}\n${KEY.slice(40)}\n`) },
      ['authorized-keys-malformed'],
    ],
    [
      'a DSA key only',
      {
        authFiles: withLines(`ssh-dss ${DSA_BLOB}\n`),
        effective: eff({ pubkeyacceptedalgorithms: ['ssh-ed25519,rsa-sha2-512'] }),
      },
      ['authorized-keys-type-not-accepted'],
    ],
    [
      'from= excludes the client',
      {
        authFiles: withLines(`from="10.0.0.0/8" ${KEY}\n`),
        client: { address: '127.0.0.1', source: 'log', why: 'x' },
      },
      ['authorized-keys-from-restricted'],
    ],
    ['command=', { authFiles: withLines(`command="/bin/true" ${KEY}\n`) }, ['authorized-keys-options']],
    // sshd opens authorized_keys as alice: she must be able to enter ~/.ssh.
    [
      'a root-owned 0700 ~/.ssh',
      { authFiles: { ...files(), dirs: [st('/home/alice/.ssh', 0o700, 'dir', 0, 0), ...files().dirs.slice(1)] } },
      ['ssh-dir-permissions'],
    ],
    [
      'a root-owned 0755 ~/.ssh is fine',
      { authFiles: { ...files(), dirs: [st('/home/alice/.ssh', 0o755, 'dir', 0, 0), ...files().dirs.slice(1)] } },
      [],
    ],
    [
      'hosts.deny refuses sshd to everyone',
      { tcpWrappers: { linked: true, allow: '', deny: 'sshd: ALL\n' } },
      ['tcp-wrappers-deny'],
    ],
    ['the same files, sshd without libwrap', { tcpWrappers: { linked: false, allow: '', deny: 'sshd: ALL\n' } }, []],
    [
      'ChrootDirectory owned by alice',
      {
        session: {
          chroot: {
            path: '/home/alice',
            components: [st('/', 0o755, 'dir', 0, 0), st('/home', 0o755, 'dir', 0, 0), st('/home/alice', 0o755)],
          },
        },
      },
      ['chroot-directory-unsafe'],
    ],
    [
      'ChrootDirectory root-owned all the way',
      {
        session: {
          chroot: {
            path: '/srv/jail',
            components: [
              st('/', 0o755, 'dir', 0, 0),
              st('/srv', 0o755, 'dir', 0, 0),
              st('/srv/jail', 0o755, 'dir', 0, 0),
            ],
          },
        },
      },
      [],
    ],
    [
      'ForceCommand program missing',
      {
        session: {
          forceCommand: { command: '/usr/local/bin/gate --x', program: { path: '/usr/local/bin/gate', exists: false } },
        },
      },
      ['forced-command-failed'],
    ],
    // sshd's own count of connections not yet logged in, in its listener's title (lab: 9.2).
    [
      'MaxStartups full',
      {
        processes: {
          pids: [10],
          commands: ['sshd: /usr/sbin/sshd -p 2201 -E /var/log/auth.log [listener] 2 of 2-2 startups'],
        },
      },
      ['maxstartups-exhausted'],
    ],
    [
      'MaxStartups far from start',
      { processes: { pids: [10], commands: ['sshd: /usr/sbin/sshd -D [listener] 3 of 10-100 startups'] } },
      [],
    ],
    ['shell nologin', { user: { ...alice, shell: '/usr/sbin/nologin' } }, ['login-shell-nologin']],
    [
      'shell nologin, but ForceCommand internal-sftp (an sftp-only account)',
      { user: { ...alice, shell: '/usr/sbin/nologin' }, effective: eff({ forcecommand: ['internal-sftp'] }) },
      [],
    ],
    ['chage -d 0', { user: { ...alice, passwordChange: 'forced', lastChange: 0 } }, ['password-change-required']],
    [
      'no client address, Match Address turns keys off there',
      { addressDependence: keysOffIn10 },
      ['config-depends-on-address'],
    ],
    [
      'Match Address differs, but the address is known (sshd -T was asked for it)',
      {
        addressDependence: keysOffIn10,
        client: { address: '10.0.0.1', source: 'option', why: 'given with --from' },
      },
      [],
    ],
  ];
  for (const [name, over, expected] of cases) it(name, () => expect(ids(healthy(over))).toEqual(expected));

  it('the documented ids are exactly the ids these cases reach', () => {
    const reached = new Set([
      ...cases.flatMap(([, over]) => ids(healthy(over))),
      ...ids(healthy({ sshd: {} })),
      needsRootFinding(['sshd -T'], ['sudo']).id,
      checksIncompleteFinding([{ check: 'sshd -T', why: 'timed out' }]).id,
    ]);
    expect([...reached].sort()).toEqual(Object.keys(SERVER_FINDINGS).sort());
  });

  it('authorized-keys-oversize: names the file and its size; an error once key logins stall (4 GiB)', () => {
    const oversized = (bytes: number, why: string) =>
      serverFindings(
        healthy({
          authFiles: { ...files(), keyCounts: {}, unread: [{ path: '/home/alice/.ssh/authorized_keys', why, bytes }] },
        }),
      );
    expect(oversized(50 * 1024 ** 3, '50 GiB, over the 16 MiB ssh-doctor reads')).toEqual([
      {
        id: 'authorized-keys-oversize',
        severity: 'error',
        summary:
          '/home/alice/.ssh/authorized_keys is 50 GiB: sshd reads all of it at every key login of alice, so key logins take minutes or never finish, and anyone who can reach sshd can make it do so.',
        evidence: [
          '/home/alice/.ssh/authorized_keys: 53687091200 bytes (50 GiB, over the 16 MiB ssh-doctor reads); its keys were not counted',
        ],
      },
    ]);
    expect(oversized(20 * 1024 ** 2, '20 MiB, over the 16 MiB ssh-doctor reads')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        summary:
          '/home/alice/.ssh/authorized_keys is 20 MiB: sshd reads all of it at every key login of alice, which makes logins slow, and anyone who can reach sshd can make it do so.',
      }),
    ]);
  });

  it('attaches the proposed fix when a proposer is given', () => {
    const fix = { id: 'x', title: 't', commands: [['true']], risk: 'none', undo: 'nothing' };
    const f = serverFindings(healthy({ privsepDir: { path: '/run/sshd', exists: false } }), {
      proposeFix: (id) => (id === 'privsep-dir-missing' ? fix : undefined),
    });
    expect(f[0]!.fix).toBe(fix);
  });
  it('facts survive JSON (the console kit decodes them from text)', () => {
    const facts = healthy({ authFiles: files({ home: 0o757 }) });
    expect(serverFindings(JSON.parse(JSON.stringify(facts)))).toEqual(serverFindings(facts));
  });
});

describe('config-depends-on-address: Match blocks answered otherwise for an address not known', () => {
  const noClient = { source: 'none', why: 'no refusal of alice with an address in sshd log' } as const;
  it('a warning naming the block, the setting and what ssh-doctor finds there, with the rerun', () => {
    const [f] = serverFindings(healthy({ addressDependence: keysOffIn10, client: noClient }));
    expect(f).toEqual({
      id: 'config-depends-on-address',
      severity: 'warning',
      summary:
        "Whether alice can log in depends on the address they connect from: from an address in Match Address 10.0.0.0/8 (pubkey-auth-disabled), sshd's settings refuse the login. The rest of this report holds for a sample address (203.0.113.10).",
      evidence: [
        "this report's sshd -T -C user=alice,host=client.invalid,addr=203.0.113.10: a sample address, since alice's is not known",
        'Match Address 10.0.0.0/8: sshd -T -C user=alice,host=10.0.0.1,addr=10.0.0.1: pubkeyauthentication no (sample: yes); there ssh-doctor finds pubkey-auth-disabled',
      ],
      next: [
        'as root, rerun with the address alice connects from in place of ADDR, to have every rule decided for it:',
        'ssh-doctor server --user alice --port 22 --from ADDR',
      ],
    });
  });
  it('info when no address it names would be refused (a setting that lets more in)', () => {
    const dep: AddressDependence = {
      ...keysOffIn10,
      differs: [
        {
          ...keysOffIn10.differs[0]!,
          settings: [{ key: 'passwordauthentication', sample: ['no'], there: ['yes'] }],
          config: eff({ passwordauthentication: ['yes'] }).config,
        },
      ],
    };
    const f = serverFindings(healthy({ addressDependence: dep, client: noClient }));
    expect(f.map((x) => [x.id, x.severity])).toEqual([['config-depends-on-address', 'info']]);
    expect(f[0]!.summary).toContain('(Match blocks change passwordauthentication), with no refusal found either way');
  });
  it('an error the sample has too is not counted as a refusal there', () => {
    const off = eff({ pubkeyauthentication: ['no'] });
    const dep: AddressDependence = {
      ...keysOffIn10,
      differs: [
        {
          ...keysOffIn10.differs[0]!,
          settings: [{ key: 'maxauthtries', sample: ['6'], there: ['3'] }],
          config: { ...off.config, maxauthtries: ['3'] },
        },
      ],
    };
    const f = serverFindings(healthy({ effective: off, addressDependence: dep, client: noClient }));
    expect(f.map((x) => [x.id, x.severity])).toEqual([
      ['pubkey-auth-disabled', 'error'],
      ['config-depends-on-address', 'info'],
    ]);
  });
});

describe('Match blocks not compared count as unchecked (never "ok" without knowing)', () => {
  it('the sshd -T -ddd run failed beside a known sshd -T, or some addresses were not asked about', () => {
    expect(uncheckedParts(healthy({ addressDependence: { unknown: 'sshd -T -ddd exited 255' } }))).toEqual([
      { check: 'Match Address/Host blocks (no client address known)', why: 'sshd -T -ddd exited 255' },
    ]);
    const notAsked = 'Match Address 10.9.0.0/16 (host=10.9.0.1,addr=10.9.0.1): not asked (more than 8)';
    const dep = (differs: AddressDependence['differs']): AddressDependence => ({
      ...keysOffIn10,
      differs,
      unchecked: [notAsked],
    });
    expect(uncheckedParts(healthy({ addressDependence: dep([]) }))).toEqual([
      { check: 'Match Address/Host blocks (no client address known)', why: notAsked },
    ]);
    // With a difference found, the finding names them in its evidence instead.
    expect(uncheckedParts(healthy({ addressDependence: dep(keysOffIn10.differs) }))).toEqual([]);
    // sshd -T itself unknown: that is the check to name, not this one.
    expect(
      uncheckedParts(healthy({ effective: { unknown: 'timed out' }, addressDependence: { unknown: 'timed out' } })),
    ).toEqual([{ check: 'sshd -T', why: 'timed out' }]);
  });
});

describe('systemd socket activation (Ubuntu 22.10+)', () => {
  const socket = { init: { system: 'systemd' as const, service: 'ssh', enabled: false, socket: true } };
  const idle = {
    processes: { pids: [], commands: [] },
    listeners: { source: 'ss' as const, sockets: [{ address: '*', port: 22, process: 'systemd', pid: 1 }] },
  };
  it('no sshd process yet and systemd holding port 22: nothing wrong (sshd starts on the first connection)', () => {
    expect(ids(healthy({ ...socket, ...idle }))).toEqual([]);
  });
  it('without socket activation the same facts mean sshd is down and systemd has the port', () => {
    expect(ids(healthy(idle))).toEqual(['sshd-not-running', 'sshd-port-mismatch']);
  });
  it('a Port change that did not reach ssh.socket: the evidence says how it takes effect', () => {
    const f = serverFindings(
      healthy({ ...socket, ...idle, target: { user: 'alice', port: 2222 }, effective: eff({ port: ['2222'] }) }),
    );
    expect(f.map((x) => x.id)).toEqual(['sshd-port-mismatch']);
    expect(f[0]!.evidence.at(-1)).toBe(
      'ssh.socket (systemd socket activation) listens for sshd: Port and ListenAddress take effect after systemctl daemon-reload and a restart of that socket',
    );
  });
});

describe('StrictModes rule', () => {
  it('Debian: group-writable is fine only for a one-member private group', () => {
    const d = st('/home/alice', 0o775);
    expect(insecureReason(d, 1001, [aliceGroup], 'debian')).toBeUndefined();
    expect(insecureReason(d, 1001, [{ ...aliceGroup, members: ['bob'] }], 'debian')).toMatch(/other members/);
    expect(insecureReason(d, 1001, [{ ...aliceGroup, members: ['alice'] }], 'debian')).toBeUndefined();
    expect(
      insecureReason(
        d,
        1001,
        [{ ...aliceGroup, primaryOf: [...aliceGroup.primaryOf, { name: 'bob', uid: 1002 }] }],
        'debian',
      ),
    ).toMatch(/primary group of another account/);
    expect(insecureReason(d, 1001, [{ ...aliceGroup, primaryOf: [] }], 'debian')).toMatch(/no members/);
    expect(insecureReason(d, 1001, [aliceGroup], 'upstream')).toMatch(/writable by group alice/);
  });
  it('walks up to the home directory, or to / for files outside it', () => {
    expect(walkedDirs('/home/alice/.ssh/authorized_keys', '/home/alice/')).toEqual(['/home/alice/.ssh', '/home/alice']);
    expect(walkedDirs('/etc/ssh/keys/alice', '/home/alice')).toEqual(['/etc/ssh/keys', '/etc/ssh', '/etc', '/']);
  });
});

describe('steps for a person, built from names and paths on the host', () => {
  const noKeyFor = (home: string) => {
    const user: UserFacts = { ...alice, home };
    const ak = `${home}/.ssh/authorized_keys`;
    const facts = healthy({
      user,
      authFiles: { ...files(), authorizedKeys: [{ path: ak, exists: false }], keyCounts: {} },
    });
    return serverFindings(facts).find((f) => f.id === 'authorized-keys-missing')!.next!;
  };

  it('quotes a home directory holding shell syntax', () => {
    expect(noKeyFor('/home/a$(reboot)').slice(1)).toEqual([
      `install -d -m 700 '/home/a$(reboot)/.ssh'`,
      `printf '%s\\n' 'ssh-ed25519 AAAA…paste…' >> '/home/a$(reboot)/.ssh/authorized_keys'`,
      `chown alice: '/home/a$(reboot)/.ssh' '/home/a$(reboot)/.ssh/authorized_keys' && chmod 600 '/home/a$(reboot)/.ssh/authorized_keys'`,
    ]);
  });

  it('leaves all three commands out when the path holds a control character', () => {
    const next = noKeyFor('/home/a\r\x1b[Kb');
    expect(next).toHaveLength(1);
    expect(next[0]).toMatch(new RegExp(`^as root, with alice's PUBLIC key .*${LEFT_OUT.replace(/[()]/g, '\\$&')}$`));
  });

  it('account and group steps are plain when the names are', () => {
    const locked = serverFindings(healthy({ user: { ...alice, accountExpired: true } })).find(
      (f) => f.id === 'account-locked',
    )!;
    expect(locked.next).toEqual([
      'as root, if the account should be usable:',
      'chage -E -1 alice    # remove the account expiry date',
    ]);
  });
});
