// stat(1) output → FileStat. One call stats many paths; the missing ones are reported on stderr.
import type { FileStat } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';

export const STAT_FORMAT = '%F\t%a\t%u\t%g\t%U\t%G\t%n';

const TYPES: Record<string, FileStat['type']> = {
  'regular file': 'file', 'regular empty file': 'file', directory: 'dir', 'symbolic link': 'link',
};

/** Lines of `stat -L -c '%F\t%a\t%u\t%g\t%U\t%G\t%n'`. */
export function parseStat(stdout: string): FileStat[] {
  return lines(stdout).flatMap((l) => {
    const f = l.split('\t');
    if (f.length < 7) return [];
    const [type, mode, uid, gid, owner, group, ...name] = f as [string, string, string, string, string, string, ...string[]];
    return [{
      path: name.join('\t'), exists: true, type: TYPES[type] ?? 'other', mode: parseInt(mode, 8),
      uid: Number(uid), gid: Number(gid),
      ...(owner !== 'UNKNOWN' ? { owner } : {}), ...(group !== 'UNKNOWN' ? { group } : {}),
    }];
  });
}

/** Stat every path; a path stat could not find is `{exists: false}`; undefined if stat failed. */
export async function statPaths(exec: Exec, paths: readonly string[]): Promise<FileStat[] | string> {
  if (paths.length === 0) return [];
  const cmd = ['stat', '-L', '-c', STAT_FORMAT, '--', ...paths];
  const r = await exec(cmd);
  const why = failure(r, cmd);
  if (why) return why;
  const found = new Map(parseStat(r.stdout).map((s) => [s.path, s]));
  const denied = /Permission denied/.test(r.stderr);
  return paths.map((p) => found.get(p) ?? (denied && r.stderr.includes(p) ? { path: p, exists: false, type: 'other' as const } : { path: p, exists: false }));
}
