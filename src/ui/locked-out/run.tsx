// Starts the locked-out wizard in the terminal and returns the flow's final context.
import { render } from 'ink';
import { createActor } from 'xstate';
import type { LockedOutContext, LockedOutInput, lockedOutFlow } from '../../../flows/locked-out.js';
import { LockedOutApp } from './LockedOutApp.js';

export async function runLockedOutWizard(machine: typeof lockedOutFlow, input: LockedOutInput): Promise<LockedOutContext> {
  const actor = createActor(machine, { input });
  const done = new Promise<LockedOutContext>((resolve) => {
    actor.subscribe((s) => {
      if (s.status === 'done') resolve(s.context);
    });
  });
  actor.start();
  const app = render(<LockedOutApp actor={actor} />);
  const ctx = await done;
  app.unmount();
  await app.waitUntilExit();
  return ctx;
}
