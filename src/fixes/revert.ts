// Reverting a journaled change: run its undo commands in order, then journal the undo itself.
import { formatCommand } from '../report.js';
import { localHost, type Host } from '../server/host.js';
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

/** The files a change wrote, as it left them (journaled as `results`, checked by changedSince). */
export async function resultsOf(paths: readonly string[], host: Host = localHost): Promise<Pick<JournalEntry, 'results'>> {
  const results = [];
  for (const path of paths) {
    const sha256 = await host.sha256(path);
    if (sha256) results.push({ path, sha256 });
  }
  return results.length ? { results } : {};
}

/** Files the change wrote that have changed since (by hand, or a later fix): undo would lose that. */
export async function changedSince(entry: JournalEntry, host: Host = localHost): Promise<string[]> {
  const out: string[] = [];
  for (const r of entry.results ?? []) if ((await host.sha256(r.path)) !== r.sha256) out.push(r.path);
  return out;
}

export interface RevertOptions {
  dryRun?: boolean;
  as?: 'undone' | 'rolled-back';
  timeoutMs?: number;
  force?: boolean;
  /** Where the change was made (the --via host for entry.via). */
  host?: Host;
}

export async function revertEntry(
  entry: JournalEntry,
  opts: RevertOptions = {},
): Promise<RevertResult> {
  const log: string[] = [];
  if (typeof entry.undo === 'string') {
    return { ok: false, log: [`This change has no automatic undo. By hand: ${entry.undo}`] };
  }
  const host = opts.host ?? localHost;
  const changed = opts.force ? [] : await changedSince(entry, host);
  if (changed.length) {
    return { ok: false, log: [`${changed.join(', ')} changed after this change was made; undoing it would discard that. Undo later changes first, or add --force.`] };
  }
  if (opts.dryRun) return { ok: true, log: entry.undo.map((c) => `(dry run) $ ${formatCommand(c)}`) };
  let ok = true;
  for (const c of entry.undo) {
    log.push(`$ ${formatCommand(c)}`);
    const r = await host.exec(c, { timeoutMs: opts.timeoutMs ?? 30_000 });
    if (r.exitCode !== 0) {
      ok = false;
      log.push(`  failed: ${r.missing ? `${c[0]} is not installed` : r.timedOut ? 'timed out' : r.stderr.trim() || `exit ${r.exitCode}`}`);
      break;
    }
  }
  await appendJournal({
    id: `${entry.id}-u`, at: new Date().toISOString(), fixId: entry.fixId, title: `Undo: ${entry.title}`,
    commands: entry.undo, undo: entry.commands.slice(), backups: [], status: ok ? (opts.as ?? 'undone') : 'failed', undoes: entry.id,
    ...(entry.via ? { via: entry.via } : {}),
  });
  return { ok, log };
}
