// authorized_keys and every directory StrictModes walks above it, with the groups that own them.
import type { AuthFilesFacts, EffectiveConfig, GroupFacts, Maybe, UserFacts } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';
import { parentDirs } from '../strict-modes.js';
import { statPaths } from './stat.js';
import { parsePasswd } from './user.js';

/** AuthorizedKeysFile tokens (%h %u %U %%); relative paths are relative to home (sshd_config(5)). */
export function authorizedKeysPaths(eff: EffectiveConfig | undefined, user: UserFacts): string[] {
  const spec = eff?.config.authorizedkeysfile?.join(' ') ?? '.ssh/authorized_keys .ssh/authorized_keys2';
  const home = (user.home ?? '/').replace(/\/+$/, '') || '';
  return spec.split(/\s+/).filter((s) => s && s !== 'none').map((t) => {
    const x = t.replace(/%(.)/g, (_, c: string) => (c === 'h' ? home : c === 'u' ? user.name : c === 'U' ? String(user.uid) : c === '%' ? '%' : `%${c}`));
    return x.startsWith('/') ? x : `${home}/${x}`;
  });
}

/** `getent group GID` line → name and supplementary members. */
export function parseGroupLine(line: string): { name: string; gid: number; members: string[] } | undefined {
  const f = line.trim().split(':');
  if (f.length < 4) return undefined;
  return { name: f[0]!, gid: Number(f[2]), members: f[3] ? f[3].split(',').filter(Boolean) : [] };
}

export function countKeys(text: string): number {
  return lines(text).filter((l) => !l.trim().startsWith('#')).length;
}

export async function probeAuthFiles(exec: Exec, user: UserFacts, eff: EffectiveConfig | undefined): Promise<Maybe<AuthFilesFacts>> {
  const wanted = authorizedKeysPaths(eff, user);
  // sshd canonicalises with realpath(3) before walking up; symlinked homes are common.
  const rp = await exec(['realpath', '-m', '--', ...wanted]);
  const why = failure(rp, ['realpath']);
  if (why) return { unknown: why };
  const real = rp.exitCode === 0 ? lines(rp.stdout) : wanted;
  const files = await statPaths(exec, real);
  if (typeof files === 'string') return { unknown: files };
  const dirPaths = [...new Set(real.flatMap(parentDirs))];
  const dirs = await statPaths(exec, dirPaths);
  if (typeof dirs === 'string') return { unknown: dirs };
  const keyCounts: Record<string, number> = {};
  for (const f of files.filter((x) => x.exists && x.type === 'file')) {
    const r = await exec(['cat', '--', f.path]);
    if (r.exitCode === 0) keyCounts[f.path] = countKeys(r.stdout);
    else if (/Permission denied/.test(r.stderr)) return { unknown: `cannot read ${f.path} (run as root)`, needsRoot: true };
  }
  const userLinks = await userLinksOn(exec, wanted);
  const gids = [...new Set([...files, ...dirs].flatMap((s) => (s.gid !== undefined ? [s.gid] : [])))];
  const all = await exec(['getent', 'passwd']);
  const accounts = all.exitCode === 0 ? parsePasswd(all.stdout) : [];
  const groups: GroupFacts[] = [];
  for (const gid of gids) {
    const g = await exec(['getent', 'group', String(gid)]);
    const parsed = g.exitCode === 0 ? parseGroupLine(g.stdout) : undefined;
    if (!parsed) continue;
    groups.push({ ...parsed, primaryOf: accounts.filter((a) => a.gid === gid).map((a) => ({ name: a.name, uid: a.uid })) });
  }
  return { authorizedKeys: files, keyCounts, dirs, groups, ...(userLinks.length ? { userLinks } : {}) };
}

/** Every prefix of an absolute path, shortest first, without "/" itself. */
export function prefixes(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

/** Symlinks not owned by root on the configured paths (each prefix lstat'ed: stat without -L). */
async function userLinksOn(exec: Exec, wanted: readonly string[]): Promise<NonNullable<AuthFilesFacts['userLinks']>> {
  const st = await statPaths(exec, [...new Set(wanted.flatMap(prefixes))], false);
  if (typeof st === 'string') return [];
  const links = st.filter((x) => x.type === 'link' && x.uid !== 0);
  const out = [];
  for (const l of links) {
    const r = await exec(['readlink', '--', l.path]);
    out.push({ path: l.path, owner: l.owner ?? String(l.uid), target: r.exitCode === 0 ? r.stdout.replace(/\n$/, '') : '?' });
  }
  return out;
}
