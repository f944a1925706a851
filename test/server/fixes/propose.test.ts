import { describe, expect, it } from 'vitest';
import type { ServerFacts } from '../../../src/server/facts.js';
import { ownershipSteps, proposeFix } from '../../../src/server/fixes/propose.js';
import { parseAuthorizedKeys } from '../../../src/server/authorized-keys.js';
import type { ConfigSource } from '../../../src/server/fixes/sshd-config.js';

const now = new Date('2026-11-25T12:00:00Z');
const base: ServerFacts = {
  target: { user: 'alice', port: 22 },
  root: true,
  sshd: {
    path: '/usr/sbin/sshd',
    version: 'OpenSSH_9.2',
    package: { manager: 'dpkg', name: 'openssh-server', version: '1:9.2p1-2' },
  },
  processes: { pids: [321], commands: ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'] },
  init: { system: 'none' },
  privsepDir: { path: '/run/sshd', exists: true },
};
const MAIN: ConfigSource = {
  path: '/etc/ssh/sshd_config',
  text: 'Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\n',
};
const src = (...more: ConfigSource[]) => [MAIN, ...more];

describe('proposeFix: starting sshd with what manages services here', () => {
  it.each([
    [
      'systemd, disabled',
      { system: 'systemd', service: 'ssh', enabled: false },
      [
        ['/usr/sbin/sshd', '-t'],
        ['systemctl', 'start', 'ssh'],
        ['systemctl', 'enable', 'ssh'],
      ],
      [
        ['systemctl', 'stop', 'ssh'],
        ['systemctl', 'disable', 'ssh'],
      ],
    ],
    [
      'sysvinit, enabled',
      { system: 'sysvinit', service: 'ssh', enabled: true },
      [
        ['/usr/sbin/sshd', '-t'],
        ['service', 'ssh', 'start'],
      ],
      [['service', 'ssh', 'stop']],
    ],
    [
      'OpenRC, disabled',
      { system: 'openrc', service: 'sshd', enabled: false },
      [
        ['/usr/sbin/sshd', '-t'],
        ['rc-service', 'sshd', 'start'],
        ['rc-update', 'add', 'sshd', 'default'],
      ],
      [
        ['rc-service', 'sshd', 'stop'],
        ['rc-update', 'del', 'sshd', 'default'],
      ],
    ],
    [
      'no init system',
      { system: 'none' },
      [['/usr/sbin/sshd', '-t'], ['/usr/sbin/sshd']],
      [['pkill', '-TERM', '--pidfile', '/run/sshd.pid', '-x', 'sshd']],
    ],
  ] as const)('%s', (_n, init, commands, undo) => {
    const fix = proposeFix('sshd-not-running', {
      ...base,
      init: init as ServerFacts['init'],
      processes: { pids: [], commands: [] },
    })!;
    expect(fix.commands).toEqual(commands);
    expect(fix.undo).toEqual(undo);
  });
});

describe('proposeFix: start brings what sshd cannot start without', () => {
  it('no host key and no /run/sshd: install -d, ssh-keygen -A, then sshd -t, then sshd', () => {
    const fix = proposeFix('sshd-not-running', {
      ...base,
      processes: { pids: [], commands: [] },
      privsepDir: { path: '/run/sshd', exists: false },
      hostKeys: { keys: [{ path: '/etc/ssh/ssh_host_ed25519_key', exists: false }] },
    })!;
    expect(fix.commands.map((c) => c[0])).toEqual(['install', 'ssh-keygen', '/usr/sbin/sshd', '/usr/sbin/sshd']);
  });
});

describe('proposeFix: config edits land in the file the value comes from', () => {
  it('PubkeyAuthentication no in a drop-in: that drop-in, line 2; reload by SIGHUP to the listener', () => {
    const fix = proposeFix(
      'pubkey-auth-disabled',
      base,
      src({ path: '/etc/ssh/sshd_config.d/50-x.conf', text: '# x\nPubkeyAuthentication no\n' }),
      now,
    )!;
    expect(fix.commands[2]).toEqual([
      'sed',
      '-i',
      '-e',
      '2c PubkeyAuthentication yes',
      '/etc/ssh/sshd_config.d/.50-x.conf.ssh-doctor-tmp',
    ]);
    expect(fix.commands.at(-1)).toEqual(['kill', '-HUP', '321']);
  });

  it('with systemd the reload is systemctl reload, never restart', () => {
    const fix = proposeFix(
      'usedns-enabled',
      { ...base, init: { system: 'systemd', service: 'ssh' } },
      src({ path: '/etc/ssh/sshd_config.d/9.conf', text: 'UseDNS yes\n' }),
      now,
    )!;
    expect(fix.commands.at(-1)).toEqual(['systemctl', 'reload', 'ssh']);
    expect(fix.commands.flat()).not.toContain('restart');
  });

  it('not set anywhere: inserted at the top of sshd_config, which then wins', () => {
    const fix = proposeFix('pubkey-auth-disabled', base, src(), now)!;
    expect(fix.commands[2]).toEqual([
      'sed',
      '-i',
      '-e',
      '1i PubkeyAuthentication yes',
      '/etc/ssh/.sshd_config.ssh-doctor-tmp',
    ]);
    expect(fix.commands[3]).toEqual(['/usr/sbin/sshd', '-t', '-f', '/etc/ssh/.sshd_config.ssh-doctor-tmp']);
  });

  it("no fix when every file already says yes (the value comes from sshd's command line)", () => {
    expect(
      proposeFix(
        'pubkey-auth-disabled',
        base,
        src({ path: '/etc/ssh/sshd_config.d/50-x.conf', text: 'PubkeyAuthentication yes\n' }),
        now,
      ),
    ).toBeUndefined();
  });

  it('AllowUsers without alice: alice is appended to the first AllowUsers line', () => {
    const f = {
      ...base,
      effective: { context: { user: 'alice', host: 'h', addr: '1.2.3.4' }, config: { allowusers: ['bob', 'carol'] } },
    };
    const fix = proposeFix(
      'user-not-allowed',
      f,
      src({ path: '/etc/ssh/sshd_config.d/20-users.conf', text: 'AllowUsers bob carol\n' }),
      now,
    )!;
    expect(fix.commands[2]).toEqual([
      'sed',
      '-i',
      '-e',
      '1c AllowUsers bob carol alice',
      '/etc/ssh/sshd_config.d/.20-users.conf.ssh-doctor-tmp',
    ]);
  });

  it('DenyUsers alice: the line is disabled when alice was its only entry', () => {
    const f = {
      ...base,
      effective: { context: { user: 'alice', host: 'h', addr: '1.2.3.4' }, config: { denyusers: ['alice'] } },
    };
    const fix = proposeFix(
      'user-not-allowed',
      f,
      src({ path: '/etc/ssh/sshd_config.d/20-users.conf', text: 'DenyUsers alice\n' }),
      now,
    )!;
    expect(fix.commands[2]![3]).toBe('1c # DenyUsers alice  (disabled by ssh-doctor)');
  });

  it('no Port fix when another program holds the port, or sshd runs with -p', () => {
    const taken = {
      ...base,
      target: { user: 'alice', port: 8080 },
      listeners: { source: 'ss' as const, sockets: [{ address: '0.0.0.0', port: 8080, process: 'nginx' }] },
    };
    expect(proposeFix('sshd-port-mismatch', taken, src(), now)).toBeUndefined();
    const dashP = {
      ...base,
      target: { user: 'alice', port: 2222 },
      processes: { pids: [9], commands: ['sshd: /usr/sbin/sshd -p 2201 [listener] 0 of 10-100 startups'] },
    };
    expect(proposeFix('sshd-port-mismatch', dashP, src(), now)).toBeUndefined();
  });

  it('under socket activation a Port change regenerates and restarts ssh.socket (reload would not move the listener)', () => {
    const f = {
      ...base,
      target: { user: 'alice', port: 2222 },
      init: { system: 'systemd' as const, service: 'ssh', socket: true },
      processes: { pids: [], commands: [] },
    };
    const fix = proposeFix('sshd-port-mismatch', f, src(), now)!;
    expect(fix.commands.slice(-2)).toEqual([
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'restart', 'ssh.socket'],
    ]);
    expect(fix.undo).toEqual([
      ['cp', '-p', '/etc/ssh/sshd_config.ssh-doctor-20261125T120000.000Z', '/etc/ssh/sshd_config'],
      ['/usr/sbin/sshd', '-t'],
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'restart', 'ssh.socket'],
    ]);
    // Other keywords: sshd reads them at each new connection; nothing to restart.
    expect(
      proposeFix(
        'pubkey-auth-disabled',
        f,
        src({ path: '/etc/ssh/sshd_config.d/50-x.conf', text: 'PubkeyAuthentication no\n' }),
        now,
      )!.commands.at(-1)![0],
    ).toBe('/usr/sbin/sshd');
  });

  it('port mismatch with no Port line: keeps 22 and adds the wanted port', () => {
    const fix = proposeFix('sshd-port-mismatch', { ...base, target: { user: 'alice', port: 2222 } }, src(), now)!;
    expect(fix.commands[2]).toEqual([
      'sed',
      '-i',
      '-e',
      '1i Port 22',
      '-e',
      '1i Port 2222',
      '/etc/ssh/.sshd_config.ssh-doctor-tmp',
    ]);
  });
});

describe('proposeFix: loopback-only ListenAddress', () => {
  it('disables the loopback ListenAddress lines of the file that has them', () => {
    const fix = proposeFix(
      'sshd-listen-address',
      base,
      src({ path: '/etc/ssh/sshd_config.d/10-l.conf', text: 'ListenAddress 127.0.0.1\nListenAddress [::1]:22\n' }),
      now,
    )!;
    expect(fix.commands[2]).toEqual([
      'sed',
      '-i',
      '-e',
      '1c # ListenAddress 127.0.0.1  (disabled by ssh-doctor)',
      '-e',
      '2c # ListenAddress [::1]:22  (disabled by ssh-doctor)',
      '/etc/ssh/sshd_config.d/.10-l.conf.ssh-doctor-tmp',
    ]);
  });

  it('no fix when a line names a real address, or the address came from the command line', () => {
    expect(
      proposeFix(
        'sshd-listen-address',
        base,
        src({ path: '/etc/ssh/sshd_config.d/10-l.conf', text: 'ListenAddress 127.0.0.1\nListenAddress 10.0.0.5\n' }),
        now,
      ),
    ).toBeUndefined();
    expect(proposeFix('sshd-listen-address', base, src(), now)).toBeUndefined();
  });
});

describe('proposeFix: small file fixes', () => {
  it('nologin is moved aside with a timestamp, and moved back on undo', () => {
    const fix = proposeFix(
      'nologin-present',
      { ...base, nologin: { exists: true, path: '/etc/nologin' } },
      src(),
      now,
    )!;
    expect(fix.commands).toEqual([['mv', '/etc/nologin', '/etc/nologin.ssh-doctor-20261125T120000.000Z']]);
    expect(fix.undo).toEqual([['mv', '/etc/nologin.ssh-doctor-20261125T120000.000Z', '/etc/nologin']]);
  });

  it('missing host keys: ssh-keygen -A; the undo removes only the keys that were missing', () => {
    const fix = proposeFix('host-keys-missing', {
      ...base,
      hostKeys: {
        keys: [
          { path: '/etc/ssh/ssh_host_ed25519_key', exists: false },
          { path: '/etc/ssh/ssh_host_rsa_key', exists: true },
        ],
      },
    })!;
    expect(fix.commands).toEqual([['ssh-keygen', '-A']]);
    expect(fix.undo).toEqual([['rm', '-f', '/etc/ssh/ssh_host_ed25519_key', '/etc/ssh/ssh_host_ed25519_key.pub']]);
  });

  it('a host key readable by others: chmod 0600, undo restores the old mode', () => {
    const fix = proposeFix('host-key-permissions', {
      ...base,
      hostKeys: {
        keys: [
          {
            path: '/etc/ssh/ssh_host_ed25519_key',
            exists: true,
            type: 'file',
            mode: 0o644,
            uid: 0,
            gid: 0,
            owner: 'root',
            group: 'root',
          },
        ],
      },
    })!;
    expect(fix.commands).toEqual([['chmod', '0600', '/etc/ssh/ssh_host_ed25519_key']]);
    expect(fix.undo).toEqual([['chmod', '0644', '/etc/ssh/ssh_host_ed25519_key']]);
  });

  it('sshd-config-invalid from unknown keywords: those lines commented out, in their file, validated like any edit', () => {
    const bad = (errors: { file: string; line: number; message: string }[]) => ({
      ...base,
      configTest: { ok: false, errors, hostKeyErrors: [], raw: [] },
    });
    const dropIn = {
      path: '/etc/ssh/sshd_config.d/60-new.conf',
      text: '# new\nPerSourcePenalties no\nMatch User bob\n  Frob 1\n',
    };
    const fix = proposeFix(
      'sshd-config-invalid',
      bad([{ file: dropIn.path, line: 2, message: 'Bad configuration option: PerSourcePenalties' }]),
      src(dropIn),
      now,
    )!;
    expect(fix.id).toBe('disable-unknown-option');
    expect(fix.commands[2]).toEqual([
      'sed',
      '-i',
      '-e',
      '2c # PerSourcePenalties no  (disabled by ssh-doctor: unknown to this sshd)',
      '/etc/ssh/sshd_config.d/.60-new.conf.ssh-doctor-tmp',
    ]);
    expect(fix.commands[3]).toEqual([
      '/usr/sbin/sshd',
      '-t',
      '-f',
      '/etc/ssh/sshd_config.d/.60-new.conf.ssh-doctor-tmp',
    ]);
    // A bad value, a Match line, or errors in two files: a person decides.
    expect(
      proposeFix(
        'sshd-config-invalid',
        bad([{ file: dropIn.path, line: 2, message: 'unsupported option "maybe".' }]),
        src(dropIn),
        now,
      ),
    ).toBeUndefined();
    expect(
      proposeFix(
        'sshd-config-invalid',
        bad([{ file: dropIn.path, line: 3, message: 'Bad configuration option: Match' }]),
        src(dropIn),
        now,
      ),
    ).toBeUndefined();
    expect(
      proposeFix(
        'sshd-config-invalid',
        bad([
          { file: dropIn.path, line: 2, message: 'Bad configuration option: A' },
          { file: '/etc/ssh/sshd_config', line: 1, message: 'Bad configuration option: B' },
        ]),
        src(dropIn),
        now,
      ),
    ).toBeUndefined();
  });

  it('no fix for what cannot be guessed', () => {
    expect(proposeFix('sshd-config-invalid', base)).toBeUndefined();
    expect(proposeFix('authorized-keys-missing', base)).toBeUndefined();
  });
});

describe('proposeFix: permissions on paths a user controls', () => {
  const alice = {
    name: 'alice',
    exists: true,
    uid: 1001,
    gid: 1001,
    home: '/home/alice',
    shell: '/bin/bash',
    groups: ['alice'],
  };
  const dir = (path: string, mode: number, uid = 1001) => ({
    path,
    exists: true,
    type: 'dir' as const,
    mode,
    uid,
    gid: uid,
    owner: uid ? 'alice' : 'root',
    group: uid ? 'alice' : 'root',
    dev: 65024,
    ino: path.length,
    nlink: 2,
  });
  const auth = (
    sshMode: number,
    over: Partial<{ userLinks: { path: string; owner: string; target: string }[]; sshUid: number }> = {},
  ) => ({
    authorizedKeys: [
      {
        path: '/home/alice/.ssh/authorized_keys',
        exists: true,
        type: 'file' as const,
        mode: 0o600,
        uid: 1001,
        gid: 1001,
        owner: 'alice',
        group: 'alice',
        dev: 65024,
        ino: 99,
        nlink: 1,
      },
    ],
    keyCounts: { '/home/alice/.ssh/authorized_keys': 1 },
    dirs: [
      dir('/home/alice/.ssh', sshMode, over.sshUid ?? 1001),
      dir('/home/alice', 0o755),
      dir('/home', 0o755, 0),
      dir('/', 0o755, 0),
    ],
    groups: [{ gid: 1001, name: 'alice', members: [], primaryOf: [{ name: 'alice', uid: 1001 }] }],
    ...(over.userLinks ? { userLinks: over.userLinks } : {}),
  });
  const facts = (a: ReturnType<typeof auth>): ServerFacts => ({ ...base, user: alice, authFiles: a });

  it('here: chmod shown, made on the object diagnosed (device, inode, mode, owner)', () => {
    const fix = proposeFix('ssh-dir-permissions', facts(auth(0o777)))!;
    expect(fix.commands).toEqual([['chmod', '0700', '/home/alice/.ssh']]);
    expect(fix.pathChanges).toEqual([
      {
        path: '/home/alice/.ssh',
        type: 'dir',
        mode: 0o700,
        user: { uid: 1001, gid: 1001, name: 'alice' },
        was: { dev: 65024, ino: 16, mode: 0o777, uid: 1001, gid: 1001 },
      },
    ]);
  });
  it('a root-owned .ssh is given to the user (fchown by root on the checked descriptor)', () => {
    const fix = proposeFix('ssh-dir-permissions', facts(auth(0o777, { sshUid: 0 })))!;
    expect(fix.commands).toEqual([
      ['chown', 'alice:alice', '/home/alice/.ssh'],
      ['chmod', '0700', '/home/alice/.ssh'],
    ]);
    expect(fix.pathChanges![0]).toMatchObject({ owner: { uid: 1001, gid: 1001 }, mode: 0o700 });
  });
  it('no fix through a symlink the user owns, nor on an object of another account', () => {
    expect(
      proposeFix(
        'ssh-dir-permissions',
        facts(auth(0o777, { userLinks: [{ path: '/home/alice/.ssh', owner: 'alice', target: '/var/tmp' }] })),
      ),
    ).toBeUndefined();
    expect(proposeFix('ssh-dir-permissions', facts(auth(0o777, { sshUid: 1002 })))).toBeUndefined();
  });
  it('a second hard link: no fix', () => {
    const a = auth(0o700);
    a.authorizedKeys[0] = { ...a.authorizedKeys[0]!, mode: 0o666, nlink: 2 };
    expect(proposeFix('authorized-keys-permissions', facts(a))).toBeUndefined();
    a.authorizedKeys[0] = { ...a.authorizedKeys[0]!, nlink: 1 };
    expect(proposeFix('authorized-keys-permissions', facts(a))?.commands).toEqual([
      ['chmod', '0600', '/home/alice/.ssh/authorized_keys'],
    ]);
  });
  it('remote (--via, the kit): chmod runs as the user; a chown is left to a person', () => {
    const fix = proposeFix('ssh-dir-permissions', facts(auth(0o777)), [], now, { remote: true })!;
    expect(fix.commands).toEqual([
      ['setpriv', '--reuid=1001', '--regid=1001', '--clear-groups', 'chmod', '0700', '/home/alice/.ssh'],
    ]);
    expect(fix.undo).toEqual([
      ['setpriv', '--reuid=1001', '--regid=1001', '--clear-groups', 'chmod', '0777', '/home/alice/.ssh'],
    ]);
    expect(fix.pathChanges).toBeUndefined();
    expect(
      proposeFix('ssh-dir-permissions', facts(auth(0o777, { sshUid: 0 })), [], now, { remote: true }),
    ).toBeUndefined();
  });
  it('ownershipSteps: the chown left to a person over --via and in the kit is chown -h, quoted, after a look', () => {
    expect(ownershipSteps('ssh-dir-permissions', facts(auth(0o777, { sshUid: 0 })))).toEqual([
      'As root, after checking with ls -ld that it is still a directory: chown -h alice:alice /home/alice/.ssh',
    ]);
  });
  it('ownershipSteps: nothing when the owner is right, or for other findings', () => {
    expect(ownershipSteps('ssh-dir-permissions', facts(auth(0o777)))).toEqual([]);
    expect(ownershipSteps('usedns-enabled', facts(auth(0o777, { sshUid: 0 })))).toEqual([]);
  });

  describe('rejoin-authorized-key: a key wrapped over two lines, and nothing else broken', () => {
    const AK = '/home/alice/.ssh/authorized_keys';
    const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIpYW+f0+Typ3Ehit8M2lQH2YzfP9Rhl/X4mDg1LSfG0 alice@laptop';
    const withKeys = (text: string, over: Parameters<typeof auth>[1] = {}): ServerFacts => ({
      ...base,
      user: alice,
      authFiles: { ...auth(0o700, over), keyLines: { [AK]: parseAuthorizedKeys(text) } },
    });
    const wrapped = `${ED.slice(0, 40)}\n${ED.slice(40)}\n`;

    it('here: shown as cp + sed with both lines and the joined one; made through descriptors', () => {
      const fix = proposeFix('authorized-keys-malformed', withKeys(wrapped), [], now)!;
      const backup = `${AK}.ssh-doctor-20261125T120000.000Z`;
      expect(fix).toEqual({
        id: 'rejoin-authorized-key',
        title: `Rejoin lines 1-2 of ${AK} into the one key line they were: "${ED.slice(0, 40)}" + "${ED.slice(40)}" → "${ED}"`,
        commands: [
          ['cp', '-p', AK, backup],
          ['sed', '-i', '-e', '1{N;s/[ \\t]*\\n[ \\t]*//}', AK],
        ],
        risk: expect.stringMatching(/^Low: /),
        undo: [['cp', '-p', backup, AK]],
        rewrite: {
          path: AK,
          line: 1,
          first: ED.slice(0, 40),
          second: ED.slice(40),
          backup,
          user: { uid: 1001, gid: 1001, name: 'alice' },
          was: { dev: 65024, ino: 99 },
        },
      });
    });
    it.each([
      ['two keys wrapped', withKeys(`${wrapped}${wrapped}`)],
      ['a wrapped key and another broken line', withKeys(`${wrapped}bogus ${ED}\n`)],
      ['her symlink on the way', withKeys(wrapped, { userLinks: [{ path: AK, owner: 'alice', target: '/tmp/k' }] })],
    ])('no fix: %s', (_, f) => expect(proposeFix('authorized-keys-malformed', f, [], now)).toBeUndefined());
    it('no fix where ssh-doctor is not running (--via, the console kit)', () =>
      expect(proposeFix('authorized-keys-malformed', withKeys(wrapped), [], now, { remote: true })).toBeUndefined());
  });
});
