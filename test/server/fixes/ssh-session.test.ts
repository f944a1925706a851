import { describe, expect, it } from 'vitest';
import { parseProcStat, sameSession, sshdAncestor } from '../../../src/server/fixes/ssh-session.js';

describe('finding the SSH session we run in', () => {
  it.each([
    // Captured from /proc/PID/stat on Debian 12 (first fields).
    ['812 (sshd) S 790 812 812 0 -1 4194560 1021', { comm: 'sshd', ppid: 790 }],
    ['4410 (sudo) S 4409 4410 4380 34816 4410 4194560', { comm: 'sudo', ppid: 4409 }],
    ['77 (a (b) c) R 1 77 77 0', { comm: 'a (b) c', ppid: 1 }],
  ])('parseProcStat(%j)', (text, want) => expect(parseProcStat(text)).toEqual(want));

  it('walks up past sudo and the shell to the sshd serving the connection', async () => {
    const stats: Record<number, string> = {
      4412: '4412 (node) S 4411 1 1 0', 4411: '4411 (sudo) S 4405 1 1 0', 4405: '4405 (bash) S 4404 1 1 0',
      4404: '4404 (sshd-session) S 4390 1 1 0', 4390: '4390 (sshd) S 1 1 1 0',
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
  });
});
