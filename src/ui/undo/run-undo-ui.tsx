import type { Io } from '../../commands/mode.js';
import type { JournalEntry } from '../../fixes/journal.js';
import { revertWhereMade } from '../../server/fixes/undo-where-made.js';
import { showOn } from '../app.js';
import { UndoApp } from './UndoApp.js';

export async function runUndoUi(
  io: Io,
  entries: JournalEntry[],
  how: Parameters<typeof revertWhereMade>[1],
): Promise<number> {
  if (!entries.length) {
    io.stdout.write('Nothing to undo: ssh-doctor has no applied change on record.\n');
    return 0;
  }
  let code = 0;
  await showOn(io, <UndoApp entries={entries} revert={(e) => revertWhereMade(e, how)} onExit={(c) => (code = c)} />);
  return code;
}
