// stat(1) output → FileStat. One call stats many paths; the missing ones are reported on stderr.
import type { FileStat } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';

/** Device:inode:links before the name: which object a path named, and whether it is hard-linked. */
export const STAT_FORMAT = '%F\t%a\t%u\t%g\t%U\t%G\t%d:%i:%h\t%n';

const TYPES: Record<string, FileStat['type']> = {
  'regular file': 'file',
  'regular empty file': 'file',
  directory: 'dir',
  'symbolic link': 'link',
};

/** Lines of `stat -c STAT_FORMAT` (the console kit's older format has no device:inode:links field). */
export function parseStat(stdout: string): FileStat[] {
  return lines(stdout).flatMap((l) => {
    const f = l.split('\t');
    if (f.length < 7) return [];
    const [type, mode, uid, gid, owner, group, ...rest] = f as [
      string,
      string,
      string,
      string,
      string,
      string,
      ...string[],
    ];
    const id = rest.length > 1 ? /^(\d+):(\d+):(\d+)$/.exec(rest[0]!) : null;
    const name = id ? rest.slice(1) : rest;
    return [
      {
        path: name.join('\t'),
        exists: true,
        type: TYPES[type] ?? 'other',
        mode: parseInt(mode, 8),
        uid: Number(uid),
        gid: Number(gid),
        ...(owner !== 'UNKNOWN' ? { owner } : {}),
        ...(group !== 'UNKNOWN' ? { group } : {}),
        ...(id ? { dev: Number(id[1]), ino: Number(id[2]), nlink: Number(id[3]) } : {}),
      },
    ];
  });
}

/** Stat every path (`follow`: symlinks followed, as sshd does); one stat could not find is `{exists: false}`. */
export async function statPaths(exec: Exec, paths: readonly string[], follow = true): Promise<FileStat[] | string> {
  if (paths.length === 0) return [];
  const cmd = ['stat', ...(follow ? ['-L'] : []), '-c', STAT_FORMAT, '--', ...paths];
  const r = await exec(cmd);
  const why = failure(r, cmd);
  if (why) return why;
  const found = new Map(parseStat(r.stdout).map((s) => [s.path, s]));
  const denied = /Permission denied/.test(r.stderr);
  return paths.map(
    (p) =>
      found.get(p) ??
      (denied && r.stderr.includes(p)
        ? { path: p, exists: false, type: 'other' as const }
        : { path: p, exists: false }),
  );
}
