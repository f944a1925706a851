/** A mistake in what the user typed or has: printed as one sentence, exit 2, no stack trace. */
export class UsageError extends Error {}

/** Values reach argv of other programs: refuse anything a terminal or ssh could misread. */
export function assertClean(what: string, value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new UsageError(`${what} contains a control character.`);
  return value;
}

export function parsePort(value: string, what = 'port'): number {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 65535)) throw new UsageError(`${what} must be a number from 1 to 65535, not "${value}".`);
  return n;
}

/** Ctrl-C during a wizard: the run ends at once with status 130, as a shell reports SIGINT. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}
