// Each proposed server fix as the user is shown it before saying yes: title, exact commands, risk
// and undo, and the cases where ssh-doctor offers no fix (a person decides).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServerFacts } from '../../../src/server/facts.js';
import { ownershipSteps, proposeFix, SERVER_FIXES } from '../../../src/server/fixes/propose.js';
import type { ConfigSource } from '../../../src/server/fixes/sshd-config.js';

const now = new Date('2026-11-25T12:00:00Z');
const STAMP = '20261125T120000.000Z';
const base: ServerFacts = {
  target: { user: 'alice', port: 22 },
  root: true,
  sshd: { path: '/usr/sbin/sshd', version: 'OpenSSH_9.2' },
  processes: { pids: [321, 400], commands: ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'] },
  init: { system: 'none' },
  privsepDir: { path: '/run/sshd', exists: true },
};
const MAIN = '/etc/ssh/sshd_config';
const MAIN_SRC: ConfigSource = { path: MAIN, text: 'Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\n' };
const src = (...more: ConfigSource[]) => [MAIN_SRC, ...more];
const CONFIG_RISK =
  ' The edited copy must pass sshd -t before it replaces the original (backup kept); sshd is reloaded, not restarted: open sessions stay.';

/** The commands of a config edit of `file` (sed expressions `sed`), reloaded by `reload`. */
const edit = (file: string, sed: string[], reload: string[][], main = file === MAIN) => {
  const dir = file.slice(0, file.lastIndexOf('/'));
  const tmp = `${dir}/.${file.slice(dir.length + 1)}.ssh-doctor-tmp`;
  const backup = `${file}.ssh-doctor-${STAMP}`;
  return {
    commands: [
      ['cp', '-p', file, backup],
      ['cp', '-p', file, tmp],
      ['sed', '-i', ...sed.flatMap((s) => ['-e', s]), tmp],
      ['/usr/sbin/sshd', '-t', '-f', tmp],
      ['mv', tmp, file],
      ...(main ? [] : [['/usr/sbin/sshd', '-t']]),
      ...reload,
    ],
    undo: [['cp', '-p', backup, file], ['/usr/sbin/sshd', '-t'], ...reloadUndo(reload)],
  };
};
const HUP = [['kill', '-HUP', '321']];
const reloadUndo = (reload: string[][]) =>
  reload[0]?.[0] === 'kill' ? [['pkill', '-HUP', '--pidfile', '/run/sshd.pid', '-x', 'sshd']] : reload;

describe('start-sshd', () => {
  it('shown with how it starts, and refused while sshd cannot load or its configuration fails', () => {
    const down = { ...base, processes: { pids: [], commands: [] } };
    expect(
      proposeFix('sshd-not-running', { ...down, init: { system: 'systemd', service: 'ssh', enabled: true } }),
    ).toEqual({
      id: 'start-sshd',
      title: 'Start sshd (systemd unit ssh)',
      commands: [
        ['/usr/sbin/sshd', '-t'],
        ['systemctl', 'start', 'ssh'],
      ],
      risk: 'Low: sshd starts with the configuration it already has; sshd -t checks it first and nothing starts if it fails.',
      undo: [['systemctl', 'stop', 'ssh']],
    });
    const noKeys = {
      ...down,
      sshd: { path: '/usr/local/sbin/sshd' },
      effective: { context: { user: 'alice', host: 'h', addr: '1.2.3.4' }, config: { pidfile: ['/var/run/sshd.pid'] } },
      hostKeys: {
        keys: [
          { path: '/etc/ssh/ssh_host_ed25519_key', exists: false },
          { path: '/etc/ssh/ssh_host_rsa_key', exists: false },
        ],
      },
    };
    expect(proposeFix('sshd-not-running', noKeys)).toEqual({
      id: 'start-sshd',
      title: 'Start sshd (no service manager here: sshd is started directly)',
      commands: [['ssh-keygen', '-A'], ['/usr/local/sbin/sshd', '-t'], ['/usr/local/sbin/sshd']],
      risk: 'Low: sshd starts with the configuration it already has; sshd -t checks it first and nothing starts if it fails. New host keys are generated first (clients that knew old ones will warn).',
      undo: [['pkill', '-TERM', '--pidfile', '/var/run/sshd.pid', '-x', 'sshd']],
    });
    // One key of two missing, or no key listed at all: sshd starts with what it has.
    const oneMissing = {
      ...noKeys,
      hostKeys: { keys: [noKeys.hostKeys.keys[0]!, { ...noKeys.hostKeys.keys[1]!, exists: true }] },
    };
    expect(proposeFix('sshd-not-running', oneMissing)!.commands[0]).toEqual(['/usr/local/sbin/sshd', '-t']);
    expect(proposeFix('sshd-not-running', { ...noKeys, hostKeys: { keys: [] } })!.commands[0]).toEqual([
      '/usr/local/sbin/sshd',
      '-t',
    ]);
    // The privilege separation directory seen missing, or seen present, or not looked at.
    expect(
      proposeFix('sshd-not-running', { ...down, privsepDir: { path: '/run/sshd', exists: false } })!.commands[0]![0],
    ).toBe('install');
    expect(proposeFix('sshd-not-running', { ...down, privsepDir: undefined })!.commands[0]![0]).toBe('/usr/sbin/sshd');

    const crash = { libraries: ['libcrypto.so.3 => not found'], changedFiles: [] } as unknown as NonNullable<
      ServerFacts['crash']
    >;
    expect(proposeFix('sshd-not-running', { ...down, crash })).toBeUndefined();
    const bad = { ok: false, errors: [{ message: 'x' }], hostKeyErrors: [], raw: [] };
    expect(proposeFix('sshd-not-running', { ...down, configTest: bad })).toBeUndefined();
    expect(proposeFix('sshd-not-running', { ...down, configTest: { ...bad, errors: [] } })).toBeDefined();
  });
});

describe('create-privsep-dir, generate-host-keys, move-nologin', () => {
  it('shown whole', () => {
    expect(proposeFix('privsep-dir-missing', base)).toEqual({
      id: 'create-privsep-dir',
      title: 'Create /run/sshd, the directory sshd needs for privilege separation',
      commands: [['install', '-d', '-m', '0755', '-o', 'root', '-g', 'root', '/run/sshd']],
      risk: 'None: an empty root-owned directory (it lives on tmpfs and is gone after a reboot).',
      undo: [['rmdir', '/run/sshd']],
    });
    expect(
      proposeFix('host-keys-missing', {
        ...base,
        hostKeys: { keys: [{ path: '/etc/ssh/ssh_host_ed25519_key', exists: true }] },
      }),
    ).toEqual({
      id: 'generate-host-keys',
      title: 'Generate the missing host keys (ssh-keygen -A creates only the missing default ones)',
      commands: [['ssh-keygen', '-A']],
      risk: 'Low: new host keys mean clients that knew old ones will warn about a changed key.',
      undo: 'remove the host keys ssh-keygen -A created',
    });
    expect(proposeFix('host-keys-missing', base)!.undo).toBe('remove the host keys ssh-keygen -A created');
    expect(
      proposeFix('nologin-present', { ...base, nologin: { exists: true, path: '/run/nologin' } }, [], now),
    ).toEqual({
      id: 'move-nologin',
      title: 'Move /run/nologin aside so non-root users may log in again',
      commands: [['mv', '/run/nologin', `/run/nologin.ssh-doctor-${STAMP}`]],
      risk: 'Medium: whoever created it (a shutdown in progress, an admin) wanted logins blocked; the file is kept as a backup.',
      undo: [['mv', `/run/nologin.ssh-doctor-${STAMP}`, '/run/nologin']],
    });
    expect(proposeFix('nologin-present', base, [], now)!.commands).toEqual([
      ['mv', '/etc/nologin', `/etc/nologin.ssh-doctor-${STAMP}`],
    ]);
  });
});

describe('config edits: title, risk, undo and reload', () => {
  const dropIn = (text: string): ConfigSource => ({ path: '/etc/ssh/sshd_config.d/50-x.conf', text });
  const D = '/etc/ssh/sshd_config.d/50-x.conf';

  it('enable-pubkey-auth in a drop-in, reloaded by SIGHUP, undone with the pid read at undo time', () => {
    expect(proposeFix('pubkey-auth-disabled', base, src(dropIn('# x\nPubkeyAuthentication no\n')), now)).toEqual({
      id: 'enable-pubkey-auth',
      title: `Turn public key authentication back on (in ${D})`,
      ...edit(D, ['2c PubkeyAuthentication yes'], HUP),
      risk: `Low: key logins become possible again; password settings are not touched.${CONFIG_RISK}`,
    });
  });

  it('disable-usedns in the main file, systemd reload; the pid file sshd -T names is used', () => {
    const f = { ...base, init: { system: 'systemd' as const, service: 'sshd' } };
    expect(proposeFix('usedns-enabled', f, [{ path: MAIN, text: 'UseDNS yes\n' }], now)).toEqual({
      id: 'disable-usedns',
      title: `Stop sshd from looking up client names (UseDNS no) (in ${MAIN})`,
      ...edit(MAIN, ['1c UseDNS no'], [['systemctl', 'reload', 'sshd']]),
      risk: `Low: logins stop waiting for DNS; "from" patterns with host names in authorized_keys or Match stop matching.${CONFIG_RISK}`,
    });
    const pid = {
      ...base,
      effective: {
        context: { user: 'alice', host: 'h', addr: '1.2.3.4' },
        config: { pidfile: ['/var/run/sshd/sshd.pid'] },
      },
    };
    expect(proposeFix('usedns-enabled', pid, [{ path: MAIN, text: 'UseDNS yes\n' }], now)!.undo).toEqual([
      ['cp', '-p', `${MAIN}.ssh-doctor-${STAMP}`, MAIN],
      ['/usr/sbin/sshd', '-t'],
      ['pkill', '-HUP', '--pidfile', '/var/run/sshd/sshd.pid', '-x', 'sshd'],
    ]);
  });

  it('no sshd running: nothing to reload; systemd without a service name: SIGHUP', () => {
    const stopped = { ...base, processes: { pids: [], commands: [] } };
    const f = proposeFix('usedns-enabled', stopped, [{ path: MAIN, text: 'UseDNS yes\n' }], now)!;
    expect(f.commands.at(-1)).toEqual(['mv', '/etc/ssh/.sshd_config.ssh-doctor-tmp', MAIN]);
    expect(f.undo).toEqual([
      ['cp', '-p', `${MAIN}.ssh-doctor-${STAMP}`, MAIN],
      ['/usr/sbin/sshd', '-t'],
    ]);
    const noName = { ...base, init: { system: 'systemd' as const } };
    expect(proposeFix('usedns-enabled', noName, [{ path: MAIN, text: 'UseDNS yes\n' }], now)!.commands.at(-1)).toEqual([
      'kill',
      '-HUP',
      '321',
    ]);
    // Socket activation matters only for where sshd listens.
    const socket = { ...base, init: { system: 'systemd' as const, service: 'ssh', socket: true } };
    expect(proposeFix('usedns-enabled', socket, [{ path: MAIN, text: 'UseDNS yes\n' }], now)!.commands.at(-1)).toEqual([
      'systemctl',
      'reload',
      'ssh',
    ]);
    const socketNoName = { ...base, init: { system: 'systemd' as const, socket: true } };
    expect(
      proposeFix(
        'sshd-port-mismatch',
        { ...socketNoName, target: { user: 'alice', port: 2222 } },
        src(),
        now,
      )!.commands.at(-1),
    ).toEqual(['kill', '-HUP', '321']);
  });

  it('a Match block that turns it off, when the global value is right: that line', () => {
    const text = 'PubkeyAuthentication yes\nMatch User alice\n  PubkeyAuthentication no\n';
    expect(proposeFix('pubkey-auth-disabled', base, src(dropIn(text)), now)!.commands[2]).toEqual([
      'sed',
      '-i',
      '-e',
      '3c PubkeyAuthentication yes',
      '/etc/ssh/sshd_config.d/.50-x.conf.ssh-doctor-tmp',
    ]);
    // Set right globally and in the Match block too: the value is from elsewhere, no fix.
    expect(
      proposeFix(
        'pubkey-auth-disabled',
        base,
        src(dropIn('PubkeyAuthentication YES\nMatch User alice\n  PubkeyAuthentication yes\n')),
        now,
      ),
    ).toBeUndefined();
  });

  it('no fix when the file to edit was not read, or when the line cannot be written safely with sed', () => {
    // Only the drop-in was read: the main file, where the line would go, is not in the sources.
    expect(proposeFix('pubkey-auth-disabled', base, [dropIn('# nothing\n')], now)).toBeUndefined();
    const f = {
      ...base,
      effective: { context: { user: 'a\\b', host: 'h', addr: '1' }, config: { allowusers: ['bob'] } },
      target: { user: 'a\\b', port: 22 },
    };
    expect(proposeFix('user-not-allowed', f, src(dropIn('AllowUsers bob\n')), now)).toBeUndefined();
  });

  it('allow-user: removed from DenyUsers (others kept), added to AllowUsers, or root allowed with a key', () => {
    const eff = (config: Record<string, string[]>, user = 'alice') => ({
      ...base,
      target: { user, port: 22 },
      effective: { context: { user, host: 'h', addr: '1.2.3.4' }, config },
    });
    expect(
      proposeFix(
        'user-not-allowed',
        eff({ denyusers: ['bob', 'alice'] }),
        src(dropIn('DenyUsers bob alice carol\n')),
        now,
      ),
    ).toEqual({
      id: 'allow-user',
      title: `Remove alice from DenyUsers (in ${D})`,
      ...edit(D, ['1c DenyUsers bob carol'], HUP),
      risk: `Medium: widens who may log in by exactly one account (alice).${CONFIG_RISK}`,
    });
    expect(
      proposeFix(
        'user-not-allowed',
        eff({ allowusers: ['bob carol'] }),
        src(dropIn('AllowUsers bob\nAllowUsers carol\n')),
        now,
      ),
    ).toEqual({
      id: 'allow-user',
      title: `Add alice to AllowUsers (in ${D})`,
      ...edit(D, ['1c AllowUsers bob alice'], HUP),
      risk: `Medium: widens who may log in by exactly one account (alice).${CONFIG_RISK}`,
    });
    // A pattern with a host part that already lets alice in: AllowUsers is not the reason.
    expect(
      proposeFix(
        'user-not-allowed',
        eff({ allowusers: ['al*@10.0.0.0/8'] }),
        src(dropIn('AllowUsers al*@10.0.0.0/8\n')),
        now,
      ),
    ).toBeUndefined();
    // AllowUsers only on sshd's command line: no line to edit.
    expect(proposeFix('user-not-allowed', eff({ allowusers: ['bob'] }), src(), now)).toBeUndefined();
    expect(
      proposeFix(
        'user-not-allowed',
        eff({ permitrootlogin: ['no'] }, 'root'),
        src(dropIn('PermitRootLogin no\n')),
        now,
      ),
    ).toEqual({
      id: 'allow-user',
      title: `Allow root to log in with a key only (PermitRootLogin prohibit-password) (in ${D})`,
      ...edit(D, ['1c PermitRootLogin prohibit-password'], HUP),
      risk: `Medium: root may log in with a key; root password logins stay refused.${CONFIG_RISK}`,
    });
    expect(
      proposeFix('user-not-allowed', eff({ permitrootlogin: ['no'] }), src(dropIn('PermitRootLogin no\n')), now),
    ).toBeUndefined();
    expect(proposeFix('user-not-allowed', eff({ permitrootlogin: ['yes'] }, 'root'), src(), now)).toBeUndefined();
    expect(proposeFix('user-not-allowed', eff({}, 'root'), src(), now)).toBeUndefined();
    expect(proposeFix('user-not-allowed', { ...base, target: { user: 'root', port: 22 } }, src(), now)).toBeUndefined();
  });

  it('add-port: next to the first Port line, in its file; shown with its risk', () => {
    const f = {
      ...base,
      target: { user: 'alice', port: 2222 },
      listeners: {
        source: 'ss' as const,
        sockets: [
          { address: '0.0.0.0', port: 2222, process: 'sshd' },
          { address: '0.0.0.0', port: 2222 },
        ],
      },
    };
    expect(proposeFix('sshd-port-mismatch', f, src(dropIn('# ports\nPort 22\nPort 2200\n')), now)).toEqual({
      id: 'add-port',
      title: `Make sshd also listen on port 2222 (in ${D})`,
      ...edit(D, ['2i Port 2222'], HUP),
      risk: `Low: the ports sshd listens on now stay; port 2222 is added (a firewall may still need opening).${CONFIG_RISK}`,
    });
    const dashP = { ...base, processes: { pids: [9], commands: ['/usr/sbin/sshd -D -p2201'] } };
    expect(proposeFix('sshd-port-mismatch', dashP, src(), now)).toBeUndefined();
    const noDashP = { ...base, processes: { pids: [9], commands: ['/usr/sbin/sshd -D -f /etc/ssh/p-1.conf'] } };
    expect(proposeFix('sshd-port-mismatch', noDashP, src(), now)).toBeDefined();
  });

  it('listen-all-addresses: shown with its risk; refused over two files', () => {
    const text = 'ListenAddress localhost:2222\nListenAddress 127.0.0.5\n';
    expect(proposeFix('sshd-listen-address', base, src(dropIn(text)), now)).toEqual({
      id: 'listen-all-addresses',
      title: `Make sshd listen on all addresses, not only loopback (in ${D})`,
      ...edit(
        D,
        [
          '1c # ListenAddress localhost:2222  (disabled by ssh-doctor)',
          '2c # ListenAddress 127.0.0.5  (disabled by ssh-doctor)',
        ],
        HUP,
      ),
      risk: `Medium: sshd becomes reachable on every network this host is on; a firewall decides who gets through.${CONFIG_RISK}`,
    });
    expect(
      proposeFix(
        'sshd-listen-address',
        base,
        [{ ...MAIN_SRC, text: `${MAIN_SRC.text}ListenAddress ::1\n` }, dropIn('ListenAddress 127.0.0.1\n')],
        now,
      ),
    ).toBeUndefined();
    expect(
      proposeFix('sshd-listen-address', base, src(dropIn('ListenAddress 127.0.0.1 rdomain lo\n')), now)!
        .commands[2]![3],
    ).toBe('1c # ListenAddress 127.0.0.1 rdomain lo  (disabled by ssh-doctor)');
    for (const a of ['127.0.0.1x', 'x127.0.0.1', '::2', '[::1]x', 'localhost.example']) {
      expect(proposeFix('sshd-listen-address', base, src(dropIn(`ListenAddress ${a}\n`)), now), a).toBeUndefined();
    }
    for (const a of ['[::1]', '::1', '127.1.2.3:22', 'localhost']) {
      expect(proposeFix('sshd-listen-address', base, src(dropIn(`ListenAddress ${a}\n`)), now), a).toBeDefined();
    }
  });
});

describe('sshd-config-invalid', () => {
  const D = '/etc/ssh/sshd_config.d/60-new.conf';
  const bad = (errors: object[]): ServerFacts => ({
    ...base,
    configTest: { ok: false, errors, hostKeyErrors: [], raw: [] } as never,
  });
  const text = '# new\nPerSourcePenalties no\nFrobnicate 1\n';

  it('unknown keywords: every such line in the one file, named in the title', () => {
    const errs = [
      { file: D, line: 2, message: 'Bad configuration option: PerSourcePenalties' },
      { file: D, line: 3, message: 'Bad configuration option: Frobnicate' },
      { file: D, line: 3, message: 'Bad configuration option: Frobnicate' },
    ];
    expect(proposeFix('sshd-config-invalid', bad(errs), src({ path: D, text }), now)).toEqual({
      id: 'disable-unknown-option',
      title: `Comment out what this sshd does not understand: line 2 "PerSourcePenalties no", line 3 "Frobnicate 1" (in ${D})`,
      ...edit(
        D,
        [
          '2c # PerSourcePenalties no  (disabled by ssh-doctor: unknown to this sshd)',
          '3c # Frobnicate 1  (disabled by ssh-doctor: unknown to this sshd)',
        ],
        HUP,
      ),
      risk: `Low: sshd rejects the whole configuration because of these lines, so they never took effect; what they meant to set stays unset.${CONFIG_RISK}`,
    });
  });

  it.each([
    ['a line past the end of the file', [{ file: D, line: 9, message: 'Bad configuration option: X' }]],
    ['an error without a line number', [{ file: D, message: 'Bad configuration option: X' }]],
    ['an error without a file', [{ line: 2, message: 'Bad configuration option: X' }]],
    ['the message only mentions the words', [{ file: D, line: 2, message: 'x Bad configuration option: X' }]],
  ])('no fix: %s', (_n, errs) =>
    expect(proposeFix('sshd-config-invalid', bad(errs), src({ path: D, text }), now)).toBeUndefined(),
  );

  it('a file that was not read: no fix', () => {
    expect(
      proposeFix(
        'sshd-config-invalid',
        bad([{ file: D, line: 2, message: 'Bad configuration option: X' }]),
        src(),
        now,
      ),
    ).toBeUndefined();
  });

  it('bad values: each corrected or commented out, the title capitalised; refused on two errors on one line', () => {
    const t = '# a\nLogLevel VERBOS\nMatch User maybe\nPermitRootLogin maybe\n';
    const errs = [
      {
        file: MAIN,
        line: 2,
        text: 'LogLevel VERBOS',
        message: "unsupported log level 'VERBOS'",
        accepted: ['QUIET', 'INFO', 'VERBOSE'],
      },
      { file: MAIN, line: 4, text: '  PermitRootLogin maybe ', message: 'unsupported option "maybe".' },
    ];
    expect(proposeFix('sshd-config-invalid', bad(errs), [{ path: MAIN, text: t }], now)).toEqual({
      id: 'correct-config-value',
      title: `Line 2: "LogLevel VERBOS" → "LogLevel VERBOSE", comment out line 4 "PermitRootLogin maybe" (in ${MAIN})`,
      ...edit(
        MAIN,
        ['2c LogLevel VERBOSE', '4c # PermitRootLogin maybe  (disabled by ssh-doctor: sshd rejects this value)'],
        HUP,
      ),
      risk: `Low: sshd rejects the whole configuration because of these values, so they never took effect; the corrected value takes effect at the reload.${CONFIG_RISK}`,
    });
    // A Match line is never rewritten, even when the value is clearly meant.
    const m = [
      { file: MAIN, line: 3, text: 'Match User maybe', message: 'unsupported option "maybe".', accepted: ['maybe2'] },
    ];
    expect(proposeFix('sshd-config-invalid', bad(m), [{ path: MAIN, text: t }], now)!.title).toBe(
      `Comment out line 3 "Match User maybe" (in ${MAIN})`,
    );
    // A value the line does not contain as written: commented out, not rewritten.
    const other = [
      {
        file: MAIN,
        line: 2,
        text: 'LogLevel Verbos',
        message: "unsupported log level 'VERBOS'",
        accepted: ['VERBOSE'],
      },
    ];
    expect(proposeFix('sshd-config-invalid', bad(other), [{ path: MAIN, text: t }], now)!.title).toBe(
      `Comment out line 2 "LogLevel Verbos" (in ${MAIN})`,
    );
    const twice = [errs[0]!, { ...errs[0]!, message: "unsupported log level 'X'" }];
    expect(proposeFix('sshd-config-invalid', bad(twice), [{ path: MAIN, text: t }], now)).toBeUndefined();
    for (const drop of ['file', 'line', 'text'] as const) {
      const e = { ...errs[0]! } as Record<string, unknown>;
      delete e[drop];
      expect(proposeFix('sshd-config-invalid', bad([e]), [{ path: MAIN, text: t }], now), drop).toBeUndefined();
    }
    expect(
      proposeFix(
        'sshd-config-invalid',
        bad([errs[0]!, { ...errs[1]!, file: '/etc/ssh/other' }]),
        [{ path: MAIN, text: t }],
        now,
      ),
    ).toBeUndefined();
    expect(
      proposeFix('sshd-config-invalid', bad([{ ...errs[0]!, message: 'garbage' }]), [{ path: MAIN, text: t }], now),
    ).toBeUndefined();
  });
});

describe('unban-address, set-login-shell, clear-forced-password-change, firewall-allow-ssh', () => {
  it('unban: the exact unban per guard, and the ban again as undo', () => {
    const f = {
      ...base,
      target: { user: 'alice', port: 22, from: '203.0.113.9' },
      bans: {
        from: '203.0.113.9',
        by: [
          { guard: 'fail2ban' as const, jail: 'sshd-ddos', evidence: '' },
          { guard: 'fail2ban' as const, evidence: '' },
          { guard: 'sshguard' as const, evidence: '' },
        ],
      },
    };
    expect(proposeFix('address-banned', f)).toEqual({
      id: 'unban-address',
      title: 'Unban 203.0.113.9 (fail2ban jail sshd-ddos, fail2ban jail undefined, sshguard)',
      commands: [
        ['fail2ban-client', 'set', 'sshd-ddos', 'unbanip', '203.0.113.9'],
        ['fail2ban-client', 'set', 'sshd', 'unbanip', '203.0.113.9'],
        ['nft', 'delete', 'element', 'ip', 'sshguard', 'attackers', '{ 203.0.113.9 }'],
      ],
      risk: 'Medium: the guard banned this address after failed logins; if they were an attack, it will ban it again after more failures.',
      undo: [
        ['fail2ban-client', 'set', 'sshd-ddos', 'banip', '203.0.113.9'],
        ['fail2ban-client', 'set', 'sshd', 'banip', '203.0.113.9'],
        ['nft', 'add', 'element', 'ip', 'sshguard', 'attackers', '{ 203.0.113.9 }'],
      ],
    });
    // The address the client probe saw wins over --from; no address or no guard: no fix.
    expect(
      proposeFix('address-banned', { ...f, client: { address: '198.51.100.4' } } as ServerFacts)!.commands[0],
    ).toEqual(['fail2ban-client', 'set', 'sshd-ddos', 'unbanip', '198.51.100.4']);
    expect(proposeFix('address-banned', { ...f, target: { user: 'alice', port: 22 } })).toBeUndefined();
    expect(proposeFix('address-banned', { ...f, bans: { from: '203.0.113.9', by: [] } })).toBeUndefined();
  });

  it('login shell: the one useradd gives, undone to the old one; none when that is not clear', () => {
    const f: ServerFacts = {
      ...base,
      user: { name: 'alice', exists: true, uid: 1001, gid: 1001, shell: '/usr/sbin/nologin' },
      shells: { listed: ['/bin/sh', '/bin/bash'], useraddDefault: '/bin/bash' },
    } as ServerFacts;
    expect(proposeFix('login-shell-nologin', f)).toEqual({
      id: 'set-login-shell',
      title: 'Give alice the login shell /bin/bash (the one new accounts get here)',
      commands: [['usermod', '-s', '/bin/bash', 'alice']],
      risk: 'Medium: someone may have given alice /usr/sbin/nologin on purpose, to allow no shell.',
      undo: [['usermod', '-s', '/usr/sbin/nologin', 'alice']],
    });
    expect(
      proposeFix('login-shell-nologin', { ...f, shells: { listed: ['/bin/sh'], useraddDefault: '/bin/bash' } }),
    ).toBeUndefined();
    expect(
      proposeFix('login-shell-nologin', { ...f, user: { name: 'alice', exists: true } } as ServerFacts),
    ).toBeUndefined();
  });

  it('password change: today counts as the change; undone to day 0 (forced) or the old day', () => {
    const user = { name: 'alice', exists: true, passwordChange: 'forced' as const, lastChange: 0 };
    expect(proposeFix('password-change-required', { ...base, user } as ServerFacts, [], now)).toEqual({
      id: 'clear-forced-password-change',
      title: "Count alice's password as changed today, so no change is demanded at login",
      commands: [['chage', '-d', '2026-11-25', 'alice']],
      risk: 'Medium: whoever ran chage -d 0 wanted alice to choose a new password; ask them to run passwd once logged in.',
      undo: [['chage', '-d', '0', 'alice']],
    });
    const expired = { ...user, passwordChange: 'expired' as const, lastChange: 20000 };
    expect(proposeFix('password-change-required', { ...base, user: expired } as ServerFacts, [], now)).toMatchObject({
      risk: 'Medium: the password ageing policy wanted a new password; alice should run passwd once logged in.',
      undo: [['chage', '-d', '2024-10-04', 'alice']],
    });
    expect(
      proposeFix('password-change-required', { ...base, user: { ...user, lastChange: undefined } } as ServerFacts),
    ).toBeUndefined();
    expect(
      proposeFix('password-change-required', { ...base, user: { ...user, passwordChange: undefined } } as ServerFacts),
    ).toBeUndefined();
  });

  it('firewall: in the blocking layer; the risk says whether a ufw rule is replaced', () => {
    const layer = (over: object) =>
      ({
        ...base,
        target: { user: 'alice', port: 2222 },
        firewall: [
          { name: 'iptables', state: 'accepts' },
          { state: 'blocks', ...over },
        ],
      }) as ServerFacts;
    expect(proposeFix('firewall-blocks-ssh', layer({ name: 'firewalld', where: { zone: 'public' } }))).toEqual({
      id: 'firewall-allow-ssh',
      title: 'Allow TCP port 2222 in firewalld (firewalld zone public)',
      commands: [
        ['firewall-cmd', '--zone=public', '--add-port=2222/tcp'],
        ['firewall-cmd', '--permanent', '--zone=public', '--add-port=2222/tcp'],
      ],
      risk: 'Medium: opens port 2222 to every address the blocking rule covered; no rule is removed or flushed. Over SSH it is rolled back automatically unless confirmed from a new connection.',
      undo: [
        ['firewall-cmd', '--zone=public', '--remove-port=2222/tcp'],
        ['firewall-cmd', '--permanent', '--zone=public', '--remove-port=2222/tcp'],
      ],
    });
    const ufw = layer({
      name: 'ufw',
      rule: '2222/tcp DENY IN Anywhere',
      ufwRules: [{ n: 1, to: '2222/tcp', action: 'DENY IN', from: 'Anywhere', text: '2222/tcp DENY IN Anywhere' }],
    });
    expect(proposeFix('firewall-blocks-ssh', ufw)!.risk).toBe(
      'Medium: opens port 2222 to every address the blocking rule covered; the ufw rule with the same spec is replaced, and put back at its number on undo. Over SSH it is rolled back automatically unless confirmed from a new connection.',
    );
    // ufw that cannot place the rule exactly, nft without a table, or nothing blocking: no fix.
    expect(proposeFix('firewall-blocks-ssh', layer({ name: 'ufw', rule: 'x', ufwRules: [] }))).toBeUndefined();
    expect(proposeFix('firewall-blocks-ssh', layer({ name: 'nftables', where: { chain: 'input' } }))).toBeUndefined();
    expect(
      proposeFix('firewall-blocks-ssh', { ...base, firewall: [{ name: 'iptables', state: 'accepts' }] } as ServerFacts),
    ).toBeUndefined();
    expect(proposeFix('firewall-blocks-ssh', base)).toBeUndefined();
  });
});

describe('the registry', () => {
  it('each fix id, and the alternative a finding may give its fix', () => {
    const ids = Object.fromEntries(
      Object.entries(SERVER_FIXES).flatMap(([k, v]) =>
        v ? [[k, [v.fixId, ...('alternatives' in v ? v.alternatives : [])]]] : [],
      ),
    );
    expect(ids).toEqual({
      'sshd-not-running': ['start-sshd'],
      'sshd-config-invalid': ['disable-unknown-option', 'correct-config-value'],
      'sshd-port-mismatch': ['add-port'],
      'sshd-listen-address': ['listen-all-addresses'],
      'privsep-dir-missing': ['create-privsep-dir'],
      'host-key-permissions': ['fix-host-key-permissions'],
      'host-keys-missing': ['generate-host-keys'],
      'firewall-blocks-ssh': ['firewall-allow-ssh'],
      'address-banned': ['unban-address'],
      'authorized-keys-permissions': ['fix-authorized-keys-permissions'],
      'ssh-dir-permissions': ['fix-ssh-dir-permissions'],
      'home-permissions': ['fix-home-permissions'],
      'user-not-allowed': ['allow-user'],
      'authorized-keys-malformed': ['rejoin-authorized-key'],
      'nologin-present': ['move-nologin'],
      'login-shell-nologin': ['set-login-shell'],
      'password-change-required': ['clear-forced-password-change'],
      'pubkey-auth-disabled': ['enable-pubkey-auth'],
      'usedns-enabled': ['disable-usedns'],
    });
  });
});

describe('permission fixes as shown', () => {
  const alice = { name: 'alice', exists: true, uid: 1001, gid: 1001, home: '/home/alice/', shell: '/bin/bash' };
  const st = (path: string, type: 'dir' | 'file', mode: number, uid = 1001, ino = 10) => ({
    path,
    exists: true,
    type,
    mode,
    uid,
    gid: uid,
    owner: uid ? 'alice' : 'root',
    group: uid ? 'alice' : 'root',
    dev: 2049,
    ino,
    nlink: type === 'dir' ? 2 : 1,
  });
  const KEYS = '/home/alice/.ssh/authorized_keys';
  const auth = (dirs: ReturnType<typeof st>[], keys = [st(KEYS, 'file', 0o600, 1001, 99)]) => ({
    authorizedKeys: keys,
    keyCounts: {},
    dirs,
    groups: [{ gid: 1001, name: 'alice', members: [], primaryOf: [{ name: 'alice', uid: 1001 }] }],
  });
  const facts = (a: ReturnType<typeof auth>, user: object = alice): ServerFacts =>
    ({ ...base, user, authFiles: a }) as ServerFacts;
  const HERE_RISK =
    "Low: only the write bits (and owner) sshd refuses are changed, on exactly these objects: each is opened without following users' symlinks and changed through that open descriptor (chmod as the user where the object is theirs).";
  const dirs = (home: number, ssh = 0o700, homeUid = 1001) => [
    st('/home/alice/.ssh', 'dir', ssh, 1001, 11),
    st('/home/alice', 'dir', home, homeUid, 12),
    st('/home', 'dir', 0o755, 0, 13),
    st('/', 'dir', 0o755, 0, 14),
  ];

  it('home-permissions: only the directories sshd walks above ~/.ssh; title lists each change', () => {
    expect(proposeFix('home-permissions', facts(auth(dirs(0o777, 0o777))))).toEqual({
      id: 'fix-home-permissions',
      title: "Set the modes sshd's StrictModes requires: /home/alice 0777 → 0755",
      commands: [['chmod', '0755', '/home/alice']],
      risk: HERE_RISK,
      undo: [['chmod', '0777', '/home/alice']],
      pathChanges: [
        {
          path: '/home/alice',
          type: 'dir',
          mode: 0o755,
          user: { uid: 1001, gid: 1001, name: 'alice' },
          was: { dev: 2049, ino: 12, mode: 0o777, uid: 1001, gid: 1001 },
        },
      ],
    });
    // The key file does not exist: sshd walks nothing, nothing to fix.
    const gone = auth(dirs(0o777), [{ ...st(KEYS, 'file', 0o600), exists: false }]);
    expect(proposeFix('home-permissions', facts(gone))).toBeUndefined();
  });

  it('ssh-dir-permissions leaves the home alone; an object without an inode has no identity to check', () => {
    const noIno = auth(dirs(0o777, 0o777).map((d) => ({ ...d, ino: undefined })) as never);
    expect(proposeFix('ssh-dir-permissions', facts(noIno))!.pathChanges).toEqual([
      { path: '/home/alice/.ssh', type: 'dir', mode: 0o700, user: { uid: 1001, gid: 1001, name: 'alice' } },
    ]);
  });

  it('no fix without the facts to act safely', () => {
    const a = auth(dirs(0o777, 0o777));
    expect(proposeFix('ssh-dir-permissions', facts(a, { ...alice, home: undefined }))).toBeUndefined();
    expect(proposeFix('ssh-dir-permissions', facts(a, { ...alice, uid: undefined }))).toBeUndefined();
    expect(proposeFix('ssh-dir-permissions', facts(a, { ...alice, gid: undefined }))).toBeUndefined();
    expect(proposeFix('ssh-dir-permissions', { ...base, user: alice } as ServerFacts)).toBeUndefined();
    expect(proposeFix('ssh-dir-permissions', facts(auth(dirs(0o755))))).toBeUndefined();
  });

  it('a group the facts do not name: the chown uses the gid', () => {
    const a = { ...auth(dirs(0o755, 0o700)), groups: [] };
    a.authorizedKeys = [st(KEYS, 'file', 0o600, 0, 99)];
    expect(proposeFix('authorized-keys-permissions', facts(a))!.commands).toEqual([['chown', 'alice:1001', KEYS]]);
  });

  it('host keys: only the bits change; a key owned by another account is left to a person', () => {
    const key = (path: string, mode: number, uid: number, group: string, gid: number, ino: number) => ({
      path,
      exists: true,
      type: 'file' as const,
      mode,
      uid,
      gid,
      owner: uid ? 'bob' : 'root',
      group,
      dev: 2049,
      ino,
      nlink: 1,
    });
    const keys = [
      key('/etc/ssh/ssh_host_ed25519_key', 0o640, 0, 'ssh_keys', 997, 1),
      key('/etc/ssh/ssh_host_rsa_key', 0o604, 0, 'root', 0, 2),
      key('/etc/ssh/ssh_host_ecdsa_key', 0o600, 0, 'root', 0, 3),
    ];
    expect(proposeFix('host-key-permissions', { ...base, hostKeys: { keys } })).toEqual({
      id: 'fix-host-key-permissions',
      title:
        "Set the modes sshd's StrictModes requires: /etc/ssh/ssh_host_ed25519_key 0640 → 0600; /etc/ssh/ssh_host_rsa_key 0604 → 0600",
      commands: [
        ['chmod', '0600', '/etc/ssh/ssh_host_ed25519_key'],
        ['chmod', '0600', '/etc/ssh/ssh_host_rsa_key'],
      ],
      risk: HERE_RISK,
      undo: [
        ['chmod', '0640', '/etc/ssh/ssh_host_ed25519_key'],
        ['chmod', '0604', '/etc/ssh/ssh_host_rsa_key'],
      ],
      pathChanges: [
        {
          path: '/etc/ssh/ssh_host_ed25519_key',
          type: 'file',
          mode: 0o600,
          user: { uid: 0, gid: 0, name: 'root' },
          was: { dev: 2049, ino: 1, mode: 0o640, uid: 0, gid: 997 },
        },
        {
          path: '/etc/ssh/ssh_host_rsa_key',
          type: 'file',
          mode: 0o600,
          user: { uid: 0, gid: 0, name: 'root' },
          was: { dev: 2049, ino: 2, mode: 0o604, uid: 0, gid: 0 },
        },
      ],
    });
    const bobs = [...keys, key('/etc/ssh/ssh_host_dsa_key', 0o600, 1002, 'bob', 1002, 4)];
    expect(proposeFix('host-key-permissions', { ...base, hostKeys: { keys: bobs } })).toBeUndefined();
    expect(proposeFix('host-key-permissions', base)).toBeUndefined();
  });

  it('remote: a root-owned object is chmodded as root only when nothing above it is writable by others', () => {
    const home = (mode: number, parent = 0o755, parentUid = 0) => {
      const d = dirs(mode, 0o700, 0);
      d[2] = st('/home', 'dir', parent, parentUid, 13);
      return facts(auth(d));
    };
    expect(proposeFix('home-permissions', home(0o777), [], now, { remote: true })).toEqual({
      id: 'fix-home-permissions',
      title: "Set the modes sshd's StrictModes requires: /home/alice 0777 → 0755",
      commands: [['chmod', '0755', '/home/alice']],
      risk: "Low: only the write bits sshd refuses are changed; each chmod runs as alice where the object is theirs, so it cannot reach anyone else's files.",
      undo: [['chmod', '0777', '/home/alice']],
    });
    expect(proposeFix('home-permissions', home(0o777, 0o775), [], now, { remote: true })).toBeUndefined();
    expect(proposeFix('home-permissions', home(0o777, 0o757), [], now, { remote: true })).toBeUndefined();
    expect(proposeFix('home-permissions', home(0o777, 0o755, 1001), [], now, { remote: true })).toBeUndefined();
    // A directory above that the facts do not show: not known to be safe.
    const unseen = facts(auth(dirs(0o777, 0o700, 0).filter((d) => d.path !== '/home')));
    expect(proposeFix('home-permissions', unseen, [], now, { remote: true })).toBeUndefined();
  });

  it('ownershipSteps for a file says file', () => {
    const a = auth(dirs(0o755), [st(KEYS, 'file', 0o600, 0, 99)]);
    expect(ownershipSteps('authorized-keys-permissions', facts(a))).toEqual([
      `As root, after checking with ls -ld that it is still a file: chown -h alice:alice ${KEYS}`,
    ]);
  });
});

describe('rejoin-authorized-key as shown', () => {
  const AK = '/home/alice/.ssh/authorized_keys';
  const A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIpYW+f0+Typ3Ehit8M2';
  const B = 'lQH2YzfP9Rhl/X4mDg1LSfG0 alice@laptop';
  const user = { name: 'alice', exists: true, uid: 1001, gid: 1001, home: '/home/alice', shell: '/bin/bash' };
  const keyFile = { path: AK, exists: true, type: 'file', mode: 0o600, uid: 1001, gid: 1001, nlink: 1 };
  const facts = (lines: object[], over: object = {}, file: object = keyFile, path = AK): ServerFacts =>
    ({
      ...base,
      user,
      authFiles: {
        authorizedKeys: [file],
        keyCounts: {},
        dirs: [],
        groups: [],
        keyLines: { [path]: { lines } },
        ...over,
      },
    }) as ServerFacts;
  const broken = (n: number, text: string | undefined, joinsNext = false) => ({ n, text, malformed: 'bad', joinsNext });
  const good = [broken(3, A, true), broken(4, B)];

  it('the risk and the commands, with no identity when the stat had none', () => {
    expect(proposeFix('authorized-keys-malformed', facts([{ n: 1, text: '# keys' }, ...good]), [], now)).toStrictEqual({
      id: 'rejoin-authorized-key',
      title: `Rejoin lines 3-4 of ${AK} into the one key line they were: "${A}" + "${B}" → "${A}${B}"`,
      commands: [
        ['cp', '-p', AK, `${AK}.ssh-doctor-${STAMP}`],
        ['sed', '-i', '-e', '3{N;s/[ \\t]*\\n[ \\t]*//}', AK],
      ],
      risk: "Low: only the line break between lines 3 and 4 goes, so sshd reads the key it skipped; the rest of the file, its owner and mode stay. Made through the directory and file as checked, never through a link of alice's; the backup is kept.",
      undo: [['cp', '-p', `${AK}.ssh-doctor-${STAMP}`, AK]],
      rewrite: {
        path: AK,
        line: 3,
        first: A,
        second: B,
        backup: `${AK}.ssh-doctor-${STAMP}`,
        user: { uid: 1001, gid: 1001, name: 'alice' },
      },
    });
  });

  it.each([
    ['the halves not adjacent', [broken(3, A, true), broken(5, B)]],
    ['the first not marked as wrapping', [broken(3, A), broken(4, B)]],
    ['a half cut short in the evidence', [broken(3, A, true), broken(4, `${B.slice(0, 10)}…`)]],
    ['a half whose text is unknown', [broken(3, undefined, true), broken(4, B)]],
    ['the second half unknown', [broken(3, A, true), broken(4, undefined)]],
    ['only one broken line', [broken(3, A, true)]],
  ])('no fix: %s', (_n, lines) =>
    expect(proposeFix('authorized-keys-malformed', facts(lines), [], now)).toBeUndefined(),
  );

  it('no fix: the halves in two files, the file not seen, no uid, no key lines read', () => {
    const two = facts([broken(3, A, true)], {
      keyLines: { [AK]: { lines: [broken(3, A, true)] }, '/etc/ssh/keys/alice': { lines: [broken(4, B)] } },
    });
    expect(proposeFix('authorized-keys-malformed', two, [], now)).toBeUndefined();
    expect(
      proposeFix('authorized-keys-malformed', facts(good, {}, { ...keyFile, exists: false }), [], now),
    ).toBeUndefined();
    expect(
      proposeFix('authorized-keys-malformed', facts(good, {}, { ...keyFile, path: '/elsewhere' }), [], now),
    ).toBeUndefined();
    expect(
      proposeFix(
        'authorized-keys-malformed',
        { ...facts(good), user: { ...user, uid: undefined } } as ServerFacts,
        [],
        now,
      ),
    ).toBeUndefined();
    expect(
      proposeFix(
        'authorized-keys-malformed',
        { ...facts(good), user: { ...user, gid: undefined } } as ServerFacts,
        [],
        now,
      ),
    ).toBeUndefined();
    expect(proposeFix('authorized-keys-malformed', facts(good, { keyLines: undefined }), [], now)).toBeUndefined();
    expect(proposeFix('authorized-keys-malformed', { ...base, user } as ServerFacts, [], now)).toBeUndefined();
  });
});

describe('where the facts are missing or unusual', () => {
  const D = '/etc/ssh/sshd_config.d/50-x.conf';
  const dropIn = (text: string): ConfigSource => ({ path: D, text });

  it('an sshd not found: the usual path; facts a probe did not give: no fix, never a crash', () => {
    const { sshd: _gone, ...noSshd } = base;
    expect(proposeFix('sshd-not-running', { ...noSshd, processes: { pids: [], commands: [] } })!.commands).toEqual([
      ['/usr/sbin/sshd', '-t'],
      ['/usr/sbin/sshd'],
    ]);
    expect(
      proposeFix('address-banned', { ...base, target: { user: 'alice', port: 22, from: '203.0.113.9' } }),
    ).toBeUndefined();
    expect(proposeFix('login-shell-nologin', base)).toBeUndefined();
    expect(proposeFix('password-change-required', base)).toBeUndefined();
    expect(
      proposeFix('host-key-permissions', { ...base, hostKeys: { keys: [] } }, [], now, { remote: true }),
    ).toBeUndefined();
    const hostKey = {
      path: '/etc/ssh/ssh_host_ed25519_key',
      exists: true,
      type: 'file' as const,
      mode: 0o644,
      uid: 0,
      gid: 0,
      owner: 'root',
      group: 'root',
      nlink: 1,
    };
    expect(
      proposeFix('host-key-permissions', { ...base, hostKeys: { keys: [hostKey] } }, [], now, { remote: true }),
    ).toBeUndefined();
  });

  it('reloads: none when the processes are unknown; SIGHUP under sysvinit or with no init facts; socket activation for ListenAddress', () => {
    const cfg = [{ path: MAIN, text: 'UseDNS yes\n' }];
    const { processes: _p, ...noProcs } = base;
    expect(proposeFix('usedns-enabled', noProcs, cfg, now)!.commands.at(-1)![0]).toBe('mv');
    expect(
      proposeFix('usedns-enabled', { ...base, init: { system: 'sysvinit', service: 'ssh' } }, cfg, now)!.commands.at(
        -1,
      ),
    ).toEqual(['kill', '-HUP', '321']);
    const { init: _i, ...noInit } = base;
    expect(proposeFix('usedns-enabled', noInit, cfg, now)!.commands.at(-1)).toEqual(['kill', '-HUP', '321']);
    expect(
      proposeFix('sshd-port-mismatch', { ...noInit, target: { user: 'alice', port: 2222 } }, src(), now)!.commands.at(
        -1,
      ),
    ).toEqual(['kill', '-HUP', '321']);
    const socket = { ...base, init: { system: 'systemd' as const, service: 'ssh', socket: true } };
    expect(
      proposeFix('sshd-listen-address', socket, src(dropIn('ListenAddress 127.0.0.1\n')), now)!.commands.slice(-2),
    ).toEqual([
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'restart', 'ssh.socket'],
    ]);
  });

  it('edits of the main file are validated by sshd -t -f alone; a drop-in is checked whole after the rename', () => {
    const onlyMain = (text: string) => [{ path: MAIN, text }];
    const main = (fix: ReturnType<typeof proposeFix>) => fix!.commands.filter((c) => c[0] === '/usr/sbin/sshd');
    const M = [['/usr/sbin/sshd', '-t', '-f', '/etc/ssh/.sshd_config.ssh-doctor-tmp']];
    expect(main(proposeFix('pubkey-auth-disabled', base, onlyMain('UsePAM yes\n'), now))).toEqual(M);
    expect(
      main(
        proposeFix(
          'sshd-port-mismatch',
          { ...base, target: { user: 'alice', port: 2222 } },
          onlyMain('UsePAM yes\n'),
          now,
        ),
      ),
    ).toEqual(M);
    expect(main(proposeFix('sshd-listen-address', base, onlyMain('ListenAddress 127.0.0.1\n'), now))).toEqual(M);
    const bad = (e: object) =>
      ({ ...base, configTest: { ok: false, errors: [e], hostKeyErrors: [], raw: [] } }) as ServerFacts;
    expect(
      main(
        proposeFix(
          'sshd-config-invalid',
          bad({ file: MAIN, line: 1, message: 'Bad configuration option: Frob' }),
          onlyMain('Frob 1\n'),
          now,
        ),
      ),
    ).toEqual(M);
    const dropInBad = bad({
      file: D,
      line: 1,
      text: 'UseDNS maybe',
      message: 'unsupported option "maybe".',
      accepted: ['yes', 'no'],
    });
    expect(main(proposeFix('sshd-config-invalid', dropInBad, src(dropIn('UseDNS maybe\n')), now))).toEqual([
      ['/usr/sbin/sshd', '-t', '-f', '/etc/ssh/sshd_config.d/.50-x.conf.ssh-doctor-tmp'],
      ['/usr/sbin/sshd', '-t'],
    ]);
  });

  it('sshd-config-invalid: an indented line is shown trimmed; a Match among the lines stops the fix; a list with one unknown value is commented out', () => {
    const bad = (errors: object[]) =>
      ({ ...base, configTest: { ok: false, errors, hostKeyErrors: [], raw: [] } }) as ServerFacts;
    const text = '# x\n  PerSourcePenalties no\nMatch User bob\n';
    expect(
      proposeFix(
        'sshd-config-invalid',
        bad([{ file: D, line: 2, message: 'Bad configuration option: PerSourcePenalties' }]),
        src(dropIn(text)),
        now,
      )!.commands[2]![3],
    ).toBe('2c # PerSourcePenalties no  (disabled by ssh-doctor: unknown to this sshd)');
    expect(
      proposeFix(
        'sshd-config-invalid',
        bad([
          { file: D, line: 2, message: 'Bad configuration option: PerSourcePenalties' },
          { file: D, line: 3, message: 'Bad configuration option: Match' },
        ]),
        src(dropIn(text)),
        now,
      ),
    ).toBeUndefined();
    const cipher = readFileSync(new URL('../../fixtures/server/ssh-Q-cipher.txt', import.meta.url), 'utf8')
      .trim()
      .split('\n');
    const line = 'Ciphers aes256-gcn@openssh.com,rot13';
    const fix = proposeFix(
      'sshd-config-invalid',
      bad([
        {
          file: MAIN,
          line: 1,
          text: line,
          message: "Bad SSH2 cipher spec 'aes256-gcn@openssh.com,rot13'.",
          accepted: cipher,
        },
      ]),
      [{ path: MAIN, text: `${line}\n` }],
      now,
    )!;
    expect(fix.title).toBe(`Comment out line 1 "${line}" (in ${MAIN})`);
  });

  it('a keyword set with no value is a wrong value', () => {
    expect(proposeFix('pubkey-auth-disabled', base, src(dropIn('PubkeyAuthentication\n')), now)!.commands[2]![3]).toBe(
      '1c PubkeyAuthentication yes',
    );
  });

  it('allow-user: AllowUsers that already names the user is not the reason', () => {
    const f = {
      ...base,
      effective: { context: { user: 'alice', host: 'h', addr: '1.2.3.4' }, config: { allowusers: ['bob alice'] } },
    };
    expect(proposeFix('user-not-allowed', f, src(dropIn('AllowUsers bob alice\n')), now)).toBeUndefined();
  });

  it('add-port: only a program on that very port blocks it; the processes unknown do not', () => {
    const f = (sockets: object[]) =>
      ({ ...base, target: { user: 'alice', port: 8080 }, listeners: { source: 'ss', sockets } }) as ServerFacts;
    expect(
      proposeFix('sshd-port-mismatch', f([{ address: '0.0.0.0', port: 80, process: 'nginx' }]), src(), now),
    ).toBeDefined();
    expect(
      proposeFix(
        'sshd-port-mismatch',
        f([
          { address: '0.0.0.0', port: 22, process: 'sshd' },
          { address: '0.0.0.0', port: 8080, process: 'nginx' },
        ]),
        src(),
        now,
      ),
    ).toBeUndefined();
    const { processes: _p, ...noProcs } = base;
    expect(
      proposeFix('sshd-port-mismatch', { ...noProcs, target: { user: 'alice', port: 2222 } }, src(), now),
    ).toBeDefined();
  });

  it('firewall: a plain ufw insert removes no rule', () => {
    const f = {
      ...base,
      firewall: [
        {
          name: 'ufw',
          state: 'blocks',
          rule: '22/tcp DENY IN 10.0.0.0/8',
          ufwRules: [{ n: 1, to: '22/tcp', action: 'DENY IN', from: '10.0.0.0/8', text: '22/tcp DENY IN 10.0.0.0/8' }],
        },
      ],
    } as ServerFacts;
    const fix = proposeFix('firewall-blocks-ssh', f)!;
    expect(fix.commands).toEqual([['ufw', 'insert', '1', 'allow', '22/tcp']]);
    expect(fix.risk).toContain('no rule is removed or flushed');
  });
});

describe('ownership changes as shown', () => {
  const alice = { name: 'alice', exists: true, uid: 1001, gid: 1001, home: '/home/alice', shell: '/bin/bash' };
  const d = (path: string, mode: number, uid: number, ino: number) => ({
    path,
    exists: true,
    type: 'dir' as const,
    mode,
    uid,
    gid: uid,
    owner: uid ? 'alice' : 'root',
    group: uid ? 'alice' : 'root',
    dev: 2049,
    ino,
    nlink: 2,
  });
  const KEYS = '/home/alice/.ssh/authorized_keys';
  const facts = (ssh: number, sshUid: number, homeUid = 1001) =>
    ({
      ...base,
      user: alice,
      authFiles: {
        authorizedKeys: [{ path: KEYS, exists: true, type: 'file', mode: 0o600, uid: 1001, gid: 1001, nlink: 1 }],
        keyCounts: {},
        dirs: [
          d('/home/alice/.ssh', ssh, sshUid, 11),
          d('/home/alice', 0o755, homeUid, 12),
          d('/home', 0o755, 0, 13),
          d('/', 0o755, 0, 14),
        ],
        groups: [
          { gid: 27, name: 'sudo', members: ['alice'], primaryOf: [] },
          { gid: 1001, name: 'alice', members: [], primaryOf: [{ name: 'alice', uid: 1001 }] },
        ],
      },
    }) as ServerFacts;

  it('a root-owned ~/.ssh with the right mode: only the owner changes, and its undo gives it back', () => {
    expect(proposeFix('ssh-dir-permissions', facts(0o700, 0))).toStrictEqual({
      id: 'fix-ssh-dir-permissions',
      title: "Set the modes sshd's StrictModes requires: /home/alice/.ssh 0700, owner → alice:alice",
      commands: [['chown', 'alice:alice', '/home/alice/.ssh']],
      risk: expect.any(String),
      undo: [
        ['chown', 'root:root', '/home/alice/.ssh'],
        ['chmod', '0700', '/home/alice/.ssh'],
      ],
      pathChanges: [
        {
          path: '/home/alice/.ssh',
          type: 'dir',
          owner: { uid: 1001, gid: 1001 },
          user: { uid: 1001, gid: 1001, name: 'alice' },
          was: { dev: 2049, ino: 11, mode: 0o700, uid: 0, gid: 0 },
        },
      ],
    });
  });

  it('remote: an owner change is left to a person even where every directory above is root-owned', () => {
    expect(proposeFix('ssh-dir-permissions', facts(0o777, 0, 0), [], now, { remote: true })).toBeUndefined();
  });
});
