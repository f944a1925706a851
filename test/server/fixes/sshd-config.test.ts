import { describe, expect, it } from 'vitest';
import {
  allSet,
  globToRegExp,
  includePatterns,
  parseLine,
  readingOrder,
  whereSet,
} from '../../../src/server/fixes/sshd-config.js';

// Debian 12's stock layout: the drop-in directory is included at the top, so it wins.
const MAIN = `# comment
Include /etc/ssh/sshd_config.d/*.conf
#PubkeyAuthentication yes
PubkeyAuthentication yes
UseDNS yes
Port 22
Match User bob
  PubkeyAuthentication no
`;

describe('which file sets a keyword', () => {
  const sources = [
    { path: '/etc/ssh/sshd_config', text: MAIN },
    { path: '/etc/ssh/sshd_config.d/50-cloud.conf', text: 'PasswordAuthentication no\nPubkeyAuthentication no\n' },
    { path: '/etc/ssh/sshd_config.d/10-first.conf', text: 'UseDNS no\n' },
    { path: '/etc/ssh/sshd_config.d/notes.txt', text: 'PubkeyAuthentication maybe\n' },
  ];
  const lines = readingOrder('/etc/ssh/sshd_config', sources);

  it.each([
    ['PubkeyAuthentication', '/etc/ssh/sshd_config.d/50-cloud.conf', 2, 'no'],
    ['usedns', '/etc/ssh/sshd_config.d/10-first.conf', 1, 'no'],
    ['Port', '/etc/ssh/sshd_config', 6, '22'],
  ])('%s comes from the first global line sshd reads', (kw, file, line, value) => {
    const l = whereSet(lines, kw)!;
    expect([l.file, l.line, l.args[0]]).toEqual([file, line, value]);
  });

  it('does not include files that do not match the glob, and knows Match blocks', () => {
    expect(lines.some((l) => l.file.endsWith('notes.txt'))).toBe(false);
    const inMatch = lines.filter((l) => l.inMatch).map((l) => `${l.keyword} ${l.args.join(' ')}`);
    expect(inMatch).toEqual(['match User bob', 'pubkeyauthentication no']);
  });

  it('resolves a relative Include against /etc/ssh, not the including file', () => {
    const rel = readingOrder('/tmp/x/.sshd_config.ssh-doctor-tmp', [
      { path: '/tmp/x/.sshd_config.ssh-doctor-tmp', text: 'Include extra.conf\nUseDNS yes\n' },
      { path: '/etc/ssh/extra.conf', text: 'UseDNS no\n' },
    ]);
    expect(whereSet(rel, 'UseDNS')).toMatchObject({ file: '/etc/ssh/extra.conf', line: 1 });
  });

  it('collects every line of an accumulating keyword', () => {
    const l = readingOrder('/m', [{ path: '/m', text: 'AllowUsers bob\nAllowUsers carol dave\n' }]);
    expect(allSet(l, 'AllowUsers').map((x) => x.args)).toEqual([['bob'], ['carol', 'dave']]);
  });

  it.each([
    ['Port=2222', { keyword: 'port', args: ['2222'] }],
    ['  UseDNS   no   # slow', { keyword: 'usedns', args: ['no'] }],
    ['PubkeyAuthentication = yes', { keyword: 'pubkeyauthentication', args: ['yes'] }],
    ['# Port 22', undefined],
    ['', undefined],
  ])('parses %j', (raw, want) => expect(parseLine(raw)).toEqual(want));
});

describe('reading sshd_config the way sshd does', () => {
  it.each([
    ['/etc/ssh/sshd_config.d/*.conf', '/etc/ssh/sshd_config.d/50-cloud.conf', true],
    ['/etc/ssh/sshd_config.d/*.conf', '/etc/ssh/sshd_config.d/sub/50.conf', false],
    ['/etc/ssh/sshd_config.d/*.conf', '/etc/ssh/sshd_config.d/50-cloud.confx', false],
    ['/etc/ssh/sshd_config.d/*.conf', '/etc/ssh/sshd_config.d/50-cloudxconf', false],
    ['/etc/ssh/a?.conf', '/etc/ssh/ab.conf', true],
    ['/etc/ssh/a?.conf', '/etc/ssh/a/.conf', false],
    ['/etc/ssh/a?.conf', '/etc/ssh/abc.conf', false],
    ['/etc/ssh/[0-9]*.conf', '/etc/ssh/5x.conf', true],
    ['/etc/ssh/[0-9]*.conf', '/etc/ssh/x5.conf', false],
    ['/etc/ssh/[!0-9]*.conf', '/etc/ssh/x5.conf', true],
    ['/etc/ssh/[!0-9]*.conf', '/etc/ssh/5x.conf', false],
    ['/etc/ssh/[a\\]x', '/etc/ssh/\\x', true],
    ['/etc/ssh/[ab', '/etc/ssh/[ab', true],
    ['/etc/ssh/[ab', '/etc/ssh/a', false],
    ['/etc/ssh/a+b(c)|$^{1}.conf', '/etc/ssh/a+b(c)|$^{1}.conf', true],
    ['/etc/ssh/a+b.conf', '/etc/ssh/aab.conf', false],
  ])('glob %s matches %s: %s', (glob, path, want) => expect(globToRegExp(glob).test(path)).toBe(want));

  it('Include patterns, relative ones under /etc/ssh, several on one line', () => {
    expect(includePatterns('# Include /no\nInclude a.conf /b/*.conf\nPort 22\ninclude=c\n')).toEqual([
      '/etc/ssh/a.conf',
      '/b/*.conf',
      '/etc/ssh/c',
    ]);
  });

  it('"Match all" ends a Match block; an Include inside one reads its file as conditional', () => {
    const l = readingOrder('/m', [
      { path: '/m', text: 'Match User bob\nInclude /i\nMatch all\nUseDNS no\nMatch ALL extra\nX 1\n' },
      { path: '/i', text: 'Y 1\nMatch all\nZ 1\n' },
    ]);
    expect(l.map((x) => `${x.file}:${x.line} ${x.keyword}${x.inMatch ? ' (match)' : ''}`)).toEqual([
      '/m:1 match (match)',
      '/m:2 include (match)',
      '/i:1 y (match)',
      '/i:2 match (match)',
      '/i:3 z (match)',
      '/m:3 match',
      '/m:4 usedns',
      '/m:5 match (match)',
      '/m:6 x (match)',
    ]);
  });

  it('an Include loop stops 16 levels deep; a missing include is skipped', () => {
    const l = readingOrder('/m', [{ path: '/m', text: 'Include /m /gone\nPort 22\n' }]);
    expect(l.filter((x) => x.keyword === 'port')).toHaveLength(17);
  });

  it('glob hits are read in lexical order, whatever order the sources came in', () => {
    const l = readingOrder('/m', [
      { path: '/d/b.conf', text: 'B 1\n' },
      { path: '/m', text: 'Include /d/*.conf\n' },
      { path: '/d/a.conf', text: 'A 1\n' },
    ]);
    expect(l.map((x) => x.keyword)).toEqual(['include', 'a', 'b']);
  });

  it.each([
    ['Port', { keyword: 'port', args: [] }],
    ['UseDNS yes # no', { keyword: 'usedns', args: ['yes'] }],
    ['UseDNS yes#no', { keyword: 'usedns', args: ['yes#no'] }],
    ['AllowUsers  a   b\tc', { keyword: 'allowusers', args: ['a', 'b', 'c'] }],
    ['9Port 22', undefined],
    ['Port-x 22', undefined],
    ['   # indented comment', undefined],
  ])('parses %j', (raw, want) => expect(parseLine(raw)).toEqual(want));

  it('whereSet skips Match blocks; allSet of a keyword set nowhere is empty', () => {
    const l = readingOrder('/m', [{ path: '/m', text: 'Match User a\nUseDNS no\nMatch all\nUseDNS yes\n' }]);
    expect(whereSet(l, 'USEDNS')).toMatchObject({ line: 4, args: ['yes'] });
    expect(allSet(l, 'usedns').map((x) => x.line)).toEqual([4]);
    expect(allSet(l, 'Port')).toEqual([]);
    expect(whereSet(l, 'Port')).toBeUndefined();
  });
});
