// Rejoining a key line wrapped over two lines, made as root in a directory the user controls.
// The directory is opened without following users' symlinks (safe-path.ts) and everything after
// happens relative to that descriptor: the file is opened with O_NOFOLLOW, checked (theirs or
// root's, one link, the object diagnosed) and read from that descriptor (size-capped); the backup
// and the new file are created next to it with O_EXCL|O_NOFOLLOW, given the original's owner,
// group and mode, fsynced, and the new one renamed over the file (atomic, same directory). A
// planted symlink or a swap can then only ever reach the user's own directory.
import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import { readCapped } from '../../capped.js';
import type { ApplyResult } from '../../fixes/apply.js';
import { crashPoint } from '../../fixes/crash-point.js';
import { appendJournal, pendingEntry, type JournalEntry } from '../../fixes/journal.js';
import { fdPath, objectState, openNoUserLinks, sameObject } from '../../fixes/safe-path.js';
import { formatCommand, type Fix, type KeyRejoin, type ObjectState } from '../../report.js';
import { rejoinWrapped } from '../authorized-keys.js';
import { AUTHORIZED_KEYS_MAX_BYTES } from '../probes/auth-files.js';
import { TMP_SUFFIX } from './config-edit.js';
import { unsafeTarget } from './modes.js';

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY, O_DIRECTORY } = constants;

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

interface Opened {
  dir: number;
  fd: number;
  st: Stats;
  name: string;
  data: Buffer;
}

const inDir = (dir: number, name: string) => `${fdPath(dir)}/${name}`;

/** The file's directory and the file in it, checked and read; or why not. */
async function openChecked(path: string, user: KeyRejoin['user']): Promise<Opened | string> {
  const names = (uid: number) => (uid === user.uid ? user.name : undefined);
  const d = openNoUserLinks(dirname(path), names);
  if ('refused' in d) return d.refused;
  if ('missing' in d) return d.missing;
  if (!d.st.isDirectory()) {
    closeSync(d.fd);
    return `${dirname(path)} is not a directory`;
  }
  const name = basename(path);
  let fd: number;
  try {
    fd = openSync(inDir(d.fd, name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  } catch (e) {
    closeSync(d.fd);
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ELOOP'
      ? `${path} is a symlink; ssh-doctor does not follow links that users control`
      : `${path}: ${code}`;
  }
  const st = fstatSync(fd);
  const close = (why: string) => {
    closeSync(fd);
    closeSync(d.fd);
    return why;
  };
  const unsafe = unsafeTarget(
    path,
    { uid: st.uid, nlink: st.nlink, type: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other' },
    'file',
    user,
  );
  if (unsafe) return close(unsafe);
  // Read through the descriptor's own path: it reaches exactly the object checked above.
  const r = await readCapped(fdPath(fd), AUTHORIZED_KEYS_MAX_BYTES);
  if (r.truncated) return close(`${path} is over ${AUTHORIZED_KEYS_MAX_BYTES} bytes`);
  return { dir: d.fd, fd, st, name, data: r.data };
}

const closeAll = (o: Opened) => {
  closeSync(o.fd);
  closeSync(o.dir);
};

/** A new file in the directory (never an existing name or a link), with the original's owner and mode. */
function writeNew(dir: number, name: string, data: Buffer | string, like: ObjectState): void {
  const fd = openSync(inDir(dir, name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  try {
    const b = typeof data === 'string' ? Buffer.from(data) : data;
    for (let off = 0; off < b.length; ) off += writeSync(fd, b, off, b.length - off);
    fchownSync(fd, like.uid, like.gid);
    fchmodSync(fd, like.mode);
    fsyncSync(fd);
  } catch (e) {
    // Half-written, or with root's ownership: never left behind in the user's directory.
    closeSync(fd);
    unlinkSync(inDir(dir, name));
    throw e;
  }
  closeSync(fd);
}

/** Writes `data` to a temporary name and renames it over `o.name`: readers see old or new, never half. */
function replace(o: Opened, data: Buffer | string, like: ObjectState): void {
  const tmp = `.${o.name}${TMP_SUFFIX}-${randomUUID().slice(0, 8)}`;
  writeNew(o.dir, tmp, data, like);
  try {
    renameSync(inDir(o.dir, tmp), inDir(o.dir, o.name));
  } catch (e) {
    unlinkSync(inDir(o.dir, tmp));
    throw e;
  }
  const d = openSync(fdPath(o.dir), O_RDONLY | O_DIRECTORY);
  try {
    fsyncSync(d);
  } finally {
    closeSync(d);
  }
}

/** Applies a rejoin on this machine and journals it (pending first, with the file's identity). */
export async function applyRejoin(
  fix: Fix,
  plan: KeyRejoin,
  opts: { journalFile: string; journalId?: string },
): Promise<ApplyResult> {
  const o = await openChecked(plan.path, plan.user);
  if (typeof o === 'string') return { ok: false, log: [`refused: ${o}`] };
  const log: string[] = [];
  try {
    const before = objectState(o.st);
    const now = rejoinWrapped(o.data.toString('utf8'));
    if (
      (plan.was && !sameObject(plan.was, before)) ||
      !now ||
      now.line !== plan.line ||
      now.first.trim() !== plan.first ||
      now.second.trim() !== plan.second
    )
      return { ok: false, log: [`refused: ${plan.path} changed since it was checked; run ssh-doctor server again`] };
    const entry = pendingEntry(fix, opts.journalId, {
      backups: [plan.backup],
      rewrite: {
        path: plan.path,
        backup: plan.backup,
        user: plan.user,
        before,
        beforeSha256: sha256(o.data),
        afterSha256: sha256(now.text),
      },
    });
    const id = entry.id;
    await appendJournal(entry, opts.journalFile);
    crashPoint('rejoin-journaled');
    log.push(...fix.commands.map((c) => `$ ${formatCommand(c)}`));
    log.push(`  made in the directory and on the file checked (inode ${before.ino}), not by their paths`);
    let ok = true;
    try {
      writeNew(o.dir, basename(plan.backup), o.data, before);
      replace(o, now.text, before);
      crashPoint('rejoin-made');
    } catch (e) {
      ok = false;
      log.push(`  failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    await appendJournal({ ...entry, status: ok ? 'applied' : 'failed' }, opts.journalFile);
    return { ok, log, journalId: id };
  } finally {
    closeAll(o);
  }
}

/**
 * Puts the backup back over the file, only when the file is still what the fix wrote (or with
 * `force`), and the backup still what the file was; both reached without users' symlinks.
 */
export async function revertRejoin(
  rw: NonNullable<JournalEntry['rewrite']>,
  opts: { force: boolean; dryRun?: boolean },
): Promise<{ ok: boolean; log: string[]; refused?: true }> {
  const o = await openChecked(rw.path, rw.user);
  if (typeof o === 'string') return { ok: false, refused: true, log: [`Refused: ${o}.`] };
  try {
    const now = sha256(o.data);
    if (now === rw.beforeSha256) return { ok: true, log: [`${rw.path}: already as it was before the fix`] };
    if (now !== rw.afterSha256 && !opts.force)
      return {
        ok: false,
        refused: true,
        log: [
          `${rw.path} changed after this change was made; undoing it would discard that. Undo later changes first, or add --force.`,
        ],
      };
    const b = await openChecked(rw.backup, rw.user);
    if (typeof b === 'string') return { ok: false, refused: true, log: [`Refused: ${b}.`] };
    try {
      if (sha256(b.data) !== rw.beforeSha256)
        return {
          ok: false,
          refused: true,
          log: [`Refused: ${rw.backup} is no longer the copy ssh-doctor made; compare it with ${rw.path} by hand.`],
        };
      if (opts.dryRun) return { ok: true, log: [`(dry run) ${rw.path}: put back from ${rw.backup}`] };
      replace(o, b.data, rw.before);
      return { ok: true, log: [`${rw.path}: put back from ${rw.backup} (the backup is kept)`] };
    } finally {
      closeAll(b);
    }
  } catch (e) {
    return { ok: false, log: [`failed: ${e instanceof Error ? e.message : String(e)}`] };
  } finally {
    closeAll(o);
  }
}
