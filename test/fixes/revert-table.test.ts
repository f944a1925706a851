// The undo rules, row by row, against a fake host: what `ssh-doctor undo` says and runs for each
// kind of journal entry, and what it journals. The real files and firewalls are the lab's.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readJournal, type JournalEntry } from '../../src/fixes/journal.js';
import { changedSince, resultsOf, revertEntry, undoable, type RevertOptions } from '../../src/fixes/revert.js';
import type { Command } from '../../src/report.js';
import type { RunResult } from '../../src/run.js';
import type { Host } from '../../src/server/host.js';

const result = (over: Partial<RunResult> = {}): RunResult => ({
  exitCode: 0,
  stdout: '',
  stderr: '',
  timedOut: false,
  missing: false,
  durationMs: 1,
  ...over,
});

/** A host whose files hash as given and whose commands answer as `answer` says; it records every run. */
function fakeHost(hashes: Record<string, string> = {}, answer: (c: Command) => Partial<RunResult> = () => ({})) {
  const ran: { cmd: Command; timeoutMs?: number }[] = [];
  const host: Host = {
    exec: async (cmd, opts) => {
      ran.push({ cmd, timeoutMs: opts?.timeoutMs });
      return result(answer(cmd));
    },
    readFile: async () => undefined,
    listDir: async () => undefined,
    sha256: async (p) => hashes[p],
  };
  return { host, ran, cmds: () => ran.map((r) => r.cmd) };
}

const base = (over: Partial<JournalEntry> = {}): JournalEntry => ({
  id: 'c1',
  at: '2026-11-30T00:00:00.000Z',
  fixId: 'firewall-allow-ssh',
  title: 'Allow SSH through the firewall',
  commands: [['iptables', '-I', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT']],
  undo: [['iptables', '-D', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT']],
  backups: [],
  status: 'applied',
  ...over,
});

let journalFile: string;
beforeEach(() => {
  journalFile = join(mkdtempSync(join(tmpdir(), 'revert-table-')), 'journal.jsonl');
});
const revert = (entry: JournalEntry, host: Host, opts: Omit<RevertOptions, 'journalFile' | 'host'> = {}) =>
  revertEntry(entry, { ...opts, host, journalFile });

describe('undoable: what `ssh-doctor undo --list` offers', () => {
  const e = (id: string, status: JournalEntry['status'], undoes?: string) =>
    base({ id, status, ...(undoes ? { undoes } : {}) });
  it.each<[string, JournalEntry[], string[]]>([
    ['applied and pending are offered', [e('a', 'applied'), e('p', 'pending')], ['a', 'p']],
    ['failed and confirmed are not', [e('f', 'failed'), e('k', 'confirmed')], []],
    ['one undone since is not', [e('a', 'applied'), e('a-u', 'undone', 'a')], []],
    ['one rolled back since is not', [e('a', 'applied'), e('a-u', 'rolled-back', 'a')], []],
    ['a failed undo leaves it offered', [e('a', 'applied'), e('a-u', 'failed', 'a')], ['a']],
    ['a confirmation does not take it away', [e('a', 'applied'), e('a-k', 'confirmed', 'a')], ['a']],
    ['an undo entry itself is never offered', [e('x-u', 'applied', 'x')], []],
    ['another change undone leaves this one', [e('a', 'applied'), e('b', 'applied'), e('b-u', 'undone', 'b')], ['a']],
  ])('%s', (_, entries, want) => {
    expect(undoable(entries).map((x) => x.id)).toEqual(want);
  });
});

describe('resultsOf and changedSince: a file edited after the fix blocks its undo', () => {
  it('records the hash of each file that can be read, and nothing when none can', async () => {
    const { host } = fakeHost({ '/etc/ssh/sshd_config': 'aa' });
    expect(await resultsOf(['/etc/ssh/sshd_config', '/gone'], host)).toEqual({
      results: [{ path: '/etc/ssh/sshd_config', sha256: 'aa' }],
    });
    expect(await resultsOf(['/gone'], host)).toEqual({});
  });

  it('names the files whose hash moved, or that are gone', async () => {
    const { host } = fakeHost({ '/a': 'same', '/b': 'new' });
    const entry = base({
      results: [
        { path: '/a', sha256: 'same' },
        { path: '/b', sha256: 'old' },
        { path: '/c', sha256: 'was' },
      ],
    });
    expect(await changedSince(entry, host)).toEqual(['/b', '/c']);
    expect(await changedSince(base(), host)).toEqual([]);
  });
});

describe('revertEntry: what undo says and runs', () => {
  it('an undo that is only words: refused, with the words, and nothing journaled', async () => {
    const { host, ran } = fakeHost();
    const r = await revert(base({ undo: 'Remove the rule by hand' }), host);
    expect(r).toEqual({ ok: false, log: ['This change has no automatic undo. By hand: Remove the rule by hand'] });
    expect(ran).toEqual([]);
    expect(await readJournal(journalFile)).toEqual([]);
  });

  it('runs the undo commands in order, with a 30 s bound each, and journals the undo', async () => {
    const undo: Command[] = [
      ['cp', '-p', '/etc/ssh/sshd_config.bak', '/etc/ssh/sshd_config'],
      ['systemctl', 'reload', 'ssh'],
    ];
    const { host, ran } = fakeHost();
    const r = await revert(base({ undo, via: { host: 'db1', port: 22 } }), host);
    expect(r).toEqual({
      ok: true,
      log: ['$ cp -p /etc/ssh/sshd_config.bak /etc/ssh/sshd_config', '$ systemctl reload ssh'],
    });
    expect(ran).toEqual([
      { cmd: undo[0], timeoutMs: 30_000 },
      { cmd: undo[1], timeoutMs: 30_000 },
    ]);
    const [u] = await readJournal(journalFile);
    expect(u).toMatchObject({
      id: 'c1-u',
      fixId: 'firewall-allow-ssh',
      title: 'Undo: Allow SSH through the firewall',
      commands: undo,
      undo: base().commands,
      backups: [],
      status: 'undone',
      undoes: 'c1',
      via: { host: 'db1', port: 22 },
    });
  });

  it('a rollback timer journals its undo as rolled-back, with the timeout it was given', async () => {
    const { host, ran } = fakeHost();
    await revert(base(), host, { as: 'rolled-back', timeoutMs: 5000 });
    expect(ran.map((r) => r.timeoutMs)).toEqual([5000]);
    const [u] = await readJournal(journalFile);
    expect(u?.status).toBe('rolled-back');
    expect(u && 'via' in u).toBe(false);
  });

  it.each<[string, Partial<RunResult>, string]>([
    ['not installed', { exitCode: undefined, missing: true }, '  failed: iptables is not installed'],
    ['timed out', { exitCode: undefined, timedOut: true }, '  failed: timed out'],
    ['its stderr, trimmed', { exitCode: 1, stderr: ' iptables: Bad rule.\n' }, '  failed: iptables: Bad rule.'],
    ['the exit code when silent', { exitCode: 4, stderr: '  ' }, '  failed: exit 4'],
  ])('a failing step says why (%s), stops there, and journals the undo failed', async (_, answer, why) => {
    const undo: Command[] = [
      ['iptables', '-D', 'INPUT', '1'],
      ['iptables', '-D', 'INPUT', '2'],
    ];
    const { host, cmds } = fakeHost({}, (c) => (c[3] === '1' ? answer : {}));
    const r = await revert(base({ undo }), host);
    expect(r).toEqual({ ok: false, log: ['$ iptables -D INPUT 1', why] });
    expect(cmds()).toEqual([undo[0]]);
    expect((await readJournal(journalFile)).map((e) => e.status)).toEqual(['failed']);
  });

  it('--dry-run shows each command and runs nothing', async () => {
    const { host, ran } = fakeHost();
    const r = await revert(base(), host, { dryRun: true });
    expect(r).toEqual({ ok: true, log: ['(dry run) $ iptables -D INPUT -p tcp --dport 22 -j ACCEPT'] });
    expect(ran).toEqual([]);
    expect(await readJournal(journalFile)).toEqual([]);
  });

  describe('a file changed after the fix', () => {
    const entry = base({
      fixId: 'disable-usedns',
      undo: [['cp', '-p', '/etc/ssh/sshd_config.bak', '/etc/ssh/sshd_config']],
      results: [
        { path: '/etc/ssh/sshd_config', sha256: 'fix' },
        { path: '/etc/ssh/sshd_config.d/x.conf', sha256: 'fix2' },
      ],
    });
    const later = { '/etc/ssh/sshd_config': 'edited', '/etc/ssh/sshd_config.d/x.conf': 'edited' };

    it('is refused with the files named, nothing run or journaled', async () => {
      const { host, ran } = fakeHost(later);
      const r = await revert(entry, host);
      expect(r).toEqual({
        ok: false,
        log: [
          '/etc/ssh/sshd_config, /etc/ssh/sshd_config.d/x.conf changed after this change was made; undoing it would discard that. Undo later changes first, or add --force.',
        ],
      });
      expect(ran).toEqual([]);
      expect(await readJournal(journalFile)).toEqual([]);
    });

    it('--force undoes it anyway', async () => {
      const { host, cmds } = fakeHost(later);
      expect((await revert(entry, host, { force: true })).ok).toBe(true);
      expect(cmds()).toEqual(entry.undo);
    });

    it('unchanged files let the undo run', async () => {
      const { host } = fakeHost({ '/etc/ssh/sshd_config': 'fix', '/etc/ssh/sshd_config.d/x.conf': 'fix2' });
      expect((await revert(entry, host)).ok).toBe(true);
    });
  });

  describe('a change ssh-doctor stopped in the middle of (pending)', () => {
    it('an iptables rule that is not there is not removed; one that is, is', async () => {
      const undo: Command[] = [
        ['iptables', '-D', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT'],
        ['ip6tables', '-D', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT'],
      ];
      // -C answers 1 (no such rule) for iptables, 0 for ip6tables.
      const { host, cmds } = fakeHost({}, (c) => (c.includes('-C') && c[0] === 'iptables' ? { exitCode: 1 } : {}));
      const r = await revert(base({ status: 'pending', undo }), host);
      expect(r).toEqual({
        ok: true,
        log: [
          'not there, nothing to remove: iptables -D INPUT -p tcp --dport 22 -j ACCEPT',
          '$ ip6tables -D INPUT -p tcp --dport 22 -j ACCEPT',
        ],
      });
      expect(cmds()).toEqual([
        ['iptables', '-C', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT'],
        ['ip6tables', '-C', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT'],
        undo[1],
      ]);
    });

    it('an applied change is removed without asking first whether the rule is there', async () => {
      const { host, cmds } = fakeHost();
      await revert(base(), host);
      expect(cmds()).toEqual(base().undo);
    });

    it('pending skips the "changed since" check (the hashes were never recorded)', async () => {
      const { host, ran } = fakeHost({ '/f': 'other' });
      const r = await revert(
        base({ status: 'pending', undo: [['true']], results: [{ path: '/f', sha256: 'x' }] }),
        host,
      );
      expect(r.ok).toBe(true);
      expect(ran.map((x) => x.cmd)).toEqual([['true']]);
    });

    describe('an nft rule, whose handle only the listing tells', () => {
      const add: Command = ['nft', 'insert', 'rule', 'inet', 'filter', 'input', 'tcp', 'dport', '22', 'accept'];
      const listing = [
        'table inet filter {',
        '\tchain input { # handle 1',
        '\t\ttcp dport 22 accept comment "ssh-doctor" # handle 7',
        '\t\ttcp dport 2222 accept comment "ssh-doctor" # handle 9',
        '\t\ttcp dport 80 accept # handle 12',
        '\t}',
        '}',
      ].join('\n');
      const entry = base({
        fixId: 'firewall-allow-ssh',
        commands: [add],
        undo: 'nft delete rule inet filter input handle <the handle printed when the rule was added>',
        status: 'pending',
        nftTagged: [7],
      });

      it('removes the tagged rules that were not there before the change', async () => {
        const { host, cmds } = fakeHost({}, (c) => (c[1] === '-a' ? { stdout: listing } : {}));
        const r = await revert(entry, host);
        expect(r).toEqual({ ok: true, log: ['$ nft delete rule inet filter input handle 9'] });
        expect(cmds()).toEqual([
          ['nft', '-a', 'list', 'chain', 'inet', 'filter', 'input'],
          ['nft', 'delete', 'rule', 'inet', 'filter', 'input', 'handle', '9'],
        ]);
      });

      it('an applied entry with words for an undo is still only words', async () => {
        const { host, ran } = fakeHost();
        const r = await revert({ ...entry, status: 'applied' }, host);
        expect(r.ok).toBe(false);
        expect(ran).toEqual([]);
      });

      it('without the rules it held before, nothing is removed', async () => {
        const { host, ran } = fakeHost({}, () => ({ stdout: listing }));
        const { nftTagged: _, ...untagged } = entry;
        const r = await revert(untagged, host);
        expect(r.ok).toBe(false);
        expect(ran).toEqual([]);
      });
    });

    describe('a config edit', () => {
      const file = '/etc/ssh/sshd_config';
      const backup = '/etc/ssh/sshd_config.ssh-doctor-20261130T000000.000Z';
      const entry = base({
        fixId: 'disable-usedns',
        status: 'pending',
        backups: [backup],
        undo: [['cp', '-p', backup, file]],
        original: { path: file, sha256: 'diagnosed' },
      });
      const leftovers = `${backup}, /etc/ssh/.sshd_config.ssh-doctor-tmp`;

      it.each([
        ['still as diagnosed', { [file]: 'diagnosed', [backup]: 'cut-short' }],
        ['as its backup', { [file]: 'partial', [backup]: 'partial' }],
      ])('never replaced (%s): only the leftovers are removed', async (_, hashes) => {
        const { host, cmds } = fakeHost(hashes);
        const r = await revert(entry, host);
        expect(r).toEqual({
          ok: true,
          log: [`${file} was never replaced (ssh-doctor stopped before); removed what it had left: ${leftovers}`],
        });
        expect(cmds()).toEqual([['rm', '-f', '--', backup, '/etc/ssh/.sshd_config.ssh-doctor-tmp']]);
        expect((await readJournal(journalFile)).map((e) => e.status)).toEqual(['undone']);
      });

      it('never replaced, and the leftovers could not be removed: not ok, journaled failed', async () => {
        const { host } = fakeHost({ [file]: 'diagnosed' }, () => ({ exitCode: 1 }));
        expect((await revert(entry, host)).ok).toBe(false);
        expect((await readJournal(journalFile)).map((e) => e.status)).toEqual(['failed']);
      });

      it('never replaced, --dry-run: says what it would remove', async () => {
        const { host, ran } = fakeHost({ [file]: 'diagnosed' });
        expect(await revert(entry, host, { dryRun: true })).toEqual({
          ok: true,
          log: [`(dry run) ${file} was never replaced; $ rm -f ${backup} /etc/ssh/.sshd_config.ssh-doctor-tmp`],
        });
        expect(ran).toEqual([]);
      });

      it('replaced, and the backup holds the original: the undo puts it back', async () => {
        const { host, cmds } = fakeHost({ [file]: 'edited', [backup]: 'diagnosed' });
        expect(await revert(entry, host)).toEqual({ ok: true, log: [`$ cp -p ${backup} ${file}`] });
        expect(cmds()).toEqual(entry.undo);
      });

      it('the file gone and the backup the original: put back', async () => {
        const { host, cmds } = fakeHost({ [backup]: 'diagnosed' });
        expect((await revert(entry, host)).ok).toBe(true);
        expect(cmds()).toEqual(entry.undo);
      });

      it.each([
        ['the backup', backup, { [file]: 'edited', [backup]: 'other' }],
        ['a backup', undefined, { [file]: 'edited' }],
      ])('neither as diagnosed nor restorable: refused, naming %s', async (_, named, hashes) => {
        const { host, ran } = fakeHost(hashes);
        const r = await revert({ ...entry, backups: named ? [named] : [] }, host);
        expect(r).toEqual({
          ok: false,
          log: [
            `${file} is neither as it was diagnosed nor restorable from ${named ?? 'a backup'}: ssh-doctor stopped mid-change and cannot tell what to put back. Compare them by hand.`,
          ],
        });
        expect(ran).toEqual([]);
        expect(await readJournal(journalFile)).toEqual([]);
      });

      it('an applied edit is undone by its commands, whatever its backup holds', async () => {
        const { host, cmds } = fakeHost({ [file]: 'diagnosed' });
        expect((await revert({ ...entry, status: 'applied' }, host)).ok).toBe(true);
        expect(cmds()).toEqual(entry.undo);
      });
    });
  });

  describe('a permission fix (objects by identity)', () => {
    const objects = [
      {
        path: '/home/alice/.ssh',
        type: 'dir' as const,
        user: { uid: 1000, gid: 1000, name: 'alice' },
        before: { dev: 1, ino: 42, mode: 0o40777, uid: 1000, gid: 1000 },
        after: { dev: 1, ino: 42, mode: 0o40700, uid: 1000, gid: 1000 },
      },
    ];
    it('--dry-run names the mode and owner it would put back, and the inode it must still be', async () => {
      const { host, ran } = fakeHost();
      const r = await revert(base({ fixId: 'ssh-dir-permissions', objects, undo: [] }), host, { dryRun: true });
      expect(r).toEqual({
        ok: true,
        log: ['(dry run) /home/alice/.ssh: back to 0777 1000:1000, if it is still inode 42'],
      });
      expect(ran).toEqual([]);
    });

    it('over --via it is undone by its commands there, not by inode here', async () => {
      const undo: Command[] = [['chmod', '0777', '/home/alice/.ssh']];
      const { host, cmds } = fakeHost();
      const r = await revert(base({ objects, undo, via: { host: 'db1', port: 22 } }), host, { dryRun: true });
      expect(r).toEqual({ ok: true, log: ['(dry run) $ chmod 0777 /home/alice/.ssh'] });
      expect(cmds()).toEqual([]);
    });
  });
});
