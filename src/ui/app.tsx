// Every screen is drawn on the mode's own streams (io), never on process.*, so a mode runs
// in-process in tests. With keys read in raw mode Ctrl-C is a key press, not a signal: it ends
// the run here, whatever the screen, and the command layer turns that into status 130.
import type { ReactNode } from 'react';
import { render, useInput } from 'ink';
import type { Io } from '../commands/mode.js';
import { Interrupted } from '../errors.js';
import { useInteractive } from './shared/use-interactive.js';

function Root({ onInterrupt, children }: { readonly onInterrupt: () => void; readonly children: ReactNode }) {
  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') onInterrupt();
    },
    { isActive: useInteractive() },
  );
  return children;
}

/**
 * Shows `screen` until it exits (useApp().exit(), after drawing its last state), then returns.
 * Throws Interrupted on Ctrl-C.
 */
export async function showOn(
  io: Io,
  screen: ReactNode,
  onShown: (takeDown: () => void) => void = () => {},
): Promise<void> {
  let interrupt = () => {};
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = () => reject(new Interrupted());
  });
  const app = render(<Root onInterrupt={() => interrupt()}>{screen}</Root>, {
    stdin: io.stdin,
    stdout: io.stdout,
    stderr: io.stderr,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  onShown(() => app.unmount());
  try {
    await Promise.race([app.waitUntilExit(), interrupted]);
  } finally {
    app.unmount();
  }
}
