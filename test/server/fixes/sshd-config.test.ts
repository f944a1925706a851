import { describe, expect, it } from 'vitest';
import { allSet, parseLine, readingOrder, whereSet } from '../../../src/server/fixes/sshd-config.js';

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
