// Pieces of --via that do not need a network: the remote command line, and root as the remote
// host sees it.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { collectChannel, remoteLine } from '../../src/server/remote.js';
import { probeEffective } from '../../src/server/probes/effective.js';
import type { Exec } from '../../src/server/exec.js';

describe('remoteLine', () => {
  it('bounds the command with `timeout` when the remote host has it', () => {
    expect(remoteLine(['ss', '-tlnpH'], 4000, true)).toBe(
      `LC_ALL=C; export LC_ALL; command -v 'ss' >/dev/null 2>&1 || exit 127; exec timeout -k 1 4 'ss' '-tlnpH'`,
    );
  });
  it('runs the command bare when the remote host has no `timeout` (else every probe looks "not installed")', () => {
    expect(remoteLine(['ss', '-tlnpH'], 4000, false)).toBe(
      `LC_ALL=C; export LC_ALL; command -v 'ss' >/dev/null 2>&1 || exit 127; exec 'ss' '-tlnpH'`,
    );
  });
});

describe('probeEffective: needs root is about the probed host', () => {
  const sshdT =
    (uid: string): Exec =>
    async (cmd) => ({
      exitCode: cmd[0] === 'id' ? 0 : 255,
      stdout: cmd[0] === 'id' ? `${uid}\n` : '',
      stderr: cmd[0] === 'id' ? '' : 'sshd: no hostkeys available -- exiting.\n',
      timedOut: false,
      missing: false,
      durationMs: 1,
    });
  it('not root there (whatever this process is): needs root', async () => {
    expect(await probeEffective(sshdT('1000'), '/usr/sbin/sshd', 'alice')).toEqual({
      unknown: 'sshd -T failed: sshd: no hostkeys available -- exiting.',
      needsRoot: true,
    });
  });
  it('root there: a real failure, not a permission problem', async () => {
    expect(await probeEffective(sshdT('0'), '/usr/sbin/sshd', 'alice')).toEqual({
      unknown: 'sshd -T failed: sshd: no hostkeys available -- exiting.',
    });
  });
});

describe('collectChannel: remote output is capped like local output', () => {
  /** An ssh2 channel as collectChannel sees it; close() ends it the way ssh2 does (a "close" event). */
  function channel() {
    const ch = Object.assign(new EventEmitter(), { stderr: new EventEmitter(), closed: 0, close: () => {} });
    ch.close = () => {
      ch.closed++;
      setImmediate(() => ch.emit('close'));
    };
    return ch;
  }

  it('past the cap: the channel is closed, the first maxBytes kept, later data ignored', async () => {
    const ch = channel();
    const done = collectChannel(ch, 1000);
    for (let i = 0; i < 5; i++) ch.emit('data', Buffer.alloc(400, 'a'));
    const r = await done;
    expect(ch.closed).toBe(1);
    expect(r.truncated).toEqual({ stream: 'stdout', maxBytes: 1000 });
    expect(r.stdout).toBe('a'.repeat(1000));
  });

  it('stderr has its own cap', async () => {
    const ch = channel();
    const done = collectChannel(ch, 10);
    ch.emit('data', Buffer.from('out'));
    ch.stderr.emit('data', Buffer.alloc(11, 'e'));
    const r = await done;
    expect(r).toMatchObject({ stdout: 'out', stderr: 'e'.repeat(10), truncated: { stream: 'stderr', maxBytes: 10 } });
  });

  it('within the cap: exact bytes and the exit status, a character split across packets kept whole', async () => {
    const ch = channel();
    const done = collectChannel(ch, 1000);
    const check = Buffer.from('\u2713\n');
    ch.emit('data', check.subarray(0, 1));
    ch.emit('data', check.subarray(1));
    ch.emit('exit', 0);
    ch.emit('close');
    expect(await done).toEqual({ exitCode: 0, stdout: '\u2713\n', stderr: '' });
    expect(ch.closed).toBe(0);
  });
});
