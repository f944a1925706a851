// What a fake Exec answers in the server probe tests: a command that ran, with this output.
import type { RunResult } from '../../src/run.js';

export const ran = (stdout: string, over: Partial<RunResult> = {}): RunResult => ({
  exitCode: 0,
  stdout,
  stderr: '',
  timedOut: false,
  missing: false,
  durationMs: 1,
  ...over,
});
