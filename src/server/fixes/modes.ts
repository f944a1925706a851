// The smallest ownership/mode change that makes sshd's StrictModes accept a path, decided by the
// same rule the diagnosis uses (../strict-modes.ts, with Debian's group rule). Pure.
import type { FileStat, GroupFacts } from '../facts.js';
import { cannotAccess, insecureReason, type GroupWriteRule } from '../strict-modes.js';

export type PathRole = 'home' | 'ssh-dir' | 'authorized-keys' | 'host-key';

export interface ModeChange {
  path: string;
  role: PathRole;
  stat: FileStat;
  /** New permission bits, or undefined when the mode is already acceptable. */
  mode?: number;
  /** New owner "user:group", or undefined when ownership is acceptable. */
  owner?: string;
  /** What it was, for the exact undo. */
  oldMode: number;
  oldOwner: string;
}

function ownerOf(s: FileStat): string {
  return `${s.owner ?? s.uid}:${s.group ?? s.gid}`;
}

export interface LoginUser {
  uid: number;
  gid: number;
  name: string;
  /** Primary group name (or number), for a chown. */
  group: string;
}

/**
 * What to change on one path, or undefined when sshd already accepts it.
 * ~/.ssh becomes 0700 and authorized_keys 0600 (the modes everyone expects there and sshd's own
 * advice); the home and the directories above it lose only the write bits sshd objects to:
 * other-write always, group-write only when Debian's private-group rule does not allow it.
 */
export function modeChange(
  stat: FileStat,
  role: PathRole,
  user: LoginUser,
  groups: readonly GroupFacts[],
  rule: GroupWriteRule,
): ModeChange | undefined {
  if (!stat.exists || stat.mode === undefined || stat.uid === undefined) return undefined;
  // A chmod cannot make a directory (or device) named authorized_keys into a key file.
  if ((role === 'authorized-keys' || role === 'host-key') && stat.type !== undefined && stat.type !== 'file')
    return undefined;
  const old = stat.mode & 0o7777;
  const out: ModeChange = { path: stat.path, role, stat, oldMode: old, oldOwner: ownerOf(stat) };
  if (role === 'host-key') {
    // Upstream and Debian's sshd refuse any group/other access (the finding's rule, checked in the
    // lab by starting sshd); 0600 is also accepted by Fedora's patched sshd, so it is safe everywhere.
    // An ssh_keys group is kept: only the bits change.
    const sshKeys = stat.group === 'ssh_keys';
    if (stat.uid !== 0) out.owner = sshKeys ? 'root:ssh_keys' : 'root:root';
    if (old & ~0o7700) out.mode = old & 0o7700;
  } else {
    const need = role === 'authorized-keys' ? 'read' : 'enter';
    if (insecureReason(stat, user.uid, groups, rule) === undefined && !cannotAccess(stat, need, user, groups))
      return undefined;
    // sshd reads authorized_keys as the user, so ~/.ssh and the file must be the user's;
    // above them root ownership is also accepted.
    const ownerOk = stat.uid === user.uid || (stat.uid === 0 && role === 'home');
    if (!ownerOk) out.owner = `${user.name}:${user.group}`;
    const after: FileStat = out.owner
      ? { ...stat, uid: user.uid, gid: user.gid, owner: user.name, group: user.group }
      : stat;
    // ~/.ssh and authorized_keys are the user's after this: their owner bits give the access.
    if (role === 'ssh-dir') out.mode = (old & 0o7700) | 0o700;
    else if (role === 'authorized-keys') out.mode = (old & 0o7600) | 0o600;
    else {
      const lessOther = old & ~0o002;
      const safe =
        insecureReason({ ...after, mode: lessOther }, user.uid, groups, rule) === undefined ? lessOther : old & ~0o022;
      // A home (or a directory above it) the user cannot pass: the one search bit that lets them.
      out.mode = cannotAccess({ ...after, mode: safe }, 'enter', user, groups)
        ? safe | (after.uid === user.uid ? 0o100 : 0o001)
        : safe;
    }
    if (out.mode === old) delete out.mode;
  }
  return out.mode === undefined && out.owner === undefined ? undefined : out;
}

/**
 * Why ssh-doctor, as root, must not change this object for `user`, or undefined. The same rule
 * holds at planning (from stat) and at the change itself (from fstat of the open descriptor).
 */
export function unsafeTarget(
  path: string,
  st: { uid: number; nlink?: number; type?: 'file' | 'dir' | 'link' | 'other' },
  want: 'file' | 'dir',
  user: { uid: number; name: string },
): string | undefined {
  if (st.type !== undefined && st.type !== want)
    return `${path} is not a ${want === 'dir' ? 'directory' : 'regular file'}`;
  // A hard link to another file (/etc/shadow) would carry the change there; directories cannot be.
  if (want === 'file' && (st.nlink ?? 1) > 1) return `${path} has ${st.nlink} hard links, so it is also another file`;
  if (st.uid !== 0 && st.uid !== user.uid) return `${path} is owned by uid ${st.uid}, neither ${user.name} nor root`;
  return undefined;
}
