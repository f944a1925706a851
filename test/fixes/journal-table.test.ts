// The journal's own rules: where it lives for whom, what a confirmation and a timer's rollback
// record, and how a journal cut short by a crash reads back.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appendJournal,
  confirmationOf,
  journalPath,
  readJournal,
  rolledBackBy,
  type JournalEntry,
} from '../../src/fixes/journal.js';

const entry = (over: Partial<JournalEntry> = {}): JournalEntry => ({
  id: 'c1',
  at: '2026-11-30T00:00:00.000Z',
  fixId: 'firewall-allow-ssh',
  title: 'Allow SSH',
  commands: [['iptables', '-I', 'INPUT', '-j', 'ACCEPT']],
  undo: [['iptables', '-D', 'INPUT', '-j', 'ACCEPT']],
  backups: ['/etc/x.bak'],
  status: 'applied',
  ...over,
});
const AT = new Date('2026-11-30T12:00:00.000Z');

describe('journalPath', () => {
  it.each<[string, Record<string, string>, number | undefined, string]>([
    ['SSH_DOCTOR_STATE_DIR wins, even for root', { SSH_DOCTOR_STATE_DIR: '/tmp/s' }, 0, '/tmp/s/journal.jsonl'],
    ['root: /var/lib', {}, 0, '/var/lib/ssh-doctor/journal.jsonl'],
    ['root ignores XDG_STATE_HOME', { XDG_STATE_HOME: '/x' }, 0, '/var/lib/ssh-doctor/journal.jsonl'],
    ['a user: XDG_STATE_HOME', { XDG_STATE_HOME: '/x' }, 1000, '/x/ssh-doctor/journal.jsonl'],
    ['a user without it: ~/.local/state', {}, 1000, join(homedir(), '.local/state/ssh-doctor/journal.jsonl')],
    ['no uids (not POSIX): as a user', {}, undefined, join(homedir(), '.local/state/ssh-doctor/journal.jsonl')],
  ])('%s', (_, env, uid, want) => {
    expect(journalPath(env, uid)).toBe(want);
  });
});

describe('the entries a guarded change ends with', () => {
  it('a confirmation keeps the undo, runs nothing, and carries the --via host', () => {
    expect(confirmationOf(entry({ via: { host: 'db1', port: 22 } }), AT)).toEqual({
      id: 'c1-c',
      at: '2026-11-30T12:00:00.000Z',
      fixId: 'firewall-allow-ssh',
      title: 'Confirmed: Allow SSH',
      commands: [],
      undo: [['iptables', '-D', 'INPUT', '-j', 'ACCEPT']],
      backups: [],
      status: 'confirmed',
      undoes: 'c1',
      via: { host: 'db1', port: 22 },
    });
    expect('via' in confirmationOf(entry(), AT)).toBe(false);
  });

  it('a rollback by the timer records the undo as run, and the change as its undo', () => {
    const e = entry();
    const r = rolledBackBy(e, 'its timer on db1', AT);
    expect(r).toEqual({
      id: 'c1-u',
      at: '2026-11-30T12:00:00.000Z',
      fixId: 'firewall-allow-ssh',
      title: 'Rolled back by its timer on db1: Allow SSH',
      commands: [['iptables', '-D', 'INPUT', '-j', 'ACCEPT']],
      undo: [['iptables', '-I', 'INPUT', '-j', 'ACCEPT']],
      backups: [],
      status: 'rolled-back',
      undoes: 'c1',
    });
    expect(r.undo).not.toBe(e.commands);
    expect(rolledBackBy(entry({ undo: 'by hand', via: { host: 'db1', port: 22 } }), 't', AT)).toMatchObject({
      commands: [],
      via: { host: 'db1', port: 22 },
    });
  });
});

describe('reading and writing the journal', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'journal-table-')), 'state', 'journal.jsonl');

  it('no journal yet reads as empty', async () => {
    expect(await readJournal(file())).toEqual([]);
  });

  it('one line per entry, in a directory and file only the owner can read', async () => {
    const f = file();
    await appendJournal(entry(), f);
    await appendJournal(entry({ id: 'c2' }), f);
    expect(readFileSync(f, 'utf8').split('\n')).toEqual([
      JSON.stringify(entry()),
      JSON.stringify(entry({ id: 'c2' })),
      '',
    ]);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(statSync(join(f, '..')).mode & 0o777).toBe(0o700);
  });

  it('a later line supersedes an earlier one with its id, in the place the change began; a cut line is skipped', async () => {
    const f = file();
    await appendJournal(entry({ id: 'a', status: 'pending' }), f);
    await appendJournal(entry({ id: 'b' }), f);
    await appendJournal(entry({ id: 'a', status: 'applied' }), f);
    writeFileSync(f, `${readFileSync(f, 'utf8')}{"id":"c","sta`, { flag: 'w' });
    expect((await readJournal(f)).map((e) => [e.id, e.status])).toEqual([
      ['a', 'applied'],
      ['b', 'applied'],
    ]);
  });
});
