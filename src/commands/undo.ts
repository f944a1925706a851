// `ssh-doctor undo`: list the journal of applied changes and revert one, journaling the undo.
//   undo                     pick a change interactively (terminal), confirm, revert
//   undo --list [--json]     the changes that can still be undone
//   undo ID --yes            revert ID without a prompt; --dry-run shows the commands only;
//                            --force even when a file it wrote was changed since
//   undo --confirm ID        keep a firewall change made over SSH (from a NEW connection)
//   undo --rollback-after N ID   the detached timer run-fixes arms; not for people
import { assertClean, UsageError } from '../errors.js';
import { appendJournal, confirmationOf, journalPath, readJournal, type JournalEntry } from '../fixes/journal.js';
import { revertEntry, undoable } from '../fixes/revert.js';
import { revertWhereMade } from '../server/fixes/undo-where-made.js';
import { viaName } from '../server/host.js';
import { inert, inertJson } from '../inert.js';
import { formatUndo } from '../report.js';
import { confirmationRefusal, rollbackDecision } from '../server/fixes/rollback.js';
import { currentSshSession } from '../server/fixes/ssh-session.js';

const UNDO_HELP = `Usage: ssh-doctor undo [ID] [options]

Lists the changes ssh-doctor made (the journal) and reverts the one you choose.
  (no ID)          pick a change in the terminal, see its undo commands, confirm
  --list [--json]  the changes that can still be undone
  ID --yes         revert ID without a prompt (--dry-run: show the commands only)
  --force          revert even when a file the change wrote was modified since
  --confirm ID     keep a firewall change made over SSH (run it from a NEW connection)
`;

interface UndoArgs {
  help: boolean;
  id?: string;
  list: boolean;
  json: boolean;
  yes: boolean;
  dryRun: boolean;
  force: boolean;
  confirm?: string;
  rollbackAfter?: number;
}

export function parseUndoArgs(argv: readonly string[]): UndoArgs {
  const out: UndoArgs = { help: false, list: false, json: false, yes: false, dryRun: false, force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = assertClean('An argument', argv[i]!);
    if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--list') out.list = true;
    else if (a === '--json') out.json = true;
    else if (a === '--yes' || a === '-y') out.yes = true;
    else if (a === '--dry-run') out.dryRun = true;
    else if (a === '--force') out.force = true;
    else if (a === '--confirm') out.confirm = needId(argv[++i], '--confirm');
    else if (a === '--rollback-after') {
      const v = argv[++i];
      if (!v || !/^\d{1,5}$/.test(v)) throw new UsageError(`--rollback-after takes seconds, not "${v ?? ''}".`);
      out.rollbackAfter = Number(v);
    } else if (a.startsWith('-')) throw new UsageError(`Unknown option ${a} for undo (see ssh-doctor undo --help).`);
    else if (out.id === undefined) out.id = needId(a, 'undo');
    else throw new UsageError(`undo takes one change id, not also "${a}".`);
  }
  return out;
}

function needId(v: string | undefined, what: string): string {
  if (!v || !/^[\w-]{1,64}$/.test(v)) throw new UsageError(`${what} needs a change id from "ssh-doctor undo --list", not "${v ?? ''}".`);
  return v;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseUndoArgs(argv);
  if (args.help) {
    process.stdout.write(UNDO_HELP);
    return 0;
  }
  if (args.rollbackAfter !== undefined) return rollbackTimer(args.rollbackAfter, needId(args.id, '--rollback-after'));
  if (args.confirm) return confirm(args.confirm);
  const entries = await readJournal();
  const open = undoable(entries);
  if (args.list || (args.json && !args.id)) return list(open, entries, args.json);
  if (!args.id) {
    if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UsageError('Say which change to undo: ssh-doctor undo ID --yes (ids: ssh-doctor undo --list).');
    const { runUndoUi } = await import('../ui/undo/run-undo-ui.js');
    return runUndoUi(open, args.dryRun);
  }
  const entry = open.find((e) => e.id === args.id);
  if (!entry) {
    const any = entries.find((e) => e.id === args.id);
    throw new UsageError(any ? `Change ${args.id} cannot be undone (it is ${any.status === 'applied' ? 'already undone' : any.status}).` : `No change ${args.id} in ${journalPath()}.`);
  }
  if (!args.yes && !args.dryRun) {
    if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UsageError(`Add --yes to undo ${args.id} without a prompt.`);
    const { runUndoUi } = await import('../ui/undo/run-undo-ui.js');
    return runUndoUi([entry], false);
  }
  process.stdout.write(inert(`Undo ${entry.id}: ${entry.title}${entry.via ? ` (on ${viaName(entry.via)}, over SSH)` : ''}`) + '\n');
  const r = await revertWhereMade(entry, { dryRun: args.dryRun, force: args.force });
  process.stdout.write(r.log.map((l) => `  ${inert(l)}\n`).join(''));
  process.stdout.write(r.ok ? (args.dryRun ? 'Nothing was changed (dry run).\n' : 'Undone.\n') : 'The undo did not complete; see above.\n');
  return r.ok ? 0 : 1;
}

/**
 * A --via firewall change neither kept nor reverted on record: ssh-doctor stopped before settling
 * it, so the timer on that host has most likely reverted it since.
 */
function unsettled(e: JournalEntry, entries: readonly JournalEntry[]): boolean {
  return e.via !== undefined && e.rollback !== undefined && !entries.some((x) => x.undoes === e.id);
}

function list(open: JournalEntry[], entries: readonly JournalEntry[], json: boolean): number {
  if (json) {
    process.stdout.write(inertJson({ schema: 'ssh-doctor/journal@1', journal: journalPath(), entries: open }));
    return 0;
  }
  const say = (s: string) => process.stdout.write(inert(s) + '\n');
  if (!open.length) {
    say(`Nothing to undo (${journalPath()}).`);
    return 0;
  }
  for (const e of open) {
    say(`${e.id}  ${e.at}  ${e.title}${e.via ? `  (on ${viaName(e.via)})` : ''}`);
    if (e.status === 'pending') say('    unfinished: ssh-doctor stopped during this change, so it may or may not have taken effect; undo checks which and reverts only what is there');
    if (unsettled(e, entries)) say(`    probably already reverted: its rollback timer on ${viaName(e.via!)} was due at ${e.rollback!.deadline} and ssh-doctor never confirmed it`);
    for (const u of formatUndo(e.undo)) say(`    undo: ${u}`);
    if (e.backups.length) say(`    backup: ${e.backups.join(', ')}`);
  }
  return 0;
}

async function confirm(id: string): Promise<number> {
  const entries = await readJournal();
  const entry = entries.find((e) => e.id === id && !e.undoes);
  // Over --via, ssh-doctor opened the new connection itself and kept or reverted the change then.
  if (entry?.via) throw new UsageError(`Cannot confirm ${id}: it was made on ${viaName(entry.via)} with --via, where ssh-doctor already checked a new connection.`);
  const why = confirmationRefusal(entry, await currentSshSession(), new Date());
  if (why) throw new UsageError(`Cannot confirm ${id}: ${why}`);
  const d = rollbackDecision(entries, id);
  if (d.action !== 'roll-back') throw new UsageError(`Cannot confirm ${id}: ${d.why}.`);
  await appendJournal(confirmationOf(entry!));
  process.stdout.write(inert(`Kept ${id}: ${entry!.title}. The automatic rollback will not run.`) + '\n');
  return 0;
}

/** Runs detached (own session): sleeps, then reverts the change unless it was confirmed. */
async function rollbackTimer(seconds: number, id: string): Promise<number> {
  process.on('SIGHUP', () => {});
  await new Promise((r) => setTimeout(r, seconds * 1000));
  // The change is journaled right after it is applied; give a slow apply a little more time.
  for (let waited = 0; ; waited += 2) {
    const d = rollbackDecision(await readJournal(), id);
    if (d.action === 'roll-back') return (await revertEntry(d.entry, { as: 'rolled-back' })).ok ? 0 : 1;
    if (d.action !== 'wait' || waited >= 30) return 0;
    await new Promise((r) => setTimeout(r, 2000));
  }
}
