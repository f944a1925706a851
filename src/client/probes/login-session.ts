// After "Authenticated to", ssh's output still decides whether the user can work: the remote
// command's exit status (ssh -v logs it) and what the session printed. Pure.
import type { LoginOutcome } from './types.js';

/** ssh's own lines, not the remote's (ssh writes both to the same stderr); a jump host's ssh is killed at the end. */
const SSH_OWN =
  /^(debug\d: |Transferred: |Bytes per second: |Connection to .* closed|Shared connection to |client_loop: |Warning: |Authenticated |Connection closed by |Killed by signal \d+\.$)/;

/**
 * Through jump hosts (ProxyJump), each hop's ssh logs to our stderr, with the -v ssh passes on:
 * its keys, its "Authenticated to", its "Entering interactive session". Each hop authenticates
 * before the next connection's key exchange starts, so through n hops ours is the (n+1)-th
 * "Authenticated to", and our authentication's lines follow the n-th.
 */
const hopCount = (lines: readonly string[]) =>
  lines.filter((l) => /^debug1: Executing proxy command: exec ssh .* -W /.test(l)).length;
const authenticatedLines = (lines: readonly string[]) =>
  lines.flatMap((l, i) => (/^Authenticated to /.test(l) ? [i] : []));

/** Where our own "Authenticated to" is, or -1: we did not authenticate (maybe a hop did). */
export function ownAuthenticated(lines: readonly string[]): number {
  return authenticatedLines(lines)[hopCount(lines)] ?? -1;
}

/** The lines of our own authentication (all of them without a jump host; none when a hop failed). */
export function ownAuthLines(lines: readonly string[]): readonly string[] {
  const hops = hopCount(lines);
  if (hops === 0) return lines;
  const auth = authenticatedLines(lines);
  if (auth.length < hops) return [];
  const ours = auth[hops];
  return lines.slice(auth[hops - 1]! + 1, ours === undefined ? undefined : ours + 1);
}

/**
 * Where the session starts in ssh -v's lines: after the last "Authenticated to" (through a jump
 * host, the hop's own ssh authenticates and starts its forwarding first). -1: no session.
 */
export function sessionStart(lines: readonly string[]): number {
  const auth = ownAuthenticated(lines);
  if (auth < 0) return -1;
  return lines.findIndex((l, i) => i > auth && /^debug1: (Sending command: |Entering interactive session)/.test(l));
}

/** How much of a session's output the report quotes. */
const MAX_LINES = 5;
const MAX_CHARS = 200;

/**
 * What the remote printed: stdout, then the lines on stderr after ssh sent the command (PAM's
 * messages and the shell's errors arrive there). ssh's own lines are left out.
 */
export function sessionOutput(stderrLines: readonly string[], stdout: string): string[] {
  const start = sessionStart(stderrLines);
  const remote = start < 0 ? [] : stderrLines.slice(start + 1).filter((l) => l.trim() && !SSH_OWN.test(l));
  const out = stdout
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter(Boolean);
  return [...out, ...remote].slice(0, MAX_LINES).map((l) => (l.length > MAX_CHARS ? `${l.slice(0, MAX_CHARS)}…` : l));
}

/** The shells that refuse a login say so on stdout (util-linux, shadow, FreeBSD and macOS nologin alike). */
const NOLOGIN = /^This account is currently not available\.?$/;
/** A forced command or the shell could not be started (bash, dash and zsh wording). */
const CANNOT_RUN = /No such file or directory|Permission denied|command not found|: not found$/;

/**
 * The verdict on a session that authenticated. `exitStatus` is undefined when the channel closed
 * without one; `exitCode` is ssh's own (undefined when ssh was stopped from outside).
 */
export function sessionOutcome(s: {
  exitCode: number | undefined;
  exitStatus: number | undefined;
  output: readonly string[];
}): LoginOutcome {
  if (s.output.some((l) => NOLOGIN.test(l))) return 'login-shell-nologin';
  // Stopped by our own bound: whether the session would have started is not known here.
  if (s.exitStatus === undefined)
    return s.exitCode === undefined || s.exitCode === 0 ? 'ok' : 'session-closed-after-auth';
  if ((s.exitStatus === 126 || s.exitStatus === 127) && s.output.some((l) => CANNOT_RUN.test(l)))
    return 'forced-command-failed';
  // Our remote command is `true`: status 1 with not a word means the shell itself refused to run
  // it (/bin/false, /usr/bin/false). A forced command that fails silently looks the same; the
  // finding says so.
  if (s.exitStatus === 1 && s.output.length === 0) return 'login-shell-nologin';
  return 'ok';
}
