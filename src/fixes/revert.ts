// Reverting a journaled change: run its undo commands in order, then journal the undo itself.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { formatCommand } from '../report.js';
import { run } from '../run.js';
import { appendJournal, type JournalEntry } from './journal.js';

export interface RevertResult {
  ok: boolean;
  log: string[];
}

/** Entries that can still be undone: applied, and neither undone nor rolled back since. */
export function undoable(entries: readonly JournalEntry[]): JournalEntry[] {
  const reverted = new Set(entries.filter((e) => e.status === 'undone' || e.status === 'rolled-back').map((e) => e.undoes));
  return entries.filter((e) => e.status === 'applied' && !reverted.has(e.id));
}

export async function sha256File(path: string): Promise<string | undefined> {
  try {
    return createHash('sha256').update(await readFile(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** Files the change wrote that have changed since (by hand, or a later fix): undo would lose that. */
export async function changedSince(entry: JournalEntry): Promise<string[]> {
  const out: string[] = [];
  for (const r of entry.results ?? []) if ((await sha256File(r.path)) !== r.sha256) out.push(r.path);
  return out;
}

export async function revertEntry(
  entry: JournalEntry,
  opts: { dryRun?: boolean; as?: 'undone' | 'rolled-back'; timeoutMs?: number; force?: boolean } = {},
): Promise<RevertResult> {
  const log: string[] = [];
  if (typeof entry.undo === 'string') {
    return { ok: false, log: [`This change has no automatic undo. By hand: ${entry.undo}`] };
  }
  const changed = opts.force ? [] : await changedSince(entry);
  if (changed.length) {
    return { ok: false, log: [`${changed.join(', ')} changed after this change was made; undoing it would discard that. Undo later changes first, or add --force.`] };
  }
  if (opts.dryRun) return { ok: true, log: entry.undo.map((c) => `(dry run) $ ${formatCommand(c)}`) };
  let ok = true;
  for (const c of entry.undo) {
    log.push(`$ ${formatCommand(c)}`);
    const r = await run(c, { timeoutMs: opts.timeoutMs ?? 30_000 });
    if (r.exitCode !== 0) {
      ok = false;
      log.push(`  failed: ${r.missing ? `${c[0]} is not installed` : r.timedOut ? 'timed out' : r.stderr.trim() || `exit ${r.exitCode}`}`);
      break;
    }
  }
  await appendJournal({
    id: `${entry.id}-u`, at: new Date().toISOString(), fixId: entry.fixId, title: `Undo: ${entry.title}`,
    commands: entry.undo, undo: entry.commands.slice(), backups: [], status: ok ? (opts.as ?? 'undone') : 'failed', undoes: entry.id,
  });
  return { ok, log };
}
