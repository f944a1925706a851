// The rejoin made as root in a directory the user controls (a real directory under /tmp, a real
// uid): her symlink is never followed, a file changed since diagnosis is refused, and owner, group
// and mode survive the rewrite and its undo.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  truncateSync,
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
  const lines = (f: string) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  const sha = (t: string) => createHash('sha256').update(t).digest('hex');
  const wrappedFile = (mode = 0o600) => {
    writeFileSync(ak, WRAPPED);
    chownSync(ak, ALICE.uid, ALICE.gid);
    chmodSync(ak, mode);
  };

  it('logs the commands as approved and how they were made; journals pending first, with the hashes', async () => {
    wrappedFile();
    const ino = statSync(ak).ino;
    const withCommands = {
      ...fix,
      commands: [
        ['cp', '-p', ak, plan.backup],
        ['sed', '-i', '-e', '2{N;s/[ \\t]*\\n[ \\t]*//}', ak],
      ],
    };
    const r = await applyRejoin(withCommands, plan, { journalFile, journalId: 'rj1' });
    expect(r).toEqual({
      ok: true,
      journalId: 'rj1',
      log: [
        `$ cp -p ${ak} ${plan.backup}`,
        `$ sed -i -e '2{N;s/[ \\t]*\\n[ \\t]*//}' ${ak}`,
        `  made in the directory and on the file checked (inode ${ino}), not by their paths`,
      ],
    });
    const [pending, applied] = lines(journalFile);
    expect(pending).toMatchObject({
      id: 'rj1',
      status: 'pending',
      backups: [plan.backup],
      rewrite: {
        path: ak,
        backup: plan.backup,
        user: ALICE,
        before: { ino, mode: 0o600, uid: ALICE.uid, gid: ALICE.gid },
        beforeSha256: sha(WRAPPED),
        afterSha256: sha(`# keys\n${ED}\n`),
      },
    });
    expect(applied).toMatchObject({ id: 'rj1', status: 'applied' });
    // The backup has the original's owner and mode; no temporary file is left behind.
    const b = statSync(plan.backup);
    expect([b.uid, b.gid, b.mode & 0o7777]).toEqual([ALICE.uid, ALICE.gid, 0o600]);
    expect(readdirSync(dir).sort()).toEqual(['authorized_keys', 'authorized_keys.ssh-doctor-1']);
  });

  it.each([
    ['another line number', { line: 3 }],
    ['another first half', { first: ED.slice(0, 39) }],
    ['another second half', { second: ED.slice(41) }],
    ['another object than diagnosed', { was: { dev: 1, ino: 2 } }],
  ])('refused when the file no longer matches the plan: %s', async (_n, over) => {
    wrappedFile();
    const r = await applyRejoin(fix, { ...plan, ...over }, { journalFile });
    expect(r).toEqual({ ok: false, log: [`refused: ${ak} changed since it was checked; run ssh-doctor server again`] });
    expect(readFileSync(ak, 'utf8')).toBe(WRAPPED);
    expect(existsSync(journalFile)).toBe(false);
  });

  it('the diagnosed object, by inode: accepted', async () => {
    wrappedFile();
    const st = statSync(ak);
    expect((await applyRejoin(fix, { ...plan, was: { dev: st.dev, ino: st.ino } }, { journalFile })).ok).toBe(true);
  });

  it.each([
    ['the directory missing', () => rmSync(dir, { recursive: true }), () => `refused: ${dir} does not exist`],
    [
      'the directory a file',
      () => {
        rmSync(dir, { recursive: true });
        writeFileSync(dir, '');
      },
      () => `refused: ${dir} is not a directory`,
    ],
    ['the file missing', () => {}, () => `refused: ${ak}: ENOENT`],
    [
      'a hard link to another file',
      () => {
        wrappedFile();
        linkSync(ak, join(dir, 'other'));
      },
      () => `refused: ${ak} has 2 hard links, so it is also another file`,
    ],
    [
      "another user's file",
      () => {
        wrappedFile();
        chownSync(ak, 5000, 5000);
      },
      () => `refused: ${ak} is owned by uid 5000, neither alice nor root`,
    ],
    ['a directory in its place', () => mkdirSync(ak), () => `refused: ${ak} is not a regular file`],
  ])('refused: %s', async (_n, setup, why) => {
    setup();
    expect(await applyRejoin(fix, plan, { journalFile })).toEqual({ ok: false, log: [why()] });
    expect(existsSync(journalFile)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
  });

  it('a file over the size sshd reads is refused', async () => {
    wrappedFile();
    truncateSync(ak, 16 * 1024 * 1024 + 1);
    expect(await applyRejoin(fix, plan, { journalFile })).toEqual({
      ok: false,
      log: [`refused: ${ak} is over 16777216 bytes`],
    });
  });

  describe('undo', () => {
    let rw: Parameters<typeof revertRejoin>[0];
    beforeEach(async () => {
      wrappedFile(0o644);
      await applyRejoin(fix, plan, { journalFile });
      rw = lines(journalFile)[1].rewrite;
    });

    it('puts the backup back, with the mode and owner the file had; a second undo finds nothing to do', async () => {
      chmodSync(ak, 0o600);
      expect(await revertRejoin(rw, { force: false })).toEqual({
        ok: true,
        log: [`${ak}: put back from ${plan.backup} (the backup is kept)`],
      });
      const st = statSync(ak);
      expect([readFileSync(ak, 'utf8'), st.mode & 0o7777, st.uid]).toEqual([WRAPPED, 0o644, ALICE.uid]);
      expect(existsSync(plan.backup)).toBe(true);
      expect(await revertRejoin(rw, { force: false })).toEqual({
        ok: true,
        log: [`${ak}: already as it was before the fix`],
      });
    });

    it('--dry-run says what it would do and does nothing', async () => {
      expect(await revertRejoin(rw, { force: false, dryRun: true })).toEqual({
        ok: true,
        log: [`(dry run) ${ak}: put back from ${plan.backup}`],
      });
      expect(readFileSync(ak, 'utf8')).toBe(`# keys\n${ED}\n`);
    });

    it('--force overwrites a later edit', async () => {
      writeFileSync(ak, 'later\n');
      expect(await revertRejoin(rw, { force: false })).toEqual({
        ok: false,
        refused: true,
        log: [
          `${ak} changed after this change was made; undoing it would discard that. Undo later changes first, or add --force.`,
        ],
      });
      expect((await revertRejoin(rw, { force: true })).ok).toBe(true);
      expect(readFileSync(ak, 'utf8')).toBe(WRAPPED);
    });

    it('refuses a backup that is no longer the copy made, or is gone; and a file that is gone', async () => {
      writeFileSync(plan.backup, 'tampered\n');
      expect(await revertRejoin(rw, { force: false })).toEqual({
        ok: false,
        refused: true,
        log: [`Refused: ${plan.backup} is no longer the copy ssh-doctor made; compare it with ${ak} by hand.`],
      });
      rmSync(plan.backup);
      expect(await revertRejoin(rw, { force: false })).toEqual({
        ok: false,
        refused: true,
        log: [`Refused: ${plan.backup}: ENOENT.`],
      });
      rmSync(ak);
      expect(await revertRejoin(rw, { force: false })).toEqual({
        ok: false,
        refused: true,
        log: [`Refused: ${ak}: ENOENT.`],
      });
    });
  });
  it("refuses a path through a symlink of hers (or anyone's but root's), naming its owner", async () => {
    wrappedFile();
    const link = join(tmpdir(), `rejoin-link-${process.pid}`);
    symlinkSync(dir, link);
    try {
      lchownSync(link, ALICE.uid, ALICE.gid);
      const via = { ...plan, path: join(link, 'authorized_keys') };
      expect(await applyRejoin(fix, via, { journalFile })).toEqual({
        ok: false,
        log: [
          `refused: ${link} is a symlink owned by alice (to ${dir}); ssh-doctor does not follow links that users control`,
        ],
      });
      lchownSync(link, 5000, 5000);
      expect((await applyRejoin(fix, via, { journalFile })).log).toEqual([
        `refused: ${link} is a symlink owned by uid 5000 (to ${dir}); ssh-doctor does not follow links that users control`,
      ]);
    } finally {
      rmSync(link, { force: true });
    }
    expect(readFileSync(ak, 'utf8')).toBe(WRAPPED);
  });

  it('a first half left with trailing blanks still matches the trimmed halves diagnosed', async () => {
    writeFileSync(ak, `# keys\n${ED.slice(0, 40)} \t\n${ED.slice(40)}\n`);
    chownSync(ak, ALICE.uid, ALICE.gid);
    expect((await applyRejoin(fix, plan, { journalFile })).ok).toBe(true);
    expect(readFileSync(ak, 'utf8')).toBe(`# keys\n${ED}\n`);
    writeFileSync(ak, `# keys\n${ED.slice(0, 40)}\n  ${ED.slice(40)}\n`);
    expect((await applyRejoin(fix, { ...plan, backup: `${ak}.ssh-doctor-2` }, { journalFile })).ok).toBe(true);
  });

  it('a file already where the backup goes (planted, or a second run): failed, nothing changed, journaled failed', async () => {
    wrappedFile();
    writeFileSync(plan.backup, 'hers\n');
    const r = await applyRejoin(fix, plan, { journalFile, journalId: 'rj2' });
    expect(r.ok).toBe(false);
    expect(r.journalId).toBe('rj2');
    expect(r.log.at(-1)).toMatch(
      /^ {2}failed: EEXIST: file already exists, open '\/proc\/self\/fd\/\d+\/authorized_keys\.ssh-doctor-1'$/,
    );
    expect([readFileSync(ak, 'utf8'), readFileSync(plan.backup, 'utf8')]).toEqual([WRAPPED, 'hers\n']);
    expect(lines(journalFile).map((e) => e.status)).toEqual(['pending', 'failed']);
  });

  it('leaves no descriptor open, whether it rejoins, refuses or undoes', async () => {
    const open = () => readdirSync('/proc/self/fd').length;
    wrappedFile();
    const before = open();
    await applyRejoin(fix, { ...plan, line: 9 }, { journalFile });
    expect(open()).toBe(before);
    await applyRejoin(fix, plan, { journalFile });
    expect(open()).toBe(before);
    const rw = lines(journalFile)[1].rewrite;
    await revertRejoin(rw, { force: false, dryRun: true });
    expect(open()).toBe(before);
    writeFileSync(plan.backup, 'tampered\n');
    await revertRejoin(rw, { force: false });
    expect(open()).toBe(before);
    rmSync(plan.backup);
    writeFileSync(plan.backup, WRAPPED);
    await revertRejoin(rw, { force: false });
    expect(open()).toBe(before);
    expect(readFileSync(ak, 'utf8')).toBe(WRAPPED);
  });
});
