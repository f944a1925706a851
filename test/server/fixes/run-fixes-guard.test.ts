// runFix's refusals and messages around the automatic rollback, here (a real timer program
// stood in by a script on PATH, or a program that cannot start) and on a --via host (a fake Exec),
// and how a permission fix's chmods are verified there.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJournal, type JournalEntry } from '../../../src/fixes/journal.js';
import { rememberSource } from '../../../src/server/fixes/config-edit.js';
import type { Command, Fix } from '../../../src/report.js';
import type { Exec } from '../../../src/server/exec.js';
import type { Host } from '../../../src/server/host.js';
import { runFix } from '../../../src/server/fixes/run-fixes.js';
import { ran } from '../run-result.js';

const OVER_SSH = { SSH_CONNECTION: '192.0.2.7 51000 192.0.2.1 22' };
const via = { user: 'root', host: 'h.example', port: 2200 };

let dir: string;
let journalFile: string;
/** Every line of the journal, in order (readJournal keeps only each entry's last line). */
const journalLines = (): JournalEntry[] =>
  readFileSync(journalFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JournalEntry);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'run-fixes-guard-'));
  journalFile = join(dir, 'journal.jsonl');
});

describe('runFix here, over SSH: the rollback timer comes first', () => {
  const firewall = (marker: string, ok = true): Fix => ({
    id: 'firewall-allow-ssh',
    title: 'Allow 22',
    commands: [ok ? ['touch', marker] : ['false']],
    risk: '',
    undo: [['rm', '-f', marker]],
  });
  let path: string | undefined;
  beforeEach(() => {
    path = process.env.PATH;
  });
  afterEach(() => {
    process.env.PATH = path;
  });

  it('the detached timer cannot start: refused, nothing run, nothing journaled', async () => {
    const marker = join(dir, 'ran');
    const r = await runFix(firewall(marker), {
      env: OVER_SSH,
      envOnly: true,
      systemd: false,
      self: [join(dir, 'no-such-node'), '/opt/ssh-doctor/ssh-doctor.mjs'],
      journalFile,
    });
    expect(r).toEqual({
      ok: false,
      log: ['refused: the rollback timer did not start, and a firewall change over SSH is not made without one'],
    });
    expect(existsSync(marker)).toBe(false);
    expect(await readJournal(journalFile)).toEqual([]);
  });

  it('systemd-run fails (here: not on PATH): refused the same way', async () => {
    const marker = join(dir, 'ran');
    process.env.PATH = join(dir, 'empty');
    const r = await runFix(firewall(marker), {
      env: OVER_SSH,
      envOnly: true,
      systemd: true,
      self: ['/usr/bin/node', '/opt/ssh-doctor/ssh-doctor.mjs'],
      journalFile,
    });
    expect(r.log).toEqual([
      'refused: the rollback timer did not start, and a firewall change over SSH is not made without one',
    ]);
    expect(existsSync(marker)).toBe(false);
  });

  it('systemd timer armed: the change is made, journaled with its rollback, and the confirm command given', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const args = join(dir, 'systemd-run-args');
    writeFileSync(join(bin, 'systemd-run'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${args}'\n`);
    chmodSync(join(bin, 'systemd-run'), 0o755);
    process.env.PATH = `${bin}:${path}`;
    const marker = join(dir, 'ran');
    const r = await runFix(firewall(marker), {
      env: { ...OVER_SSH, SSH_DOCTOR_STATE_DIR: '/var/lib/x' },
      envOnly: true,
      systemd: true,
      rollbackSeconds: 45,
      self: ['/usr/bin/node', '/opt/ssh-doctor/ssh-doctor.mjs'],
      journalFile,
    });
    const id = r.journalId!;
    const timer = [
      'systemd-run',
      '--quiet',
      `--unit=ssh-doctor-rollback-${id}`,
      '--on-active=45',
      '--timer-property=AccuracySec=1s',
      '--setenv=SSH_DOCTOR_STATE_DIR=/var/lib/x',
      '/usr/bin/node',
      '/opt/ssh-doctor/ssh-doctor.mjs',
      'undo',
      '--rollback-after',
      '0',
      id,
    ];
    expect(readFileSync(args, 'utf8').trim().split('\n')).toEqual(timer.slice(1));
    expect(existsSync(marker)).toBe(true);
    const [entry] = await readJournal(journalFile);
    const deadline = entry!.rollback!.deadline;
    const inSeconds = (Date.parse(deadline) - Date.now()) / 1000;
    expect(inSeconds).toBeGreaterThan(40);
    expect(inSeconds).toBeLessThanOrEqual(45);
    expect(entry).toMatchObject({
      id,
      status: 'applied',
      rollback: { deadline, command: timer, sshConnection: OVER_SSH.SSH_CONNECTION },
    });
    expect(entry!.rollback!.sshdPid).toBeUndefined();
    expect(r).toEqual({
      ok: true,
      journalId: id,
      pending: { deadline, confirm: `ssh-doctor undo --confirm ${id}` },
      log: [
        `rollback armed (systemd timer ssh-doctor-rollback-${id}): $ ${timer.join(' ')}`,
        `$ touch ${marker}`,
        `Over SSH: this change is rolled back at ${deadline} unless you open a NEW ssh connection and run: ssh-doctor undo --confirm ${id}`,
      ],
    });
  });

  it('detached timer armed, but the change fails: no confirm offered', async () => {
    const r = await runFix(firewall('', false), {
      env: OVER_SSH,
      envOnly: true,
      systemd: false,
      self: ['/bin/true', '/opt/ssh-doctor/ssh-doctor.mjs'],
      journalFile,
    });
    expect(r.ok).toBe(false);
    expect(r.pending).toBeUndefined();
    expect(r.log[0]).toMatch(
      new RegExp(
        `^rollback armed \\(pid \\d+\\): \\$ /bin/true /opt/ssh-doctor/ssh-doctor.mjs undo --rollback-after 60 ${r.journalId}$`,
      ),
    );
    expect(r.log.slice(1)).toEqual(['$ false', '  failed: exit 1']);
    expect((await readJournal(journalFile))[0]).toMatchObject({ status: 'failed', rollback: expect.any(Object) });
  });

  it('not over SSH: no timer, the change just runs', async () => {
    const marker = join(dir, 'ran');
    const r = await runFix(firewall(marker), {
      env: {},
      envOnly: true,
      self: [join(dir, 'no-such-node'), 'x'],
      journalFile,
    });
    expect(r).toEqual({ ok: true, log: [`$ touch ${marker}`], journalId: r.journalId });
    expect((await readJournal(journalFile))[0]!.rollback).toBeUndefined();
  });

  it('--dry-run, not guarded: only the commands', async () => {
    const r = await runFix(firewall('/x'), { dryRun: true, env: {}, envOnly: true, self: ['n', 'c'], journalFile });
    expect(r).toEqual({ ok: true, log: ['(dry run) $ touch /x'] });
  });
});

describe('runFix here: permission and rejoin fixes go by descriptor', () => {
  it.runIf(process.getuid?.() === 0)('a permission fix is made on the object and journaled', async () => {
    const f = join(dir, 'key');
    writeFileSync(f, 'k\n');
    chmodSync(f, 0o644);
    const fix: Fix = {
      id: 'fix-host-key-permissions',
      title: 't',
      commands: [['chmod', '0600', f]],
      risk: '',
      undo: [['chmod', '0644', f]],
      pathChanges: [{ path: f, type: 'file', mode: 0o600, user: { uid: 0, gid: 0, name: 'root' } }],
    };
    const r = await runFix(fix, { env: {}, envOnly: true, self: ['n', 'c'], journalFile });
    expect(r.ok).toBe(true);
    expect(r.log[0]).toBe(`$ chmod 0600 ${f}`);
    expect(statSync(f).mode & 0o7777).toBe(0o600);
    expect((await readJournal(journalFile)).map((e) => [e.id, e.status])).toEqual([[r.journalId, 'applied']]);
  });

  it('a rejoin whose file is gone is refused', async () => {
    const f = join(dir, 'authorized_keys');
    const fix: Fix = {
      id: 'rejoin-authorized-key',
      title: 't',
      commands: [],
      risk: '',
      undo: [],
      rewrite: {
        path: f,
        line: 1,
        first: 'a',
        second: 'b',
        backup: `${f}.bak`,
        user: { uid: 0, gid: 0, name: 'root' },
      },
    };
    expect(await runFix(fix, { env: {}, envOnly: true, self: ['n', 'c'], journalFile })).toEqual({
      ok: false,
      log: [`refused: ${f}: ENOENT`],
      journalId: undefined,
    });
  });

  it.each([
    [
      'pathChanges',
      { pathChanges: [] },
      'refused: this permission fix was planned for this machine, not for the --via host',
    ],
    [
      'rewrite',
      { rewrite: { path: '/k', line: 1, first: 'a', second: 'b', backup: '/b', user: { uid: 1, gid: 1, name: 'a' } } },
      'refused: this rejoin was planned for this machine, not for the --via host',
    ],
  ])('a %s fix over --via is refused', async (_n, more, why) => {
    const { host, calls } = fakeHost();
    const fix = { id: 'x', title: 't', commands: [['true']], risk: '', undo: [], ...more } as Fix;
    expect(await runFix(fix, { host, env: {}, self: ['n', 'c'], journalFile })).toEqual({ ok: false, log: [why] });
    expect(calls).toEqual([]);
  });
});

/** A --via host whose commands are recorded and answered by `answer` (default: success). */
function fakeHost(answer: (c: Command) => ReturnType<typeof ran> = () => ran(''), files: Record<string, string> = {}) {
  const calls: Command[] = [];
  const inputs: (string | undefined)[] = [];
  const options: Parameters<Exec>[1][] = [];
  const exec: Exec = async (c, o) => {
    calls.push(c);
    inputs.push(o?.input);
    options.push(o);
    return answer(c);
  };
  const host: Host = {
    exec,
    via,
    readFile: async (p) => files[p],
    listDir: async () => [],
    sha256: async (p) => `sha-of-${p}`,
  };
  return { host, calls, inputs, options };
}

describe('runFix on a --via host: rollback, settle, verify', () => {
  const allow = ['iptables', '-t', 'filter', '-I', 'INPUT', '1', '-p', 'tcp', '--dport', '2200', '-j', 'ACCEPT'];
  const remove = ['iptables', '-t', 'filter', '-D', 'INPUT', '-p', 'tcp', '--dport', '2200', '-j', 'ACCEPT'];
  const firewall: Fix = { id: 'firewall-allow-ssh', title: 'Allow 2200', commands: [allow], risk: '', undo: [remove] };
  const nftAdd = [
    'nft',
    '--echo',
    '--handle',
    'add',
    'rule',
    'inet',
    'filter',
    'input',
    'tcp',
    'dport',
    '2200',
    'accept',
    'comment',
    '"ssh-doctor"',
  ];
  const nftFix: Fix = {
    ...firewall,
    commands: [nftAdd],
    undo: 'nft delete rule inet filter input handle <the handle printed when the rule was added>',
  };
  const LISTING = `table inet filter {
\tchain input { # handle 1
\t\ttcp dport 2200 accept comment "ssh-doctor" # handle 4
\t\ttcp dport 2200 drop # handle 3
\t}
}
`;

  it('--dry-run: the commands, and the rollback a new connection must beat', async () => {
    const { host, calls } = fakeHost();
    const r = await runFix(firewall, {
      host,
      dryRun: true,
      env: {},
      self: ['n', 'c'],
      journalFile,
      rollbackSeconds: 20,
    });
    expect(r.log).toEqual([
      `(dry run) $ ${allow.join(' ')}`,
      '(dry run) this change would be rolled back after 20 s unless a new SSH connection to root@h.example:2200 gets through',
    ]);
    expect(calls).toEqual([]);
  });

  it('the timer cannot start there: its files are removed and the change refused', async () => {
    const { host, calls } = fakeHost((c) =>
      c[0] === 'sh' && c[2]?.startsWith('setsid') ? ran('', { exitCode: 127 }) : ran(''),
    );
    const r = await runFix(firewall, { host, env: {}, self: ['n', 'c'], journalFile, systemd: false });
    expect(r.ok).toBe(false);
    expect(r.log).toEqual([
      'refused: the rollback timer did not start on h.example (exit 127), and a firewall change is not made there without one',
    ]);
    expect(calls.at(-1)![0]).toBe('rm');
    expect(calls.at(-1)!.slice(1, 2)).toEqual(['-f']);
    expect(calls.at(-1)![2]).toMatch(/^\/run\/ssh-doctor-rollback-[0-9a-f]{8}\.sh$/);
    expect(calls.at(-1)![3]).toMatch(/^\/run\/ssh-doctor-rollback-[0-9a-f]{8}\.armed$/);
    expect(calls.some((c) => c[0] === 'iptables')).toBe(false);
  });

  it('systemd there, timer armed; the change fails: put back by its recovery, the timer disarmed', async () => {
    const { host, calls, inputs } = fakeHost((c) =>
      c[0] === 'iptables' ? ran('', { exitCode: 1, stderr: 'iptables: bad\n' }) : ran(''),
    );
    const r = await runFix(firewall, { host, env: {}, self: ['n', 'c'], journalFile });
    const id = (await readJournal(journalFile))[0]!.id;
    expect(calls).toEqual([
      [
        'sh',
        '-c',
        'umask 077 && cat > "$1" && : > "$2"',
        'sh',
        `/run/ssh-doctor-rollback-${id}.sh`,
        `/run/ssh-doctor-rollback-${id}.armed`,
      ],
      ['test', '-d', '/run/systemd/system'],
      [
        'systemd-run',
        '--quiet',
        `--unit=ssh-doctor-rollback-${id}`,
        '--on-active=60',
        '--timer-property=AccuracySec=1s',
        'sh',
        `/run/ssh-doctor-rollback-${id}.sh`,
      ],
      allow,
      ['rm', `/run/ssh-doctor-rollback-${id}.armed`],
    ]);
    // The timer's script runs the exact undo, bounded, only if it claims the token first.
    expect(inputs[0]).toContain(
      `if rm '/run/ssh-doctor-rollback-${id}.armed' 2>/dev/null; then $t 'iptables' '-t' 'filter' '-D' 'INPUT' '-p' 'tcp' '--dport' '2200' '-j' 'ACCEPT'; fi`,
    );
    expect(r).toEqual({
      ok: false,
      journalId: id,
      log: [
        `rollback armed on h.example (/run/ssh-doctor-rollback-${id}.sh): $ systemd-run --quiet --unit=ssh-doctor-rollback-${id} --on-active=60 --timer-property=AccuracySec=1s sh /run/ssh-doctor-rollback-${id}.sh`,
        `$ ${allow.join(' ')}`,
        '  failed: iptables: bad',
      ],
    });
  });

  it('the change fails and the token cannot be claimed: says the timer may still undo it', async () => {
    const { host } = fakeHost((c) => (c[0] === 'iptables' || c[0] === 'rm' ? ran('', { exitCode: 1 }) : ran('')));
    const r = await runFix(firewall, { host, env: {}, self: ['n', 'c'], journalFile, systemd: true });
    const deadline = (await readJournal(journalFile))[0]!.rollback!.deadline;
    expect(r.log.at(-1)).toBe(
      `The rollback timer on root@h.example:2200 may still run this change's undo at ${deadline}.`,
    );
  });

  it('no way to reconnect, and reverting fails too: the timer is left to revert it', async () => {
    let n = 0;
    const { host } = fakeHost((c) =>
      c[0] === 'iptables' && n++ > 0 ? ran('', { exitCode: 1, stderr: 'gone' }) : ran(''),
    );
    const r = await runFix(firewall, { host, env: {}, self: ['n', 'c'], journalFile, systemd: true });
    const deadline = (await readJournal(journalFile))[0]!.rollback!.deadline;
    expect(r.ok).toBe(false);
    expect(r.log.at(-1)).toBe(
      `A new SSH connection to root@h.example:2200 failed (no way to open one), and reverting through this one failed too: the timer on root@h.example:2200 reverts the change at ${deadline}.`,
    );
  });

  it('a reconnect that throws a non-Error is reported as given', async () => {
    const { host } = fakeHost();
    const r = await runFix(firewall, {
      host,
      env: {},
      self: ['n', 'c'],
      journalFile,
      systemd: true,
      reconnect: () => Promise.reject('refused by peer'),
    });
    expect(r.log).toContain(
      'A new SSH connection to root@h.example:2200 failed (refused by peer), so the change was rolled back:',
    );
  });

  it('nft: the chain listed first, the timer deletes only new tagged rules, the new handle journaled as the undo', async () => {
    const { host, calls, inputs } = fakeHost((c) =>
      c[0] === 'nft' && c[1] === '-a'
        ? ran(LISTING)
        : c[0] === 'nft'
          ? ran('add rule inet filter input tcp dport 2200 accept comment "ssh-doctor" # handle 9\n')
          : ran(''),
    );
    const fresh = fakeHost();
    const r = await runFix(nftFix, {
      host,
      env: {},
      self: ['n', 'c'],
      journalFile,
      systemd: true,
      reconnect: async () => ({ ...fresh.host, close: () => {} }),
    });
    expect(r.ok).toBe(true);
    expect(calls[0]).toEqual(['nft', '-a', 'list', 'chain', 'inet', 'filter', 'input']);
    expect(inputs[1]).toContain("for h in $($t nft -a list chain 'inet' 'filter' 'input'");
    expect(inputs[1]).toContain("case ' 4 ' in");
    const [applied, confirmed] = await readJournal(journalFile);
    expect(confirmed).toMatchObject({ status: 'confirmed', undoes: applied!.id });
    expect(applied).toMatchObject({
      status: 'applied',
      nftTagged: [4],
      undo: [['nft', 'delete', 'rule', 'inet', 'filter', 'input', 'handle', '9']],
    });
  });

  it("nft: the chain cannot be listed there: refused, with nft's own words", async () => {
    const { host, calls } = fakeHost((c) =>
      c[0] === 'nft' ? ran('', { exitCode: 1, stderr: 'Error: No such file or directory\n' }) : ran(''),
    );
    const r = await runFix(nftFix, { host, env: {}, self: ['n', 'c'], journalFile });
    expect(r.log).toEqual([
      'refused: over --via this change needs an automatic rollback, and nft could not list inet filter input (Error: No such file or directory); run ssh-doctor server on h.example itself',
    ]);
    expect(calls).toHaveLength(1);
  });

  it('nft: no stderr either: the exit code', async () => {
    const { host } = fakeHost((c) => (c[0] === 'nft' ? ran('', { exitCode: 2 }) : ran('')));
    const r = await runFix(nftFix, { host, env: {}, self: ['n', 'c'], journalFile });
    expect(r.log[0]).toContain('nft could not list inet filter input (exit 2)');
  });

  it('a permission fix run there by path: each chmod read back, a symlink or another mode not verified', async () => {
    const chmods: Fix = {
      id: 'fix-ssh-dir-permissions',
      title: 't',
      commands: [
        ['setpriv', '--reuid=1000', '--regid=1000', '--clear-groups', 'chmod', '0700', '/home/a/.ssh'],
        ['chmod', '0600', '/home/a/.ssh/authorized_keys'],
        ['chmod', '0755', '/home/a'],
        ['chown', 'a:a', '/home/a'],
      ],
      risk: '',
      undo: [],
    };
    const stat: Record<string, ReturnType<typeof ran>> = {
      '/home/a/.ssh': ran('700 directory\n'),
      '/home/a/.ssh/authorized_keys': ran('777 symbolic link\n'),
      '/home/a': ran('', { exitCode: 1, stderr: "stat: cannot statx '/home/a': Permission denied\n" }),
    };
    const { host, calls } = fakeHost((c) => (c[0] === 'stat' ? stat[c.at(-1)!]! : ran('')));
    const r = await runFix(chmods, { host, env: {}, self: ['n', 'c'], journalFile });
    expect(calls.filter((c) => c[0] === 'stat')).toEqual([
      ['stat', '-c', '%a %F', '--', '/home/a/.ssh'],
      ['stat', '-c', '%a %F', '--', '/home/a/.ssh/authorized_keys'],
      ['stat', '-c', '%a %F', '--', '/home/a'],
    ]);
    expect(r.ok).toBe(false);
    expect(r.log.slice(-3)).toEqual([
      'verified: /home/a/.ssh is 0700',
      'not verified: /home/a/.ssh/authorized_keys is 777 symbolic link, not 0600',
      "not verified: /home/a is stat: cannot statx '/home/a': Permission denied, not 0755",
    ]);
  });

  it('all chmods verified: ok; a mode read back wrong: not ok; nothing printed: unreadable', async () => {
    const fix: Fix = { id: 'x', title: 't', commands: [['chmod', '0600', '/k']], risk: '', undo: [] };
    const good = fakeHost((c) => (c[0] === 'stat' ? ran('600 regular file\n') : ran('')));
    expect(await runFix(fix, { host: good.host, env: {}, self: ['n', 'c'], journalFile })).toMatchObject({
      ok: true,
      log: ['$ chmod 0600 /k', 'verified: /k is 0600'],
    });
    const wrong = fakeHost((c) => (c[0] === 'stat' ? ran('640 regular file\n') : ran('')));
    expect(await runFix(fix, { host: wrong.host, env: {}, self: ['n', 'c'], journalFile })).toMatchObject({
      ok: false,
      log: ['$ chmod 0600 /k', 'not verified: /k is 640 regular file, not 0600'],
    });
    const mute = fakeHost((c) => (c[0] === 'stat' ? ran('', { exitCode: 1 }) : ran('')));
    expect((await runFix(fix, { host: mute.host, env: {}, self: ['n', 'c'], journalFile })).log.at(-1)).toBe(
      'not verified: /k is unreadable, not 0600',
    );
    // A fix that failed is not verified.
    const failing = fakeHost((c) => (c[0] === 'chmod' ? ran('', { exitCode: 1 }) : ran('600 regular file\n')));
    const f = await runFix(fix, { host: failing.host, env: {}, self: ['n', 'c'], journalFile });
    expect(failing.calls.map((c) => c[0])).toEqual(['chmod']);
    expect(f.ok).toBe(false);
  });

  it('the timer is started with a 15 s bound, and journaled with its command and deadline', async () => {
    const { host, calls, options } = fakeHost();
    const fresh = fakeHost();
    let closed = 0;
    const r = await runFix(firewall, {
      host,
      env: {},
      self: ['n', 'c'],
      journalFile,
      systemd: true,
      rollbackSeconds: 30,
      reconnect: async () => ({ ...fresh.host, close: () => closed++ }),
    });
    const start = calls.findIndex((c) => c[0] === 'systemd-run');
    expect(options[start]).toEqual({ timeoutMs: 15_000 });
    const [applied] = await readJournal(journalFile);
    expect(applied!.rollback).toEqual({ deadline: expect.any(String), command: calls[start] });
    const left = (Date.parse(applied!.rollback!.deadline) - Date.now()) / 1000;
    expect(left).toBeGreaterThan(25);
    expect(left).toBeLessThanOrEqual(30);
    expect(r.ok).toBe(true);
    expect(closed).toBe(1);
  });

  it('the change reverted through this connection: its undo lines shown indented, journaled as by ssh-doctor', async () => {
    const { host } = fakeHost();
    const r = await runFix(firewall, { host, env: {}, self: ['n', 'c'], journalFile, systemd: true });
    const i = r.log.indexOf(
      'A new SSH connection to root@h.example:2200 failed (no way to open one), so the change was rolled back:',
    );
    expect(r.log.slice(i + 1)).toEqual([`  $ ${remove.join(' ')}`]);
  });

  it('the timer won the race: the journal says the timer there rolled it back', async () => {
    const { host } = fakeHost();
    const fresh = fakeHost((c) => (c[0] === 'rm' ? ran('', { exitCode: 1 }) : ran('')));
    let closed = 0;
    await runFix(firewall, {
      host,
      env: {},
      self: ['n', 'c'],
      journalFile,
      systemd: true,
      reconnect: async () => ({ ...fresh.host, close: () => closed++ }),
    });
    const [applied, back] = await readJournal(journalFile);
    expect(back).toMatchObject({
      status: 'rolled-back',
      undoes: applied!.id,
      title: 'Rolled back by its timer on root@h.example:2200: Allow 2200',
    });
    expect(closed).toBe(1);
  });

  it('the journal is shared: the confirmation names this change, not an earlier one', async () => {
    const { host } = fakeHost();
    await runFix({ ...firewall, id: 'other', title: 'earlier' }, { host, env: {}, self: ['n', 'c'], journalFile });
    const fresh = fakeHost();
    const r = await runFix(firewall, {
      host,
      env: {},
      self: ['n', 'c'],
      journalFile,
      systemd: true,
      reconnect: async () => ({ ...fresh.host, close: () => {} }),
    });
    expect((await readJournal(journalFile)).filter((e) => e.status === 'confirmed').map((e) => e.undoes)).toEqual([
      r.journalId,
    ]);
  });

  it('a config edit there: the recovery runs when a step fails; when it applies, the file it wrote is hashed and the original remembered', async () => {
    const FILE = '/etc/ssh/sshd_config';
    const TMP = '/etc/ssh/.sshd_config.ssh-doctor-tmp';
    const BACKUP = `${FILE}.ssh-doctor-1`;
    const text = 'UseDNS yes\n';
    const commands = [
      ['cp', '-p', FILE, BACKUP],
      ['cp', '-p', FILE, TMP],
      ['sed', '-i', '-e', '1c UseDNS no', TMP],
      ['/usr/sbin/sshd', '-t', '-f', TMP],
      ['mv', TMP, FILE],
    ];
    const fix = () =>
      rememberSource(
        { id: 'disable-usedns', title: 't', commands, risk: '', undo: [['cp', '-p', BACKUP, FILE]] },
        FILE,
        text,
      );
    const failing = fakeHost(
      (c) => (c[0] === '/usr/sbin/sshd' ? ran('', { exitCode: 255, stderr: 'line 1: Bad' }) : ran('')),
      { [FILE]: text },
    );
    const bad = await runFix(fix(), { host: failing.host, env: {}, self: ['n', 'c'], journalFile });
    expect(bad.ok).toBe(false);
    expect(failing.calls.at(-1)).toEqual(['rm', '-f', TMP, BACKUP]);
    expect(bad.log.at(-1)).toBe(`  put back: $ rm -f ${TMP} ${BACKUP}`);

    const good = fakeHost(() => ran(''), { [FILE]: text });
    const ok = await runFix(fix(), { host: good.host, env: {}, self: ['n', 'c'], journalFile });
    expect(ok.ok).toBe(true);
    const entry = (await readJournal(journalFile)).find((e) => e.id === ok.journalId)!;
    expect(entry.results).toEqual([{ path: FILE, sha256: `sha-of-${FILE}` }]);
    expect(entry.original).toEqual({ path: FILE, sha256: createHash('sha256').update(text).digest('hex') });
    expect(entry.backups).toEqual([BACKUP]);
  });

  it('nft: the listings before the change are bounded and exact; a failed one journals no tagged rules', async () => {
    const listCmd = ['nft', '-a', 'list', 'chain', 'inet', 'filter', 'input'];
    const same = (a: Command, b: Command) => a.length === b.length && a.every((x, i) => x === b[i]);
    const { host, options, calls } = fakeHost((c) => (same(c, listCmd) ? ran(LISTING) : ran('# handle 9\n')));
    await runFix(nftFix, { host, env: {}, self: ['n', 'c'], journalFile, systemd: true });
    expect(options[0]).toEqual({ maxBytes: 64 * 1024 * 1024 });
    expect(calls.filter((c) => same(c, listCmd))).toHaveLength(2);
    const applied = journalLines().find((e) => e.status === 'applied')!;
    expect(applied.nftTagged).toEqual([4]);

    // Listed for the timer, but not for the journal: no nftTagged rather than a wrong one.
    let lists = 0;
    const second = fakeHost((c) => (same(c, listCmd) ? (lists++ ? ran('', { exitCode: 1 }) : ran(LISTING)) : ran('')));
    const r2 = await runFix(nftFix, { host: second.host, env: {}, self: ['n', 'c'], journalFile, systemd: true });
    expect(journalLines().find((e) => e.id === r2.journalId && e.status === 'pending')!.nftTagged).toBeUndefined();
  });
});
