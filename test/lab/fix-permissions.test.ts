import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { fixInLab, login } from './fix-lab.js';

describe.runIf(requireLab())('fix: StrictModes permissions', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(2312)}
chmod 777 /home/alice /home/alice/.ssh; chmod 666 /home/alice/.ssh/authorized_keys`);
  });
  afterAll(() => lab?.close());

  it('sets exactly the modes sshd requires, and the real ssh client logs in', async () => {
    expect((await login(lab, 2312)).exitCode).not.toBe(0);
    const out = await fixInLab(lab, 2312, ['home-permissions', 'ssh-dir-permissions', 'authorized-keys-permissions']);
    expect(out.applied.map((a) => [a.finding, a.fix.commands])).toEqual([
      ['authorized-keys-permissions', [['chmod', '0600', '/home/alice/.ssh/authorized_keys']]],
      ['ssh-dir-permissions', [['chmod', '0700', '/home/alice/.ssh']]],
      // Debian's sshd accepts group write for alice's private group: only other-write goes.
      ['home-permissions', [['chmod', '0775', '/home/alice']]],
    ]);
    expect(out.applied.every((a) => a.result.ok)).toBe(true);
    const modes = await lab.sh('stat -c "%n %a %U:%G" /home/alice /home/alice/.ssh /home/alice/.ssh/authorized_keys');
    expect(modes.stdout.trim().split('\n')).toEqual([
      '/home/alice 775 alice:alice',
      '/home/alice/.ssh 700 alice:alice',
      '/home/alice/.ssh/authorized_keys 600 alice:alice',
    ]);
    expect((await login(lab, 2312)).stdout.trim()).toBe('alice');
  });
});
