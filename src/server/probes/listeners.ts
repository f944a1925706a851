// Listening TCP sockets with their processes: `ss -tlnp`, else `netstat -tlnp`.
import type { Listener, ListenerFacts, Maybe } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';

/** "127.0.0.1:2201", "[::1]:22", "*:22", "[::ffff:127.0.0.1]:22", "0.0.0.0%lo:22" */
function splitHostPort(s: string): { address: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^\s]*?))(?:%\S+)?:(\d+)$/.exec(s);
  if (!m) return undefined;
  return { address: m[1] ?? m[2]!, port: Number(m[3]) };
}

export function parseSsOutput(stdout: string): Listener[] {
  const out: Listener[] = [];
  for (const l of lines(stdout)) {
    const f = l.trim().split(/\s+/);
    if (f[0] !== 'LISTEN' || f.length < 4) continue;
    const hp = splitHostPort(f[3]!);
    if (!hp) continue;
    const p = /users:\(\("([^"]+)",pid=(\d+)/.exec(l);
    out.push({ ...hp, ...(p ? { process: p[1]!, pid: Number(p[2]) } : {}) });
  }
  return out;
}

/** `netstat -tlnp`: "tcp6 0 0 :::22 :::* LISTEN 54/sshd: /usr/sbin/" */
export function parseNetstatOutput(stdout: string): Listener[] {
  const out: Listener[] = [];
  for (const l of lines(stdout)) {
    const f = l.trim().split(/\s+/);
    if (!/^tcp6?$/.test(f[0] ?? '') || f[5] !== 'LISTEN') continue;
    const local = f[3]!;
    const i = local.lastIndexOf(':');
    const p = /^(\d+)\/([^:\s]+)/.exec(f[6] ?? '');
    out.push({
      address: local.slice(0, i),
      port: Number(local.slice(i + 1)),
      ...(p ? { pid: Number(p[1]), process: p[2]! } : {}),
    });
  }
  return out;
}

export async function probeListeners(exec: Exec): Promise<Maybe<ListenerFacts>> {
  const ss = await exec(['ss', '-tlnpH']);
  if (!failure(ss, ['ss']) && ss.exitCode === 0) return { source: 'ss', sockets: parseSsOutput(ss.stdout) };
  const ns = await exec(['netstat', '-tlnp']);
  const why = failure(ns, ['netstat']);
  if (why || ns.exitCode !== 0)
    return {
      unknown: `neither ss nor netstat answered (${failure(ss, ['ss']) ?? 'ss failed'}; ${why ?? 'netstat failed'})`,
    };
  return { source: 'netstat', sockets: parseNetstatOutput(ns.stdout) };
}

/** `ip -o addr show`: "1: lo    inet 127.0.0.1/8 scope host lo …" → ["127.0.0.1", "::1", …]. */
export function parseIpAddr(stdout: string): string[] {
  return lines(stdout).flatMap((l) => /\sinet6?\s+([^/\s]+)/.exec(l)?.[1] ?? []);
}

export async function probeLocalAddresses(exec: Exec): Promise<Maybe<string[]>> {
  const cmd = ['ip', '-o', 'addr', 'show'];
  const r = await exec(cmd);
  const why = failure(r, cmd);
  if (why || r.exitCode !== 0) return { unknown: why ?? `ip addr failed: ${r.stderr.trim()}` };
  return parseIpAddr(r.stdout);
}
