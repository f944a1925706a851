// authorized_keys lines parsed the way sshd does, on keys made by this OpenSSH's ssh-keygen
// (test/fixtures/server/authorized_keys-mixed.txt), and the findings drawn from them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyProblem, parseAuthorizedKeys, parseKeyLine, typeAccepted } from '../../src/server/authorized-keys.js';
import type { ServerFacts } from '../../src/server/facts.js';
import { serverFindings } from '../../src/server/findings.js';

const MIXED = readFileSync(new URL('../fixtures/server/authorized_keys-mixed.txt', import.meta.url), 'utf8');
const [, ED] = MIXED.split('\n');
// Debian 12's default (sshd -T in the lab): no ssh-dss, no ssh-rsa (SHA-1).
const ACCEPTED =
  'ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256';

describe('parseAuthorizedKeys', () => {
  const { lines } = parseAuthorizedKeys(MIXED);
  it('every key line, numbered as in the file; comments and blank lines left out', () =>
    expect(lines.map((l) => [l.n, l.type, l.malformed ?? 'ok'])).toEqual([
      [2, 'ssh-ed25519', 'ok'],
      [4, 'ecdsa-sha2-nistp256', 'ok'],
      [5, 'ssh-dss', 'ok'],
      [6, 'ssh-rsa', 'ok'],
      [7, 'ssh-ed25519', 'the key data is cut short'],
      [
        8,
        undefined,
        'sshd does not know the option "W+f0+Typ3Ehit8M2lQH2YzfP9Rhl/X4mDg1LSfG0" (nor is the line a key)',
      ],
      [9, undefined, 'sshd does not know the option "bogus-option" (nor is the line a key)'],
      [10, 'ssh-ed25519', 'ok'],
    ]));
  it('a key wrapped over two lines is recognised as one', () => {
    expect(lines.find((l) => l.n === 7)?.joinsNext).toBe(true);
    expect(lines.filter((l) => l.joinsNext).map((l) => l.n)).toEqual([7]);
  });
  it('a plain valid key keeps no text; options are read', () => {
    expect(lines[0]).toEqual({ n: 2, type: 'ssh-ed25519' });
    expect(lines[1]).toMatchObject({ from: '10.0.0.0/8,!10.9.9.9' });
    expect(lines[3]).toMatchObject({ restrict: true, command: '/usr/bin/rrsync -ro /srv' });
    expect(lines[7]).toMatchObject({ restrict: true, pty: true });
  });
  it('quoted values may hold commas, spaces and \\"', () =>
    expect(parseKeyLine(`command="echo \\"a, b\\"",no-pty ${ED}`, 1)).toMatchObject({
      command: 'echo "a, b"',
      noPty: true,
      type: 'ssh-ed25519',
    }));
  it('an unclosed quote, options with no key, a blob of another type', () => {
    expect(parseKeyLine(`command="x ${ED}`, 1).malformed).toBe('a quote in the options is not closed');
    expect(parseKeyLine('restrict', 1).malformed).toBe('options, but no key after them');
    expect(keyProblem('ssh-rsa', ED!.split(' ')[1])).toBe('the key data is a ssh-ed25519 key, not ssh-rsa');
  });
});

describe('typeAccepted (PubkeyAcceptedAlgorithms names signature algorithms)', () => {
  it('DSA is not in the default list; RSA is, through rsa-sha2-*', () => {
    expect(typeAccepted('ssh-dss', ACCEPTED)).toBe(false);
    expect(typeAccepted('ssh-rsa', ACCEPTED)).toBe(true);
    expect(typeAccepted('ssh-rsa', 'ssh-ed25519')).toBe(false);
    expect(typeAccepted('ssh-ed25519', ACCEPTED)).toBe(true);
  });
});

describe('findings from key lines', () => {
  const facts = (text: string, address?: string): ServerFacts => ({
    target: { user: 'alice', port: 22 },
    root: true,
    ...(address
      ? { client: { address, source: 'option' as const, why: 'given with --from' } }
      : { client: { source: 'none' as const, why: 'none known' } }),
    effective: {
      context: { user: 'alice', host: 'h', addr: '203.0.113.10' },
      config: { pubkeyacceptedalgorithms: [ACCEPTED] },
    },
    user: { name: 'alice', exists: true, uid: 1000, gid: 1000, home: '/home/alice', groups: ['alice'] },
    authFiles: {
      authorizedKeys: [
        { path: '/home/alice/.ssh/authorized_keys', exists: true, type: 'file', mode: 0o600, uid: 1000 },
      ],
      keyCounts: { '/home/alice/.ssh/authorized_keys': 1 },
      keyLines: { '/home/alice/.ssh/authorized_keys': parseAuthorizedKeys(text) },
      dirs: [],
      groups: [],
    },
  });
  const ids = (f: ServerFacts) => serverFindings(f).map((x) => [x.id, x.severity]);
  const e = ED!.split(' ');
  const wrapped = `${ED!.slice(0, 40)}\n${ED!.slice(40)}\n`;
  const table: [string, string, string | undefined, (string | undefined)[][]][] = [
    ['one good key', `${ED}\n`, undefined, []],
    ['only a wrapped key', wrapped, undefined, [['authorized-keys-malformed', 'error']]],
    ['a wrapped key beside a good one', `${wrapped}${ED}\n`, undefined, [['authorized-keys-malformed', 'warning']]],
    ['only a DSA key', MIXED.split('\n')[4]!, undefined, [['authorized-keys-type-not-accepted', 'error']]],
    [
      'from= excluding the client',
      `from="10.0.0.0/8" ${ED}`,
      '127.0.0.1',
      [['authorized-keys-from-restricted', 'error']],
    ],
    ['from= admitting the client', `from="10.0.0.0/8" ${ED}`, '10.1.1.1', []],
    ['from=, client unknown', `from="10.0.0.0/8" ${ED}`, undefined, [['authorized-keys-from-restricted', 'warning']]],
    ['from=, and a plain key', `from="10.0.0.0/8" ${ED}\n${e[0]} ${e[1]}`, undefined, []],
    ['command=', `command="/bin/true" ${ED}`, undefined, [['authorized-keys-options', 'info']]],
  ];
  for (const [name, text, addr, want] of table)
    it(`${name} → ${want.map((w) => w.join(' ')).join(', ') || 'nothing'}`, () =>
      expect(ids(facts(text, addr))).toEqual(want));

  it('the wrapped key: both lines quoted as one finding', () => {
    const f = serverFindings(facts(wrapped)).find((x) => x.id === 'authorized-keys-malformed')!;
    expect(f.evidence).toEqual([
      `/home/alice/.ssh/authorized_keys:1-2: one key wrapped over two lines; sshd reads each line alone and skips both: ${ED!.slice(0, 40)} / ${ED!.slice(40)}`,
    ]);
  });
  it('restrict with pty given back is said to be harmless', () => {
    const f = serverFindings(facts(MIXED.split('\n')[9]!)).find((x) => x.id === 'authorized-keys-options')!;
    expect(f.evidence).toEqual([
      '/home/alice/.ssh/authorized_keys:1: restrict (pty given back): harmless to a key login (no forwarding; commands and a shell still run)',
    ]);
  });
});
