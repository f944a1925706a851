// Running sshd daemons: the listener processes, not the per-connection children.
import type { Maybe, SshdProcesses } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';

/**
 * `ps -C sshd -o pid=,ppid=,stat=,args=` lines ("54 1 Ss sshd: /usr/sbin/sshd -D [listener] …").
 * A listener is titled "[listener]", or else is an sshd whose parent is not an sshd: per-connection processes ("sshd: alice
 * [priv]", "sshd: alice@notty", a just-forked child still titled like its parent) descend from
 * one. Zombies (stat Z: a killed daemon nobody reaped, common in containers) are not running.
 */
export function parsePs(stdout: string): SshdProcesses {
  const rows = lines(stdout).flatMap((l) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l);
    return m && !m[3]!.startsWith('Z') ? [{ pid: Number(m[1]), ppid: Number(m[2]), args: m[4]! }] : [];
  });
  // OpenSSH 7.9+ titles its daemon "[listener]": trust that when present. Otherwise (older sshd,
  // custom titles) fall back to ancestry.
  const pids = new Set(rows.map((r) => r.pid));
  const titled = rows.filter((r) => r.args.includes('[listener]'));
  // `sshd -t` / `sshd -T` (ours or an admin's) test the config and exit: not a daemon.
  const listeners = titled.length > 0 ? titled : rows.filter((r) => !pids.has(r.ppid) && !/(^|\s)-[tTV](\s|$)/.test(r.args));
  return { pids: listeners.map((r) => r.pid), commands: listeners.map((r) => r.args) };
}

export async function probeProcesses(exec: Exec): Promise<Maybe<SshdProcesses>> {
  const cmd = ['ps', '-C', 'sshd', '-o', 'pid=,ppid=,stat=,args='];
  const r = await exec(cmd);
  const why = failure(r, cmd);
  if (why) return { unknown: why };
  return parsePs(r.stdout);
}
