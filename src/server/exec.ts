// How probes start commands: locally through src/run.ts, or on another host over SSH (--via).
// Probes take an Exec, so the same probe code runs in both places.
import { formatBytes, MiB } from '../bytes.js';
import type { Command } from '../report.js';
import { run, type RunResult } from '../run.js';

/** maxBytes caps each output stream (run.ts's default when absent), here or on the --via host. */
export type Exec = (
  cmd: Command,
  opts?: { timeoutMs?: number; input?: string; maxBytes?: number },
) => Promise<RunResult>;

/** Default bound for one probe command: a hung tool degrades one probe, not the run. */
export const PROBE_TIMEOUT_MS = 4000;

/**
 * Firewall rule listings: hosts with blocklists of 100,000 rules are real, and `nft -j` spends
 * some 400 bytes on a rule. Only root writes these, so a generous cap costs no safety.
 */
export const RULESET_MAX_BYTES = 64 * MiB;

/** `getent passwd` with every account: 50,000 users (a university, LDAP) are some 5 MB. */
export const ACCOUNTS_MAX_BYTES = 32 * MiB;

export const localExec: Exec = (cmd, opts = {}) =>
  run(cmd, {
    timeoutMs: opts.timeoutMs ?? PROBE_TIMEOUT_MS,
    input: opts.input,
    maxBytes: opts.maxBytes,
    // Added to the environment this process was given (src/run.ts extends it, never replaces it).
    env: { LC_ALL: 'C' },
  });

/** Why a command gave no usable answer, in one line; undefined when it ran. */
export function failure(r: RunResult, cmd: Command): string | undefined {
  if (r.connectionLost) return `${cmd.join(' ')} could not run: the connection to ${r.connectionLost} was lost`;
  if (r.missing) return `${cmd[0]} is not installed`;
  if (r.truncated)
    return `${cmd.join(' ')} printed more than ${formatBytes(r.truncated.maxBytes)} on ${r.truncated.stream}; stopped reading it`;
  if (r.timedOut) return `${cmd.join(' ')} did not answer within ${Math.round(r.durationMs / 1000)} s`;
  return undefined;
}

/** Lines of text, without the empty tail. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '');
}
