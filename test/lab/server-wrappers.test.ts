// TCP wrappers: Debian's sshd is linked with libwrap and drops a refused client before the banner.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { aliceSsh, canLogin, diagnose, finding, SETUP, sh } from '../server/lab-helpers.js';

describe.runIf(requireLab())('server diagnosis: TCP wrappers', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, SETUP);
  });
  afterEach(() => lab?.close());

  it('tcp-wrappers-deny: hosts.deny names 127.0.0.1; --from decides it; the step given lets her in', async () => {
    await sh(lab, "printf 'sshd: 127.0.0.1\\n' > /etc/hosts.deny");
    const real = await lab.exec(aliceSsh([], ['true']));
    expect(real.stderr).toContain('kex_exchange_identification: read: Connection reset by peer');
    // libwrap logs "refused connect from" through syslog, not sshd's -E log: the lab has no line.
    // With no refusal of alice in the log, no address is assumed: it depends on where she comes from.
    const unknown = await diagnose(lab);
    expect(unknown.ids).toEqual(['tcp-wrappers-deny']);
    expect(finding(unknown.report, 'tcp-wrappers-deny').severity).toBe('warning');

    const { report, ids, exitCode } = await diagnose(lab, ['--from', '127.0.0.1']);
    expect(ids).toEqual(['tcp-wrappers-deny']);
    const f = finding(report, 'tcp-wrappers-deny');
    expect(f.severity).toBe('error');
    expect(f.evidence).toEqual(['/etc/hosts.deny:1: sshd: 127.0.0.1', 'client address: 127.0.0.1 (given with --from)']);
    expect(exitCode).toBe(1);
    expect(f.next![1]).toBe("echo 'sshd: 127.0.0.1' >> /etc/hosts.allow");
    await sh(lab, f.next![1]!);
    expect(await canLogin(lab)).toBe(true);

    // Someone elsewhere was never refused.
    expect((await diagnose(lab, ['--from', '10.0.0.1'])).ids).toEqual([]);
  });
});
