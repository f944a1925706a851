// The permission fix's plan, row by row: the whole change (new mode, new owner, what undo puts
// back) for each path and owner, and the refusals a root fix must make before touching a path.
import { describe, expect, it } from 'vitest';
import type { FileStat, GroupFacts } from '../../../src/server/facts.js';
import { modeChange, unsafeTarget, type PathRole } from '../../../src/server/fixes/modes.js';
import type { GroupWriteRule } from '../../../src/server/strict-modes.js';

const alice = { uid: 1000, gid: 1000, name: 'alice', group: 'alice' };
const root = { uid: 0, gid: 0, name: 'root', group: 'root' };
const upg: GroupFacts[] = [{ gid: 1000, name: 'alice', members: [], primaryOf: [{ name: 'alice', uid: 1000 }] }];
const st = (path: string, mode: number, extra: Partial<FileStat> = {}): FileStat => ({
  path,
  exists: true,
  type: 'dir',
  mode,
  uid: 1000,
  gid: 1000,
  owner: 'alice',
  group: 'alice',
  ...extra,
});
const bob = { uid: 1001, gid: 1001, owner: 'bob', group: 'bob' };

describe('modeChange: the whole planned change', () => {
  it.each<[string, FileStat, PathRole, GroupWriteRule, { mode?: number; owner?: string; oldOwner: string }]>([
    [
      '~/.ssh 2777 keeps its setgid bit',
      st('/h/.ssh', 0o2777),
      'ssh-dir',
      'debian',
      { mode: 0o2700, oldOwner: 'alice:alice' },
    ],
    [
      'authorized_keys 4666 keeps its setuid bit',
      st('/h/.ssh/authorized_keys', 0o4666, { type: 'file' }),
      'authorized-keys',
      'debian',
      { mode: 0o4600, oldOwner: 'alice:alice' },
    ],
    [
      'authorized_keys of unknown type is still planned',
      st('/h/.ssh/authorized_keys', 0o646, { type: undefined }),
      'authorized-keys',
      'debian',
      { mode: 0o600, oldOwner: 'alice:alice' },
    ],
    [
      '~/.ssh 0777 owned by root: chowned too (sshd reads it as the user)',
      st('/h/.ssh', 0o777, { uid: 0, gid: 0, owner: 'root', group: 'root' }),
      'ssh-dir',
      'debian',
      { owner: 'alice:alice', mode: 0o700, oldOwner: 'root:root' },
    ],
    [
      'a home 0777 owned by root stays root’s (above ~/.ssh root may own)',
      st('/home/alice', 0o777, { uid: 0, gid: 0, owner: 'root', group: 'root' }),
      'home',
      'debian',
      { mode: 0o755, oldOwner: 'root:root' },
    ],
    [
      'a home owned by bob: chowned; then its group write is alice’s private group, fine on Debian',
      st('/home/alice', 0o775, bob),
      'home',
      'debian',
      { owner: 'alice:alice', oldOwner: 'bob:bob' },
    ],
    [
      'the same under upstream sshd also loses group write',
      st('/home/alice', 0o775, bob),
      'home',
      'upstream',
      { owner: 'alice:alice', mode: 0o755, oldOwner: 'bob:bob' },
    ],
    [
      'old owner by number when names do not resolve',
      st('/h/.ssh', 0o700, { uid: 1001, gid: 1001, owner: undefined, group: undefined }),
      'ssh-dir',
      'debian',
      { owner: 'alice:alice', oldOwner: '1001:1001' },
    ],
    [
      'a home writable by everyone loses only other-write on Debian',
      st('/home/alice', 0o757),
      'home',
      'debian',
      { mode: 0o755, oldOwner: 'alice:alice' },
    ],
  ])('%s', (_, stat, role, rule, want) => {
    expect(modeChange(stat, role, alice, upg, rule)).toEqual({
      path: stat.path,
      role,
      stat,
      oldMode: stat.mode,
      ...want,
    });
  });

  it.each<[string, FileStat, PathRole]>([
    ['a path that does not exist', st('/h/.ssh', 0o777, { exists: false }), 'ssh-dir'],
    ['a mode that could not be read', st('/h/.ssh', 0o777, { mode: undefined }), 'ssh-dir'],
    ['an owner that could not be read', st('/h/.ssh', 0o777, { uid: undefined }), 'ssh-dir'],
    ['a directory named authorized_keys', st('/h/.ssh/authorized_keys', 0o666, { type: 'dir' }), 'authorized-keys'],
    ['a link named authorized_keys', st('/h/.ssh/authorized_keys', 0o666, { type: 'link' }), 'authorized-keys'],
    ['a directory named as a host key', st('/etc/ssh/ssh_host_rsa_key', 0o644, { type: 'dir', uid: 0 }), 'host-key'],
    ['~/.ssh already 0700 and the user’s', st('/h/.ssh', 0o700), 'ssh-dir'],
    ['~/.ssh 0755 (StrictModes accepts it; sshd reads it as the user)', st('/h/.ssh', 0o755), 'ssh-dir'],
  ])('nothing to change: %s', (_, stat, role) => {
    expect(modeChange(stat, role, alice, upg, 'debian')).toBeUndefined();
  });

  describe('host keys', () => {
    const key = (mode: number, extra: Partial<FileStat> = {}) =>
      st('/etc/ssh/ssh_host_ed25519_key', mode, {
        type: 'file',
        uid: 0,
        gid: 0,
        owner: 'root',
        group: 'root',
        ...extra,
      });
    it.each<[string, FileStat, { mode?: number; owner?: string } | undefined]>([
      ['0600 root:root is right', key(0o600), undefined],
      ['0400 root:root is right', key(0o400), undefined],
      ['4644 keeps the setuid bit', key(0o4644), { mode: 0o4600 }],
      ['0604 loses other-read', key(0o604), { mode: 0o600 }],
      [
        '0600 owned by alice in ssh_keys: to root, ssh_keys kept',
        key(0o600, { uid: 1000, group: 'ssh_keys' }),
        { owner: 'root:ssh_keys' },
      ],
      [
        '0644 owned by alice: both',
        key(0o644, { uid: 1000, gid: 1000, owner: 'alice', group: 'alice' }),
        { owner: 'root:root', mode: 0o600 },
      ],
    ])('%s', (_, stat, want) => {
      const c = modeChange(stat, 'host-key', root, [], 'debian');
      expect(c && { mode: c.mode, owner: c.owner }).toEqual(want && { mode: undefined, owner: undefined, ...want });
    });
  });
});

describe('unsafeTarget: what a root fix refuses to touch', () => {
  const user = { uid: 1000, name: 'alice' };
  it.each<[string, Parameters<typeof unsafeTarget>[1], 'file' | 'dir', string | undefined]>([
    ['the user’s file', { uid: 1000, nlink: 1, type: 'file' }, 'file', undefined],
    ['root’s directory', { uid: 0, type: 'dir' }, 'dir', undefined],
    ['a type not known yet', { uid: 1000 }, 'file', undefined],
    ['a directory where a file should be', { uid: 1000, type: 'dir' }, 'file', '/p is not a regular file'],
    ['a file where a directory should be', { uid: 1000, type: 'file' }, 'dir', '/p is not a directory'],
    ['a link', { uid: 1000, type: 'link' }, 'dir', '/p is not a directory'],
    [
      'a file with a second hard link',
      { uid: 1000, nlink: 2, type: 'file' },
      'file',
      '/p has 2 hard links, so it is also another file',
    ],
    ['a directory with many links (subdirectories)', { uid: 1000, nlink: 5, type: 'dir' }, 'dir', undefined],
    ['someone else’s file', { uid: 1001, type: 'file' }, 'file', '/p is owned by uid 1001, neither alice nor root'],
  ])('%s', (_, stat, want, why) => {
    expect(unsafeTarget('/p', stat, want, user)).toBe(why);
  });
});
