// Runs a flow under its Ink screen: the screen renders the actor and exits once it has drawn the
// flow's final state; the flow's context is the result.
import type { ComponentType } from 'react';
import { createActor, type Actor, type AnyStateMachine, type ContextFrom, type InputFrom } from 'xstate';
import type { Io } from '../commands/mode.js';
import type { TerminalLender } from '../run.js';
import { showOn } from './app.js';
import { PrintedKeys } from './shared/print.js';

/**
 * `terminal`: when a probe needs the terminal itself (ssh asking for a password), the screen is
 * taken down, what it printed stays above, and it is shown again below the program's output,
 * without printing anything twice.
 */
export async function runMachineUi<M extends AnyStateMachine>(
  io: Io,
  machine: M,
  input: InputFrom<M>,
  Screen: ComponentType<{ actor: Actor<M> }>,
  terminal?: TerminalLender,
): Promise<ContextFrom<M>> {
  const actor = createActor(machine, { input } as never) as Actor<M>;
  const printed = new Set<string>();
  let takeDown = () => {};
  let lent: Promise<void> | undefined;
  terminal?.onLend(async (use) => {
    let returned = () => {};
    lent = new Promise((resolve) => (returned = resolve));
    takeDown();
    try {
      return await use();
    } finally {
      returned();
    }
  });
  actor.start();
  try {
    for (;;) {
      lent = undefined;
      await showOn(
        io,
        <PrintedKeys.Provider value={printed}>
          <Screen actor={actor} />
        </PrintedKeys.Provider>,
        (t) => (takeDown = t),
      );
      if (!lent) break;
      await lent;
    }
    // Generic snapshots don't expose context to TypeScript; machine snapshots have it.
    return (actor.getSnapshot() as { context: ContextFrom<M> }).context;
  } finally {
    actor.stop();
  }
}
