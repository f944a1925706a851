// Runs a flow under its Ink screen: the screen renders the actor and exits once it has drawn the
// flow's final state; the flow's context is the result.
import type { ComponentType } from 'react';
import { createActor, type Actor, type AnyStateMachine, type ContextFrom, type InputFrom } from 'xstate';
import type { Io } from '../commands/mode.js';
import { showOn } from './app.js';

export async function runMachineUi<M extends AnyStateMachine>(
  io: Io,
  machine: M,
  input: InputFrom<M>,
  Screen: ComponentType<{ actor: Actor<M> }>,
): Promise<ContextFrom<M>> {
  const actor = createActor(machine, { input } as never) as Actor<M>;
  actor.start();
  try {
    await showOn(io, <Screen actor={actor} />);
    // Generic snapshots don't expose context to TypeScript; machine snapshots have it.
    return (actor.getSnapshot() as { context: ContextFrom<M> }).context;
  } finally {
    actor.stop();
  }
}
