// Is ssh-doctor running inside an SSH session, and which one? SSH_CONNECTION says so, but sudo's
// env_reset drops it (`sudo ssh-doctor server` over SSH is the common case), so the sshd process
// serving the connection is also looked for among our ancestors: one per connection, so its pid
// also tells "the same session" from "a new connection".
import { readFile } from 'node:fs/promises';
import { parseProcStat } from '../probes/processes.js';

export interface SshSession {
  /** SSH_CONNECTION ("client port server port"), when the environment still has it. */
  connection?: string;
  /** The nearest sshd (or, since OpenSSH 9.8, sshd-session) ancestor. */
  sshdPid?: number;
}

export async function sshdAncestor(
  read = (path: string) => readFile(path, 'utf8'),
  start = process.ppid,
): Promise<number | undefined> {
  let pid = start;
  for (let depth = 0; pid > 1 && depth < 64; depth++) {
    const stat = parseProcStat(pid, await read(`/proc/${pid}/stat`).catch(() => ''), '');
    if (!stat) return undefined;
    if (stat.comm === 'sshd' || stat.comm === 'sshd-session') return pid;
    pid = stat.ppid;
  }
  return undefined;
}

/** From the environment alone (tests, and a caller that already knows). */
export function sessionFromEnv(env: Readonly<Record<string, string | undefined>>): SshSession | undefined {
  const connection = env.SSH_CONNECTION?.trim();
  return connection ? { connection } : undefined;
}

export async function currentSshSession(
  env: Readonly<Record<string, string | undefined>>,
): Promise<SshSession | undefined> {
  const sshdPid = await sshdAncestor();
  const fromEnv = sessionFromEnv(env);
  return sshdPid || fromEnv ? { ...fromEnv, ...(sshdPid ? { sshdPid } : {}) } : undefined;
}

/** Two sessions are the same when their sshd is, or (without it) their SSH_CONNECTION is. */
export function sameSession(a: SshSession, b: SshSession | undefined): boolean {
  if (!b) return false;
  if (a.sshdPid !== undefined && b.sshdPid !== undefined) return a.sshdPid === b.sshdPid;
  return a.connection !== undefined && a.connection === b.connection;
}

/** The server port of the SSH session this runs in; 'unknown' when sudo hid SSH_CONNECTION. */
export async function currentSessionPort(
  env: Readonly<Record<string, string | undefined>>,
): Promise<number | 'unknown' | undefined> {
  const session = await currentSshSession(env);
  if (!session) return undefined;
  const port = Number(session.connection?.split(/\s+/)[3]);
  return Number.isInteger(port) && port > 0 ? port : 'unknown';
}
