// Every mode ssh-doctor has, in one list: main.ts dispatches on it, and --help, the man page and
// the shell completions are all drawn from it, so none of them can name a mode or option the
// command line does not accept.
import { client } from './client/command.js';
import type { Mode } from './mode.js';
import { MODE_NAMES, type ModeName } from './mode-names.js';

export type AnyMode = Mode<{ help: boolean }>;

/** The modes named by a first word, by that word; each declaration is loaded only when used. */
const LOADERS = {
  server: async () => (await import('./server/command.js')).server,
  'locked-out': async () => (await import('./locked-out/command.js')).lockedOut,
  undo: async () => (await import('./undo/command.js')).undo,
  completion: async () => (await import('./completion/command.js')).completion,
} satisfies Record<ModeName, () => Promise<AnyMode>>;
export const MODES = new Map<string, () => Promise<AnyMode>>(MODE_NAMES.map((name) => [name, LOADERS[name]]));

/** The client (no first word) first, then the others in MODES order. */
export async function allModes(): Promise<AnyMode[]> {
  return [client, ...(await Promise.all([...MODES.values()].map((load) => load())))];
}
