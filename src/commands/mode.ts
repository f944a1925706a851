// What every mode is: a name, its options declared once, and run(opts, io). The process is
// reached only through `io` (built from the real process once, in cli.ts), so a test runs a
// mode in-process with its own streams, terminal and environment.
import { inert } from '../inert.js';
import { renderOptions, type Options } from './options.js';

export interface Io {
  /** Ink reads keys from it (raw mode) when it is a terminal; --decode - reads it as a pipe. */
  readonly stdin: NodeJS.ReadStream;
  /** Ink draws on it: its columns and rows are the terminal's size. */
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly isTTY: { readonly stdin: boolean; readonly stdout: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** This very program ([node, script]): what a rerun under sudo starts. */
  readonly self: readonly [string, string];
  /** The operating system (process.platform); tests pretend to be elsewhere. */
  readonly platform?: NodeJS.Platform;
  /** Who runs it (undefined where there are no uids): ssh judges key file modes against it. */
  readonly uid: number | undefined;
}

/** Questions can be asked only with a terminal on both ends. */
export const hasTerminal = (io: Io): boolean => io.isTTY.stdin && io.isTTY.stdout;

/** Named output channels: stdout carries the result alone, so it can be redirected or parsed. */
export function say(io: Io) {
  return {
    /** The result, already rendered (and made inert) by its renderer: a report, JSON, the kit. */
    result: (text: string) => void io.stdout.write(text),
    /** One line of a result made of lines (undo, the journal), made inert here. */
    line: (text: string) => void io.stdout.write(`${inert(text)}\n`),
    /** Progress and warnings, one line each, made inert here. */
    progress: (text: string) => void io.stderr.write(`${inert(text)}\n`),
  };
}

export interface Mode<O extends { help: boolean }> {
  /** The word after "ssh-doctor"; '' for the client, the default mode. */
  readonly name: string;
  /** What the mode is for, in the overview (ssh-doctor --help). */
  readonly summary: string;
  /** What follows the name in its usage line. */
  readonly usage: string;
  /** The paragraph under the usage line of its --help. */
  readonly about: string;
  readonly options: Options;
  /** The end of its --help. */
  readonly notes?: string;
  /** What shell completion offers for its words that are not options: host names, or these. */
  readonly operand?: 'host' | readonly string[];
  /** The command line as this mode's options (defaults may come from io.env); throws UsageError. */
  parse(argv: readonly string[], io: Io): O;
  run(opts: O, io: Io): Promise<number>;
}

export function modeHelp(mode: Mode<{ help: boolean }>): string {
  return `Usage: ${['ssh-doctor', mode.name, mode.usage].filter(Boolean).join(' ')}\n\n${mode.about}\n\nOptions:\n${renderOptions(mode.options)}${mode.notes ? `\n${mode.notes}` : ''}`;
}
