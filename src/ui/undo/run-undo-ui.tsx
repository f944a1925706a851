import { render } from 'ink';
import type { JournalEntry } from '../../fixes/journal.js';
import { revertWhereMade } from '../../server/fixes/undo-where-made.js';
import { UndoApp } from './UndoApp.js';

export async function runUndoUi(entries: JournalEntry[], dryRun: boolean): Promise<number> {
  if (!entries.length) {
    process.stdout.write('Nothing to undo: ssh-doctor has no applied change on record.\n');
    return 0;
  }
  let code = 0;
  const app = render(
    <UndoApp entries={entries} revert={(e) => revertWhereMade(e, { dryRun })} onExit={(c) => (code = c)} />,
  );
  await app.waitUntilExit();
  return code;
}
