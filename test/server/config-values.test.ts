// What sshd accepts where it rejected a value, and the correction proposed: on sshd -t's messages
// captured from the lab's OpenSSH 9.2 (line text TAB message) and its `ssh -Q cipher`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { acceptedValues, badValue, nearest } from '../../src/server/config-values.js';
import { proposeFix } from '../../src/server/fixes/propose.js';
import type { ServerFacts } from '../../src/server/facts.js';

const fx = (name: string) => readFileSync(new URL(`../fixtures/server/${name}`, import.meta.url), 'utf8');
const cipher = fx('ssh-Q-cipher.txt').trim().split('\n');
const cases = fx('sshd-t-bad-values.txt')
  .trim()
  .split('\n')
  .map((l) => l.split('\t') as [string, string]);

describe('a rejected value: the value, what sshd accepts, the nearest', () => {
  const expected: Record<string, [string, string | undefined]> = {
    'PermitRootLogin maybe': ['maybe', undefined],
    'PasswordAuthentication yess': ['yess', 'yes'],
    'Ciphers aes128-ctr,aes256-gcn@openssh.com': ['aes128-ctr,aes256-gcn@openssh.com', 'aes256-gcm@openssh.com'],
    'PubkeyAcceptedAlgorithms ssh-foo': ['ssh-foo', undefined],
    'LogLevel VERBOS': ['VERBOS', 'VERBOSE'],
    'MACs bar': ['bar', undefined],
  };
  it.each(cases)('%s', (line, message) => {
    const [keyword, value] = line.split(' ') as [string, string];
    expect(badValue(message)).toBe(expected[line]![0]);
    const accepted = acceptedValues(keyword, { cipher });
    const last = value.split(',').at(-1)!;
    expect(accepted === undefined ? undefined : nearest(last, accepted)).toBe(expected[line]![1]);
  });
  it('two values as close: none is chosen', () => expect(nearest('ab', ['aa', 'bb'])).toBeUndefined());
});

describe('correct-config-value', () => {
  const facts = (text: string, message: string, accepted?: string[]): ServerFacts => ({
    target: { user: 'alice', port: 22 },
    root: true,
    sshd: { path: '/usr/sbin/sshd' },
    configTest: {
      ok: false,
      errors: [{ file: '/etc/ssh/sshd_config', line: 3, message, text, ...(accepted ? { accepted } : {}) }],
      hostKeyErrors: [],
      raw: [],
    },
  });
  const sources = (line: string) => [{ path: '/etc/ssh/sshd_config', text: `# a\nPort 22\n${line}\n` }];

  it('a list with one typo: that element corrected, the rest kept', () => {
    const line = 'Ciphers aes128-ctr,aes256-gcn@openssh.com';
    const fix = proposeFix(
      'sshd-config-invalid',
      facts(line, "Bad SSH2 cipher spec 'aes128-ctr,aes256-gcn@openssh.com'.", cipher),
      sources(line),
    )!;
    expect(fix.id).toBe('correct-config-value');
    expect(fix.title).toBe(
      'Line 3: "Ciphers aes128-ctr,aes256-gcn@openssh.com" → "Ciphers aes128-ctr,aes256-gcm@openssh.com" (in /etc/ssh/sshd_config)',
    );
    expect(fix.commands).toContainEqual([
      'sed',
      '-i',
      '-e',
      '3c Ciphers aes128-ctr,aes256-gcm@openssh.com',
      '/etc/ssh/.sshd_config.ssh-doctor-tmp',
    ]);
  });

  it('no value clearly meant: the line is commented out', () => {
    const line = 'PermitRootLogin maybe';
    const fix = proposeFix(
      'sshd-config-invalid',
      facts(line, 'unsupported option "maybe".', ['yes', 'prohibit-password', 'forced-commands-only', 'no']),
      sources(line),
    )!;
    expect(fix.title).toBe('Comment out line 3 "PermitRootLogin maybe" (in /etc/ssh/sshd_config)');
  });

  it('no start-sshd while sshd -t fails', () => {
    expect(
      proposeFix('sshd-not-running', facts('PermitRootLogin maybe', 'unsupported option "maybe".'), []),
    ).toBeUndefined();
  });
});
