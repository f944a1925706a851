// One quoting rule for every command line ssh-doctor builds as text (POSIX: nothing is special
// inside '…'; a ' is written '\''). Two uses:
// - ssh's exec request carries one string that the remote login shell splits again: every
//   argument is quoted (shellCommand);
// - commands shown for a person to paste ("next" steps, the console kit's repair block, a fix's
//   preview): a word is left bare only when no shell would change it (commandText).
import { hasControl } from './inert.js';
import type { Command } from './report.js';

export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('a NUL byte cannot be passed to a remote command');
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(cmd: Command): string {
  return cmd.map(shellQuote).join(' ');
}

// Bare words: no glob, brace, tilde, parameter, command or arithmetic expansion, no splitting,
// quoting, redirection, comment or history character in sh, bash or zsh. "~" is left out (bash
// expands it after "=" and ":" even inside an argument), and so is a leading "=" (zsh expands
// "=cmd" to a path).
const BARE = /^[\w@%+:,./-][\w@%+=:,./-]*$/;

/** One word as a person sees it: bare when that is the same word to every shell, else quoted. */
export function quoteArg(arg: string, first = false): string {
  return BARE.test(arg) && !(first && arg.includes('=')) ? arg : shellQuote(arg);
}

/**
 * A command as text to paste, or undefined when a value in it holds control characters: quoting
 * keeps a shell from acting on them but not the terminal showing them, and an escaped value
 * would be a different command.
 */
export function commandText(cmd: Command): string | undefined {
  return cmd.some(hasControl) ? undefined : cmd.map((a, i) => quoteArg(a, i === 0)).join(' ');
}

/**
 * A command as lines to paste at `width` columns: broken only between arguments, each line but
 * the last ending in " \", none indented, so that selecting the lines copies the command. A
 * single argument wider than the line stays whole (the terminal soft-wraps it, and copying joins
 * it again). Undefined when commandText refuses the command.
 */
export function commandLines(cmd: Command, width: number): string | undefined {
  if (cmd.some(hasControl)) return undefined;
  return joinWords(
    cmd.map((a, i) => quoteArg(a, i === 0)),
    width,
  );
}

/**
 * A command written as shell text (our own, such as a provider's step) as lines to paste at
 * `width`, the way commandLines breaks one: only at blanks outside quotes.
 */
export function shellTextLines(text: string, width: number): string {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' && !quote) {
      if (word) words.push(word);
      word = '';
      continue;
    }
    word += c;
    // A backslash keeps the next character in the word (outside quotes and inside "…").
    if (c === '\\' && quote !== "'") word += text[++i] ?? '';
    else if (c === quote) quote = undefined;
    else if (!quote && (c === "'" || c === '"')) quote = c;
  }
  if (word) words.push(word);
  return joinWords(words, width);
}

function joinWords(words: readonly string[], width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    // Room for the " \" that ends every line but the last.
    if (line && line.length + 1 + word.length + 2 > width) {
      lines.push(`${line} \\`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}

/** Shown in place of a command that commandText refuses. */
export const LEFT_OUT = '(command left out: a value in it holds control characters)';

/** A "next" step: the text, then the command to paste (or the note that it was left out). */
export function pasteStep(text: string, cmd: Command, after = ''): string {
  const c = commandText(cmd);
  return c === undefined ? `${text}${LEFT_OUT}` : `${text}${c}${after}`;
}
