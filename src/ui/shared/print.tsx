// What a wizard has finished showing is printed once, above the live region, and scrolls into the
// terminal's history like any program's output; only the current question is redrawn. (Ink
// clears the whole screen and its scrollback once a redrawn region is as tall as the terminal.)
// Prose goes through Ink, wrapped between words at the terminal's width; text meant to be copied
// (commands, the console kit) is written as plain lines that the terminal soft-wraps, so copying
// gives back exactly what was printed.
import { createContext, useContext, useEffect, useRef, type ReactElement } from 'react';
import { renderToString, useStdout } from 'ink';
import { formatCommand, type Command } from '../../report.js';
import { commandLines } from '../../shell-quote.js';

/** Lines written as they are: never wrapped, bordered or indented by Ink. */
export interface Plain {
  readonly plain: string;
}

/** Ink output: wrapped between words at the terminal's width. */
export interface Prose {
  readonly prose: ReactElement;
}

export type Part = Prose | Plain;

export interface Printable {
  /** Printed once per key, in the order of the list. */
  readonly key: string;
  readonly parts: readonly Part[];
}

export const plain = (text: string): Plain => ({ plain: text });
export const prose = (element: ReactElement): Prose => ({ prose: element });
/** A command to paste, broken between arguments at `columns` (or shown as not for pasting). */
export const pasteable = (cmd: Command, columns: number): Plain =>
  plain(commandLines(cmd, columns) ?? formatCommand(cmd));
/** An empty line. */
export const gap: Plain = plain('');

/** The text of some parts at `columns`, each part ending its line. */
export function partsText(parts: readonly Part[], columns: number): string {
  return parts.map((p) => `${'plain' in p ? p.plain : renderToString(p.prose, { columns })}\n`).join('');
}

/** The terminal's width, with a default for a stream that does not know it. */
export function useColumns(): number {
  return useStdout().stdout.columns || 80;
}

// renderToString runs React itself: called while Ink's own render commits (in an effect) it
// corrupts Ink's layout (yoga: "table index is out of bounds"). So printing waits until React is
// done, in one queue, which also holds the screen's exit until what came before it is out.
let queue: Promise<void> = Promise.resolve();

/** Runs `job` after every job queued before it, outside React's work. */
export function afterPrinting(job: () => void): void {
  queue = queue.then(() => new Promise<void>((resolve) => setImmediate(() => resolve(job()))));
}

/** Keys already printed, kept by a screen that is taken down and shown again (see run-machine). */
export const PrintedKeys = createContext<Set<string> | undefined>(undefined);

/** Prints the items not printed yet, after the frame they belong to has been drawn. */
export function usePrint(items: readonly Printable[]): void {
  const { write } = useStdout();
  const columns = useColumns();
  const own = useRef(new Set<string>());
  const printed = useContext(PrintedKeys) ?? own.current;
  useEffect(() => {
    const fresh = items.filter((i) => !printed.has(i.key));
    if (fresh.length === 0) return;
    for (const i of fresh) printed.add(i.key);
    afterPrinting(() => write(fresh.map((i) => partsText(i.parts, columns)).join('')));
  });
}
