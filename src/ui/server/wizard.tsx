// The interactive server wizard: renders the machine's state and turns choices into events.
import { render } from 'ink';
import { createActor, type Actor } from 'xstate';
import type { ServerContext, ServerInput, serverMachine } from '../../../flows/server.js';
import { ServerWizard } from './ServerWizard.js';

export async function runWizard(machine: typeof serverMachine, input: ServerInput): Promise<ServerContext> {
  const actor: Actor<typeof serverMachine> = createActor(machine, { input });
  const done = new Promise<ServerContext>((resolve) => {
    actor.subscribe((s) => {
      if (s.status === 'done') resolve(s.context);
    });
  });
  actor.start();
  const app = render(<ServerWizard actor={actor} />);
  const ctx = await done;
  app.unmount();
  await app.waitUntilExit();
  return ctx;
}
