// `ssh-doctor undo`, declared. Light on purpose: this is parsed at start-up; run.ts, which loads
// the journal, the undo steps and the UI, is imported only to run.
import { UsageError } from '../../errors.js';
import type { Mode } from '../mode.js';
import { flag, parseOptions, value } from '../options.js';

/** A change id, as `ssh-doctor undo --list` shows it. */
export function changeId(v: string | undefined, name: string): string {
  if (!v || !/^[\w-]{1,64}$/.test(v))
    throw new UsageError(`${name} needs a change id from "ssh-doctor undo --list", not "${v ?? ''}".`);
  return v;
}

const options = {
  list: flag('the changes that can still be undone'),
  json: flag('that list as JSON (schema ssh-doctor/journal@1)'),
  yes: flag('revert ID without a prompt'),
  dryRun: flag('show the undo commands; change nothing'),
  force: flag('revert even when a file the change wrote was modified since'),
  confirm: value('ID', 'keep a firewall change made over SSH (run it from a NEW connection)', changeId),
  rollbackAfter: value(
    'N',
    'the rollback timer a firewall change over SSH arms',
    (v, name) => {
      if (!/^\d{1,5}$/.test(v)) throw new UsageError(`${name} takes seconds, not "${v}".`);
      return Number(v);
    },
    { hidden: true },
  ),
  help: flag('this text'),
};

export interface UndoOptions {
  id?: string;
  list: boolean;
  json: boolean;
  yes: boolean;
  dryRun: boolean;
  force: boolean;
  confirm?: string;
  /** Set by the detached rollback timer run-fixes arms: sleep, then revert `id` unless confirmed. */
  rollbackAfter?: number;
  help: boolean;
}

export function parseUndoArgs(argv: readonly string[]): UndoOptions {
  const { options: o, operands } = parseOptions('undo', options, argv, 1);
  return { ...o, id: operands[0] === undefined ? undefined : changeId(operands[0], 'undo') };
}

export const undo: Mode<UndoOptions> = {
  name: 'undo',
  summary: 'list changes ssh-doctor made and revert one',
  usage: '[ID] [options]',
  about: `Lists the changes ssh-doctor made (the journal) and reverts the one you choose. Without ID, pick
a change in the terminal, see its undo commands, confirm.`,
  options,
  parse: (argv) => parseUndoArgs(argv),
  run: async (opts, io) => (await import('./run.js')).run(opts, io),
};
