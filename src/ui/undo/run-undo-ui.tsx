import { render } from 'ink';
import type { JournalEntry } from '../../fixes/journal.js';
import { revertWhereMade } from '../../server/fixes/undo-where-made.js';
import { UndoApp } from './UndoApp.js';
import type { Io } from '../../commands/mode.js';

export async function runUndoUi(
  entries: JournalEntry[],
  how: Parameters<typeof revertWhereMade>[1],
  io: Pick<Io, 'stdout'>,
): Promise<number> {
  if (!entries.length) {
    io.stdout.write('Nothing to undo: ssh-doctor has no applied change on record.\n');
    return 0;
  }
  let code = 0;
  const app = render(<UndoApp entries={entries} revert={(e) => revertWhereMade(e, how)} onExit={(c) => (code = c)} />);
  await app.waitUntilExit();
  return code;
}
