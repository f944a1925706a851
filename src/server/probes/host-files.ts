// Files sshd needs around it: the privsep directory, host keys, /etc/nologin.
import type { FileStat, HostKeyFacts, Maybe, ShellFacts, TcpWrapperFacts } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';
import { statPaths } from './stat.js';

export const PRIVSEP_DIR = '/run/sshd';
export const DEFAULT_HOST_KEYS = [
  '/etc/ssh/ssh_host_rsa_key',
  '/etc/ssh/ssh_host_ecdsa_key',
  '/etc/ssh/ssh_host_ed25519_key',
];
/** pam_nologin reads /var/run/nologin as well as /etc/nologin. */
export const NOLOGIN_FILES = ['/etc/nologin', '/run/nologin'];

export async function probePrivsep(exec: Exec): Promise<Maybe<FileStat>> {
  const st = await statPaths(exec, [PRIVSEP_DIR]);
  return typeof st === 'string' ? { unknown: st } : st[0]!;
}

export async function probeHostKeys(exec: Exec, paths: readonly string[]): Promise<Maybe<HostKeyFacts>> {
  const st = await statPaths(exec, paths.length ? paths : DEFAULT_HOST_KEYS);
  return typeof st === 'string' ? { unknown: st } : { keys: st };
}

export async function probeNologin(exec: Exec): Promise<Maybe<{ exists: boolean; path: string; text?: string }>> {
  const st = await statPaths(exec, NOLOGIN_FILES);
  if (typeof st === 'string') return { unknown: st };
  const hit = st.find((s) => s.exists);
  if (!hit) return { exists: false, path: NOLOGIN_FILES[0]! };
  const r = await exec(['head', '-c', '200', hit.path]);
  return { exists: true, path: hit.path, ...(r.exitCode === 0 && r.stdout.trim() ? { text: r.stdout } : {}) };
}

/** /etc/shells: absolute paths, comments and blank lines left out. */
export function parseEtcShells(text: string): string[] {
  return lines(text)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('/'));
}

/** `useradd -D` prints SHELL=/bin/sh among its defaults. */
export function parseUseraddDefaults(text: string): string | undefined {
  return /^SHELL=(\/\S*)$/m.exec(text)?.[1];
}

export async function probeShells(exec: Exec): Promise<Maybe<ShellFacts>> {
  const cmd = ['cat', '/etc/shells'];
  const r = await exec(cmd, { maxBytes: 64 * 1024 });
  const why = failure(r, cmd);
  if (why) return { unknown: why };
  const d = await exec(['useradd', '-D']);
  const dflt = d.exitCode === 0 ? parseUseraddDefaults(d.stdout) : undefined;
  return { listed: r.exitCode === 0 ? parseEtcShells(r.stdout) : [], ...(dflt ? { useraddDefault: dflt } : {}) };
}

/** hosts.allow/deny are root's files, usually a few lines; a bound all the same. */
const HOSTS_FILE_MAX_BYTES = 1024 * 1024;

/** Whether `ldd` lists libwrap for this sshd, and the two files (absent: empty). */
export async function probeTcpWrappers(exec: Exec, sshd: string): Promise<Maybe<TcpWrapperFacts>> {
  const lddCmd = ['ldd', sshd];
  const ldd = await exec(lddCmd);
  const why = failure(ldd, lddCmd);
  if (why) return { unknown: why };
  const linked = /libwrap\.so/.test(ldd.stdout);
  if (!linked) return { linked, allow: '', deny: '' };
  const read = async (f: string): Promise<string | Maybe<never>> => {
    const cmd = ['cat', '--', f];
    const r = await exec(cmd, { maxBytes: HOSTS_FILE_MAX_BYTES });
    const w = failure(r, cmd);
    if (w) return { unknown: w };
    if (r.exitCode === 0) return r.stdout;
    return /No such file/.test(r.stderr) ? '' : { unknown: `cannot read ${f}: ${r.stderr.trim()}` };
  };
  const [allow, deny] = [await read('/etc/hosts.allow'), await read('/etc/hosts.deny')];
  if (typeof allow !== 'string') return allow;
  if (typeof deny !== 'string') return deny;
  return { linked, allow, deny };
}
