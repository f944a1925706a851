// Waiting for the frame instead of sleeping (cli-kit's sendInputAndWaitForContent): a flow's
// actor answers on its own time, and a key written before the frame it is meant for would act
// on the screen before it.
import type { render } from 'ink-testing-library';

export type Ui = Pick<ReturnType<typeof render>, 'lastFrame' | 'stdin' | 'frames'>;
export type FrameMatcher = string | RegExp | ((frame: string) => boolean);

export const KEY = {
  down: '\u001B[B',
  up: '\u001B[A',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

/**
 * Everything the app wrote: what it printed once (into the terminal's history) is in the frame
 * of its moment only, so later frames no longer hold it.
 */
export const everything = (ui: Pick<Ui, 'frames'>) => () => ui.frames.join('\n');

/**
 * The latest frame that shows a menu (its key hint). Ink's debug mode, which ink-testing-library
 * uses, writes a print alone, without the live region under it, so lastFrame may hold only that.
 */
export const menuFrame = (ui: Pick<Ui, 'frames'>) => () =>
  [...ui.frames].reverse().find((f) => f.includes('Enter choose'));

const matches = (frame: string, m: FrameMatcher) =>
  typeof m === 'string' ? frame.includes(m) : m instanceof RegExp ? m.test(frame) : m(frame);

// React's scheduler uses setImmediate in Node: yield past it, then past any timer it set.
const tick = () => new Promise((resolve) => setImmediate(() => setTimeout(resolve, 0)));

/**
 * Polls `frame` (usually lastFrame; `() => frames.join('\n')` once the app has exited) until it
 * matches, then yields once more so the input handlers of that frame are in place.
 */
export async function waitForFrame(
  frame: () => string | undefined,
  matcher: FrameMatcher,
  timeoutMs = 5000,
): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const now = frame() ?? '';
    if (matches(now, matcher)) {
      await tick();
      return now;
    }
    if (Date.now() > until) throw new Error(`the frame never matched ${String(matcher)}:\n${now}`);
    await tick();
  }
}

/**
 * Types `input` (keys or text, in order), then waits until what was written since matches (what
 * a wizard prints once is in the frames of its moment only), and returns that.
 */
export async function sendAndWait(ui: Ui, input: string | readonly string[], matcher: FrameMatcher): Promise<string> {
  const from = ui.frames.length;
  for (const s of typeof input === 'string' ? [input] : input) ui.stdin.write(s);
  return waitForFrame(() => ui.frames.slice(from).join('\n'), matcher);
}

/** Moves the menu cursor down to `label` (each move shown before the next) and presses Enter. */
export async function choose(ui: Ui, label: string, maxMoves = 20): Promise<void> {
  const cursor = () => /❯ .*/.exec(menuFrame(ui)() ?? '')?.[0];
  await waitForFrame(menuFrame(ui), '❯ ');
  for (let i = 0; cursor() !== `❯ ${label}`; i++) {
    if (i === maxMoves) throw new Error(`no "${label}" in the menu:\n${menuFrame(ui)()}`);
    const before = cursor();
    ui.stdin.write(KEY.down);
    await waitForFrame(
      () => cursor(),
      (c) => c !== before,
    );
  }
  ui.stdin.write(KEY.enter);
}
