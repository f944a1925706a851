// What the user sees when a confirmed fix runs (each command as run, how a step failed, what was
// put back) and what the journal keeps of it, through a fake Exec.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyFix } from '../../src/fixes/apply.js';
import { readJournal } from '../../src/fixes/journal.js';
import type { Command, Fix } from '../../src/report.js';
import type { Exec } from '../../src/server/exec.js';
import { ran } from '../server/run-result.js';

const CFG = '/etc/ssh/sshd_config';
const BACKUP = `${CFG}.ssh-doctor-20261125T120000.000Z`;
const TMP = '/etc/ssh/.sshd_config.ssh-doctor-tmp';
const edit: Fix = {
  id: 'disable-usedns',
  title: 'UseDNS no',
  commands: [
    ['cp', '-p', CFG, BACKUP],
    ['cp', '-p', CFG, TMP],
    ['sed', '-i', '-e', '5c UseDNS no', TMP],
    ['/usr/sbin/sshd', '-t', '-f', TMP],
    ['mv', TMP, CFG],
  ],
  risk: 'Low',
  undo: [['cp', '-p', BACKUP, CFG]],
};

let journalFile: string;
beforeEach(() => {
  journalFile = join(mkdtempSync(join(tmpdir(), 'apply-')), 'journal.jsonl');
});

/** An Exec that records each command and its timeout, answering from `answer`. */
const recording = (answer: (c: Command) => ReturnType<typeof ran> = () => ran('')) => {
  const calls: [Command, number | undefined][] = [];
  const exec: Exec = async (c, o) => {
    calls.push([c, o?.timeoutMs]);
    return answer(c);
  };
  return { calls, exec };
};

describe('applyFix', () => {
  it('--dry-run lists every command and touches neither the system nor the journal', async () => {
    const { calls, exec } = recording();
    expect(await applyFix(edit, { journalFile, dryRun: true, exec })).toEqual({
      ok: true,
      log: [
        `(dry run) $ cp -p ${CFG} ${BACKUP}`,
        `(dry run) $ cp -p ${CFG} ${TMP}`,
        `(dry run) $ sed -i -e '5c UseDNS no' ${TMP}`,
        `(dry run) $ /usr/sbin/sshd -t -f ${TMP}`,
        `(dry run) $ mv ${TMP} ${CFG}`,
      ],
    });
    expect(calls).toEqual([]);
    expect(await readJournal(journalFile)).toEqual([]);
  });

  it('runs each command in order with a 30 s bound, logs it, journals it applied with the cp backups', async () => {
    const { calls, exec } = recording();
    const r = await applyFix(edit, { journalFile, exec, journalId: 'j1' });
    expect(r).toEqual({
      ok: true,
      journalId: 'j1',
      log: [
        `$ cp -p ${CFG} ${BACKUP}`,
        `$ cp -p ${CFG} ${TMP}`,
        `$ sed -i -e '5c UseDNS no' ${TMP}`,
        `$ /usr/sbin/sshd -t -f ${TMP}`,
        `$ mv ${TMP} ${CFG}`,
      ],
    });
    expect(calls).toEqual(edit.commands.map((c) => [c, 30_000]));
    const [entry] = await readJournal(journalFile);
    expect(entry).toMatchObject({
      id: 'j1',
      fixId: 'disable-usedns',
      title: 'UseDNS no',
      status: 'applied',
      commands: edit.commands,
      undo: edit.undo,
      backups: [BACKUP, TMP],
    });
    expect(entry!.recovered).toBeUndefined();
  });

  it('a given timeout and backups list are used as given', async () => {
    const { calls, exec } = recording();
    await applyFix(edit, { journalFile, exec, timeoutMs: 5_000, backups: [BACKUP] });
    expect(calls.map(([, t]) => t)).toEqual([5_000, 5_000, 5_000, 5_000, 5_000]);
    expect((await readJournal(journalFile))[0]!.backups).toEqual([BACKUP]);
  });

  it.each([
    [
      'stderr',
      ran('', { exitCode: 1, stderr: '  /etc/ssh/.sshd_config.ssh-doctor-tmp line 5: Bad configuration option\n' }),
      '  failed: /etc/ssh/.sshd_config.ssh-doctor-tmp line 5: Bad configuration option',
    ],
    ['no stderr', ran('', { exitCode: 255 }), '  failed: exit 255'],
    ['not installed', ran('', { exitCode: undefined, missing: true }), '  failed: /usr/sbin/sshd is not installed'],
  ])(
    'a failing step stops the run and says why (%s); the recovery runs, is logged and journaled',
    async (_n, fail, why) => {
      const { calls, exec } = recording((c) =>
        c[0] === '/usr/sbin/sshd' ? fail : c[0] === 'rm' && c.includes(BACKUP) ? ran('', { exitCode: 1 }) : ran(''),
      );
      const seen: number[] = [];
      const r = await applyFix(edit, {
        journalFile,
        exec,
        backups: [BACKUP],
        recover: (at) => {
          seen.push(at);
          return [
            ['rm', '-f', TMP],
            ['rm', '-f', BACKUP],
          ];
        },
      });
      expect(seen).toEqual([3]);
      expect(r.ok).toBe(false);
      expect(r.log.slice(3)).toEqual([
        `$ /usr/sbin/sshd -t -f ${TMP}`,
        why,
        `  put back: $ rm -f ${TMP}`,
        `  put back: $ rm -f ${BACKUP}  (failed: exit 1)`,
      ]);
      expect(calls.map(([c, t]) => [c[0], t])).toEqual([
        ['cp', 30_000],
        ['cp', 30_000],
        ['sed', 30_000],
        ['/usr/sbin/sshd', 30_000],
        ['rm', 30_000],
        ['rm', 30_000],
      ]);
      const [entry] = await readJournal(journalFile);
      expect(entry).toMatchObject({
        status: 'failed',
        recovered: [
          ['rm', '-f', TMP],
          ['rm', '-f', BACKUP],
        ],
        // Removed by the recovery: no backup to offer.
        backups: [],
        undo: edit.undo,
      });
    },
  );

  it("a recovery step's stderr is shown when it fails; a kept backup stays listed", async () => {
    const { exec } = recording((c) =>
      c[0] === 'mv'
        ? ran('', { exitCode: 1, stderr: 'mv: busy' })
        : c[1] === '-p' && c[2] === BACKUP
          ? ran('', { exitCode: 1, stderr: 'cp: no space\n' })
          : ran(''),
    );
    const r = await applyFix(edit, {
      journalFile,
      exec,
      backups: [BACKUP],
      recover: () => [['cp', '-p', BACKUP, CFG]],
    });
    expect(r.log.slice(-3)).toEqual([
      `$ mv ${TMP} ${CFG}`,
      '  failed: mv: busy',
      `  put back: $ cp -p ${BACKUP} ${CFG}  (failed: cp: no space)`,
    ]);
    expect((await readJournal(journalFile))[0]).toMatchObject({ status: 'failed', backups: [BACKUP] });
  });

  it('the undo only the run can tell replaces the planned one, and only when the fix applied', async () => {
    const nft: Fix = {
      id: 'firewall-allow-ssh',
      title: 'nft',
      commands: [
        ['nft', '--echo', '--handle', 'add', 'rule', 'inet', 'filter', 'input', 'tcp', 'dport', '22', 'accept'],
      ],
      risk: '',
      undo: 'nft delete rule inet filter input handle <the handle printed when the rule was added>',
    };
    const real = [['nft', 'delete', 'rule', 'inet', 'filter', 'input', 'handle', '9']];
    const stdouts: string[][] = [];
    const undoAfter = (s: string[]) => {
      stdouts.push(s);
      return real;
    };
    await applyFix(nft, { journalFile, exec: async () => ran('add rule … # handle 9\n'), undoAfter });
    expect(stdouts).toEqual([['add rule … # handle 9\n']]);
    expect((await readJournal(journalFile))[0]!.undo).toEqual(real);

    // undoAfter finds nothing: the planned undo stays.
    await applyFix(nft, { journalFile, journalId: 'n2', exec: async () => ran(''), undoAfter: () => undefined });
    expect((await readJournal(journalFile)).find((e) => e.id === 'n2')!.undo).toBe(nft.undo);

    const failed = await applyFix(nft, {
      journalFile,
      journalId: 'n3',
      exec: async () => ran('', { exitCode: 1 }),
      undoAfter,
    });
    expect(failed.ok).toBe(false);
    expect((await readJournal(journalFile)).find((e) => e.id === 'n3')!.undo).toBe(nft.undo);
  });

  it('extra journal fields go in from the start; fields known after the change only once it applied', async () => {
    const rollback = { deadline: '2026-11-25T12:01:00.000Z', command: ['sleep', '60'] };
    const after = { results: [{ path: CFG, sha256: 'abc' }] };
    let asked = 0;
    const journalAfter = async () => {
      asked++;
      return after;
    };
    await applyFix(edit, {
      journalFile,
      journalId: 'a',
      exec: async () => ran(''),
      journal: { rollback },
      journalAfter,
    });
    expect((await readJournal(journalFile))[0]).toMatchObject({ id: 'a', status: 'applied', rollback, ...after });
    await applyFix(edit, {
      journalFile,
      journalId: 'b',
      exec: async () => ran('', { exitCode: 1 }),
      journal: { rollback },
      journalAfter,
    });
    const b = (await readJournal(journalFile)).find((e) => e.id === 'b')!;
    expect(b).toMatchObject({ status: 'failed', rollback });
    expect(b.results).toBeUndefined();
    expect(asked).toBe(1);
  });
});
