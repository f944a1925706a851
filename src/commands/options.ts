// ssh-doctor's own options, declared once per mode: the declaration is both what the command line
// is parsed by and what --help prints. Long options only: every single-letter flag is ssh's.
import { assertClean, UsageError } from '../errors.js';
import { SSH_FLAGS } from '../ssh-args.js';

interface Common {
  /** What --help says (a "\n" continues on the next line, indented). */
  readonly description: string;
  /** Left out of --help: for ssh-doctor's own use, not people's. */
  readonly hidden?: boolean;
}

export interface Flag extends Common {
  readonly kind: 'flag';
}

export interface Value<T> extends Common {
  readonly kind: 'value';
  /** The value's name in --help: NAME, N, DEST. */
  readonly valueName: string;
  /** The value as the mode uses it, or a UsageError in one sentence; `name` is e.g. "--port". */
  readonly parse: (value: string, name: string) => T;
  /** `--kit [FILE]`: the value may be left out (it is then `true`). */
  readonly optional?: boolean;
  /** What shell completion offers for the value: these words, or files, or host names. */
  readonly complete?: readonly string[] | 'file' | 'host';
}

export type Options = Readonly<Record<string, Flag | Value<unknown>>>;

/** Flags are false unless given; values undefined unless given. */
export type Parsed<S extends Options> = { [K in keyof S]: S[K] extends Value<infer T> ? T | undefined : boolean };

export const flag = (description: string, more: { hidden?: boolean } = {}): Flag => ({
  kind: 'flag',
  description,
  ...more,
});

export const value = <T>(
  valueName: string,
  description: string,
  parse: (value: string, name: string) => T,
  more: { hidden?: boolean; complete?: Value<T>['complete'] } = {},
): Value<T> => ({ kind: 'value', valueName, description, parse, ...more });

export const optionalValue = <T>(
  valueName: string,
  description: string,
  parse: (value: string, name: string) => T,
  more: { complete?: Value<T>['complete'] } = {},
): Value<T | true> => ({ kind: 'value', valueName, description, parse, optional: true, ...more });

/** The option a declaration's key stands for: dryRun is --dry-run. */
export const optionName = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Where a mode's help is, for error sentences ('' is the client, the default mode). */
const helpCommand = (mode: string): string => (mode ? `ssh-doctor ${mode} --help` : 'ssh-doctor --help');

/**
 * Reads the option at argv[i] (`--name`, `--name value`, `--name=value`) into `into` and returns
 * the index of the argument after it.
 */
export function takeOption<S extends Options>(
  mode: string,
  options: S,
  argv: readonly string[],
  i: number,
  into: Partial<Parsed<S>>,
): number {
  const arg = assertClean('An argument', argv[i]!);
  const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
  const name = eq > 0 ? arg.slice(0, eq) : arg;
  const key = Object.keys(options).find((k) => optionName(k) === name) as (keyof S & string) | undefined;
  if (key === undefined) throw unknown(mode, options, name);
  const o = options[key]!;
  const set = (v: unknown) => ((into as Record<string, unknown>)[key] = v);
  if (o.kind === 'flag') {
    if (eq > 0) throw new UsageError(`${name} takes no value.`);
    set(true);
    return i + 1;
  }
  const v = eq > 0 ? arg.slice(eq + 1) : argv[i + 1];
  if (o.optional && eq < 0 && (v === undefined || v.startsWith('-'))) {
    set(true);
    return i + 1;
  }
  if (!v) throw new UsageError(`${name} needs a value.`);
  set(o.parse(assertClean(`The value of ${name}`, v), name));
  return eq > 0 ? i + 1 : i + 2;
}

/** A mode's whole command line: its options, and the words that are not options (after `--` too). */
export function parseOptions<S extends Options>(
  mode: string,
  options: S,
  argv: readonly string[],
  maxOperands = 0,
): { options: Parsed<S>; operands: string[] } {
  const into: Partial<Parsed<S>> = {};
  const operands: string[] = [];
  for (let i = 0; i < argv.length; ) {
    const a = assertClean('An argument', argv[i]!);
    if (a === '--') {
      operands.push(...argv.slice(i + 1).map((o) => assertClean('An argument', o)));
      break;
    }
    if (a.startsWith('-') && a !== '-') i = takeOption(mode, options, argv, i, into);
    else {
      operands.push(a);
      i++;
    }
  }
  const extra = operands[maxOperands];
  if (extra !== undefined)
    throw new UsageError(`Unexpected argument "${extra}" for "${mode}" (see ${helpCommand(mode)}).`);
  for (const [k, o] of Object.entries(options)) if (o.kind === 'flag') (into as Record<string, unknown>)[k] ??= false;
  return { options: into as Parsed<S>, operands };
}

function unknown(mode: string, options: Options, arg: string): UsageError {
  const where = mode ? ` for "${mode}"` : '';
  if (arg.startsWith('--')) return new UsageError(`Unknown option ${arg}${where} (see ${helpCommand(mode)}).`);
  // A single dash: someone used to short options. Name the long one when it is plain which.
  const letters = arg.slice(1);
  const names = Object.keys(options).map(optionName);
  const meant = names.includes(`--${letters}`)
    ? [`--${letters}`]
    : letters.length === 1
      ? names.filter((n) => n.startsWith(`--${letters}`))
      : [];
  const what =
    letters.length === 1 && SSH_FLAGS.has(letters) ? `${arg} is an ssh option` : `Unknown option ${arg}${where}`;
  return new UsageError(
    `${what}; ssh-doctor's own options are long: ${meant.length === 1 ? meant[0] : `see ${helpCommand(mode)}`}.`,
  );
}

/** The options part of --help, in declaration order, within 100 columns. */
export function renderOptions(options: Options): string {
  const rows = Object.entries(options)
    .filter(([, o]) => !o.hidden)
    .map(
      ([k, o]) =>
        [
          o.kind === 'flag' ? optionName(k) : `${optionName(k)} ${o.optional ? `[${o.valueName}]` : o.valueName}`,
          o.description,
        ] as const,
    );
  const column = Math.min(22, Math.max(...rows.map(([label]) => label.length))) + 2;
  const indent = ' '.repeat(column + 2);
  return rows
    .map(([label, text]) => {
      const body = wrap(text, 100 - indent.length).join(`\n${indent}`);
      return label.length + 2 > column ? `  ${label}\n${indent}${body}\n` : `  ${label.padEnd(column)}${body}\n`;
    })
    .join('');
}

function wrap(text: string, width: number): string[] {
  return text.split('\n').flatMap((paragraph) => {
    const lines = [''];
    for (const word of paragraph.split(' ')) {
      const last = lines.at(-1)!;
      if (last && last.length + 1 + word.length > width) lines.push(word);
      else lines[lines.length - 1] = last ? `${last} ${word}` : word;
    }
    return lines;
  });
}
