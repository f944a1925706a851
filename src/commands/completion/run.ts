// Prints the completion script for the shell asked for, from every mode's declaration.
import type { Io } from '../mode.js';
import { allModes } from '../modes.js';
import { VERSION } from '../version.js';
import type { CompletionOptions } from './command.js';
import { completionScript, specOf } from './script.js';

export async function run(opts: CompletionOptions, io: Io): Promise<number> {
  if (!opts.shell) return 2;
  io.stdout.write(completionScript(opts.shell, specOf(await allModes()), VERSION));
  return 0;
}
