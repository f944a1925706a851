// Each flow builds: xstate checks a machine's shape (an initial state for each compound state, the
// targets of its transitions) when the machine is created, at import. The flows are imported inside
// the tests: a test file whose top-level import throws reports no failed test, and Stryker counted
// such a broken flow as a survivor.
import { describe, expect, it } from 'vitest';
import { createActor, type AnyStateMachine } from 'xstate';

const flows: [string, () => Promise<AnyStateMachine>, string][] = [
  ['client', async () => (await import('../../flows/client.js')).clientFlow, 'target'],
  ['server', async () => (await import('../../flows/server.js')).serverFlow, 'probing'],
  ['locked-out', async () => (await import('../../flows/locked-out.js')).lockedOutFlow, 'start'],
];

describe('the flows build', () => {
  for (const [name, load, initial] of flows)
    it(`${name}: created, and it starts in ${initial}`, async () => {
      const machine = await load();
      expect(machine.root.initial?.target.map((s) => s.key)).toEqual([initial]);
      expect(() => createActor(machine, { input: {} as never })).not.toThrow();
    });
});
