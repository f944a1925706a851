// Pieces of --via that do not need a network: the remote command line, and root as the remote
// host sees it.
import { describe, expect, it } from 'vitest';
import { remoteLine } from '../../src/server/remote.js';
import { probeEffective } from '../../src/server/probes/effective.js';
import type { Exec } from '../../src/server/exec.js';

describe('remoteLine', () => {
  it('bounds the command with `timeout` when the remote host has it', () => {
    expect(remoteLine(['ss', '-tlnpH'], 4000, true)).toBe(`LC_ALL=C; export LC_ALL; command -v 'ss' >/dev/null 2>&1 || exit 127; exec timeout -k 1 4 'ss' '-tlnpH'`);
  });
  it('runs the command bare when the remote host has no `timeout` (else every probe looks "not installed")', () => {
    expect(remoteLine(['ss', '-tlnpH'], 4000, false)).toBe(`LC_ALL=C; export LC_ALL; command -v 'ss' >/dev/null 2>&1 || exit 127; exec 'ss' '-tlnpH'`);
  });
});

describe('probeEffective: needs root is about the probed host', () => {
  const sshdT = (uid: string): Exec => async (cmd) => ({
    exitCode: cmd[0] === 'id' ? 0 : 255,
    stdout: cmd[0] === 'id' ? `${uid}\n` : '',
    stderr: cmd[0] === 'id' ? '' : 'sshd: no hostkeys available -- exiting.\n',
    timedOut: false, missing: false, durationMs: 1,
  });
  it('not root there (whatever this process is): needs root', async () => {
    expect(await probeEffective(sshdT('1000'), '/usr/sbin/sshd', 'alice')).toEqual({ unknown: 'sshd -T failed: sshd: no hostkeys available -- exiting.', needsRoot: true });
  });
  it('root there: a real failure, not a permission problem', async () => {
    expect(await probeEffective(sshdT('0'), '/usr/sbin/sshd', 'alice')).toEqual({ unknown: 'sshd -T failed: sshd: no hostkeys available -- exiting.' });
  });
});
