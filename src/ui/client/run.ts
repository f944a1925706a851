import { createElement } from 'react';
import { render } from 'ink';
import type { Actor } from 'xstate';
import type { ClientFlow } from '../../../flows/client.js';
import { ClientApp } from './ClientApp.js';

/** Starts the flow under the Ink wizard and resolves when the wizard closes. */
export async function runClientUi(actor: Actor<ClientFlow>): Promise<void> {
  const app = render(createElement(ClientApp, { actor }));
  actor.start();
  await app.waitUntilExit();
}
