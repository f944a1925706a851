// Refusals after authentication: sshd accepts the key, then the session cannot start.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { aliceSsh, canLogin, diagnose, finding, PORT, SETUP, sh, STOP_SSHD } from '../server/lab-helpers.js';

const RESTART = `${STOP_SSHD}\n/usr/sbin/sshd -p ${PORT} -E /var/log/auth.log`;

describe.runIf(requireLab())('server diagnosis: the session after the key', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, SETUP);
  });
  afterEach(() => lab?.close());

  it('chroot-directory-unsafe: ChrootDirectory %h, and her home is hers', async () => {
    await sh(lab, `printf 'Match User alice\\n  ChrootDirectory %%h\\n' >> /etc/ssh/sshd_config\n${RESTART}`);
    expect(await canLogin(lab)).toBe(false);
    await sh(
      lab,
      `for i in $(seq 50); do grep -q 'chroot directory' /var/log/auth.log && exit 0; sleep 0.1; done; exit 1`,
    );
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['chroot-directory-unsafe', 'sshd-log-refusal']);
    expect(finding(report, 'chroot-directory-unsafe').evidence).toEqual([
      '/home/alice: owned by alice, not root',
      'sshd -T: chrootdirectory %h (/home/alice)',
    ]);
    expect(finding(report, 'sshd-log-refusal').evidence).toContain(
      'bad ownership or modes for chroot directory "/home/alice"',
    );
  });

  it('forced-command-failed: ForceCommand names a program that is not there', async () => {
    await sh(lab, `printf 'ForceCommand /etc/ssh/gatekeeper --check\\n' >> /etc/ssh/sshd_config\n${RESTART}`);
    const real = await lab.exec(aliceSsh());
    expect(real.stdout).toBe('');
    expect(real.exitCode).toBe(127);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['forced-command-failed']);
    expect(finding(report, 'forced-command-failed').evidence).toEqual([
      '/etc/ssh/gatekeeper does not exist',
      'sshd -T: forcecommand /etc/ssh/gatekeeper --check',
    ]);
    // Once the program exists, the same login works and the finding is gone.
    await sh(lab, "printf '#!/bin/sh\\necho alice\\n' > /etc/ssh/gatekeeper; chmod 755 /etc/ssh/gatekeeper");
    expect(await canLogin(lab)).toBe(true);
    expect((await diagnose(lab)).ids).toEqual([]);
  });
});
