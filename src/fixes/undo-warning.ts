// What an undo does besides reverting a file: said before it runs, on screen and headless.
import type { JournalEntry } from './journal.js';

/** A sentence when undoing this change takes something away the user may be relying on. */
export function undoWarning(entry: JournalEntry): string | undefined {
  if (entry.fixId === 'start-sshd')
    return 'Undoing this stops sshd: new SSH logins to this machine will be refused until sshd is started again.';
  return undefined;
}
