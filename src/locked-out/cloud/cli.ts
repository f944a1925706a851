// Running a provider CLI read-only and telling "not installed" and "not logged in" apart from
// real failures. Credentials stay where the CLI keeps them: never on argv, never printed.
import { formatBytes, MiB } from '../../bytes.js';
import type { Command } from '../../report.js';
import { run } from '../../run.js';
import type { CliName } from '../providers.js';
import type { CliOutcome, Exec } from './types.js';

/** Each CLI's own words for "no credentials" (from their source / issue trackers; see test/fixtures/cloud/README.md). */
const NOT_LOGGED_IN: Record<CliName, RegExp> = {
  aws: /Unable to locate credentials|ExpiredToken|The SSO session associated with this profile has expired|Token has expired and refresh failed/,
  gcloud:
    /You do not currently have an active account selected|Reauthentication (?:failed|required)|There was a problem refreshing your current auth tokens/,
  az: /Please run 'az login' to setup account|AADSTS700082|run 'az login'/,
  doctl: /access token is required|Unable to authenticate you/,
  hcloud: /no active context or token|unable to authenticate/,
};

export function isNotLoggedIn(cli: CliName, stderr: string): boolean {
  return NOT_LOGGED_IN[cli].test(stderr);
}

/** The first meaningful line of an error, without ANSI colour or a leading "ERROR:". */
export function firstErrorLine(stderr: string): string {
  // eslint-disable-next-line no-control-regex
  const lines = stderr
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.find((l) => /error/i.test(l)) ?? lines[0] ?? '').slice(0, 300);
}

/** A large project's firewall rules or security groups as JSON run to megabytes. */
const CLOUD_MAX_BYTES = 64 * MiB;

export const defaultExec: Exec = (cmd) => run(cmd, { timeoutMs: 30_000, maxBytes: CLOUD_MAX_BYTES });

export async function cliJson(exec: Exec, cli: CliName, cmd: Command): Promise<CliOutcome> {
  const r = await exec(cmd);
  if (r.missing) return { ok: false, status: 'missing', detail: `${cli} is not installed`, ms: r.durationMs };
  if (r.timedOut)
    return { ok: false, status: 'error', detail: `${cmd.slice(0, 3).join(' ')} timed out`, ms: r.durationMs };
  if (r.truncated)
    return {
      ok: false,
      status: 'error',
      detail: `${cmd.slice(0, 3).join(' ')} printed more than ${formatBytes(r.truncated.maxBytes)}`,
      ms: r.durationMs,
    };
  if (r.exitCode !== 0) {
    if (isNotLoggedIn(cli, r.stderr))
      return {
        ok: false,
        status: 'not-logged-in',
        detail: `${cli} is installed but not logged in (${firstErrorLine(r.stderr)})`,
        ms: r.durationMs,
      };
    return {
      ok: false,
      status: 'error',
      detail: `${cmd.slice(0, 3).join(' ')} failed: ${firstErrorLine(r.stderr) || `exit ${r.exitCode}`}`,
      ms: r.durationMs,
    };
  }
  try {
    return { ok: true, json: JSON.parse(r.stdout), ms: r.durationMs };
  } catch {
    return { ok: false, status: 'error', detail: `${cmd.slice(0, 3).join(' ')} did not print JSON`, ms: r.durationMs };
  }
}
