// Placeholder for an actor a flow names but does not implement: the command (or a test) provides it.
import { fromPromise, type PromiseActorLogic } from 'xstate';

export function notProvided<Output, Input>(name: string): PromiseActorLogic<Output, Input> {
  return fromPromise<Output, Input>(async () => {
    throw new Error(`actor ${name} not provided`);
  });
}
