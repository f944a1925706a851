// The log probe reads a bounded end of the log: by bytes (a file without newlines makes `tail -n`
// read all of it), and a journal answer cut by its cap is unknown, not a shorter answer.
import { describe, expect, it } from 'vitest';
import type { Exec } from '../../src/server/exec.js';
import { explainingLines, LOG_TAIL_BYTES, probeLogs, wholeLines } from '../../src/server/probes/logs.js';
import type { RunResult } from '../../src/run.js';

const res = (over: Partial<RunResult>): RunResult => ({
  exitCode: 0,
  stdout: '',
  stderr: '',
  timedOut: false,
  missing: false,
  durationMs: 1,
  ...over,
});
const REFUSED =
  'Nov 25 12:00:01 vm sshd[812]: Authentication refused: bad ownership or modes for directory /home/alice';

describe('probeLogs', () => {
  it('reads the last LOG_TAIL_BYTES of auth.log with tail -c, capped at that', async () => {
    const calls: { cmd: string[]; maxBytes?: number }[] = [];
    const exec: Exec = async (cmd, opts = {}) => {
      calls.push({ cmd: [...cmd], maxBytes: opts.maxBytes });
      return cmd[0] === 'journalctl' ? res({ missing: true, exitCode: undefined }) : res({ stdout: `${REFUSED}\n` });
    };
    expect(await probeLogs(exec, 'alice')).toEqual({ source: '/var/log/auth.log', lines: [REFUSED] });
    expect(calls[1]).toEqual({
      cmd: ['tail', '-c', String(LOG_TAIL_BYTES), '--', '/var/log/auth.log'],
      maxBytes: LOG_TAIL_BYTES,
    });
  });

  it('a journal answer over its cap: unknown, saying why (not the files, not a partial answer)', async () => {
    const exec: Exec = async (cmd) =>
      cmd[0] === 'journalctl'
        ? res({
            exitCode: undefined,
            stdout: `${REFUSED}\n`,
            truncated: { stream: 'stdout', maxBytes: 4 * 1024 * 1024 },
          })
        : res({ stdout: `${REFUSED}\n` });
    expect(await probeLogs(exec, 'alice')).toEqual({
      unknown:
        'journalctl -u ssh -u sshd -n 300 --no-pager -q -o short printed more than 4 MiB on stdout; stopped reading it',
    });
  });
});

describe('wholeLines', () => {
  it('a short tail is the whole file: kept', () => expect(wholeLines(`${REFUSED}\n`)).toBe(`${REFUSED}\n`));
  it('a full tail drops its first line, which tail -c has likely cut mid-way', () => {
    const cut = 'x'.repeat(LOG_TAIL_BYTES - REFUSED.length - 2) + `\n${REFUSED}\n`;
    expect(wholeLines(cut)).toBe(`${REFUSED}\n`);
  });
  it('a full tail with no newline at all (a sparse file: NUL bytes) stays as it is: nothing in it matches', () => {
    const zeros = '\0'.repeat(LOG_TAIL_BYTES);
    expect(wholeLines(zeros)).toBe(zeros);
  });
});

describe('explainingLines: the reason and the generic close', () => {
  // As the lab's sshd -E wrote them for a refused login.
  const SHELL = 'User alice not allowed because shell /bin/zsh-not-installed does not exist';
  const CLOSED = 'Connection closed by authenticating user alice 127.0.0.1 port 55694 [preauth]';
  it('both are kept: the generic line carries her address (the --from default)', () => {
    expect(explainingLines(`${SHELL}\n${CLOSED}\n`, 'alice')).toEqual([SHELL, CLOSED]);
  });
});

describe('explainingLines', () => {
  it("keeps sshd's quoted user name as hers (real line: a root-owned 0700 ~/.ssh)", () => {
    const l = "Could not open user 'alice' authorized keys '/home/alice/.ssh/authorized_keys': Permission denied";
    expect(explainingLines(l, 'alice')).toEqual([l]);
    expect(explainingLines(l, 'bob')).toEqual([]);
  });
});
