import { describe, expect, it } from 'vitest';
import { sameSession, sshdAncestor } from '../../../src/server/fixes/ssh-session.js';

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
  });
});
