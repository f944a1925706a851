// Which build a command line runs: the headless one only where no wizard can be needed.
import { describe, expect, it } from 'vitest';
import { runsHeadless } from '../../src/commands/headless.js';

const noTerminal = { stdin: false, stdout: false };
const terminal = { stdin: true, stdout: true };

describe('runsHeadless', () => {
  it.each([
    ['a client run piped or in CI', ['--json', 'alice@web1'], noTerminal, true],
    ['no arguments without a terminal (the usage error needs no wizard)', [], noTerminal, true],
    ['a remote command and set-aside flags', ['-vvv', '-A', 'web1', 'uptime'], noTerminal, true],
    ['a host named like a mode, after --', ['--', 'server'], noTerminal, true],
    [
      'only stdout redirected: stdin is still a terminal, but no wizard draws',
      ['web1'],
      { stdin: true, stdout: false },
      true,
    ],
    ['only stdin redirected', ['web1'], { stdin: false, stdout: true }, true],
    ['a terminal on both ends: the wizard may run', ['web1'], terminal, false],
    ['--json on a terminal still takes the full build', ['--json', 'web1'], terminal, false],
    ['server', ['server', '--json'], noTerminal, false],
    ['locked-out', ['locked-out', '--provider', 'aws'], noTerminal, false],
    ['undo', ['undo', '--list'], noTerminal, false],
    ['completion', ['completion', 'bash'], noTerminal, false],
    ['--help lists every mode', ['--help'], noTerminal, false],
    ['--help anywhere', ['-p', '2222', 'web1', '--help'], noTerminal, false],
    ['--version prints one line from the full build', ['--version'], noTerminal, false],
    ['a mode name later on is a host or a command, not a mode', ['web1', 'server'], noTerminal, true],
  ])('%s', (_, argv, isTTY, expected) => {
    expect(runsHeadless(argv, isTTY)).toBe(expected);
  });
});
