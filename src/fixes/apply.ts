// Runs a confirmed fix: its commands in order, stopping at the first failure, then journals it.
import { randomUUID } from 'node:crypto';
import { formatCommand, type Fix } from '../report.js';
import { run } from '../run.js';
import { appendJournal } from './journal.js';

export interface ApplyResult {
  ok: boolean;
  /** One line per command: "$ cmd" then its failure, if any. */
  log: string[];
  journalId?: string;
}

export async function applyFix(fix: Fix, opts: { dryRun?: boolean; timeoutMs?: number } = {}): Promise<ApplyResult> {
  const log: string[] = [];
  if (opts.dryRun) {
    for (const c of fix.commands) log.push(`(dry run) $ ${formatCommand(c)}`);
    return { ok: true, log };
  }
  let ok = true;
  for (const c of fix.commands) {
    log.push(`$ ${formatCommand(c)}`);
    const r = await run(c, { timeoutMs: opts.timeoutMs ?? 30_000 });
    if (r.exitCode !== 0) {
      ok = false;
      const why = r.missing ? `${c[0]} is not installed` : r.timedOut ? 'timed out' : (r.stderr.trim() || `exit ${r.exitCode}`);
      log.push(`  failed: ${why}`);
      break;
    }
  }
  const id = randomUUID().slice(0, 8);
  const backups = fix.commands.filter((c) => c[0] === 'cp').map((c) => c[c.length - 1]!);
  await appendJournal({
    id, at: new Date().toISOString(), fixId: fix.id, title: fix.title,
    commands: fix.commands, undo: fix.undo, backups, status: ok ? 'applied' : 'failed',
  });
  return { ok, log, journalId: id };
}
