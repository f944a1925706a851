// authorized_keys and every directory StrictModes walks above it, with the groups that own them.
import { formatBytes, MiB } from '../../bytes.js';
import type { AuthFilesFacts, EffectiveConfig, GroupFacts, Maybe, UserFacts } from '../facts.js';
import { ACCOUNTS_MAX_BYTES, failure, lines, type Exec } from '../exec.js';
import { parseAuthorizedKeys } from '../authorized-keys.js';
import { parentDirs } from '../strict-modes.js';
import { statPaths } from './stat.js';
import { parsePasswd } from './user.js';

/** AuthorizedKeysFile tokens (%h %u %U %%); relative paths are relative to home (sshd_config(5)). */
export function authorizedKeysPaths(eff: EffectiveConfig | undefined, user: UserFacts): string[] {
  const spec = eff?.config.authorizedkeysfile?.join(' ') ?? '.ssh/authorized_keys .ssh/authorized_keys2';
  const home = (user.home ?? '/').replace(/\/+$/, '') || '';
  return spec
    .split(/\s+/)
    .filter((s) => s && s !== 'none')
    .map((t) => {
      const x = t.replace(/%(.)/g, (_, c: string) =>
        c === 'h' ? home : c === 'u' ? user.name : c === 'U' ? String(user.uid) : c === '%' ? '%' : `%${c}`,
      );
      return x.startsWith('/') ? x : `${home}/${x}`;
    });
}

/** `getent group GID` line → name and supplementary members. */
export function parseGroupLine(line: string): { name: string; gid: number; members: string[] } | undefined {
  const f = line.trim().split(':');
  if (f.length < 4) return undefined;
  return { name: f[0]!, gid: Number(f[2]), members: f[3] ? f[3].split(',').filter(Boolean) : [] };
}

/**
 * Larger authorized_keys files are not read. The user owns the file and can make it any size (a
 * sparse 50 GB file costs them nothing); sshd reads every line of it at each key login. The
 * biggest real ones belong to git hosting accounts (GitLab, Gitea: a line of ~600 bytes per key
 * of every user), and 16 MiB still holds some 25,000 of those.
 */
export const AUTHORIZED_KEYS_MAX_BYTES = 16 * MiB;

/** `stat -L -c '%s\t%n'` lines → size by path. */
export function parseSizes(stdout: string): Map<string, number> {
  return new Map(
    lines(stdout).flatMap((l) => {
      const m = /^(\d+)\t(.*)$/.exec(l);
      return m ? [[m[2]!, Number(m[1])] as const] : [];
    }),
  );
}

/** Why a file of this size is not read, or undefined when it is read. */
export function oversize(bytes: number | undefined, max = AUTHORIZED_KEYS_MAX_BYTES): string | undefined {
  return bytes !== undefined && bytes > max
    ? `${formatBytes(bytes)}, over the ${formatBytes(max)} ssh-doctor reads`
    : undefined;
}

export function countKeys(text: string): number {
  return lines(text).filter((l) => !l.trim().startsWith('#')).length;
}

export async function probeAuthFiles(
  exec: Exec,
  user: UserFacts,
  eff: EffectiveConfig | undefined,
  root?: boolean,
): Promise<Maybe<AuthFilesFacts>> {
  const wanted = authorizedKeysPaths(eff, user);
  // sshd canonicalises with realpath(3) before walking up; symlinked homes are common.
  const rp = await exec(['realpath', '-m', '--', ...wanted]);
  const why = failure(rp, ['realpath']);
  if (why) return { unknown: why };
  const real = rp.exitCode === 0 ? lines(rp.stdout) : wanted;
  // The lookups that do not need each other's answer run side by side: every command here is on
  // the server mode's longest chain.
  const [files, dirs] = await Promise.all([
    statPaths(exec, real),
    statPaths(exec, [...new Set(real.flatMap(parentDirs))]),
  ]);
  if (typeof files === 'string') return { unknown: files };
  if (typeof dirs === 'string') return { unknown: dirs };
  const keyCounts: Record<string, number> = {};
  const keyLines: NonNullable<AuthFilesFacts['keyLines']> = {};
  const unread: NonNullable<AuthFilesFacts['unread']> = [];
  const regular = files.filter((x) => x.exists && x.type === 'file').map((f) => f.path);
  const sizeCmd = ['stat', '-L', '-c', '%s\t%n', '--', ...regular];
  const sized = regular.length ? await exec(sizeCmd) : undefined;
  const sizes = sized && !failure(sized, sizeCmd) ? parseSizes(sized.stdout) : new Map<string, number>();
  for (const path of regular) {
    const bytes = sizes.get(path);
    const tooBig = oversize(bytes);
    if (tooBig) {
      unread.push({ path, why: tooBig, bytes });
      continue;
    }
    // Capped as well: the file can grow between stat and cat. As root, read it as the user, the
    // way sshd does: a symlink of theirs to /etc/shadow then reads nothing root alone may read.
    const asUser = root === true && user.uid !== undefined && user.uid !== 0 && user.gid !== undefined;
    const cat = ['cat', '--', path];
    let cmd = asUser ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', ...cat] : cat;
    let r = await exec(cmd, { maxBytes: AUTHORIZED_KEYS_MAX_BYTES });
    if (asUser && r.missing) r = await exec((cmd = cat), { maxBytes: AUTHORIZED_KEYS_MAX_BYTES });
    const why = failure(r, cmd);
    if (why) unread.push({ path, why });
    else if (r.exitCode === 0) {
      keyCounts[path] = countKeys(r.stdout);
      keyLines[path] = parseAuthorizedKeys(r.stdout);
    } else if (/Permission denied/.test(r.stderr)) {
      if (cmd === cat) return { unknown: `cannot read ${path} (run as root)`, needsRoot: true };
      unread.push({ path, why: `${user.name} cannot read it, and sshd reads it as ${user.name}` });
    } else unread.push({ path, why: r.stderr.trim().split('\n')[0] || `cat exited with ${r.exitCode}` });
  }
  const gids = [...new Set([...files, ...dirs].flatMap((s) => (s.gid !== undefined ? [s.gid] : [])))];
  // Every account (50,000 on a big LDAP host are megabytes) is read only when a path is group
  // writable: then Debian's StrictModes asks whose primary group that is, and nothing else does.
  const groupWritable = [...files, ...dirs].some((s) => s.mode !== undefined && s.mode & 0o020);
  const allCmd = ['getent', 'passwd'];
  const [userLinks, all, groupLines] = await Promise.all([
    userLinksOn(exec, wanted),
    groupWritable ? exec(allCmd, { maxBytes: ACCOUNTS_MAX_BYTES }) : undefined,
    Promise.all(gids.map((gid) => exec(['getent', 'group', String(gid)]))),
  ]);
  // Part of the accounts could hide a second member of a group: StrictModes could not be judged.
  const allWhy = all && failure(all, allCmd);
  if (allWhy) return { unknown: allWhy };
  const accounts = all?.exitCode === 0 ? parsePasswd(all.stdout) : [];
  const groups: GroupFacts[] = [];
  for (const [i, gid] of gids.entries()) {
    const g = groupLines[i]!;
    // Its members decide StrictModes and whether the user may enter: not judged without them.
    const groupWhy = failure(g, ['getent', 'group', String(gid)]);
    if (groupWhy) return { unknown: groupWhy };
    const parsed = g.exitCode === 0 ? parseGroupLine(g.stdout) : undefined;
    if (!parsed) continue;
    groups.push({
      ...parsed,
      primaryOf: accounts.filter((a) => a.gid === gid).map((a) => ({ name: a.name, uid: a.uid })),
    });
  }
  return {
    authorizedKeys: files,
    keyCounts,
    keyLines,
    ...(unread.length ? { unread } : {}),
    dirs,
    groups,
    ...(userLinks.length ? { userLinks } : {}),
  };
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
    out.push({
      path: l.path,
      owner: l.owner ?? String(l.uid),
      target: r.exitCode === 0 ? r.stdout.replace(/\n$/, '') : '?',
    });
  }
  return out;
}
