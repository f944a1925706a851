// StrictModes as sshd decides it, row by row. Sources: OpenSSH misc.c safe_path() (owner must be
// root or the user, no group/other write bit, walk up to and including realpath(home) or "/"),
// auth.c auth_secure_path(), Debian's "Allow harmless group-writability" patch (group write is
// fine when the group holds only the path's owner), and the kernel's owner/group/other choice for
// the access sshd needs after dropping to the user (authorized_keys is opened as the user).
import { describe, expect, it } from 'vitest';
import {
  cannotAccess,
  groupWriteRuleFor,
  insecureReason,
  parentDirs,
  walkedDirs,
} from '../../src/server/strict-modes.js';
import type { FileStat, GroupFacts, SshdBinary } from '../../src/server/facts.js';

const ALICE = 1001;
const stat = (over: Partial<FileStat>): FileStat => ({ path: '/home/alice/.ssh', exists: true, type: 'dir', ...over });
const aliceGroup: GroupFacts = { gid: 1001, name: 'alice', members: [], primaryOf: [{ name: 'alice', uid: ALICE }] };
const staff: GroupFacts = { gid: 50, name: 'staff', members: ['alice', 'carol'], primaryOf: [] };
const devs: GroupFacts = { gid: 60, name: 'devs', members: ['bob'], primaryOf: [] };

describe("groupWriteRuleFor: Debian's patch only when dpkg installed this sshd", () => {
  const rows: [string, SshdBinary | undefined, string][] = [
    [
      'dpkg (Debian/Ubuntu openssh-server)',
      { path: '/usr/sbin/sshd', package: { manager: 'dpkg', name: 'openssh-server', version: '1:9.2p1-2' } },
      'debian',
    ],
    [
      'rpm (Fedora/RHEL: upstream rule)',
      { path: '/usr/sbin/sshd', package: { manager: 'rpm', name: 'openssh-server', version: '9.6p1' } },
      'upstream',
    ],
    ['no package (built from source)', { path: '/usr/local/sbin/sshd' }, 'upstream'],
    ['no sshd found', undefined, 'upstream'],
  ];
  it.each(rows)('%s', (_, sshd, rule) => expect(groupWriteRuleFor(sshd)).toBe(rule));
});

describe('insecureReason: what safe_path() refuses, in the words a user sees', () => {
  const rows: [string, Partial<FileStat>, string, readonly GroupFacts[], string | undefined][] = [
    ['stat without an owner: unknown, no finding', { uid: undefined, mode: 0o777 }, 'upstream', [], undefined],
    [
      'stat without a mode: unknown, no finding',
      { uid: 2000, owner: 'bob', mode: undefined },
      'upstream',
      [],
      undefined,
    ],
    [
      'owned by another account, by name',
      { uid: 1002, owner: 'bob', gid: 1002, mode: 0o755 },
      'upstream',
      [],
      'owned by bob, not by the user or root',
    ],
    [
      'owned by an unnamed uid, by number',
      { uid: 4242, gid: 4242, mode: 0o755 },
      'upstream',
      [],
      'owned by 4242, not by the user or root',
    ],
    ['root-owned 0755: fine', { uid: 0, owner: 'root', gid: 0, group: 'root', mode: 0o755 }, 'upstream', [], undefined],
    [
      'user-owned 0700: fine',
      { uid: ALICE, owner: 'alice', gid: 1001, group: 'alice', mode: 0o700 },
      'upstream',
      [],
      undefined,
    ],
    [
      'world writable, even on Debian',
      { uid: ALICE, owner: 'alice', gid: 1001, group: 'alice', mode: 0o757 },
      'debian',
      [aliceGroup],
      'writable by everyone (mode 0757)',
    ],
    [
      'group writable, upstream: refused even for a private group',
      { uid: ALICE, owner: 'alice', gid: 1001, group: 'alice', mode: 0o775 },
      'upstream',
      [aliceGroup],
      'writable by group alice (mode 0775)',
    ],
    [
      'group writable, Debian, private group: fine',
      { uid: ALICE, owner: 'alice', gid: 1001, group: 'alice', mode: 0o775 },
      'debian',
      [aliceGroup],
      undefined,
    ],
    [
      'group writable, Debian, group with other members',
      { uid: ALICE, owner: 'alice', gid: 50, group: 'staff', mode: 0o770 },
      'debian',
      [staff],
      'writable by group staff (mode 0770), which has other members',
    ],
    [
      'group writable, Debian, group unknown to the facts: by gid',
      { uid: ALICE, owner: 'alice', gid: 77, mode: 0o770 },
      'debian',
      [aliceGroup],
      'writable by group 77 (mode 0770)',
    ],
  ];
  it.each(rows)('%s', (_, over, rule, groups, want) =>
    expect(insecureReason(stat(over), ALICE, groups, rule as 'upstream' | 'debian')).toBe(want),
  );
});

describe('cannotAccess: the kernel picks owner, else group (primary or supplementary), else other bits', () => {
  const alice = { uid: ALICE, gid: 1001, name: 'alice' };
  const root = { uid: 0, gid: 0, name: 'root' };
  const said = (need: string, owner: string, mode: string) =>
    `alice cannot ${need} it (owner ${owner}, mode ${mode}), and sshd opens authorized_keys as alice`;
  const rows: [string, Partial<FileStat>, 'enter' | 'read', typeof alice, string | undefined][] = [
    ['stat without a mode: unknown', { uid: 0, owner: 'root', gid: 0, mode: undefined }, 'read', alice, undefined],
    ['stat without an owner: unknown', { uid: undefined, gid: 0, mode: 0o700 }, 'enter', alice, undefined],
    ['root logging in reads anything', { uid: ALICE, owner: 'alice', gid: 1001, mode: 0o700 }, 'read', root, undefined],
    [
      'root-owned 0700 ~/.ssh: alice cannot enter',
      { uid: 0, owner: 'root', gid: 0, mode: 0o700 },
      'enter',
      alice,
      said('enter', 'root', '0700'),
    ],
    ['owner unnamed: by uid', { uid: 0, gid: 0, mode: 0o700 }, 'enter', alice, said('enter', '0', '0700')],
    ['root-owned 0711 dir: alice can enter', { uid: 0, owner: 'root', gid: 0, mode: 0o711 }, 'enter', alice, undefined],
    [
      'root-owned 0711 file: alice cannot read',
      { uid: 0, owner: 'root', gid: 0, mode: 0o711 },
      'read',
      alice,
      said('read', 'root', '0711'),
    ],
    [
      "root:alice 0750 (alice's primary group): can enter",
      { uid: 0, owner: 'root', gid: 1001, mode: 0o750 },
      'enter',
      alice,
      undefined,
    ],
    [
      'root:staff 0750, alice a supplementary member: can enter',
      { uid: 0, owner: 'root', gid: 50, mode: 0o750 },
      'enter',
      alice,
      undefined,
    ],
    [
      'root:devs 0750, alice not a member (another group lists her): cannot',
      { uid: 0, owner: 'root', gid: 60, mode: 0o750 },
      'enter',
      alice,
      said('enter', 'root', '0750'),
    ],
    [
      "root:77 0750, a group the facts do not list: others' bits",
      { uid: 0, owner: 'root', gid: 77, mode: 0o750 },
      'enter',
      alice,
      said('enter', 'root', '0750'),
    ],
    [
      "root:alice 0705: group bits apply to a member, not others'",
      { uid: 0, owner: 'root', gid: 1001, mode: 0o705 },
      'enter',
      alice,
      said('enter', 'root', '0705'),
    ],
    [
      'root:staff 0705: the same for a supplementary member',
      { uid: 0, owner: 'root', gid: 50, mode: 0o705 },
      'enter',
      alice,
      said('enter', 'root', '0705'),
    ],
  ];
  it.each(rows)('%s', (_, over, need, user, want) =>
    expect(cannotAccess(stat(over), need, user, [staff, devs])).toBe(want),
  );
});

describe('walkedDirs: safe_path() walks up to realpath(home), else to "/"', () => {
  const rows: [string, string, string | undefined, string[]][] = [
    ['the default file', '/home/alice/.ssh/authorized_keys', '/home/alice', ['/home/alice/.ssh', '/home/alice']],
    [
      'home with trailing slashes (realpath drops them)',
      '/home/alice/.ssh/authorized_keys',
      '/home/alice//',
      ['/home/alice/.ssh', '/home/alice'],
    ],
    ['a file directly in home: only home', '/srv/git/authorized_keys', '/srv/git', ['/srv/git']],
    [
      'a file outside home: up to "/"',
      '/etc/ssh/keys/alice',
      '/home/alice',
      ['/etc/ssh/keys', '/etc/ssh', '/etc', '/'],
    ],
    [
      'home unknown: up to "/"',
      '/home/alice/.ssh/authorized_keys',
      undefined,
      ['/home/alice/.ssh', '/home/alice', '/home', '/'],
    ],
    [
      'home empty: up to "/"',
      '/home/alice/.ssh/authorized_keys',
      '',
      ['/home/alice/.ssh', '/home/alice', '/home', '/'],
    ],
  ];
  it.each(rows)('%s', (_, file, home, want) => expect(walkedDirs(file, home)).toEqual(want));
  it('no path: nothing to walk', () => expect(parentDirs('')).toEqual([]));
  it('"/" has no parents', () => expect(parentDirs('/')).toEqual([]));
});
