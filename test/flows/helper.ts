// One way to test a flow: describe what each invoked actor may answer and what a person may
// send, then (a) enumerate every path with @xstate/graph and drive the real machine along it with
// fake actors, or (b) run one hand-written row of a decision table. Traversal never runs invoked
// actors, so their answers are supplied as xstate.done/error.actor.<invoke id> events.
import { getSimplePaths } from '@xstate/graph';
import { describe } from 'vitest';
import {
  createActor,
  fromPromise,
  type AnyEventObject,
  type AnyStateMachine,
  type ContextFrom,
  type InputFrom,
} from 'xstate';

/** What the helper reads of a machine snapshot (the generic SnapshotFrom<M> stays opaque here). */
type Snap = {
  value: unknown;
  context: any;
  children: Record<string, unknown>;
  status: string;
  matches: (v: any) => boolean;
};

export interface FlowModel<M extends AnyStateMachine> {
  machine: M;
  /** Per invoke id, the outputs it may give, by name; every invoke may also fail. */
  outputs: Record<string, Record<string, unknown>>;
  /** What a person may send, per state the flow waits in (or computed from the state). */
  answers?: Record<string, AnyEventObject[] | ((s: Snap) => AnyEventObject[])>;
  /** Of the invokes running at once, the ones to advance (parallel regions multiply paths). */
  advance?: (running: string[]) => string[];
  /** What tells two states apart; by default the state value and the context, outputs by name. */
  serialize?: (s: Snap, name: (output: unknown) => string | undefined) => unknown;
}

/** Microsteps one event may take before the flow counts as looping (see run). */
const MAX_MICROSTEPS = 1000;

/** An answer per call, in turn: for an invoke a row expects to run more than once. */
export const inTurn =
  (...answers: unknown[]) =>
  () =>
    answers.shift();

const isPerson = (s: { status: string; children: Record<string, unknown> }) =>
  s.status === 'active' && Object.keys(s.children).length === 0;

export function pathsOf<M extends AnyStateMachine>(model: FlowModel<M>, input: InputFrom<M>) {
  const names = new Map<unknown, string>(
    Object.entries(model.outputs).flatMap(([id, outs]) => Object.entries(outs).map(([n, o]) => [o, `${id}.${n}`])),
  );
  const name = (o: unknown) => names.get(o);
  const serialize =
    model.serialize ??
    ((s: Snap) => ({
      v: s.value,
      c: JSON.parse(
        JSON.stringify(s.context, (_k, v) => (typeof v === 'object' && v !== null && names.has(v) ? names.get(v) : v)),
      ),
    }));
  const events = (s: Snap): AnyEventObject[] => {
    const running = Object.keys(s.children);
    const out: AnyEventObject[] = (model.advance?.(running) ?? running).flatMap((id) => [
      ...Object.values(model.outputs[id] ?? {}).map((output) => ({ type: `xstate.done.actor.${id}`, output })),
      { type: `xstate.error.actor.${id}`, error: new Error(`${id} broke`) },
    ]);
    for (const [state, answers] of Object.entries(model.answers ?? {}))
      if (s.matches(state)) out.push(...(typeof answers === 'function' ? answers(s) : answers));
    return out;
  };
  return getSimplePaths(model.machine, {
    input,
    events: events as never,
    serializeState: ((s: Snap) => JSON.stringify(serialize(s, name))) as never,
    toState: ((s: Snap) => s.status === 'done') as never,
  });
}

/**
 * Runs the real machine. Each invoked actor answers from `outputs[invoke id]`: a value, an Error
 * to reject with, or a function of the actor's input. A person sends `answers` in order whenever
 * the flow waits; the run ends when the flow is done, or waits with no answer left.
 */
export async function run<M extends AnyStateMachine>(
  machine: M,
  input: InputFrom<M>,
  outputs: Record<string, unknown>,
  answers: AnyEventObject[] = [],
) {
  const calls: string[] = [];
  const fake = fromPromise(async ({ input: given, self }: { input: unknown; self: { id: string } }) => {
    calls.push(self.id);
    if (!(self.id in outputs)) throw new Error(`no answer for ${self.id}`);
    const o = outputs[self.id];
    const answer = typeof o === 'function' ? o(given) : o;
    if (answer instanceof Error) throw answer;
    return answer;
  });
  const actors = Object.fromEntries(Object.keys(machine.implementations.actors).map((src) => [src, fake]));
  const fakes = machine.provide({ actors } as never);
  // A cycle of eventless transitions that assign never settles: without a bound, xstate loops
  // synchronously (the timer below never fires) until the worker runs out of memory. Bounded, the
  // machine stops with an error and the row fails at once. Real runs take a few dozen microsteps.
  fakes.options = { ...fakes.options, maxIterations: MAX_MICROSTEPS };
  const actor = createActor(fakes, { input } as never);
  const queue = [...answers];
  const end = await new Promise<Snap>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`flow stuck in ${JSON.stringify(actor.getSnapshot().value)}`)),
      2000,
    );
    let sending = false;
    // Also after a send the machine ignored: then no new snapshot comes.
    const step = () => {
      const s = actor.getSnapshot() as Snap;
      if (sending) return;
      if (s.status === 'done' || (isPerson(s) && queue.length === 0)) {
        clearTimeout(timer);
        resolve(s);
      } else if (isPerson(s)) {
        sending = true;
        queueMicrotask(() => {
          sending = false;
          actor.send(queue.shift()!);
          step();
        });
      }
    };
    actor.subscribe({ next: step, error: reject });
    actor.start();
    step();
  });
  return { snapshot: end, context: end.context as ContextFrom<M>, calls };
}

/** Runs the real machine with fakes that answer as the path's events did. */
export function drive<M extends AnyStateMachine>(
  machine: M,
  input: InputFrom<M>,
  steps: readonly { event: AnyEventObject }[],
) {
  const outputs: Record<string, unknown[]> = {};
  const person: AnyEventObject[] = [];
  for (const { event } of steps) {
    const m = /^xstate\.(done|error)\.actor\.(.+)$/.exec(event.type);
    if (m) (outputs[m[2]!] ??= []).push(m[1] === 'done' ? event.output : event.error);
    else if (event.type !== 'xstate.init') person.push(event);
  }
  return run(
    machine,
    input,
    Object.fromEntries(Object.entries(outputs).map(([id, outs]) => [id, () => outs.shift()])),
    person,
  );
}

/**
 * The every-path enumeration, left out under `npm run mutate` (vitest.mutate.config.ts says why):
 * there the decision tables alone judge each mutant.
 */
export const describePaths = describe.skipIf(process.env.SSH_DOCTOR_MUTATE === '1');
