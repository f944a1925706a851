// sshd's own effective configuration for one connection: `sshd -T -C user=,host=,addr=`. Match
// blocks, Include and sshd_config.d are applied by sshd itself; the files are never parsed here.
import type { EffectiveConfig, Maybe } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';

/** A remote, non-loopback client address for Match evaluation (TEST-NET-3: never routed). */
export const SAMPLE_CLIENT = { host: 'client.invalid', addr: '203.0.113.10' };

export function parseSshdT(stdout: string): Record<string, string[]> {
  const config: Record<string, string[]> = {};
  for (const l of lines(stdout)) {
    const m = /^(\S+)\s*(.*)$/.exec(l);
    if (!m) continue;
    (config[m[1]!.toLowerCase()] ??= []).push(m[2]!);
  }
  return config;
}

/**
 * `addr`: the client's address when known (--from, or the log); Match Address and Match Host are
 * then decided for that person. Without it, a sample remote address stands in. The host is the
 * address itself, as sshd has it with UseDNS off (its default).
 */
export async function probeEffective(
  exec: Exec,
  sshd: string,
  user: string,
  addr?: string,
): Promise<Maybe<EffectiveConfig>> {
  const context = { user, ...(addr ? { host: addr, addr } : SAMPLE_CLIENT) };
  const cmd = [sshd, '-T', '-C', `user=${user},host=${context.host},addr=${context.addr}`];
  const r = await exec(cmd);
  const why = failure(r, cmd);
  if (why) return { unknown: why };
  if (r.exitCode !== 0) {
    const first =
      lines(r.stderr).find((l) => !/^@|WARNING|It is required|This private key/.test(l)) ?? `exit ${r.exitCode}`;
    // Whether we are root on the probed host (under --via, not this one).
    const notRoot =
      /Permission denied|must be run as root|hostkeys/.test(r.stderr) &&
      (await exec(['id', '-u'])).stdout.trim() !== '0';
    return { unknown: `sshd -T failed: ${first}`, ...(notRoot ? { needsRoot: true } : {}) };
  }
  return { context, config: parseSshdT(r.stdout) };
}
