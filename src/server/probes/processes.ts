// Running sshd daemons: the listener processes, not the per-connection children.
import type { Maybe, SshdProcesses } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';

/**
 * `ps -C sshd -o pid=,stat=,args=` lines ("54 Ss sshd: /usr/sbin/sshd -D [listener] …"); zombies
 * (stat Z: a killed daemon nobody reaped, common in containers) are not running.
 * Same shape as `pgrep -a -x sshd` lines without the stat column ("54 sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
 * "77 sshd: alice [priv]"). Per-connection processes name a user or a [priv]/[preauth]/[net] role.
 */
export function parsePs(stdout: string): SshdProcesses {
  const out: SshdProcesses = { pids: [], commands: [] };
  for (const l of lines(stdout)) {
    const m = /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(l);
    if (!m || m[2]!.startsWith('Z')) continue;
    const cmd = m[3]!;
    if (/\[(priv|preauth|net|accepted)\]|^sshd: \S+@|^sshd: \S+$|^sshd-session/.test(cmd) && !/\[listener\]/.test(cmd)) continue;
    out.pids.push(Number(m[1]));
    out.commands.push(cmd);
  }
  return out;
}

export async function probeProcesses(exec: Exec): Promise<Maybe<SshdProcesses>> {
  const cmd = ['ps', '-C', 'sshd', '-o', 'pid=,stat=,args='];
  const r = await exec(cmd);
  const why = failure(r, cmd);
  if (why) return { unknown: why };
  return parsePs(r.stdout);
}
