// Root opening paths a user controls (a real directory under /tmp, real uids): a user's symlink is
// reported, never followed; root's own symlinks are followed; what is returned is the very object
// the path named.
import {
  closeSync,
  fstatSync,
  lchownSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fdPath, objectState, openNoUserLinks, sameObject, type OpenResult } from '../../src/fixes/safe-path.js';

const ALICE = 4242;
const names = (uid: number) => (uid === ALICE ? 'alice' : undefined);

/** The inode the result opened (closing it), or what it said instead. */
const inodeOf = (r: OpenResult): number | OpenResult => {
  if (!('fd' in r)) return r;
  try {
    expect(fstatSync(r.fd).ino).toBe(r.st.ino);
    return r.st.ino;
  } finally {
    closeSync(r.fd);
  }
};

describe.runIf(process.getuid?.() === 0)('openNoUserLinks, as root', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'safe-path-'));
    mkdirSync(join(dir, 'home'));
    writeFileSync(join(dir, 'home', 'keys'), 'k\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const ino = (p: string) => statSync(p).ino;

  it('opens a plain path: the file, a directory, and / itself', () => {
    expect(inodeOf(openNoUserLinks(join(dir, 'home', 'keys')))).toBe(ino(join(dir, 'home', 'keys')));
    expect(inodeOf(openNoUserLinks(`${dir}/home/`))).toBe(ino(join(dir, 'home')));
    expect(inodeOf(openNoUserLinks('/'))).toBe(ino('/'));
    const r = openNoUserLinks(join(dir, 'home'));
    expect('fd' in r && r.st.isDirectory()).toBe(true);
    if ('fd' in r) closeSync(r.fd);
  });

  it('refuses a relative path', () => {
    expect(openNoUserLinks('home/keys')).toEqual({ refused: 'home/keys is not an absolute path' });
  });

  it('says which component is missing, and which is not a directory', () => {
    expect(openNoUserLinks(join(dir, 'nope', 'keys'))).toEqual({ missing: `${dir}/nope does not exist` });
    expect(openNoUserLinks(join(dir, 'home', 'keys', 'x'))).toEqual({ refused: `${dir}/home/keys is not a directory` });
  });

  it("refuses a user's symlink anywhere on the path, naming its owner and target", () => {
    symlinkSync('/etc/shadow', join(dir, 'home', 'link'));
    lchownSync(join(dir, 'home', 'link'), ALICE, ALICE);
    expect(openNoUserLinks(join(dir, 'home', 'link'), names)).toEqual({
      refused: `${dir}/home/link is a symlink owned by alice (to /etc/shadow); ssh-doctor does not follow links that users control`,
    });
    symlinkSync(join(dir, 'home'), join(dir, 'dirlink'));
    lchownSync(join(dir, 'dirlink'), ALICE + 1, ALICE + 1);
    expect(openNoUserLinks(join(dir, 'dirlink', 'keys'), names)).toEqual({
      refused: `${dir}/dirlink is a symlink owned by uid ${ALICE + 1} (to ${dir}/home); ssh-doctor does not follow links that users control`,
    });
    // The default names nobody.
    expect(openNoUserLinks(join(dir, 'home', 'link'))).toEqual({
      refused: `${dir}/home/link is a symlink owned by uid ${ALICE} (to /etc/shadow); ssh-doctor does not follow links that users control`,
    });
  });

  it("follows root's symlinks, absolute and relative, and '..'", () => {
    const keys = ino(join(dir, 'home', 'keys'));
    symlinkSync(join(dir, 'home'), join(dir, 'abs'));
    symlinkSync('home', join(dir, 'rel'));
    symlinkSync('../home/keys', join(dir, 'home', 'up'));
    expect(inodeOf(openNoUserLinks(join(dir, 'abs', 'keys')))).toBe(keys);
    expect(inodeOf(openNoUserLinks(join(dir, 'rel', 'keys')))).toBe(keys);
    expect(inodeOf(openNoUserLinks(join(dir, 'home', 'up')))).toBe(keys);
    expect(inodeOf(openNoUserLinks(`${dir}/home/../home/keys`))).toBe(keys);
  });

  it("names the missing component by the path really walked, after root's links and '..'", () => {
    symlinkSync(join(dir, 'home'), join(dir, 'abs'));
    symlinkSync('home', join(dir, 'rel'));
    expect(openNoUserLinks(join(dir, 'abs', 'gone'))).toEqual({ missing: `${dir}/home/gone does not exist` });
    expect(openNoUserLinks(join(dir, 'rel', 'gone'))).toEqual({ missing: `${dir}/home/gone does not exist` });
    expect(openNoUserLinks(`${dir}/home/../gone`)).toEqual({ missing: `${dir}/gone does not exist` });
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(openNoUserLinks(join(dir, 'dangling'))).toEqual({ missing: `${dir}/nowhere does not exist` });
  });

  it("stops at 40 of root's links in one lookup, as Linux does", () => {
    symlinkSync(join(dir, 'b'), join(dir, 'a'));
    symlinkSync(join(dir, 'a'), join(dir, 'b'));
    expect(openNoUserLinks(join(dir, 'a'))).toEqual({ refused: `${dir}/a: too many levels of symbolic links` });
    // A chain of exactly 40 is still followed.
    for (let i = 0; i < 40; i++)
      symlinkSync(i === 39 ? join(dir, 'home', 'keys') : join(dir, `c${i + 1}`), join(dir, `c${i}`));
    expect(inodeOf(openNoUserLinks(join(dir, 'c0')))).toBe(ino(join(dir, 'home', 'keys')));
  });

  it('opens a FIFO planted there without waiting for a writer', () => {
    execFileSync('mkfifo', [join(dir, 'home', 'fifo')]);
    const r = openNoUserLinks(join(dir, 'home', 'fifo'));
    expect('fd' in r && r.st.isFIFO()).toBe(true);
    if ('fd' in r) closeSync(r.fd);
  });

  it('fdPath names the open object itself', () => {
    const r = openNoUserLinks(join(dir, 'home', 'keys'));
    if (!('fd' in r)) throw new Error('not opened');
    expect(fdPath(r.fd)).toBe(`/proc/self/fd/${r.fd}`);
    expect(statSync(fdPath(r.fd)).ino).toBe(r.st.ino);
    closeSync(r.fd);
  });
});

describe('what a fix records of an object', () => {
  const st = (o: Partial<Stats>) =>
    ({ dev: 2049, ino: 77, birthtimeMs: 0, mode: 0o100644, uid: 1000, gid: 1000, ...o }) as Stats;
  it('mode without the file type bits (setuid and sticky kept), birth time only where kept', () => {
    expect(objectState(st({ mode: 0o104755 }))).toEqual({ dev: 2049, ino: 77, mode: 0o4755, uid: 1000, gid: 1000 });
    expect(objectState(st({ mode: 0o41777, birthtimeMs: 1764000000123 }))).toEqual({
      dev: 2049,
      ino: 77,
      born: 1764000000123,
      mode: 0o1777,
      uid: 1000,
      gid: 1000,
    });
  });
  it.each([
    ['same device and inode', { dev: 1, ino: 2 }, { dev: 1, ino: 2 }, true],
    ['same, one birth time unknown', { dev: 1, ino: 2, born: 5 }, { dev: 1, ino: 2 }, true],
    ['same, the other birth time unknown', { dev: 1, ino: 2 }, { dev: 1, ino: 2, born: 5 }, true],
    ['same birth time', { dev: 1, ino: 2, born: 5 }, { dev: 1, ino: 2, born: 5 }, true],
    ['inode number reused by a newer file', { dev: 1, ino: 2, born: 5 }, { dev: 1, ino: 2, born: 6 }, false],
    ['another inode', { dev: 1, ino: 2 }, { dev: 1, ino: 3 }, false],
    ['another device', { dev: 1, ino: 2 }, { dev: 9, ino: 2 }, false],
  ])('sameObject: %s', (_n, a, b, want) => expect(sameObject(a, b)).toBe(want));
});
