// Runs a confirmed fix: journals it as pending, runs its commands in order, stopping at the first
// failure, then journals how it ended.
import { formatCommand, type Command, type Fix } from '../report.js';
import { localExec, type Exec } from '../server/exec.js';
import { appendJournal, pendingEntry, type JournalEntry } from './journal.js';
import { crashPoint } from './crash-point.js';

export interface ApplyResult {
  ok: boolean;
  /** One line per command: "$ cmd" then its failure, if any. */
  log: string[];
  journalId?: string;
}

export interface ApplyOptions {
  /** The journal file (journalPath, from the command's io). */
  journalFile: string;
  dryRun?: boolean;
  /** Where the commands run (default this machine; the --via host's exec for remote fixes). */
  exec?: Exec;
  timeoutMs?: number;
  /** Journal id to use: a rollback scheduled before the change needs to know it. */
  journalId?: string;
  /** Commands that put things back after step `failedAt` failed (run, logged and journaled). */
  recover?: (failedAt: number) => Command[];
  /** The undo as only the run can tell it (e.g. a rule handle a command printed). */
  undoAfter?: (stdouts: string[]) => Fix['undo'] | undefined;
  /** Backup paths, when "last argument of each cp" would be wrong. */
  backups?: string[];
  /** More journal fields (e.g. a pending automatic rollback). */
  journal?: Partial<JournalEntry>;
  /** Journal fields only known once the change is made (e.g. hashes of the files it wrote). */
  journalAfter?: () => Promise<Partial<JournalEntry>>;
}

export async function applyFix(fix: Fix, opts: ApplyOptions): Promise<ApplyResult> {
  const log: string[] = [];
  if (opts.dryRun) {
    for (const c of fix.commands) log.push(`(dry run) $ ${formatCommand(c)}`);
    return { ok: true, log };
  }
  const backups = opts.backups ?? fix.commands.filter((c) => c[0] === 'cp').map((c) => c[c.length - 1]!);
  const entry = pendingEntry(fix, opts.journalId, { backups, ...opts.journal });
  const id = entry.id;
  // Before anything changes: if ssh-doctor is killed from here on, undo and the rollback timer
  // still know of the change and check whether it happened.
  await appendJournal(entry, opts.journalFile);
  crashPoint('journaled-pending');
  let status: JournalEntry['status'] = 'applied';
  const stdouts: string[] = [];
  const recovered: Command[] = [];
  const exec = opts.exec ?? localExec;
  for (const [i, c] of fix.commands.entries()) {
    log.push(`$ ${formatCommand(c)}`);
    const r = await exec(c, { timeoutMs: opts.timeoutMs ?? 30_000 });
    stdouts.push(r.stdout);
    crashPoint(`ran-${i + 1}`);
    if (r.exitCode === 0) continue;
    if (r.timedOut) {
      // Killed after its deadline, the command may have changed things before: not "failed"
      // until the state says so. It stays pending, which undo and the rollback timer revert.
      status = 'pending';
      log.push('  timed out: it may have taken effect; "ssh-doctor undo" checks and reverts it');
      break;
    }
    status = 'failed';
    log.push(`  failed: ${r.missing ? `${c[0]} is not installed` : r.stderr.trim() || `exit ${r.exitCode}`}`);
    for (const rc of opts.recover?.(i) ?? []) {
      const rr = await exec(rc, { timeoutMs: opts.timeoutMs ?? 30_000 });
      log.push(
        `  put back: $ ${formatCommand(rc)}${rr.exitCode === 0 ? '' : `  (failed: ${rr.stderr.trim() || `exit ${rr.exitCode}`})`}`,
      );
      recovered.push(rc);
    }
    break;
  }
  const ok = status === 'applied';
  // A backup the recovery removed (it was never needed, or was cut short) is not journaled.
  const removed = new Set(recovered.filter((c) => c[0] === 'rm').flatMap((c) => c.slice(1)));
  await appendJournal(
    {
      ...entry,
      undo: (ok && opts.undoAfter?.(stdouts)) || fix.undo,
      backups: backups.filter((b) => !removed.has(b)),
      status,
      ...(recovered.length ? { recovered } : {}),
      ...(ok && opts.journalAfter ? await opts.journalAfter() : {}),
    },
    opts.journalFile,
  );
  return { ok, log, journalId: id };
}
