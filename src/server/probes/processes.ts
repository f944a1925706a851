// Running sshd daemons: the listener processes, not the per-connection children.
import type { Maybe, SshdProcesses } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';

/**
 * `pgrep -a -x sshd` lines ("54 sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
 * "77 sshd: alice [priv]"). Per-connection processes name a user or a [priv]/[preauth]/[net] role.
 */
export function parsePgrep(stdout: string): SshdProcesses {
  const out: SshdProcesses = { pids: [], commands: [] };
  for (const l of lines(stdout)) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(l);
    if (!m) continue;
    const cmd = m[2]!;
    if (/\[(priv|preauth|net|accepted)\]|^sshd: \S+@|^sshd: \S+$|^sshd-session/.test(cmd) && !/\[listener\]/.test(cmd)) continue;
    out.pids.push(Number(m[1]));
    out.commands.push(cmd);
  }
  return out;
}

export async function probeProcesses(exec: Exec): Promise<Maybe<SshdProcesses>> {
  const cmd = ['pgrep', '-a', '-x', 'sshd'];
  const r = await exec(cmd);
  const why = failure(r, cmd);
  if (why) return { unknown: why };
  return parsePgrep(r.stdout);
}
