import { describe, expect, it } from 'vitest';
import {
  currentSessionPort,
  currentSshSession,
  sameSession,
  sessionFromEnv,
  sshdAncestor,
} from '../../../src/server/fixes/ssh-session.js';

describe('finding the SSH session we run in', () => {
  it('walks up past sudo and the shell to the sshd serving the connection', async () => {
    const stats: Record<number, string> = {
      4412: '4412 (node) S 4411 1 1 0',
      4411: '4411 (sudo) S 4405 1 1 0',
      4405: '4405 (bash) S 4404 1 1 0',
      4404: '4404 (sshd-session) S 4390 1 1 0',
      4390: '4390 (sshd) S 1 1 1 0',
    };
    const read = async (p: string) => stats[Number(p.split('/')[2])] ?? Promise.reject(new Error('gone'));
    expect(await sshdAncestor(read, 4412)).toBe(4404);
    expect(await sshdAncestor(async (p) => (p === '/proc/10/stat' ? '10 (bash) S 1 1 1 0' : ''), 10)).toBeUndefined();
  });

  it('same session: same sshd, else same SSH_CONNECTION', () => {
    expect(sameSession({ sshdPid: 4404, connection: 'a' }, { sshdPid: 4404 })).toBe(true);
    expect(sameSession({ sshdPid: 4404, connection: 'a' }, { sshdPid: 5000, connection: 'a' })).toBe(false);
    expect(sameSession({ connection: 'a' }, { connection: 'a' })).toBe(true);
    expect(sameSession({ connection: 'a' }, undefined)).toBe(false);
    // Only one side knows its sshd: SSH_CONNECTION decides.
    expect(sameSession({ sshdPid: 4404, connection: 'a' }, { connection: 'a' })).toBe(true);
    expect(sameSession({ connection: 'a' }, { sshdPid: 4404, connection: 'a' })).toBe(true);
    expect(sameSession({ connection: 'a' }, { sshdPid: 4404, connection: 'b' })).toBe(false);
    // Neither side's SSH_CONNECTION known: not the same.
    expect(sameSession({ sshdPid: 4404 }, {})).toBe(false);
  });
});

describe('the session from the environment (no sshd among the test ancestors)', () => {
  it('SSH_CONNECTION, trimmed; empty or absent is no session', async () => {
    expect(sessionFromEnv({ SSH_CONNECTION: ' 192.0.2.7 51000 192.0.2.1 22\n' })).toEqual({
      connection: '192.0.2.7 51000 192.0.2.1 22',
    });
    expect(sessionFromEnv({ SSH_CONNECTION: '  ' })).toBeUndefined();
    expect(sessionFromEnv({})).toBeUndefined();
    expect(await currentSshSession({ SSH_CONNECTION: '192.0.2.7 51000 192.0.2.1 22' })).toEqual({
      connection: '192.0.2.7 51000 192.0.2.1 22',
    });
    expect(await currentSshSession({})).toBeUndefined();
  });

  it.each([
    ['192.0.2.7 51000 192.0.2.1 2222', 2222],
    ['192.0.2.7 51000 192.0.2.1', 'unknown'],
    ['192.0.2.7 51000 192.0.2.1 0', 'unknown'],
    ['192.0.2.7 51000 192.0.2.1 22.5', 'unknown'],
    [undefined, undefined],
  ])('the server port of SSH_CONNECTION %j: %j', async (conn, want) => {
    expect(await currentSessionPort(conn === undefined ? {} : { SSH_CONNECTION: conn })).toBe(want);
  });

  it('an unreadable or unparsable stat ends the walk; pid 1 is never looked at', async () => {
    const seen: string[] = [];
    const read = async (p: string) => {
      seen.push(p);
      return p === '/proc/7/stat' ? '7 (bash) S 1 1 1 0' : 'garbage';
    };
    expect(await sshdAncestor(read, 7)).toBeUndefined();
    expect(seen).toEqual(['/proc/7/stat']);
    expect(await sshdAncestor(read, 8)).toBeUndefined();
    expect(await sshdAncestor(read, 1)).toBeUndefined();
    expect(seen).toEqual(['/proc/7/stat', '/proc/8/stat']);
  });

  it('a /proc entry that cannot be read ends the walk', async () => {
    expect(await sshdAncestor(() => Promise.reject(new Error('ENOENT')), 7)).toBeUndefined();
  });

  it('a parent loop stops after 64 steps', async () => {
    let reads = 0;
    const read = async () => {
      reads++;
      return '5 (bash) S 5 1 1 0';
    };
    expect(await sshdAncestor(read, 5)).toBeUndefined();
    expect(reads).toBe(64);
  });

  it('sshd itself as the start', async () => {
    expect(await sshdAncestor(async () => '9 (sshd) S 1 1 1 0', 9)).toBe(9);
  });
});
