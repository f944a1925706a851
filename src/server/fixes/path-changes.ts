// Permission fixes on this machine, made as root on paths users control (issue: a user's symlink
// or a swap between check and change must never reach another file). Each object is opened
// without following users' symlinks (safe-path.ts), checked on that descriptor, and changed on
// that descriptor: fchown by root; chmod by the user themself when the object is theirs, so even
// a mistake here could only reach files the user already owns. The journal records each object's
// device and inode, and undo acts only on that same object.
import { closeSync, fchmodSync, fchownSync, fstatSync } from 'node:fs';
import { formatCommand, formatMode, type Fix, type ObjectState, type PathChange } from '../../report.js';
import { appendJournal, pendingEntry, type JournaledObject } from '../../fixes/journal.js';
import { crashPoint } from '../../fixes/crash-point.js';
import { objectState, openNoUserLinks, sameObject } from '../../fixes/safe-path.js';
import { runOnDescriptor } from '../../run.js';
import type { ApplyResult } from '../../fixes/apply.js';
import { unsafeTarget } from './modes.js';

const sameState = (a: ObjectState, b: ObjectState) =>
  sameObject(a, b) && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid;

interface Checked {
  change: PathChange;
  fd: number;
  before: ObjectState;
}

/** Opens and checks every object first: nothing changes unless all of them are safe. */
function openAll(changes: readonly PathChange[]): Checked[] | string {
  const out: Checked[] = [];
  const fail = (why: string) => {
    for (const c of out) closeSync(c.fd);
    return why;
  };
  for (const change of changes) {
    const o = openNoUserLinks(change.path, (uid) => (uid === change.user.uid ? change.user.name : undefined));
    if ('refused' in o) return fail(o.refused);
    if ('missing' in o) return fail(o.missing);
    const st = o.st;
    const why = unsafeTarget(
      change.path,
      { uid: st.uid, nlink: st.nlink, type: st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other' },
      change.type,
      change.user,
    );
    const before = objectState(st);
    const swapped =
      change.was && !sameState(change.was, before)
        ? `${change.path} changed since it was checked; run ssh-doctor server again`
        : undefined;
    if (why || swapped) {
      closeSync(o.fd);
      return fail((why ?? swapped)!);
    }
    out.push({ change, fd: o.fd, before });
  }
  return out;
}

/**
 * chmod as the object's owner when that is the login user: setpriv drops to their uid/gid and
 * changes the object it inherited as stdin (/proc/self/fd/0 is that exact object). Root's own
 * objects, or a host without setpriv, get fchmod on the checked descriptor.
 */
async function chmodOn(fd: number, mode: number, owner: number, user: PathChange['user']): Promise<void> {
  if (owner === user.uid && owner !== 0) {
    const r = await runOnDescriptor(
      [
        'setpriv',
        `--reuid=${user.uid}`,
        `--regid=${user.gid}`,
        '--clear-groups',
        'chmod',
        formatMode(mode),
        '/proc/self/fd/0',
      ],
      fd,
      10_000,
    );
    if (r.exitCode === 0) return;
    if (!r.missing) throw new Error(`chmod as ${user.name} failed: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  }
  fchmodSync(fd, mode);
}

async function changeOne(c: Checked, target: { mode?: number; uid?: number; gid?: number }): Promise<ObjectState> {
  if (target.uid !== undefined && (target.uid !== c.before.uid || target.gid !== c.before.gid))
    fchownSync(c.fd, target.uid, target.gid ?? c.before.gid);
  const now = fstatSync(c.fd);
  if (target.mode !== undefined && (now.mode & 0o7777) !== target.mode)
    await chmodOn(c.fd, target.mode, now.uid, c.change.user);
  return objectState(fstatSync(c.fd));
}

const planned = (c: Checked): ObjectState => ({
  ...c.before,
  ...(c.change.owner ?? {}),
  ...(c.change.mode !== undefined ? { mode: c.change.mode } : {}),
});

/** Applies a permission fix on this machine and journals it (pending first, with identities). */
export async function applyPathChanges(
  fix: Fix,
  changes: readonly PathChange[],
  opts: { journalFile: string; journalId?: string },
): Promise<ApplyResult> {
  const checked = openAll(changes);
  if (typeof checked === 'string') return { ok: false, log: [`refused: ${checked}`] };
  const entry = pendingEntry(fix, opts.journalId, {
    backups: [],
    objects: checked.map((c) => ({
      path: c.change.path,
      type: c.change.type,
      user: c.change.user,
      before: c.before,
      after: planned(c),
    })),
  });
  const id = entry.id;
  const log: string[] = [];
  let ok = true;
  try {
    await appendJournal(entry, opts.journalFile);
    crashPoint('path-change-journaled');
    const objects: JournaledObject[] = [];
    for (const c of checked) {
      // The commands as the person approved them, then how they were really made.
      log.push(...fix.commands.filter((cmd) => cmd.at(-1) === c.change.path).map((cmd) => `$ ${formatCommand(cmd)}`));
      log.push(`  made on the object checked (inode ${c.before.ino}), not by its path`);
      try {
        objects.push({
          path: c.change.path,
          type: c.change.type,
          user: c.change.user,
          before: c.before,
          after: await changeOne(c, { mode: c.change.mode, ...c.change.owner }),
        });
      } catch (e) {
        ok = false;
        log.push(`  failed: ${e instanceof Error ? e.message : String(e)}`);
        break;
      }
      crashPoint('path-change-made');
    }
    if (!ok && objects.length) {
      const back = await revertObjects(objects, false);
      log.push(...back.log.map((l) => `  put back: ${l}`));
    }
    await appendJournal(
      { ...entry, status: ok ? 'applied' : 'failed', objects: ok ? objects : entry.objects! },
      opts.journalFile,
    );
  } finally {
    for (const c of checked) closeSync(c.fd);
  }
  return { ok, log, journalId: id };
}

/**
 * Puts journaled objects back, last first, only where the path still names the same object
 * (reached without users' symlinks; --force never overrides that). An object still as it was
 * before the fix is skipped (a pending or failed fix may not have reached it); one changed since
 * the fix is refused unless `force`.
 */
export async function revertObjects(
  objects: readonly JournaledObject[],
  force: boolean,
): Promise<{ ok: boolean; log: string[]; refused?: true }> {
  const log: string[] = [];
  const opened: { o: JournaledObject; fd: number; now: ObjectState }[] = [];
  const close = () => {
    for (const x of opened) closeSync(x.fd);
  };
  try {
    for (const o of [...objects].reverse()) {
      const r = openNoUserLinks(o.path, (uid) => (uid === o.user.uid ? o.user.name : undefined));
      if ('refused' in r) return { ok: false, refused: true, log: [`Refused: ${r.refused}.`] };
      if ('missing' in r)
        return { ok: false, refused: true, log: [`Refused: ${r.missing}; it is not the object ssh-doctor changed.`] };
      const now = objectState(r.st);
      opened.push({ o, fd: r.fd, now });
      if (!sameObject(now, o.before))
        return {
          ok: false,
          refused: true,
          log: [
            `Refused: ${o.path} is no longer the object ssh-doctor changed (its inode changed since); nothing was undone.`,
          ],
        };
      if (!force && !sameState(now, o.after) && !sameState(now, o.before)) {
        return {
          ok: false,
          refused: true,
          log: [
            `${o.path} changed after this change was made (now ${formatMode(now.mode)} ${now.uid}:${now.gid}); undoing it would discard that. Undo later changes first, or add --force.`,
          ],
        };
      }
    }
    let ok = true;
    for (const { o, fd, now } of opened) {
      if (sameState(now, o.before)) {
        log.push(`${o.path}: already ${formatMode(o.before.mode)} ${o.before.uid}:${o.before.gid}`);
        continue;
      }
      log.push(
        `${o.path}: back to ${formatMode(o.before.mode)} ${o.before.uid}:${o.before.gid} (on the object journaled: inode ${o.before.ino})`,
      );
      try {
        await changeOne(
          { change: { path: o.path, type: o.type, user: o.user }, fd, before: now },
          { mode: o.before.mode, uid: o.before.uid, gid: o.before.gid },
        );
      } catch (e) {
        ok = false;
        log.push(`  failed: ${e instanceof Error ? e.message : String(e)}`);
        break;
      }
    }
    return { ok, log };
  } finally {
    close();
  }
}
