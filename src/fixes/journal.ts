// Every applied change is recorded here, with what undoes it, so `ssh-doctor undo` can revert it.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command, Fix, ObjectState } from '../report.js';
import type { Via } from '../server/host.js';

export interface JournalEntry {
  id: string;
  at: string;
  fixId: string;
  title: string;
  commands: Command[];
  undo: Fix['undo'];
  /** Backup files made before the change (restored by the undo commands). */
  backups: string[];
  /**
   * 'pending': written (and fsynced) before the change starts; if ssh-doctor dies before marking
   * it 'applied' or 'failed', the change may or may not have happened, and undo and the rollback
   * timer check the real state before reverting it. 'confirmed': a guarded change was kept from a
   * new connection; 'rolled-back': it was not.
   */
  status: 'pending' | 'applied' | 'failed' | 'undone' | 'confirmed' | 'rolled-back';
  /** The entry this one undid (or confirmed), for status 'undone', 'confirmed', 'rolled-back'. */
  undoes?: string;
  /** Commands run after a failed step to put things back as they were. */
  recovered?: Command[];
  /** Files as this change left them: an undo that would overwrite later edits refuses. */
  results?: { path: string; sha256: string }[];
  /**
   * A change made over SSH that is reverted at `deadline` unless confirmed from a new connection:
   * the session it was made over (SSH_CONNECTION, the serving sshd's pid), and the timer's command.
   * Over --via the timer runs on that host and ssh-doctor settles it itself (no session here).
   */
  rollback?: { deadline: string; sshConnection?: string; sshdPid?: number; command: Command };
  /** The host the change was made on over SSH (server --via); its undo runs there too. */
  via?: Via;
  /**
   * Objects a permission fix changed, by identity: undo acts only on the same device and inode,
   * reached without following users' symlinks. `after` is what the fix set (planned, while pending).
   */
  objects?: JournaledObject[];
  /** An nft fix: the tagged rules its chain held before it, so a pending one's own rule is known. */
  nftTagged?: number[];
  /**
   * A rejoined key line: the file's identity and content hashes before and after, so undo puts the
   * backup back only over the file this fix wrote (reached without users' symlinks).
   */
  rewrite?: {
    path: string;
    backup: string;
    user: JournaledObject['user'];
    before: ObjectState;
    beforeSha256: string;
    afterSha256: string;
  };
  /** A config edit's file as diagnosed: a pending edit whose file still hashes so did not happen. */
  original?: { path: string; sha256: string };
}

/**
 * The entry a fix is journaled under before anything changes ("pending"), so that undo and the
 * rollback timer know of it even if ssh-doctor is killed halfway; `more` adds what its kind of
 * change needs to be checked and undone.
 */
export function pendingEntry(
  fix: Fix,
  journalId: string | undefined,
  more: Pick<JournalEntry, 'backups'> & Partial<JournalEntry>,
): JournalEntry {
  return {
    id: journalId ?? randomUUID().slice(0, 8),
    at: new Date().toISOString(),
    fixId: fix.id,
    title: fix.title,
    commands: fix.commands,
    undo: fix.undo,
    status: 'pending',
    ...more,
  };
}

export interface JournaledObject {
  path: string;
  type: 'file' | 'dir';
  /** Whose login the fix was for: chmod back runs as them where the object is theirs. */
  user: { uid: number; gid: number; name: string };
  before: ObjectState;
  after: ObjectState;
}

/** The entry that keeps a change armed with an automatic rollback (confirmed from a new connection). */
export function confirmationOf(entry: JournalEntry, at = new Date()): JournalEntry {
  return {
    id: `${entry.id}-c`,
    at: at.toISOString(),
    fixId: entry.fixId,
    title: `Confirmed: ${entry.title}`,
    commands: [],
    undo: entry.undo,
    backups: [],
    status: 'confirmed',
    undoes: entry.id,
    ...(entry.via ? { via: entry.via } : {}),
  };
}

/** The entry recording that a rollback timer took the change back (so undo no longer offers it). */
export function rolledBackBy(entry: JournalEntry, by: string, at = new Date()): JournalEntry {
  return {
    id: `${entry.id}-u`,
    at: at.toISOString(),
    fixId: entry.fixId,
    title: `Rolled back by ${by}: ${entry.title}`,
    commands: typeof entry.undo === 'string' ? [] : entry.undo,
    undo: entry.commands.slice(),
    backups: [],
    status: 'rolled-back',
    undoes: entry.id,
    ...(entry.via ? { via: entry.via } : {}),
  };
}

/** Where the journal lives for this process (its env and uid come from the command's io). */
export function journalPath(env: Readonly<Record<string, string | undefined>>, uid: number | undefined): string {
  const dir =
    env.SSH_DOCTOR_STATE_DIR ??
    (uid === 0 ? '/var/lib/ssh-doctor' : join(env.XDG_STATE_HOME ?? join(homedir(), '.local/state'), 'ssh-doctor'));
  return join(dir, 'journal.jsonl');
}

/**
 * One line per write, flushed to disk before returning: a change is journaled 'pending' before it
 * starts, so a kill at any later point leaves a record of it. A later line with the same id
 * supersedes the earlier one (pending → applied).
 */
export async function appendJournal(entry: JournalEntry, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const f = await open(path, 'a', 0o600);
  try {
    await f.appendFile(JSON.stringify(entry) + '\n');
    await f.sync();
  } finally {
    await f.close();
  }
}

export async function readJournal(path: string): Promise<JournalEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  // A line cut short by a crash mid-write does not parse and is skipped.
  const byId = new Map<string, JournalEntry>();
  for (const l of text.split('\n').filter(Boolean)) {
    try {
      const e = JSON.parse(l) as JournalEntry;
      byId.set(e.id, e); // keeps the first line's place: the list stays in the order changes began
    } catch {
      // skipped
    }
  }
  return [...byId.values()];
}
