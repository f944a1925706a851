// sshd-crashing (seed guide Step 7) against the real sshd: a damaged library bind-mounted over
// the real one inside the lab's mount namespace only, a stand-in kernel log, a changed sshd binary.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { canLogin, diagnose, finding, SETUP, sh, STOP_SSHD } from '../server/lab-helpers.js';

const LIB = '/lib/x86_64-linux-gnu/libwrap.so.0';

describe.runIf(requireLab([LIB, '/usr/bin/dpkg']))('server: sshd-crashing', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
  });
  afterEach(() => lab?.close());

  it('a damaged library: sshd cannot load; the reinstall of both packages is a step; no start offered', async () => {
    await sh(lab, `${SETUP}\n${STOP_SSHD}\nhead -c 4096 /dev/urandom > /root/bad.so; mount --bind /root/bad.so ${LIB}`);
    // The real sshd cannot start, so nobody logs in.
    const start = await lab.exec(['/usr/sbin/sshd', '-p', '2201']);
    expect(start.stderr).toMatch(/error while loading shared libraries: .*libwrap\.so\.0: invalid ELF header/);
    expect(await canLogin(lab)).toBe(false);
    const { exitCode, report, ids } = await diagnose(lab);
    expect(ids).toEqual(['sshd-crashing', 'sshd-not-running']);
    expect(exitCode).toBe(1);
    const f = finding(report, 'sshd-crashing');
    expect(f.summary).toBe('sshd cannot load its libraries, so it cannot start.');
    expect(f.evidence).toEqual([
      `ldd: /usr/sbin/sshd: error while loading shared libraries: ${LIB}: invalid ELF header`,
    ]);
    expect(f.next).toContain('apt-get install --reinstall openssh-server libwrap0');
    expect(report.findings.filter((x: { fix?: unknown }) => x.fix)).toEqual([]);
  });

  it('segfault lines for sshd in the kernel log (a stand-in kern.log) are quoted', async () => {
    const line =
      'Nov 30 10:00:01 lab kernel: [ 12.3] sshd[4521]: segfault at 0 ip 00007f8a1b2c3d4e sp 00007ffd error 4 in libcrypto.so.3[7f8a1b200000+1c0000]';
    await sh(
      lab,
      `${SETUP}\nprintf '%s\\n' 'Nov 30 10:00:00 lab kernel: [ 12.2] nginx[70]: segfault at 0 ip 0 sp 0 error 4 in libc.so.6' '${line}' 'Nov 30 10:00:02 lab kernel: mce: [Hardware Error]: Machine check events logged' > /var/log/kern.log`,
    );
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['sshd-crashing']);
    const f = finding(report, 'sshd-crashing');
    expect(f.summary).toBe('sshd crashes: the kernel logged a segfault of sshd.');
    expect(f.evidence).toEqual([
      `/var/log/kern.log: ${line}`,
      '/var/log/kern.log: Nov 30 10:00:02 lab kernel: mce: [Hardware Error]: Machine check events logged',
    ]);
    expect(f.next).toContain(
      'the kernel reports hardware errors: test the memory (memtest86+) before trusting a reinstall',
    );
  });

  it("a changed sshd binary: dpkg --verify's line is the evidence", async () => {
    await sh(
      lab,
      `${SETUP}\ncp /usr/sbin/sshd /root/sshd; printf x >> /root/sshd; mount --bind /root/sshd /usr/sbin/sshd`,
    );
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['sshd-crashing']);
    expect(finding(report, 'sshd-crashing').evidence).toEqual([
      'dpkg --verify openssh-server: ??5??????   /usr/sbin/sshd',
    ]);
  });
});
