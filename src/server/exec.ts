// How probes start commands: locally through src/run.ts, or on another host over SSH (--via).
// Probes take an Exec, so the same probe code runs in both places.
import type { Command } from '../report.js';
import { run, type RunResult } from '../run.js';

export type Exec = (cmd: Command, opts?: { timeoutMs?: number; input?: string }) => Promise<RunResult>;

/** Default bound for one probe command: a hung tool degrades one probe, not the run. */
export const PROBE_TIMEOUT_MS = 4000;

export const localExec: Exec = (cmd, opts = {}) =>
  run(cmd, { timeoutMs: opts.timeoutMs ?? PROBE_TIMEOUT_MS, input: opts.input, env: { ...process.env, LC_ALL: 'C' } });

/** Why a command gave no usable answer, in one line; undefined when it ran. */
export function failure(r: RunResult, cmd: Command): string | undefined {
  if (r.missing) return `${cmd[0]} is not installed`;
  if (r.timedOut) return `${cmd.join(' ')} did not answer within ${Math.round(r.durationMs / 1000)} s`;
  return undefined;
}

/** Lines of text, without the empty tail. */
export function lines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
}
