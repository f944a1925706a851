// The journal rules that make a change survive a crash: pending before anything runs, a timeout
// is not a failure, a backup the recovery removed is never listed, later lines supersede.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyFix } from '../../src/fixes/apply.js';
import { appendJournal, readJournal, type JournalEntry } from '../../src/fixes/journal.js';
import { revertEntry, undoable } from '../../src/fixes/revert.js';
import { localHost } from '../../src/server/host.js';
import type { Command } from '../../src/report.js';
import type { Exec } from '../../src/server/exec.js';
import type { RunResult } from '../../src/run.js';

const result = (over: Partial<RunResult> = {}): RunResult => ({
  exitCode: 0,
  stdout: '',
  stderr: '',
  timedOut: false,
  missing: false,
  durationMs: 1,
  ...over,
});
const sha = (t: string) => createHash('sha256').update(t).digest('hex');

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssh-doctor-journal-'));
  path = join(dir, 'journal.jsonl');
});

describe('applyFix journals before it acts', () => {
  const fw = {
    id: 'f',
    title: 't',
    commands: [['iptables', '-I', 'INPUT']],
    risk: '',
    undo: [['iptables', '-D', 'INPUT']],
  };

  it('the first command already finds the change journaled as pending, with its undo', async () => {
    let seen: JournalEntry[] = [];
    const exec: Exec = async () => {
      seen = await readJournal(path);
      return result();
    };
    const r = await applyFix(fw, { journalFile: path, exec });
    expect(seen.map((e) => [e.id, e.status, e.undo])).toEqual([
      [r.journalId, 'pending', [['iptables', '-D', 'INPUT']]],
    ]);
    expect((await readJournal(path)).map((e) => [e.id, e.status])).toEqual([[r.journalId, 'applied']]);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('a command that timed out leaves the change pending (it may have applied), and undo offers it', async () => {
    const r = await applyFix(fw, {
      journalFile: path,
      exec: async () => result({ exitCode: undefined, timedOut: true }),
    });
    expect(r.ok).toBe(false);
    expect(r.log.at(-1)).toMatch(/timed out: it may have taken effect/);
    const entries = await readJournal(path);
    expect(entries.map((e) => e.status)).toEqual(['pending']);
    expect(undoable(entries).map((e) => e.id)).toEqual([r.journalId]);
  });

  it('a plain failure is journaled failed, and is not offered for undo', async () => {
    const r = await applyFix(fw, {
      journalFile: path,
      exec: async () => result({ exitCode: 1, stderr: 'iptables: Bad rule' }),
    });
    const entries = await readJournal(path);
    expect(entries.map((e) => [e.id, e.status])).toEqual([[r.journalId, 'failed']]);
    expect(undoable(entries)).toEqual([]);
  });

  it('a backup that failed (disk full) is removed by the recovery and not listed', async () => {
    const ran: Command[] = [];
    const exec: Exec = async (c) => {
      ran.push(c);
      return c[0] === 'cp' ? result({ exitCode: 1, stderr: 'cp: error writing: No space left on device' }) : result();
    };
    const r = await applyFix(
      {
        id: 'f',
        title: 't',
        commands: [['cp', '-p', '/etc/ssh/sshd_config', '/etc/ssh/sshd_config.ssh-doctor-X']],
        risk: '',
        undo: [],
      },
      {
        journalFile: path,
        exec,
        backups: ['/etc/ssh/sshd_config.ssh-doctor-X'],
        recover: () => [['rm', '-f', '/etc/ssh/sshd_config.ssh-doctor-X']],
      },
    );
    expect(r.ok).toBe(false);
    expect(ran.at(-1)).toEqual(['rm', '-f', '/etc/ssh/sshd_config.ssh-doctor-X']);
    expect((await readJournal(path)).map((e) => [e.status, e.backups])).toEqual([['failed', []]]);
  });

  it('a line cut short by a crash is skipped; a later line with the same id supersedes in place', async () => {
    const e: JournalEntry = {
      id: 'a1',
      at: 'x',
      fixId: 'f',
      title: 't',
      commands: [],
      undo: [],
      backups: [],
      status: 'pending',
    };
    await appendJournal(e, path);
    await appendJournal({ ...e, id: 'b2' }, path);
    await appendJournal({ ...e, status: 'applied' }, path);
    writeFileSync(path, readFileSync(path, 'utf8') + '{"id":"c3","sta');
    expect((await readJournal(path)).map((x) => [x.id, x.status])).toEqual([
      ['a1', 'applied'],
      ['b2', 'pending'],
    ]);
  });
});

describe('undo of a config edit ssh-doctor never finished', () => {
  const files = () => ({
    file: join(dir, 'sshd_config'),
    backup: join(dir, 'sshd_config.ssh-doctor-20261130T000000.000Z'),
    tmp: join(dir, '.sshd_config.ssh-doctor-tmp'),
  });
  const entry = (): JournalEntry => {
    const { file, backup } = files();
    return {
      id: 'p1',
      at: 'x',
      fixId: 'disable-usedns',
      title: 't',
      commands: [],
      backups: [backup],
      status: 'pending',
      undo: [['cp', '-p', backup, file]],
      original: { path: file, sha256: sha('UseDNS yes\n') },
    };
  };

  it('killed before the rename: the file is as diagnosed, so only the leftovers go', async () => {
    const { file, backup, tmp } = files();
    writeFileSync(file, 'UseDNS yes\n');
    writeFileSync(backup, 'UseD'); // cut short
    writeFileSync(tmp, 'UseDNS no\n');
    const r = await revertEntry(entry(), { host: localHost, journalFile: path });
    expect(r).toMatchObject({ ok: true, log: [expect.stringMatching(/was never replaced/)] });
    expect(readFileSync(file, 'utf8')).toBe('UseDNS yes\n');
    expect(() => readFileSync(backup)).toThrow();
    expect(() => readFileSync(tmp)).toThrow();
  });

  it('killed after the rename: the backup holds the original, so it is put back', async () => {
    const { file, backup } = files();
    writeFileSync(file, 'UseDNS no\n');
    writeFileSync(backup, 'UseDNS yes\n');
    expect((await revertEntry(entry(), { host: localHost, journalFile: path })).ok).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('UseDNS yes\n');
  });

  it('neither as diagnosed nor restorable: refused with one sentence, nothing touched', async () => {
    const { file, backup } = files();
    writeFileSync(file, 'UseDNS no\n');
    writeFileSync(backup, 'something else\n');
    const r = await revertEntry(entry(), { host: localHost, journalFile: path });
    expect(r.ok).toBe(false);
    expect(r.log).toEqual([expect.stringMatching(/cannot tell what to put back/)]);
    expect(readFileSync(file, 'utf8')).toBe('UseDNS no\n');
  });
});
