// sshd opens authorized_keys with the user's own rights: a ~/.ssh or key file the user cannot
// enter or read refuses every key, while a root-owned ~/.ssh the user can enter is fine and must
// be left as it is. Each checked with the real client against the lab's real sshd.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { STATE } from './fix-lab.js';
import { canLogin, diagnose, finding, PORT, SETUP, sh } from '../server/lab-helpers.js';

const logged = (re: string) =>
  `for i in $(seq 50); do grep -q -- '${re}' /var/log/auth.log && exit 0; sleep 0.1; done; exit 1`;

describe.runIf(requireLab())('server diagnosis: files alice cannot read or enter', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, SETUP);
  });
  afterEach(() => lab?.close());
  const yes = () => lab.json(['server', '--yes', '--user', 'alice', '--port', String(PORT)], { env: STATE });

  it('a root-owned 0700 ~/.ssh: refused; --yes gives it to alice (0700) and she logs in', async () => {
    await sh(lab, 'chown root:root /home/alice/.ssh; chmod 0700 /home/alice/.ssh');
    expect(await canLogin(lab)).toBe(false);
    await sh(lab, logged('Could not open user .alice. authorized keys'));
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['ssh-dir-permissions', 'sshd-log-refusal']);
    expect(finding(report, 'ssh-dir-permissions').evidence).toEqual([
      '/home/alice/.ssh: alice cannot enter it (owner root, mode 0700), and sshd opens authorized_keys as alice',
    ]);
    expect(finding(report, 'sshd-log-refusal').evidence).toContain(
      "Could not open user 'alice' authorized keys '/home/alice/.ssh/authorized_keys': Permission denied",
    );
    const r = await yes();
    expect(r.report.applied).toEqual([expect.objectContaining({ fixId: 'fix-ssh-dir-permissions', ok: true })]);
    expect((await sh(lab, 'stat -c "%a %U:%G" /home/alice/.ssh')).trim()).toBe('700 alice:alice');
    expect(await canLogin(lab)).toBe(true);
  });

  it('a deliberately root-owned 0755 ~/.ssh: she logs in, nothing is reported, nothing is chowned', async () => {
    await sh(lab, 'chown root:root /home/alice/.ssh; chmod 0755 /home/alice/.ssh');
    expect(await canLogin(lab)).toBe(true);
    expect((await diagnose(lab)).ids).toEqual([]);
    const r = await yes();
    expect(r.report.applied ?? []).toEqual([]);
    expect((await sh(lab, 'stat -c "%a %U:%G" /home/alice/.ssh')).trim()).toBe('755 root:root');
  });

  it('a root-owned 0600 authorized_keys: refused; --yes gives it to alice and she logs in', async () => {
    await sh(lab, 'chown root:root /home/alice/.ssh/authorized_keys');
    expect(await canLogin(lab)).toBe(false);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['authorized-keys-permissions', 'sshd-log-refusal']);
    expect(finding(report, 'authorized-keys-permissions').evidence).toEqual([
      '/home/alice/.ssh/authorized_keys: alice cannot read it (owner root, mode 0600), and sshd opens authorized_keys as alice',
    ]);
    const r = await yes();
    expect(r.report.applied).toEqual([expect.objectContaining({ fixId: 'fix-authorized-keys-permissions', ok: true })]);
    expect((await sh(lab, 'stat -c "%a %U" /home/alice/.ssh/authorized_keys')).trim()).toBe('600 alice');
    expect(await canLogin(lab)).toBe(true);
  });
});
