// sshd's StrictModes check, as OpenSSH does it (misc.c safe_path / auth.c auth_secure_path), with
// Debian's "user-group-modes" patch (secure_permissions in misc.c) when this sshd is Debian's.
//
// Upstream: the file, then every directory from it upwards up to and including the home
// directory (or "/" when the file is outside home), must be owned by root or the user and carry
// no group/other write bit (mode & 022). Debian: group write is allowed too when the group has
// exactly one member and that member is the path's owner — i.e. the user's private group: every
// account whose primary group it is must be the logging-in user, and the supplementary member
// list must be empty or name only the path's owner.
import type { FileStat, GroupFacts, SshdBinary } from './facts.js';
import { formatMode } from '../report.js';

export type GroupWriteRule = 'upstream' | 'debian';

/** Debian and Ubuntu packages carry the user-group-modes patch (`sshd -V` does not tell). */
export function groupWriteRuleFor(sshd: SshdBinary | undefined): GroupWriteRule {
  return sshd?.package?.manager === 'dpkg' ? 'debian' : 'upstream';
}

/** Why sshd would refuse this path, or undefined when it passes. */
export function insecureReason(
  st: FileStat,
  loginUid: number,
  groups: readonly GroupFacts[],
  rule: GroupWriteRule,
): string | undefined {
  if (st.uid === undefined || st.mode === undefined) return undefined;
  if (st.uid !== 0 && st.uid !== loginUid) return `owned by ${st.owner ?? st.uid}, not by the user or root`;
  if (st.mode & 0o002) return `writable by everyone (mode ${formatMode(st.mode)})`;
  if (!(st.mode & 0o020)) return undefined;
  const why = `writable by group ${st.group ?? st.gid} (mode ${formatMode(st.mode)})`;
  if (rule === 'upstream') return why;
  const g = groups.find((x) => x.gid === st.gid);
  if (!g) return why;
  if (g.primaryOf.some((p) => p.uid !== loginUid)) return `${why}, which is the primary group of another account`;
  let members = g.primaryOf.length;
  if (g.members.length > 0) {
    members++;
    if (g.members[0] !== st.owner || g.members.length > 1) return `${why}, which has other members`;
  }
  return members === 0 ? `${why}, which has no members` : undefined;
}

/**
 * sshd opens authorized_keys with the user's own rights (it drops to them first): every directory
 * on the way must let the user enter it, and the file must let them read it. A root-owned 0700
 * ~/.ssh refuses; a root-owned 0755 one is fine. Undefined when the user has the access.
 */
export function cannotAccess(
  st: FileStat,
  need: 'enter' | 'read',
  user: { uid: number; gid?: number; name: string },
  groups: readonly GroupFacts[],
): string | undefined {
  if (st.mode === undefined || st.uid === undefined || user.uid === 0) return undefined;
  const inGroup = st.gid === user.gid || (groups.find((g) => g.gid === st.gid)?.members.includes(user.name) ?? false);
  // The kernel uses the owner's bits for the owner, else the group's for a member, else the others'.
  const shift = st.uid === user.uid ? 6 : inGroup ? 3 : 0;
  if ((st.mode >> shift) & (need === 'enter' ? 0o1 : 0o4)) return undefined;
  return `${user.name} cannot ${need} it (owner ${st.owner ?? st.uid}, mode ${formatMode(st.mode)}), and sshd opens authorized_keys as ${user.name}`;
}

/** Parent directories of `path` (absolute, already canonical), nearest first, ending with "/". */
export function parentDirs(path: string): string[] {
  const out: string[] = [];
  let p = path;
  while (p !== '/' && p !== '') {
    p = p.slice(0, p.lastIndexOf('/')) || '/';
    out.push(p);
  }
  return out;
}

/** The directories sshd walks for a file: parents up to and including home, else up to "/". */
export function walkedDirs(file: string, home: string | undefined): string[] {
  const all = parentDirs(file);
  const h = home?.replace(/\/+$/, '') || undefined;
  const i = h ? all.indexOf(h) : -1;
  return i >= 0 ? all.slice(0, i + 1) : all;
}
