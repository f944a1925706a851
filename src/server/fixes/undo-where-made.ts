// A person's undo (`ssh-doctor undo`, its screen): on the host the change was made on, and never
// removing the firewall rule the undoing session itself came in by. The rollback timers call
// revertEntry directly: they must revert regardless.
import { revertEntry, type RevertOptions, type RevertResult } from '../../fixes/revert.js';
import type { JournalEntry } from '../../fixes/journal.js';
import { viaName } from '../host.js';
import { undoWouldCut } from './firewall.js';
import { currentSessionPort } from './ssh-session.js';

/** revertEntry where the change was made: over SSH again for a change made with --via. */
export async function revertWhereMade(
  entry: JournalEntry,
  opts: Omit<RevertOptions, 'host'> & {
    /** The process environment (the command's io.env): the session, the agent to connect with. */
    env: Readonly<Record<string, string | undefined>>;
  },
): Promise<RevertResult> {
  const cut =
    opts.force || opts.dryRun
      ? undefined
      : undoWouldCut(entry.fixId, entry.commands, entry.via ? entry.via.port : await currentSessionPort(opts.env));
  if (cut) return { ok: false, log: [`Refused: ${cut}. Undo it from a console or another route in, or add --force.`] };
  if (!entry.via) return revertEntry(entry, opts);
  let remote: Awaited<ReturnType<typeof import('../remote.js')['connectVia']>>;
  try {
    remote = await (await import('../remote.js')).connectVia(entry.via, opts.env);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, log: [`This change was made on ${viaName(entry.via)}, and connecting there failed: ${why}`] };
  }
  try {
    return await revertEntry(entry, { ...opts, host: remote });
  } finally {
    remote.close();
  }
}
