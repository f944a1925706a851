// The two rules every output follows: text from outside is shown inert, and a command to paste is
// quoted so that the shell hands the program exactly the words ssh-doctor means.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasControl, inert, inertJson } from '../src/inert.js';
import { formatCommand } from '../src/report.js';
import { commandText, LEFT_OUT, pasteStep, quoteArg } from '../src/shell-quote.js';

describe('inert', () => {
  it('shows C0 (newline and tab too), DEL and C1 as \\xNN, and bidi controls as \\uNNNN', () => {
    expect(inert('a\x1b]52;c;eA==\x07\x1b[2J\r\x1b[Kb')).toBe('a\\x1b]52;c;eA==\\x07\\x1b[2J\\x0d\\x1b[Kb');
    expect(inert('\0\t\n\x7f\x80\x9b\x9f')).toBe('\\x00\\x09\\x0a\\x7f\\x80\\x9b\\x9f');
    expect(inert('x\u202ey\u2066z\u200f\u061c')).toBe('x\\u202ey\\u2066z\\u200f\\u061c');
  });

  it('leaves printable text alone, non-ASCII letters and backslashes included', () => {
    const s = 'Grüße, 日本 — /home/a b/.ssh \\x1b $(x) `y`';
    expect(inert(s)).toBe(s);
    expect(hasControl(s)).toBe(false);
    expect(hasControl('a\u202eb')).toBe(true);
    expect(hasControl('a\x85b')).toBe(true);
  });

  it('JSON: no control character survives in the bytes or in what a parser (jq -r) gets back', () => {
    const value = { 'k\x1b[2J': ['\x1b]0;t\x07', { deep: 'a\x7fb\x9bc\u202e' }], n: 1, ok: true, none: null };
    const text = inertJson(value);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).not.toContain('\\u001b');
    expect(JSON.parse(text)).toEqual({
      'k\\x1b[2J': ['\\x1b]0;t\\x07', { deep: 'a\\x7fb\\x9bc\\u202e' }],
      n: 1,
      ok: true,
      none: null,
    });
  });
});

describe('commands to paste', () => {
  const hostile = [
    '$(touch${IFS}x)',
    '`touch y`',
    'a;b',
    'a b',
    "it's",
    '',
    '~',
    '~root',
    'a=~/x',
    'p:~',
    '=ls',
    '*',
    '[ab]',
    '{a,b}',
    '!x',
    '#c',
    'a|b',
    'a&b',
    '>f',
    '<f',
    '\\',
    '"',
    '%s\\n',
    'Grüße',
    '-rf',
    'HostKeyAlgorithms=+ssh-rsa',
    'user@host:22',
    '/a/b.c,d+e%f',
  ];

  it('leaves a word bare only when no shell would change it', () => {
    expect(commandText(['ssh', '-o', 'HostKeyAlgorithms=+ssh-rsa', 'alice@web1', '-p', '22'])).toBe(
      'ssh -o HostKeyAlgorithms=+ssh-rsa alice@web1 -p 22',
    );
    expect(quoteArg('$(touch${IFS}/tmp/x)')).toBe(`'$(touch\${IFS}/tmp/x)'`);
    expect(quoteArg('~/.ssh/id')).toBe(`'~/.ssh/id'`);
    expect(quoteArg('a=~/x')).toBe(`'a=~/x'`);
    expect(quoteArg('=ls')).toBe(`'=ls'`);
    expect(quoteArg('')).toBe(`''`);
    expect(quoteArg("it's")).toBe(`'it'\\''s'`);
    // A first word with "=" would be an assignment, not the program.
    expect(commandText(['A=b', 'c=d'])).toBe(`'A=b' c=d`);
  });

  for (const shell of ['dash', 'bash', 'busybox'].filter(
    (s) => existsSync(`/usr/bin/${s}`) || existsSync(`/bin/${s}`),
  )) {
    it(`${shell} hands the program exactly these words back, and runs none of them`, () => {
      const text = commandText(['printf', '%s\\0', ...hostile])!;
      const argv = shell === 'busybox' ? ['sh', '-c', text] : ['-c', text];
      const cwd = mkdtempSync(join(tmpdir(), 'quote-'));
      const out = execFileSync(shell, argv, { cwd, encoding: 'utf8' });
      expect(out.split('\0').slice(0, -1)).toEqual(hostile);
      expect(existsSync(join(cwd, 'x')) || existsSync(join(cwd, 'y'))).toBe(false);
    });
  }

  it('a value with a control character is never put into a command to paste', () => {
    expect(commandText(['chmod', '600', '/home/e\x1b[2J\r/.ssh/authorized_keys'])).toBeUndefined();
    expect(pasteStep('Try: ', ['ssh', 'a\rb'])).toBe(`Try: ${LEFT_OUT}`);
    expect(pasteStep('Try: ', ['ssh', 'a b'], ' now')).toBe(`Try: ssh 'a b' now`);
  });

  it('a fix command with one is shown escaped behind "#", so pasting it runs nothing', () => {
    const shown = formatCommand(['chmod', '0600', '/home/e\x1b]0;t\x07/k']);
    expect(shown).toBe(
      `# not for pasting, a value holds control characters (shown escaped): chmod 0600 '/home/e\\x1b]0;t\\x07/k'`,
    );
    expect(hasControl(shown)).toBe(false);
  });
});
