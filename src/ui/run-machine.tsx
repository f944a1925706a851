// Runs a flow under its Ink screen: the screen renders the actor, this waits for the flow to end.
import type { ComponentType } from 'react';
import { render } from 'ink';
import { createActor, waitFor, type Actor, type AnyStateMachine, type ContextFrom, type InputFrom } from 'xstate';
import type { TerminalLender } from '../run.js';

export async function runMachineUi<M extends AnyStateMachine>(
  machine: M,
  input: InputFrom<M>,
  Screen: ComponentType<{ actor: Actor<M> }>,
  terminal?: TerminalLender,
): Promise<ContextFrom<M>> {
  const actor = createActor(machine, { input } as never) as Actor<M>;
  let app = render(<Screen actor={actor} />);
  // Unmounted, Ink lets go of stdin and raw mode; what it drew stays above the program's output,
  // and the screen is drawn afresh below it.
  terminal?.onLend(async (use) => {
    app.unmount();
    await app.waitUntilExit();
    try {
      return await use();
    } finally {
      app = render(<Screen actor={actor} />);
    }
  });
  actor.start();
  // Generic snapshots don't expose status/context to TypeScript; machine snapshots have both.
  const final = (await waitFor(actor, (s) => (s as { status: string }).status === 'done', { timeout: Infinity })) as {
    context: ContextFrom<M>;
  };
  const ctx = final.context;
  app.unmount();
  await app.waitUntilExit();
  return ctx;
}
