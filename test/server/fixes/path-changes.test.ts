// A permission fix made as root on paths a user controls (a real directory under /tmp, a real
// uid): each object is opened without following her links, checked, then changed on that
// descriptor; the journal records each object, and undo acts only on that same object.
import {
  chmodSync,
  chownSync,
  lchownSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry, JournaledObject } from '../../../src/fixes/journal.js';
import { objectState } from '../../../src/fixes/safe-path.js';
import type { Fix, PathChange } from '../../../src/report.js';
import { applyPathChanges, revertObjects } from '../../../src/server/fixes/path-changes.js';

const ALICE = { uid: 4242, gid: 4243, name: 'alice' };
const modeOf = (p: string) => statSync(p).mode & 0o7777;
const ownerOf = (p: string) => `${statSync(p).uid}:${statSync(p).gid}`;
/** Every line of the journal, in order (readJournal keeps only each entry's last line). */
const journalLines = (file: string): JournalEntry[] => {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as JournalEntry);
  } catch {
    return [];
  }
};

describe.runIf(process.getuid?.() === 0)('applyPathChanges / revertObjects, as root', () => {
  let dir: string;
  let keys: string;
  let ssh: string;
  let journalFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'path-changes-'));
    chmodSync(dir, 0o755);
    ssh = join(dir, '.ssh');
    keys = join(ssh, 'authorized_keys');
    mkdirSync(ssh);
    chmodSync(ssh, 0o775);
    chownSync(ssh, ALICE.uid, ALICE.gid);
    writeFileSync(keys, 'ssh-ed25519 AAAA alice\n');
    chownSync(keys, ALICE.uid, ALICE.gid);
    chmodSync(keys, 0o664);
    journalFile = join(mkdtempSync(join(tmpdir(), 'path-changes-journal-')), 'journal.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const change = (path: string, more: Partial<PathChange> = {}): PathChange => ({
    path,
    type: path === ssh ? 'dir' : 'file',
    mode: path === ssh ? 0o700 : 0o600,
    user: ALICE,
    was: objectState(statSync(path)),
    ...more,
  });
  const fixOf = (changes: PathChange[]): Fix => ({
    id: 'fix-authorized-keys-permissions',
    title: 't',
    commands: changes.map((c) => ['chmod', c.mode === 0o700 ? '0700' : '0600', c.path]),
    risk: 'r',
    undo: [],
    pathChanges: changes,
  });

  it('changes each object on its descriptor, logs the approved commands, journals before and after', async () => {
    const changes = [change(ssh), change(keys)];
    const fix = fixOf(changes);
    const inoSsh = statSync(ssh).ino;
    const inoKeys = statSync(keys).ino;
    const r = await applyPathChanges(fix, changes, { journalFile, journalId: 'p1' });
    expect(r).toEqual({
      ok: true,
      journalId: 'p1',
      log: [
        `$ chmod 0700 ${ssh}`,
        `  made on the object checked (inode ${inoSsh}), not by its path`,
        `$ chmod 0600 ${keys}`,
        `  made on the object checked (inode ${inoKeys}), not by its path`,
      ],
    });
    expect([modeOf(ssh), modeOf(keys)]).toEqual([0o700, 0o600]);
    expect([ownerOf(ssh), ownerOf(keys)]).toEqual(['4242:4243', '4242:4243']);
    const journal = journalLines(journalFile);
    expect(journal.map((e) => [e.id, e.status])).toEqual([
      ['p1', 'pending'],
      ['p1', 'applied'],
    ]);
    const [pending, applied] = journal;
    expect(pending!.backups).toEqual([]);
    expect(pending!.objects!.map((o) => [o.path, o.type, o.before.mode, o.after.mode, o.after.ino])).toEqual([
      [ssh, 'dir', 0o775, 0o700, inoSsh],
      [keys, 'file', 0o664, 0o600, inoKeys],
    ]);
    expect(applied!.objects!.map((o) => [o.path, o.user, o.before.mode, o.after])).toEqual([
      [ssh, ALICE, 0o775, objectState(statSync(ssh))],
      [keys, ALICE, 0o664, objectState(statSync(keys))],
    ]);

    // Undo: last first, each back to what it was, on the object journaled.
    const back = await revertObjects(applied!.objects!, false);
    expect(back).toEqual({
      ok: true,
      log: [
        `${keys}: back to 0664 4242:4243 (on the object journaled: inode ${inoKeys})`,
        `${ssh}: back to 0775 4242:4243 (on the object journaled: inode ${inoSsh})`,
      ],
    });
    expect([modeOf(ssh), modeOf(keys)]).toEqual([0o775, 0o664]);
    // Again: nothing left to do.
    expect(await revertObjects(applied!.objects!, false)).toEqual({
      ok: true,
      log: [`${keys}: already 0664 4242:4243`, `${ssh}: already 0775 4242:4243`],
    });
  });

  it('a root-owned object given to the user: fchown, and undo gives it back to root', async () => {
    chownSync(keys, 0, 0);
    const c = change(keys, { owner: { uid: ALICE.uid, gid: ALICE.gid } });
    const fix = {
      ...fixOf([c]),
      commands: [
        ['chown', 'alice:alice', keys],
        ['chmod', '0600', keys],
      ],
    };
    const r = await applyPathChanges(fix, [c], { journalFile });
    expect(r.ok).toBe(true);
    expect(r.log.slice(0, 2)).toEqual([`$ chown alice:alice ${keys}`, `$ chmod 0600 ${keys}`]);
    expect([ownerOf(keys), modeOf(keys)]).toEqual(['4242:4243', 0o600]);
    const [pending, applied] = journalLines(journalFile);
    expect(pending!.objects![0]!.after).toMatchObject({ uid: 4242, gid: 4243, mode: 0o600 });
    expect(await revertObjects(applied!.objects!, false)).toMatchObject({ ok: true });
    expect([ownerOf(keys), modeOf(keys)]).toEqual(['0:0', 0o664]);
  });

  it('an owner change without a gid keeps the group', async () => {
    chownSync(keys, 0, 77);
    const c = change(keys, { mode: undefined, owner: { uid: ALICE.uid } as PathChange['owner'] });
    const r = await applyPathChanges({ ...fixOf([c]), commands: [] }, [c], { journalFile });
    expect(r.ok).toBe(true);
    expect([ownerOf(keys), modeOf(keys)]).toEqual(['4242:77', 0o664]);
  });

  it.each([
    [
      "a user's symlink in place of the file",
      () => {
        rmSync(keys);
        symlinkSync('/etc/shadow', keys);
        lchownSync(keys, ALICE.uid, ALICE.gid);
      },
      () => `${keys} is a symlink owned by alice (to /etc/shadow); ssh-doctor does not follow links that users control`,
    ],
    ['the file gone', () => rmSync(keys), () => `${keys} does not exist`],
    [
      'a hard link to another file',
      () => linkSync(keys, join(dir, 'other')),
      () => `${keys} has 2 hard links, so it is also another file`,
    ],
    [
      "another user's file",
      () => chownSync(keys, 5000, 5000),
      () => `${keys} is owned by uid 5000, neither alice nor root`,
    ],
    [
      'another file swapped in since diagnosis',
      () => {
        writeFileSync(join(ssh, 'new'), 'x\n');
        chownSync(join(ssh, 'new'), ALICE.uid, ALICE.gid);
        renameSync(join(ssh, 'new'), keys);
      },
      () => `${keys} changed since it was checked; run ssh-doctor server again`,
    ],
    [
      'its mode changed since diagnosis',
      () => chmodSync(keys, 0o644),
      () => `${keys} changed since it was checked; run ssh-doctor server again`,
    ],
    [
      'its group changed since diagnosis',
      () => chownSync(keys, ALICE.uid, 0),
      () => `${keys} changed since it was checked; run ssh-doctor server again`,
    ],
    [
      'its owner changed to root since diagnosis',
      () => chownSync(keys, 0, ALICE.gid),
      () => `${keys} changed since it was checked; run ssh-doctor server again`,
    ],
  ])('refused, nothing changed, nothing journaled: %s', async (_n, attack, why) => {
    const changes = [change(ssh), change(keys)];
    attack();
    const r = await applyPathChanges(fixOf(changes), changes, { journalFile });
    expect(r).toEqual({ ok: false, log: [`refused: ${why()}`] });
    // Every object is checked before any is changed: the directory before it stays too.
    expect(modeOf(ssh)).toBe(0o775);
    expect(journalLines(journalFile)).toEqual([]);
  });

  it('a directory where a file was planned is refused', async () => {
    const c = change(ssh, { type: 'file' });
    expect(await applyPathChanges(fixOf([c]), [c], { journalFile })).toEqual({
      ok: false,
      log: [`refused: ${ssh} is not a regular file`],
    });
  });

  describe('undo', () => {
    let objects: JournaledObject[];
    beforeEach(async () => {
      const changes = [change(keys)];
      await applyPathChanges(fixOf(changes), changes, { journalFile });
      objects = journalLines(journalFile)[1]!.objects!;
    });

    it('refuses when the path is now another object', async () => {
      rmSync(keys);
      writeFileSync(keys, 'new\n');
      chownSync(keys, ALICE.uid, ALICE.gid);
      chmodSync(keys, 0o600);
      expect(await revertObjects(objects, true)).toEqual({
        ok: false,
        refused: true,
        log: [
          `Refused: ${keys} is no longer the object ssh-doctor changed (its inode changed since); nothing was undone.`,
        ],
      });
      expect(modeOf(keys)).toBe(0o600);
    });

    it("refuses a user's symlink or a missing file, even forced", async () => {
      rmSync(keys);
      expect(await revertObjects(objects, true)).toEqual({
        ok: false,
        refused: true,
        log: [`Refused: ${keys} does not exist; it is not the object ssh-doctor changed.`],
      });
      symlinkSync('/etc/shadow', keys);
      lchownSync(keys, ALICE.uid, ALICE.gid);
      expect(await revertObjects(objects, true)).toEqual({
        ok: false,
        refused: true,
        log: [
          `Refused: ${keys} is a symlink owned by alice (to /etc/shadow); ssh-doctor does not follow links that users control.`,
        ],
      });
    });

    it('refuses to discard a later change unless forced', async () => {
      chmodSync(keys, 0o640);
      expect(await revertObjects(objects, false)).toEqual({
        ok: false,
        refused: true,
        log: [
          `${keys} changed after this change was made (now 0640 4242:4243); undoing it would discard that. Undo later changes first, or add --force.`,
        ],
      });
      expect(modeOf(keys)).toBe(0o640);
      expect(await revertObjects(objects, true)).toMatchObject({ ok: true });
      expect(modeOf(keys)).toBe(0o664);
    });

    it('a later owner change counts as a change too', async () => {
      chownSync(keys, ALICE.uid, 0);
      expect((await revertObjects(objects, false)).refused).toBe(true);
    });
  });

  describe('when chmod as the user fails (setpriv stood in by a script on PATH)', () => {
    let path: string | undefined;
    let bin: string;
    beforeEach(() => {
      path = process.env.PATH;
      bin = mkdtempSync(join(tmpdir(), 'path-changes-bin-'));
      writeFileSync(
        join(bin, 'setpriv'),
        '#!/bin/sh\necho "setpriv: setresuid failed: Operation not permitted" >&2\nexit 1\n',
      );
      chmodSync(join(bin, 'setpriv'), 0o755);
    });
    afterEach(() => {
      process.env.PATH = path;
      rmSync(bin, { recursive: true, force: true });
    });

    it('stops, puts back what it already changed, journals the fix failed with the plan', async () => {
      chownSync(ssh, 0, 0);
      const changes = [change(ssh), change(keys)];
      process.env.PATH = `${bin}:${path}`;
      const r = await applyPathChanges(fixOf(changes), changes, { journalFile, journalId: 'f1' });
      const inoSsh = statSync(ssh).ino;
      expect(r).toEqual({
        ok: false,
        journalId: 'f1',
        log: [
          `$ chmod 0700 ${ssh}`,
          `  made on the object checked (inode ${inoSsh}), not by its path`,
          `$ chmod 0600 ${keys}`,
          `  made on the object checked (inode ${statSync(keys).ino}), not by its path`,
          '  failed: chmod as alice failed: setpriv: setresuid failed: Operation not permitted',
          `  put back: ${ssh}: back to 0775 0:0 (on the object journaled: inode ${inoSsh})`,
        ],
      });
      expect([modeOf(ssh), modeOf(keys)]).toEqual([0o775, 0o664]);
      const [pending, failed] = journalLines(journalFile);
      expect(failed).toMatchObject({ id: 'f1', status: 'failed' });
      expect(failed!.objects).toEqual(pending!.objects);
    });

    it('an exit without a word: its status', async () => {
      writeFileSync(join(bin, 'setpriv'), '#!/bin/sh\nexit 3\n');
      process.env.PATH = `${bin}:${path}`;
      const c = [change(keys)];
      expect((await applyPathChanges(fixOf(c), c, { journalFile })).log.at(-1)).toBe(
        '  failed: chmod as alice failed: exit 3',
      );
    });

    it('undo whose chmod fails says so', async () => {
      const c = [change(keys)];
      await applyPathChanges(fixOf(c), c, { journalFile });
      process.env.PATH = `${bin}:${path}`;
      const back = await revertObjects(journalLines(journalFile)[1]!.objects!, false);
      expect(back).toEqual({
        ok: false,
        log: [
          `${keys}: back to 0664 4242:4243 (on the object journaled: inode ${statSync(keys).ino})`,
          '  failed: chmod as alice failed: setpriv: setresuid failed: Operation not permitted',
        ],
      });
      expect(modeOf(keys)).toBe(0o600);
    });

    it('no setpriv on this host: the checked descriptor is chmodded by root instead', async () => {
      process.env.PATH = join(bin, 'empty');
      const c = [change(keys)];
      expect((await applyPathChanges(fixOf(c), c, { journalFile })).ok).toBe(true);
      expect([modeOf(keys), ownerOf(keys)]).toEqual([0o600, '4242:4243']);
    });
  });

  it('leaves no descriptor open, whether it changes, refuses or undoes', async () => {
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    const changes = [change(ssh), change(keys)];
    await applyPathChanges(fixOf(changes), changes, { journalFile });
    expect(open()).toBe(before);
    const objects = journalLines(journalFile)[1]!.objects!;
    await revertObjects(objects, false);
    expect(open()).toBe(before);
    chmodSync(keys, 0o640);
    await revertObjects(objects, false);
    expect(open()).toBe(before);
    const bad = [change(ssh), change(keys, { was: { ...change(keys).was!, ino: 1 } })];
    await applyPathChanges(fixOf(bad), bad, { journalFile });
    expect(open()).toBe(before);
  });

  it("undo names a symlink's owner by uid when it is not the user's", async () => {
    const c = [change(keys)];
    await applyPathChanges(fixOf(c), c, { journalFile });
    rmSync(keys);
    symlinkSync('/etc/shadow', keys);
    lchownSync(keys, 5000, 5000);
    expect((await revertObjects(journalLines(journalFile)[1]!.objects!, true)).log).toEqual([
      `Refused: ${keys} is a symlink owned by uid 5000 (to /etc/shadow); ssh-doctor does not follow links that users control.`,
    ]);
    const d = [change(ssh)];
    rmSync(keys);
    symlinkSync('/etc/shadow', keys);
    lchownSync(keys, 5000, 5000);
    expect(
      await applyPathChanges(fixOf([...d, { ...change(ssh), path: keys }]), [...d, { ...change(ssh), path: keys }], {
        journalFile,
      }),
    ).toEqual({
      ok: false,
      log: [
        `refused: ${keys} is a symlink owned by uid 5000 (to /etc/shadow); ssh-doctor does not follow links that users control`,
      ],
    });
  });
});
