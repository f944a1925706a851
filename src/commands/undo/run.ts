// `ssh-doctor undo`: list the journal of applied changes and revert one, journaling the undo.
// Loaded only to run (command.ts is what start-up parses).
import { UsageError } from '../../errors.js';
import { appendJournal, confirmationOf, journalPath, readJournal, type JournalEntry } from '../../fixes/journal.js';
import { revertEntry, undoable } from '../../fixes/revert.js';
import { undoWarning } from '../../fixes/undo-warning.js';
import { revertWhereMade } from '../../server/fixes/undo-where-made.js';
import { viaName } from '../../server/host.js';
import { inertJson } from '../../inert.js';
import { formatUndo } from '../../report.js';
import { confirmationRefusal, rollbackDecision } from '../../server/fixes/rollback.js';
import { currentSshSession } from '../../server/fixes/ssh-session.js';
import { changeId, type UndoOptions } from './command.js';
import { hasTerminal, say, type Io } from '../mode.js';

export async function run(args: UndoOptions, io: Io): Promise<number> {
  const out = say(io);
  const journalFile = journalPath(io.env, io.uid);
  if (args.rollbackAfter !== undefined)
    return rollbackTimer(args.rollbackAfter, changeId(args.id, '--rollback-after'), journalFile);
  if (args.confirm) return confirm(args.confirm, io, journalFile);
  const entries = await readJournal(journalFile);
  const open = undoable(entries);
  if (args.list || (args.json && !args.id)) return list(open, entries, args.json, io, journalFile);
  if (!args.id) {
    if (!hasTerminal(io))
      throw new UsageError('Say which change to undo: ssh-doctor undo ID --yes (ids: ssh-doctor undo --list).');
    const { runUndoUi } = await import('../../ui/undo/run-undo-ui.js');
    return runUndoUi(io, open, { dryRun: args.dryRun, env: io.env, journalFile });
  }
  const entry = open.find((e) => e.id === args.id);
  if (!entry) {
    const any = entries.find((e) => e.id === args.id);
    throw new UsageError(
      any
        ? `Change ${args.id} cannot be undone (it is ${any.status === 'applied' ? 'already undone' : any.status}).`
        : `No change ${args.id} in ${journalFile}.`,
    );
  }
  if (!args.yes && !args.dryRun) {
    if (!hasTerminal(io)) throw new UsageError(`Add --yes to undo ${args.id} without a prompt.`);
    const { runUndoUi } = await import('../../ui/undo/run-undo-ui.js');
    return runUndoUi(io, [entry], { dryRun: false, env: io.env, journalFile });
  }
  out.line(`Undo ${entry.id}: ${entry.title}${entry.via ? ` (on ${viaName(entry.via)}, over SSH)` : ''}`);
  const warning = undoWarning(entry);
  if (warning) out.line(`  Warning: ${warning}`);
  const r = await revertWhereMade(entry, { dryRun: args.dryRun, force: args.force, env: io.env, journalFile });
  for (const l of r.log) out.line(`  ${l}`);
  out.result(
    r.ok ? (args.dryRun ? 'Nothing was changed (dry run).\n' : 'Undone.\n') : 'The undo did not complete; see above.\n',
  );
  return r.ok ? 0 : 1;
}

/**
 * A --via firewall change neither kept nor reverted on record: ssh-doctor stopped before settling
 * it, so the timer on that host has most likely reverted it since.
 */
function unsettled(e: JournalEntry, entries: readonly JournalEntry[]): boolean {
  return e.via !== undefined && e.rollback !== undefined && !entries.some((x) => x.undoes === e.id);
}

function list(
  open: JournalEntry[],
  entries: readonly JournalEntry[],
  json: boolean,
  io: Io,
  journalFile: string,
): number {
  const out = say(io);
  if (json) {
    out.result(inertJson({ schema: 'ssh-doctor/journal@1', journal: journalFile, entries: open }));
    return 0;
  }
  if (!open.length) {
    out.line(`Nothing to undo (${journalFile}).`);
    return 0;
  }
  // Newest first: that is the one undo takes back without "undo later changes first".
  for (const e of [...open].reverse()) {
    out.line(`${e.id}  ${e.at}  ${e.title}${e.via ? `  (on ${viaName(e.via)})` : ''}`);
    if (e.status === 'pending')
      out.line(
        '    unfinished: ssh-doctor stopped during this change, so it may or may not have taken effect; undo checks which and reverts only what is there',
      );
    if (unsettled(e, entries))
      out.line(
        `    probably already reverted: its rollback timer on ${viaName(e.via!)} was due at ${e.rollback!.deadline} and ssh-doctor never confirmed it`,
      );
    for (const u of formatUndo(e.undo)) out.line(`    undo: ${u}`);
    if (e.backups.length) out.line(`    backup: ${e.backups.join(', ')}`);
  }
  return 0;
}

async function confirm(id: string, io: Io, journalFile: string): Promise<number> {
  const entries = await readJournal(journalFile);
  const entry = entries.find((e) => e.id === id && !e.undoes);
  // Over --via, ssh-doctor opened the new connection itself and kept or reverted the change then.
  if (entry?.via)
    throw new UsageError(
      `Cannot confirm ${id}: it was made on ${viaName(entry.via)} with --via, where ssh-doctor already checked a new connection.`,
    );
  const why = confirmationRefusal(entry, await currentSshSession(io.env), new Date());
  if (why) throw new UsageError(`Cannot confirm ${id}: ${why}`);
  const d = rollbackDecision(entries, id);
  if (d.action !== 'roll-back') throw new UsageError(`Cannot confirm ${id}: ${d.why}.`);
  await appendJournal(confirmationOf(entry!), journalFile);
  say(io).line(`Kept ${id}: ${entry!.title}. The automatic rollback will not run.`);
  return 0;
}

/** Runs detached (own session): sleeps, then reverts the change unless it was confirmed. */
async function rollbackTimer(seconds: number, id: string, journalFile: string): Promise<number> {
  process.on('SIGHUP', () => {});
  await new Promise((r) => setTimeout(r, seconds * 1000));
  // The change is journaled right after it is applied; give a slow apply a little more time.
  for (let waited = 0; ; waited += 2) {
    const d = rollbackDecision(await readJournal(journalFile), id);
    if (d.action === 'roll-back') return (await revertEntry(d.entry, { as: 'rolled-back', journalFile })).ok ? 0 : 1;
    if (d.action !== 'wait' || waited >= 30) return 0;
    await new Promise((r) => setTimeout(r, 2000));
  }
}
