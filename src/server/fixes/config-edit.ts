// A config change as the commands that really run, so what the user approves is what happens:
//   cp -p FILE BACKUP                  timestamped backup, kept
//   cp -p FILE TMP                     a temporary copy in the same directory (same filesystem,
//                                      so the rename below is atomic); TMP does not end in .conf,
//                                      so an "Include sshd_config.d/*.conf" never picks it up
//   sed -i -e 'Nc Keyword value' TMP   the edit: replace line N (or 'Ni …' to insert before it)
//   sshd -t -f TMP                     sshd itself validates the edited file
//   mv TMP FILE                        atomic replace
//   sshd -t                            (drop-ins only) the whole configuration still loads
//   kill -HUP PID | systemctl reload   reload, never restart: open sessions survive (with systemd
//                                      socket activation a Port/ListenAddress change instead
//                                      regenerates and restarts ssh.socket; sessions survive too)
// A failing step stops the run; run-fixes then removes TMP, or puts BACKUP back if the rename
// already happened (recoveryFor below), so a rejected edit leaves FILE byte-for-byte as it was.
// Relative Include paths resolve against /etc/ssh whatever -f names, so `sshd -t -f TMP` of the
// main file reads exactly the drop-ins the real one does.
import { backupStamp } from '../../fixes/backup.js';
import { basename, dirname } from 'node:path';
import type { Command, Fix } from '../../report.js';

export const TMP_SUFFIX = '.ssh-doctor-tmp';
export const BACKUP_INFIX = '.ssh-doctor-';

export interface LineChange {
  /** Replace this 1-based line, or insert before it. */
  line: number;
  action: 'replace' | 'insert';
  /** The new line, e.g. "PubkeyAuthentication yes". */
  text: string;
}

export interface ConfigEdit {
  file: string;
  /** Applied by one sed run; line numbers refer to the original file. */
  changes: LineChange[];
  /** The file is the main config (validated whole by sshd -t -f), not a drop-in. */
  isMain: boolean;
}

/** sed's "c"/"i" text must be one plain line: no backslash, no newline, no control characters. */
export function safeLineText(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[A-Za-z#][^\\\u0000-\u001f\u007f]*$/.test(text);
}

export function backupPath(file: string, now: Date): string {
  return `${file}${BACKUP_INFIX}${backupStamp(now)}`;
}

export function tmpPath(file: string): string {
  return `${dirname(file)}/.${basename(file)}${TMP_SUFFIX}`;
}

/** How the running sshd picks the change up; the undo form reads the pid at undo time. */
export interface Reload {
  apply: Command[];
  undo: Command[];
}

export function editCommands(
  e: ConfigEdit,
  sshd: string,
  reload: Reload | undefined,
  now: Date,
): { commands: Command[]; undo: Command[]; backup: string } {
  const bad = e.changes.find((c) => !safeLineText(c.text));
  if (bad) throw new Error(`refusing to write "${bad.text}" with sed`);
  const backup = backupPath(e.file, now);
  const tmp = tmpPath(e.file);
  const sed = e.changes.flatMap((c) => ['-e', `${c.line}${c.action === 'replace' ? 'c' : 'i'} ${c.text}`]);
  const commands: Command[] = [
    ['cp', '-p', e.file, backup],
    ['cp', '-p', e.file, tmp],
    ['sed', '-i', ...sed, tmp],
    [sshd, '-t', '-f', tmp],
    ['mv', tmp, e.file],
    ...(e.isMain ? [] : [[sshd, '-t']]),
    ...(reload?.apply ?? []),
  ];
  const undo: Command[] = [['cp', '-p', backup, e.file], [sshd, '-t'], ...(reload?.undo ?? [])];
  return { commands, undo, backup };
}

const isBackup = (p: string | undefined): p is string =>
  p !== undefined && p.includes(BACKUP_INFIX) && !p.endsWith(TMP_SUFFIX);

/**
 * What to run after step `failedAt` of `commands` failed, so nothing is left half-done: before
 * the rename the original was never touched, so the temporary copy and the backup go; after it,
 * the original is restored from the backup (which stays).
 */
export function recoveryFor(commands: readonly Command[], failedAt: number): Command[] {
  const done = commands.slice(0, failedAt);
  const backupCmd = done.find((c) => c[0] === 'cp' && isBackup(c[3]));
  const moved = done.find((c) => c[0] === 'mv' && c[1]?.endsWith(TMP_SUFFIX));
  if (moved) return backupCmd ? [['cp', '-p', backupCmd[3]!, moved[2]!]] : [];
  const tmp = done.find((c) => c[0] === 'cp' && c[3]?.endsWith(TMP_SUFFIX))?.[3];
  const leftovers = [tmp, backupCmd?.[3]].filter((p): p is string => p !== undefined);
  return leftovers.length ? [['rm', '-f', ...leftovers]] : [];
}

/** Backups a fix keeps: timestamped copies and files moved aside (what the journal lists). */
export function backupsOf(commands: readonly Command[]): string[] {
  return commands.filter((c) => (c[0] === 'cp' || c[0] === 'mv') && isBackup(c.at(-1))).map((c) => c.at(-1)!);
}

// The sed line numbers were computed from the file as it was read during diagnosis. If it
// changed before the user said yes, they could name other lines: the fix is then refused.
const readAt = new WeakMap<Fix, { file: string; text: string }>();

export function rememberSource(fix: Fix, file: string, text: string): Fix {
  readAt.set(fix, { file, text });
  return fix;
}

/** The config file a fix edits, as read at diagnosis (for the journal's pending entry). */
export function sourceOf(fix: Fix): { file: string; text: string } | undefined {
  return readAt.get(fix);
}

/** Why a config fix must not run now (its file changed since diagnosis), or undefined. */
export async function staleSource(
  fix: Fix,
  read: (path: string) => Promise<string | undefined>,
): Promise<string | undefined> {
  const was = readAt.get(fix);
  if (!was) return undefined;
  const now = await read(was.file);
  if (now === undefined) return `${was.file} can no longer be read`;
  return now === was.text ? undefined : `${was.file} changed since it was checked; run ssh-doctor server again`;
}
