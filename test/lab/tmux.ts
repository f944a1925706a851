// A real terminal inside the lab: tmux runs the built CLI, tests type keys and read the screen.
import { CLI, type Lab } from './lab.js';

export const SOCKET = '/run/ssh-doctor-test.tmux';

export interface Terminal {
  keys(...keys: string[]): Promise<void>;
  /** Pastes text the way a terminal paste does (one burst, not key by key). */
  paste(text: string): Promise<void>;
  /** The visible screen; with scrollback, that many lines above it too. */
  screen(scrollback?: number): Promise<string>;
  /** The screen with its colour/attribute escape sequences. */
  rawScreen(): Promise<string>;
  /** Polls the screen until it matches (Ink draws asynchronously). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** `user`: run the CLI as that account (runuser), as a person logged in as them would. */
export async function openTerminal(lab: Lab, args: string[], env: Record<string, string> = {}, user?: string): Promise<Terminal> {
  const envArgs = Object.entries({ ...(user ? { HOME: `/home/${user}`, USER: user, LOGNAME: user } : {}), ...env }).map(([k, v]) => `${k}=${v}`);
  // CI=true makes Ink print only at exit; a person's terminal has no CI variable (nor, by
  // default, NO_COLOR, which the lab sets for the non-terminal runs).
  // The shell wrapper keeps the pane open after the CLI exits, showing its exit status.
  const cmd = ['bash', '-c', '"$@"; echo "[exited $?]"; sleep 600', '_', ...(user ? ['runuser', '-u', user, '--'] : []), 'env', '-u', 'CI', '-u', 'NO_COLOR', 'TERM=xterm-256color', ...envArgs, 'node', CLI, ...args];
  const r = await lab.exec(['tmux', '-S', SOCKET, '-f', '/dev/null', 'new-session', '-d', '-s', 't', '-x', '110', '-y', '60', '--', ...cmd]);
  if (r.exitCode !== 0) throw new Error(`tmux did not start: ${r.stderr}`);
  const screen = async (scrollback = 0) =>
    (await lab.exec(['tmux', '-S', SOCKET, 'capture-pane', '-p', '-t', 't', ...(scrollback ? ['-S', String(-scrollback)] : [])])).stdout;
  return {
    screen,
    rawScreen: async () => (await lab.exec(['tmux', '-S', SOCKET, 'capture-pane', '-e', '-p', '-t', 't'])).stdout,
    async paste(text) {
      await lab.exec(['tmux', '-S', SOCKET, 'load-buffer', '-'], { input: text });
      await lab.exec(['tmux', '-S', SOCKET, 'paste-buffer', '-t', 't']);
    },
    async keys(...keys) {
      for (const k of keys) {
        await lab.exec(['tmux', '-S', SOCKET, 'send-keys', '-t', 't', k]);
        // Ink acts on a key with the screen it has drawn; let it draw before the next one.
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async waitFor(pattern, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < until) {
        last = await screen();
        if (pattern.test(last)) return last;
        await new Promise((r) => setTimeout(r, 150));
      }
      throw new Error(`screen never matched ${pattern}:\n${last}`);
    },
  };
}
