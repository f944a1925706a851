// Commands printed for a person to copy: broken only between arguments, with " \" continuations,
// never indented, and the same command to the shell as written on one line.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandLines } from '../src/shell-quote.js';

const backup = [
  'cp',
  '-p',
  '/etc/ssh/sshd_config.d/30-dns.conf',
  '/etc/ssh/sshd_config.d/30-dns.conf.ssh-doctor-20261130T132355.731Z',
];

describe('commandLines', () => {
  it.each([
    [['chmod', '0600', '/root/.ssh/id_ed25519'], 80, 'chmod 0600 /root/.ssh/id_ed25519'],
    [backup, 120, backup.join(' ')],
    [
      backup,
      80,
      'cp -p /etc/ssh/sshd_config.d/30-dns.conf \\\n/etc/ssh/sshd_config.d/30-dns.conf.ssh-doctor-20261130T132355.731Z',
    ],
    // An argument wider than the line stays whole: the terminal soft-wraps it.
    [['echo', 'x'.repeat(50)], 20, `echo \\\n${'x'.repeat(50)}`],
    // Quoted as a person must type it; the break never falls inside the quotes.
    [['sed', '-i', '-e', '1c UseDNS no', '/etc/ssh/f'], 24, "sed -i -e \\\n'1c UseDNS no' \\\n/etc/ssh/f"],
  ])('%j at %i columns', (cmd, width, text) => {
    expect(commandLines(cmd, width)).toBe(text);
    for (const line of text.split('\n').slice(0, -1)) expect(line.length).toBeLessThanOrEqual(width);
  });

  it('the lines are the same words to the shell', () => {
    const cmd = ['printf', '%s|', 'a b', "it's", '$HOME', 'x'.repeat(30)];
    const text = commandLines(cmd, 16)!;
    expect(text.split('\n').length).toBeGreaterThan(3);
    expect(execFileSync('sh', ['-c', text], { encoding: 'utf8' })).toBe(`a b|it's|$HOME|${'x'.repeat(30)}|`);
  });

  it('refuses a command holding control characters', () => {
    expect(commandLines(['echo', 'a\x1b[2Jb'], 80)).toBeUndefined();
  });
});
