import { describe, expect, it } from 'vitest';
import type { FileStat, GroupFacts } from '../../../src/server/facts.js';
import { modeChange } from '../../../src/server/fixes/modes.js';

const alice = { uid: 1000, gid: 1000, name: 'alice', group: 'alice' };
const upg: GroupFacts[] = [{ gid: 1000, name: 'alice', members: [], primaryOf: [{ name: 'alice', uid: 1000 }] }];
const shared: GroupFacts[] = [{ gid: 100, name: 'users', members: ['alice', 'bob'], primaryOf: [] }];
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

describe('mode arithmetic: only what StrictModes refuses', () => {
  it.each([
    ['home 0777, private group, Debian: only other-write goes', st('/home/alice', 0o777), 'home', upg, 'debian', 0o775],
    [
      'home 0777, private group, upstream sshd: group and other write go',
      st('/home/alice', 0o777),
      'home',
      upg,
      'upstream',
      0o755,
    ],
    [
      'home 0775 in a shared group, Debian',
      st('/home/alice', 0o775, { gid: 100, group: 'users' }),
      'home',
      shared,
      'debian',
      0o755,
    ],
    ['home 1777 keeps its sticky bit', st('/home/alice', 0o1777), 'home', upg, 'upstream', 0o1755],
    ['~/.ssh 0777 becomes 0700', st('/home/alice/.ssh', 0o777), 'ssh-dir', upg, 'debian', 0o700],
    [
      'authorized_keys 0666 becomes 0600',
      st('/home/alice/.ssh/authorized_keys', 0o666, { type: 'file' }),
      'authorized-keys',
      upg,
      'debian',
      0o600,
    ],
  ] as const)('%s', (_n, stat, role, groups, rule, want) => {
    const c = modeChange(stat, role, alice, groups, rule)!;
    expect(c.mode).toBe(want);
    expect(c.oldMode).toBe(stat.mode);
    expect(c.owner).toBeUndefined();
  });

  it('does not chmod a directory that stands where authorized_keys should be', () => {
    expect(
      modeChange(st('/home/alice/.ssh/authorized_keys', 0o777), 'authorized-keys', alice, upg, 'debian'),
    ).toBeUndefined();
  });

  it('leaves an acceptable path alone', () => {
    expect(modeChange(st('/home/alice', 0o775), 'home', alice, upg, 'debian')).toBeUndefined();
    expect(
      modeChange(st('/home/alice', 0o755, { uid: 0, owner: 'root' }), 'home', alice, upg, 'upstream'),
    ).toBeUndefined();
  });

  it('gives ~/.ssh owned by someone else back to the user, remembering the old owner', () => {
    const c = modeChange(
      st('/home/alice/.ssh', 0o700, { uid: 1001, owner: 'bob', gid: 1001, group: 'bob' }),
      'ssh-dir',
      alice,
      upg,
      'debian',
    )!;
    expect(c).toMatchObject({ owner: 'alice:alice', oldOwner: 'bob:bob' });
    expect(c.mode).toBeUndefined();
  });

  it.each([
    ['0644 root:root host key → 0600', { mode: 0o644, uid: 0, gid: 0, owner: 'root', group: 'root' }, 0o600, undefined],
    [
      '0640 root:ssh_keys → 0600, group kept (this sshd refuses group-readable keys)',
      { mode: 0o640, uid: 0, gid: 995, owner: 'root', group: 'ssh_keys' },
      0o600,
      undefined,
    ],
    [
      '0644 root:ssh_keys → 0600',
      { mode: 0o644, uid: 0, gid: 995, owner: 'root', group: 'ssh_keys' },
      0o600,
      undefined,
    ],
    [
      '0600 owned by a user → root:root',
      { mode: 0o600, uid: 1000, gid: 1000, owner: 'alice', group: 'alice' },
      undefined,
      'root:root',
    ],
  ])('%s', (_n, extra, mode, owner) => {
    const c = modeChange(
      st('/etc/ssh/ssh_host_ed25519_key', 0, { type: 'file', ...extra }),
      'host-key',
      { uid: 0, gid: 0, name: 'root', group: 'root' },
      [],
      'debian',
    );
    expect(c?.mode).toBe(mode);
    expect(c?.owner).toBe(owner);
  });
});
