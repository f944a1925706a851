// MaxStartups: connections that never log in fill sshd's quota, and it drops new ones before the
// banner. sshd itself counts them in its listener's title.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { canLogin, diagnose, finding, PORT, SETUP, sh, STOP_SSHD } from '../server/lab-helpers.js';

describe.runIf(requireLab())('server diagnosis: MaxStartups', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, SETUP);
  });
  afterEach(() => lab?.close());

  it('maxstartups-exhausted: two silent connections against MaxStartups 2:100:2', async () => {
    await sh(
      lab,
      `echo 'MaxStartups 2:100:2' >> /etc/ssh/sshd_config\n${STOP_SSHD}\n/usr/sbin/sshd -p ${PORT} -E /var/log/auth.log`,
    );
    // Two clients that connect and never speak (held open inside the lab's pid namespace).
    await sh(
      lab,
      `for i in 1 2; do setsid bash -c 'exec 3<>/dev/tcp/127.0.0.1/${PORT}; sleep 60' </dev/null >/dev/null 2>&1 & done
for i in $(seq 50); do ps -C sshd -o args= | grep -q '2 of 2-2 startups' && exit 0; sleep 0.1; done; exit 1`,
    );
    expect(await canLogin(lab)).toBe(false);
    const { report, ids, exitCode } = await diagnose(lab);
    expect(ids).toEqual(['maxstartups-exhausted', 'sshd-log-refusal']);
    const f = finding(report, 'maxstartups-exhausted');
    expect(f.severity).toBe('error');
    expect(f.evidence[0]).toMatch(/^sshd's listener: sshd: \/usr\/sbin\/sshd .*\[listener\] 2 of 2-2 startups$/);
    expect(f.evidence[1]).toBe('sshd -T: maxstartups 2:100:2');
    expect(f.evidence.slice(2).join('\n')).toMatch(/MaxStartups/);
    expect(exitCode).toBe(1);
  });
});
