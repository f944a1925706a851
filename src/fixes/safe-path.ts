// Acting as root on paths that users control, without being steered by them (OpenSSH's
// safe_path_fd(), sudoedit's open_sudoedit): every component is opened relative to the directory
// descriptor before it with O_NOFOLLOW, so a symlink is seen and judged rather than followed. A
// symlink owned by root is followed (`/home -> /var/home` is normal); one owned by anyone else is
// refused. What is checked (fstat) and what is changed (fchmod/fchown) is then the same open
// object: swapping the path afterwards changes nothing we act on.
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, type Stats } from 'node:fs';
import type { ObjectState } from '../report.js';

const { O_RDONLY, O_NOFOLLOW, O_DIRECTORY, O_NONBLOCK, O_NOCTTY } = constants;
/** Linux's own bound on symlinks in one lookup (MAXSYMLINKS). */
const MAX_LINKS = 40;

export interface Opened {
  fd: number;
  st: Stats;
}

export type OpenResult = Opened | { refused: string } | { missing: string };

/** The descriptor's path: resolving it reaches exactly the open object (Linux /proc magic link). */
export const fdPath = (fd: number): string => `/proc/self/fd/${fd}`;

const describeOwner = (uid: number, names: (uid: number) => string | undefined) => names(uid) ?? `uid ${uid}`;

/**
 * Opens an absolute path following only root-owned symlinks. A file is opened read-only,
 * non-blocking and without becoming our terminal, so a FIFO or device planted there cannot stall
 * or affect us; nothing is read from it.
 */
export function openNoUserLinks(
  path: string,
  names: (uid: number) => string | undefined = () => undefined,
): OpenResult {
  if (!path.startsWith('/')) return { refused: `${path} is not an absolute path` };
  let dir = openSync('/', O_RDONLY | O_DIRECTORY);
  const todo = path.split('/').filter(Boolean);
  let walked = '';
  let links = 0;
  try {
    for (;;) {
      const name = todo.shift();
      if (name === undefined) return { fd: dir, st: fstatSync(dir) };
      const last = todo.length === 0;
      const at = `${fdPath(dir)}/${name}`;
      let fd: number;
      try {
        fd = openSync(at, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | (last ? 0 : O_DIRECTORY));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const here = `${walked}/${name}`;
        if (code === 'ENOENT') return { missing: `${here} does not exist` };
        // O_NOFOLLOW on a symlink gives ELOOP (or ENOTDIR with O_DIRECTORY on some kernels).
        if (code !== 'ELOOP' && code !== 'ENOTDIR') throw e;
        // The user may be swapping the path right now: whatever it turned into is not followed.
        let link: Stats;
        let target: string;
        try {
          link = lstatSync(at);
          target = link.isSymbolicLink() ? readlinkSync(at) : '';
        } catch (e2) {
          const c2 = (e2 as NodeJS.ErrnoException).code;
          if (c2 === 'ENOENT') return { missing: `${here} does not exist` };
          if (c2 === 'EINVAL') return { refused: `${here} changed while it was being checked` };
          throw e2;
        }
        if (!link.isSymbolicLink()) {
          return {
            refused: code === 'ENOTDIR' ? `${here} is not a directory` : `${here} changed while it was being checked`,
          };
        }
        if (link.uid !== 0)
          return {
            refused: `${here} is a symlink owned by ${describeOwner(link.uid, names)} (to ${target}); ssh-doctor does not follow links that users control`,
          };
        if (++links > MAX_LINKS) return { refused: `${here}: too many levels of symbolic links` };
        todo.unshift(...target.split('/').filter(Boolean));
        if (target.startsWith('/')) {
          closeSync(dir);
          dir = openSync('/', O_RDONLY | O_DIRECTORY);
          walked = '';
        }
        continue;
      }
      closeSync(dir);
      dir = fd;
      walked = name === '..' ? walked.slice(0, walked.lastIndexOf('/')) : `${walked}/${name}`;
    }
  } catch (e) {
    closeSync(dir);
    throw e;
  }
}

/**
 * Which object a path named when it was checked: device and inode, and its birth time where the
 * filesystem keeps one, because a freed inode number is handed to the next new file at once.
 */
export interface ObjectId {
  dev: number;
  ino: number;
  born?: number;
}

export const sameObject = (a: ObjectId, b: ObjectId): boolean =>
  a.dev === b.dev && a.ino === b.ino && (!a.born || !b.born || a.born === b.born);

/** What a fix records of an object it changes: which one it is, and its mode and owner. */
export const objectState = (st: Stats): ObjectState => ({
  dev: st.dev,
  ino: st.ino,
  ...(st.birthtimeMs ? { born: st.birthtimeMs } : {}),
  mode: st.mode & 0o7777,
  uid: st.uid,
  gid: st.gid,
});
