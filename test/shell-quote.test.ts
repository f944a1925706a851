// Commands printed for a person to copy: broken only between arguments, with " \" continuations,
// never indented, and the same command to the shell as written on one line.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/locked-out/providers.js';
import { commandLines, shellTextLines } from '../src/shell-quote.js';

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

describe('shellTextLines (a provider step written as shell text)', () => {
  it.each([
    ['aws ec2 stop-instances --instance-ids <instance-id>', 80, 'aws ec2 stop-instances --instance-ids <instance-id>'],
    [
      "aws ec2 describe-instances --instance-ids <instance-id> --query 'Reservations[0].Instances[0].[RootDeviceName, BlockDeviceMappings]'",
      80,
      "aws ec2 describe-instances --instance-ids <instance-id> --query \\\n'Reservations[0].Instances[0].[RootDeviceName, BlockDeviceMappings]'",
    ],
    // Blanks inside "…" or after a backslash are not breaks.
    ['echo "a b c d" x\\ y z', 12, 'echo \\\n"a b c d" \\\nx\\ y z'],
  ])('%j at %i columns', (text, width, lines) => {
    expect(shellTextLines(text, width)).toBe(lines);
  });

  it('the lines are the same words to the shell', () => {
    const text = `printf '%s|' "a b" x\\ y 'c "d' ${'z'.repeat(20)} "$HOME"`;
    const broken = shellTextLines(text, 12);
    expect(broken.split('\n').length).toBeGreaterThan(4);
    expect(execFileSync('sh', ['-c', broken], { encoding: 'utf8' })).toBe(
      execFileSync('sh', ['-c', text], { encoding: 'utf8' }),
    );
  });

  // Every step command of every provider, broken at 40 columns: breaks only where it had a blank.
  it('every provider command is broken only at its blanks', () => {
    const commands = PROVIDERS.flatMap((p) =>
      p.routes.flatMap((r) => r.steps.flatMap((s) => (s.command ? [s.command] : []))),
    );
    expect(commands.length).toBeGreaterThan(20);
    for (const c of commands) {
      const broken = shellTextLines(c, 40);
      for (const line of broken.split('\n').slice(0, -1)) expect(line.endsWith(' \\'), line).toBe(true);
      expect(broken.replace(/ \\\n/g, ' ')).toBe(c.replace(/ +/g, ' ').trim());
    }
  });
});
