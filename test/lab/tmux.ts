// A real terminal inside the lab: tmux runs the built CLI, tests type keys and read the screen.
// Each terminal has a tmux server of its own (its own socket), started before any key is sent
// and killed when the test ends: a server shared between terminals could still be exiting when
// the next one connects ("server exited unexpectedly").
import { onTestFinished } from 'vitest';
import { CLI, type ExecResult, type Lab } from './lab.js';

export interface Terminal {
  /** Sends keys (tmux key names, or text) at once; wait for the screen they lead to. */
  keys(...keys: string[]): Promise<void>;
  /** Pastes text the way a terminal paste does (one burst, not key by key). */
  paste(text: string): Promise<void>;
  /** The visible screen; with scrollback, that many lines above it too. */
  screen(scrollback?: number): Promise<string>;
  /** The screen with its colour/attribute escape sequences. */
  rawScreen(): Promise<string>;
  /**
   * The whole pane, history included, with soft-wrapped lines joined (capture-pane -S - -J): what
   * a person gets by selecting lines and copying them.
   */
  history(): Promise<string>;
  /** Every byte the program wrote to the terminal so far (tmux pipe-pane), escape sequences included. */
  written(): Promise<string>;
  /** Any tmux command on this terminal's own server (its session is "t"). */
  tmux(...args: string[]): Promise<ExecResult>;
  /** Kills this terminal's tmux server and waits until it is gone. */
  close(): Promise<void>;
}

export type ScreenMatcher = RegExp | ((screen: string) => boolean);

/** Polls the screen until it matches (Ink draws asynchronously) and returns it. */
export async function waitForScreen(
  pane: Pick<Terminal, 'screen'>,
  matcher: ScreenMatcher,
  timeoutMs = 10_000,
): Promise<string> {
  const test = typeof matcher === 'function' ? matcher : (s: string) => matcher.test(s);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const now = await pane.screen();
    if (test(now)) return now;
    if (Date.now() > until) throw new Error(`screen never matched ${String(matcher)}:\n${now}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Polls the pane's whole history (joined, as copied) until it matches: what a wizard prints comes
 * just after the question it leads to is drawn.
 */
export function waitForHistory(pane: Pick<Terminal, 'history'>, matcher: ScreenMatcher, timeoutMs = 10_000) {
  return waitForScreen({ screen: () => pane.history() }, matcher, timeoutMs);
}

/** Sends one key, then waits for the screen to match. */
export async function pressAndWait(term: Terminal, key: string, matcher: ScreenMatcher): Promise<string> {
  await term.keys(key);
  return waitForScreen(term, matcher);
}

const cursorLine = (screen: string) => /❯ .*/.exec(screen)?.[0];

/**
 * The screen once it has a menu cursor and stays the same for two captures in a row: a capture can
 * land in the middle of Ink's redraw (old frame half erased) or between a printed question and the
 * menu drawn under it, and a cursor read off such a frame sends one Down too many.
 */
async function settledMenu(term: Terminal, differentFrom?: string): Promise<string> {
  let previous = '';
  return waitForScreen(term, (s) => {
    const cursor = cursorLine(s);
    const settled = s === previous && cursor !== undefined && cursor !== differentFrom;
    previous = s;
    return settled;
  });
}

/** Moves a menu's cursor down to the item starting with `label`, each move seen on screen. */
export async function moveTo(term: Terminal, label: string, maxMoves = 20): Promise<string> {
  let screen = await settledMenu(term);
  for (let i = 0; !screen.includes(`❯ ${label}`); i++) {
    if (i === maxMoves) throw new Error(`no "${label}" in the menu:\n${screen}`);
    const cursor = cursorLine(screen);
    await term.keys('Down');
    screen = await settledMenu(term, cursor);
  }
  return screen;
}

export interface TerminalOptions {
  /** Added to the CLI's environment. */
  env?: Record<string, string>;
  /** Run the CLI as that account (runuser), as a person logged in as them would. */
  user?: string;
  /** Server options (`set -g`), in force before the CLI writes anything. */
  tmuxOptions?: Record<string, string>;
  /** The terminal's size, columns × rows (default 110 × 60). */
  size?: readonly [number, number];
}

/** Printed by the shell before ssh-doctor starts: it must still be in the pane's history at the end. */
export const MARKER = 'shell-output-before-ssh-doctor';

let opened = 0;

export async function openTerminal(
  lab: Lab,
  args: string[],
  { env = {}, user, tmuxOptions = {}, size = [110, 60] }: TerminalOptions = {},
): Promise<Terminal> {
  const socket = `/run/ssh-doctor-tmux-${process.pid}-${++opened}`;
  // The shell waits for this file, so that the recording of the pane (pipe-pane) is running before
  // anything is written; then it prints the marker and starts ssh-doctor.
  const go = `${socket}.go`;
  const log = `${socket}.log`;
  const tmux = (...a: string[]) => lab.exec(['tmux', '-S', socket, ...a]);
  const envArgs = Object.entries({ ...(user ? { HOME: `/home/${user}`, USER: user, LOGNAME: user } : {}), ...env }).map(
    ([k, v]) => `${k}=${v}`,
  );
  // CI=true makes Ink print only at exit; a person's terminal has no CI variable (nor, by
  // default, NO_COLOR, which the lab sets for the non-terminal runs).
  // The shell wrapper keeps the pane open after the CLI exits, showing its exit status.
  const cmd = [
    'bash',
    '-c',
    `while [ ! -e ${go} ]; do sleep 0.05; done; echo ${MARKER}; "$@"; echo "[exited $?]"; sleep 600`,
    '_',
    ...(user ? ['runuser', '-u', user, '--'] : []),
    'env',
    '-u',
    'CI',
    '-u',
    'NO_COLOR',
    'TERM=xterm-256color',
    ...envArgs,
    'node',
    CLI,
    ...args,
  ];
  const options = Object.entries(tmuxOptions).flatMap(([k, v]) => ['set', '-g', k, v, ';']);
  const started = await tmux(
    '-f',
    '/dev/null',
    'start-server',
    ';',
    ...options,
    'new-session',
    '-d',
    '-s',
    't',
    '-x',
    String(size[0]),
    '-y',
    String(size[1]),
    '--',
    ...cmd,
  );
  if (started.exitCode !== 0) throw new Error(`tmux did not start: ${started.stderr}`);
  const term: Terminal = {
    tmux,
    screen: async (scrollback = 0) =>
      (await tmux('capture-pane', '-p', '-t', 't', ...(scrollback ? ['-S', String(-scrollback)] : []))).stdout,
    rawScreen: async () => (await tmux('capture-pane', '-e', '-p', '-t', 't')).stdout,
    history: async () => (await tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 't')).stdout,
    written: async () => (await lab.exec(['cat', log])).stdout,
    async paste(text) {
      await lab.exec(['tmux', '-S', socket, 'load-buffer', '-'], { input: text });
      await tmux('paste-buffer', '-t', 't');
    },
    async keys(...keys) {
      for (const k of keys) await tmux('send-keys', '-t', 't', k);
    },
    async close() {
      await tmux('kill-server');
      await until(async () => (await tmux('has-session')).exitCode !== 0, 'the tmux server did not exit');
      await lab.exec(['rm', '-f', socket, go, log]);
    },
  };
  onTestFinished(() => term.close());
  await until(async () => (await tmux('has-session', '-t', 't')).exitCode === 0, 'the tmux server did not come up');
  await tmux('pipe-pane', '-t', 't', '-o', `cat >> ${log}`);
  await lab.exec(['touch', go]);
  await until(async () => (await term.history()).includes(MARKER), 'the shell did not start ssh-doctor');
  return term;
}

async function until(ready: () => Promise<boolean>, failure: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * What a run must leave of the terminal: the shell's output from before it still in the history,
 * and no clear-screen (ESC[2J) or clear-scrollback (ESC[3J) ever written.
 */
export async function terminalKept(term: Terminal): Promise<{ marker: boolean; clears: string[] }> {
  const written = await term.written();
  return {
    marker: (await term.history()).includes(MARKER),
    clears: ['\u001b[2J', '\u001b[3J'].filter((seq) => written.includes(seq)).map((seq) => JSON.stringify(seq)),
  };
}

/**
 * The lines a person would select under a heading in the pane's history (joined as terminal copy
 * joins soft-wrapped lines): from the line after the first `heading` up to the first line that
 * `end` matches (or an empty line).
 */
export function copyBlock(history: string, heading: string, end: RegExp = /^$/): string {
  const lines = history.split('\n');
  const at = lines.findIndex((l) => l.includes(heading));
  if (at < 0) throw new Error(`no "${heading}" in the pane:\n${history}`);
  const start = at + 1;
  const stop = lines.findIndex((l, i) => i >= start && end.test(l));
  return lines
    .slice(start, stop < 0 ? undefined : stop)
    .map((l) => l.trimEnd())
    .join('\n');
}

/** The two terminals every wizard is tried in. */
export const SIZES = [
  [80, 24],
  [120, 40],
] as const;
