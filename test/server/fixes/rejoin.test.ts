// The rejoin made as root in a directory the user controls (a real directory under /tmp, a real
// uid): her symlink is never followed, a file changed since diagnosis is refused, and owner, group
// and mode survive the rewrite and its undo.
import {
  chmodSync,
  chownSync,
  lchownSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/fixes/journal.js';
import type { Fix, KeyRejoin } from '../../../src/report.js';
import { applyRejoin, revertRejoin } from '../../../src/server/fixes/rejoin.js';

const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIpYW+f0+Typ3Ehit8M2lQH2YzfP9Rhl/X4mDg1LSfG0 alice@laptop';
const WRAPPED = `# keys\n${ED.slice(0, 40)}\n${ED.slice(40)}\n`;
const ALICE = { uid: 4242, gid: 4243, name: 'alice' };

describe.runIf(process.getuid?.() === 0)('applyRejoin / revertRejoin, as root', () => {
  let dir: string;
  let ak: string;
  let journalFile: string;
  let plan: KeyRejoin;
  let fix: Fix;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rejoin-'));
    chownSync(dir, ALICE.uid, ALICE.gid);
    ak = join(dir, 'authorized_keys');
    journalFile = join(mkdtempSync(join(tmpdir(), 'rejoin-journal-')), 'journal.jsonl');
    plan = {
      path: ak,
      line: 2,
      first: ED.slice(0, 40),
      second: ED.slice(40),
      backup: `${ak}.ssh-doctor-1`,
      user: ALICE,
    };
    fix = { id: 'rejoin-authorized-key', title: 't', commands: [], risk: 'r', undo: [['cp', '-p', plan.backup, ak]] };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('joins the two lines, keeps owner, group and mode, journals it; undo puts the wrapped file back', async () => {
    writeFileSync(ak, WRAPPED);
    chownSync(ak, ALICE.uid, ALICE.gid);
    chmodSync(ak, 0o640);
    const r = await applyRejoin(fix, plan, { journalFile });
    expect(r.ok).toBe(true);
    expect(readFileSync(ak, 'utf8')).toBe(`# keys\n${ED}\n`);
    const st = statSync(ak);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([ALICE.uid, ALICE.gid, 0o640]);
    expect(readFileSync(plan.backup, 'utf8')).toBe(WRAPPED);
    const [entry] = await readJournal(journalFile);
    expect(entry).toMatchObject({ status: 'applied', backups: [plan.backup], rewrite: { path: ak } });
    const back = await revertRejoin(entry!.rewrite!, { force: false });
    expect(back.ok).toBe(true);
    expect(readFileSync(ak, 'utf8')).toBe(WRAPPED);
    const after = statSync(ak);
    expect([after.uid, after.gid, after.mode & 0o7777]).toEqual([ALICE.uid, ALICE.gid, 0o640]);
  });

  it('her symlink to a file of root: refused, the target untouched', async () => {
    const victim = join(tmpdir(), `rejoin-victim-${process.pid}`);
    writeFileSync(victim, WRAPPED);
    try {
      symlinkSync(victim, ak);
      lchownSync(ak, ALICE.uid, ALICE.gid);
      const r = await applyRejoin(fix, plan, { journalFile });
      expect(r).toEqual({
        ok: false,
        log: [`refused: ${ak} is a symlink; ssh-doctor does not follow links that users control`],
      });
      expect(readFileSync(victim, 'utf8')).toBe(WRAPPED);
      expect(await readJournal(journalFile)).toEqual([]);
    } finally {
      rmSync(victim, { force: true });
    }
  });

  it('a file that changed since it was diagnosed: refused, unchanged', async () => {
    const other = WRAPPED.replace('alice@laptop', 'alice@other');
    writeFileSync(ak, `${other}\n`);
    chownSync(ak, ALICE.uid, ALICE.gid);
    const r = await applyRejoin(fix, plan, { journalFile });
    expect(r.ok).toBe(false);
    expect(r.log).toEqual([`refused: ${ak} changed since it was checked; run ssh-doctor server again`]);
    expect(readFileSync(ak, 'utf8')).toBe(`${other}\n`);
  });

  it('undo refuses to overwrite a later edit of the file', async () => {
    writeFileSync(ak, WRAPPED);
    chownSync(ak, ALICE.uid, ALICE.gid);
    expect((await applyRejoin(fix, plan, { journalFile })).ok).toBe(true);
    writeFileSync(ak, `${ED}\n# added later\n`);
    const [entry] = await readJournal(journalFile);
    const back = await revertRejoin(entry!.rewrite!, { force: false });
    expect(back).toMatchObject({ ok: false, refused: true });
    expect(readFileSync(ak, 'utf8')).toBe(`${ED}\n# added later\n`);
  });
});
