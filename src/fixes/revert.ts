// Reverting a journaled change: run its undo commands in order, then journal the undo itself.
import { formatCommand, formatMode, type Command } from '../report.js';
import { nftChainOf, ruleCheckFor } from '../server/fixes/firewall.js';
import { taggedHandles } from '../server/fixes/rollback.js';
import { localHost, type Host } from '../server/host.js';
import { appendJournal, type JournalEntry } from './journal.js';
import { tmpPath } from '../server/fixes/config-edit.js';

export interface RevertResult {
  ok: boolean;
  log: string[];
}

/**
 * Entries that can still be undone: applied, or pending (ssh-doctor stopped mid-change, so it may
 * have applied: the undo checks the real state first), and neither undone nor rolled back since.
 */
export function undoable(entries: readonly JournalEntry[]): JournalEntry[] {
  const reverted = new Set(
    entries.filter((e) => e.status === 'undone' || e.status === 'rolled-back').map((e) => e.undoes),
  );
  return entries.filter((e) => (e.status === 'applied' || e.status === 'pending') && !e.undoes && !reverted.has(e.id));
}

/** The files a change wrote, as it left them (journaled as `results`, checked by changedSince). */
export async function resultsOf(
  paths: readonly string[],
  host: Host = localHost,
): Promise<Pick<JournalEntry, 'results'>> {
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
  /** The journal file (journalPath, from the command's io). */
  journalFile: string;
  dryRun?: boolean;
  as?: 'undone' | 'rolled-back';
  timeoutMs?: number;
  force?: boolean;
  /** Where the change was made (the --via host for entry.via). */
  host?: Host;
}

export async function revertEntry(entry: JournalEntry, opts: RevertOptions): Promise<RevertResult> {
  const log: string[] = [];
  const host = opts.host ?? localHost;
  if (typeof entry.undo === 'string' && !(entry.status === 'pending' && entry.nftTagged)) {
    return { ok: false, log: [`This change has no automatic undo. By hand: ${entry.undo}`] };
  }
  if (entry.objects && !entry.via) {
    if (opts.dryRun)
      return {
        ok: true,
        log: entry.objects.map(
          (o) =>
            `(dry run) ${o.path}: back to ${formatMode(o.before.mode)} ${o.before.uid}:${o.before.gid}, if it is still inode ${o.before.ino}`,
        ),
      };
    const { revertObjects } = await import('../server/fixes/path-changes.js');
    const r = await revertObjects(entry.objects, opts.force === true);
    // A refusal changed nothing: journal nothing, so the change can still be undone later.
    if (r.refused) return { ok: false, log: r.log };
    await journalUndo(entry, r.ok, opts);
    return { ok: r.ok, log: r.log };
  }
  if (entry.rewrite && !entry.via) {
    const { revertRejoin } = await import('../server/fixes/rejoin.js');
    const r = await revertRejoin(entry.rewrite, { force: opts.force === true, dryRun: opts.dryRun });
    if (r.refused || opts.dryRun) return { ok: r.ok, log: r.log };
    await journalUndo(entry, r.ok, opts);
    return { ok: r.ok, log: r.log };
  }
  if (entry.status === 'pending' && entry.original) {
    const state = await pendingEdit(entry, entry.original, host);
    if (state === 'not-made') {
      // Killed before the rename: the file is as diagnosed; only leftovers to remove.
      const leftovers = [...entry.backups, tmpPath(entry.original.path)];
      if (opts.dryRun)
        return {
          ok: true,
          log: [`(dry run) ${entry.original.path} was never replaced; $ ${formatCommand(['rm', '-f', ...leftovers])}`],
        };
      const r = await host.exec(['rm', '-f', '--', ...leftovers], { timeoutMs: opts.timeoutMs ?? 30_000 });
      await journalUndo(entry, r.exitCode === 0, opts);
      return {
        ok: r.exitCode === 0,
        log: [
          `${entry.original.path} was never replaced (ssh-doctor stopped before); removed what it had left: ${leftovers.join(', ')}`,
        ],
      };
    }
    if (state === 'unknown') {
      return {
        ok: false,
        log: [
          `${entry.original.path} is neither as it was diagnosed nor restorable from ${entry.backups[0] ?? 'a backup'}: ssh-doctor stopped mid-change and cannot tell what to put back. Compare them by hand.`,
        ],
      };
    }
  }
  const changed = opts.force || entry.status === 'pending' ? [] : await changedSince(entry, host);
  if (changed.length) {
    return {
      ok: false,
      log: [
        `${changed.join(', ')} changed after this change was made; undoing it would discard that. Undo later changes first, or add --force.`,
      ],
    };
  }
  const undo = await undoCommands(entry, entry.undo, host);
  if (opts.dryRun) return { ok: true, log: undo.map((c) => `(dry run) $ ${formatCommand(c)}`) };
  let ok = true;
  for (const c of undo) {
    // Pending: the change may never have been made; a rule that is not there is not removed.
    const check = entry.status === 'pending' ? ruleCheckFor(c) : undefined;
    if (check && (await host.exec(check, { timeoutMs: opts.timeoutMs ?? 30_000 })).exitCode === 1) {
      log.push(`not there, nothing to remove: ${formatCommand(c)}`);
      continue;
    }
    log.push(`$ ${formatCommand(c)}`);
    const r = await host.exec(c, { timeoutMs: opts.timeoutMs ?? 30_000 });
    if (r.exitCode !== 0) {
      ok = false;
      log.push(
        `  failed: ${r.missing ? `${c[0]} is not installed` : r.timedOut ? 'timed out' : r.stderr.trim() || `exit ${r.exitCode}`}`,
      );
      break;
    }
  }
  await journalUndo(entry, ok, opts);
  return { ok, log };
}

/**
 * The undo to run. An nft rule's handle is known only once it is added: for a change journaled
 * pending, the tagged rules in that chain that were not there before the change are its own.
 */
async function undoCommands(entry: JournalEntry, undo: JournalEntry['undo'], host: Host): Promise<Command[]> {
  if (typeof undo !== 'string') return undo;
  const nft = entry.commands.find((c) => c[0] === 'nft');
  const at = nft ? nftChainOf(nft) : undefined;
  if (!at || !entry.nftTagged) return [];
  const listing = await host.exec(['nft', '-a', 'list', 'chain', at.family, at.table, at.chain]);
  const before = new Set(entry.nftTagged);
  return taggedHandles(listing.stdout)
    .filter((h) => !before.has(h))
    .map((h) => ['nft', 'delete', 'rule', at.family, at.table, at.chain, 'handle', String(h)]);
}

/**
 * A config edit journaled pending (ssh-doctor stopped mid-way): 'not-made' when the file is still
 * as diagnosed (or as its backup), 'made' when it differs and the backup holds the original.
 */
async function pendingEdit(
  entry: JournalEntry,
  original: NonNullable<JournalEntry['original']>,
  host: Host,
): Promise<'not-made' | 'made' | 'unknown'> {
  const now = await host.sha256(original.path);
  const backup = entry.backups[0] === undefined ? undefined : await host.sha256(entry.backups[0]);
  if (now !== undefined && (now === original.sha256 || now === backup)) return 'not-made';
  return backup === original.sha256 ? 'made' : 'unknown';
}

async function journalUndo(entry: JournalEntry, ok: boolean, { as, journalFile }: RevertOptions): Promise<void> {
  await appendJournal(
    {
      id: `${entry.id}-u`,
      at: new Date().toISOString(),
      fixId: entry.fixId,
      title: `Undo: ${entry.title}`,
      commands: typeof entry.undo === 'string' ? [] : entry.undo,
      undo: entry.commands.slice(),
      backups: [],
      status: ok ? (as ?? 'undone') : 'failed',
      undoes: entry.id,
      ...(entry.via ? { via: entry.via } : {}),
    },
    journalFile,
  );
}
