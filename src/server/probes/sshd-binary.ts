// Is sshd installed, where, which version, from which package.
import type { Maybe, SshdBinary } from '../facts.js';
import { failure, type Exec } from '../exec.js';
import { parseStat, STAT_FORMAT } from './stat.js';

export const SSHD_CANDIDATES = ['/usr/sbin/sshd', '/usr/local/sbin/sshd', '/sbin/sshd', '/usr/bin/sshd'];

/** `dpkg-query -W -f '${Package} ${Version}' openssh-server` → package facts. */
export function parseDpkgQuery(stdout: string): SshdBinary['package'] {
  const m = /^(\S+) (\S+)/.exec(stdout.trim());
  return m ? { manager: 'dpkg', name: m[1]!, version: m[2]! } : undefined;
}

/** The usual places, then every directory on PATH (like `command -v sshd`, without a shell). */
export function sshdCandidates(path: string | undefined): string[] {
  const fromPath = (path ?? '')
    .split(':')
    .filter((d) => d.startsWith('/'))
    .map((d) => `${d.replace(/\/+$/, '')}/sshd`);
  return [...new Set([...SSHD_CANDIDATES, ...fromPath])];
}

export async function probeSshdBinary(exec: Exec): Promise<Maybe<SshdBinary>> {
  const env = await exec(['printenv', 'PATH']);
  const statCmd = [
    'stat',
    '-L',
    '-c',
    STAT_FORMAT,
    '--',
    ...sshdCandidates(env.exitCode === 0 ? env.stdout.trim() : undefined),
  ];
  const st = await exec(statCmd);
  const why = failure(st, statCmd);
  if (why) return { unknown: why };
  const path = parseStat(st.stdout).find((s) => s.exists && s.type === 'file' && (s.mode ?? 0) & 0o111)?.path;
  if (!path) return {};
  const [v, pkg] = await Promise.all([
    exec([path, '-V']),
    exec(['dpkg-query', '-W', '-f', '${Package} ${Version}', 'openssh-server']),
  ]);
  const version = `${v.stderr}${v.stdout}`
    .split('\n')
    .find((l) => /^OpenSSH/.test(l))
    ?.trim();
  return { path, version, package: pkg.exitCode === 0 ? parseDpkgQuery(pkg.stdout) : undefined };
}
