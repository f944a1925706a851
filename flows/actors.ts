// Placeholder for an actor a flow names but does not implement: the command (or a test) provides it.
import { fromPromise, type PromiseActorLogic } from 'xstate';

export function notProvided<Output, Input>(name: string): PromiseActorLogic<Output, Input> {
  return fromPromise<Output, Input>(async () => {
    throw new Error(`actor ${name} not provided`);
  });
}

/** An actor's error as one line for the report (actors reject with Errors, but need not). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
