// Server diagnosis scenarios about the daemon itself: each breaks a real sshd in the lab and
// asserts the finding id and its evidence in `ssh-doctor server --json`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { diagnose, finding, PORT, SETUP, sh, STOP_SSHD } from '../server/lab-helpers.js';

describe.runIf(requireLab())('server diagnosis: daemon', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
  });
  afterEach(() => lab?.close());

  it('healthy server: no finding, exit 0', async () => {
    await sh(lab, SETUP);
    const { exitCode, report } = await diagnose(lab);
    expect(report.mode).toBe('server');
    expect(report.findings).toEqual([]);
    expect(report.verdict.id).toBe('server-ok');
    expect(exitCode).toBe(0);
  });

  it('sshd-not-installed: /usr/sbin/sshd hidden by a bind mount', async () => {
    await sh(lab, `${SETUP}\n${STOP_SSHD}\ntouch /root/empty; mount --bind /root/empty /usr/sbin/sshd`);
    const { exitCode, report, ids } = await diagnose(lab);
    expect(ids).toEqual(['sshd-not-installed']);
    expect(exitCode).toBe(1);
    expect(finding(report, 'sshd-not-installed').severity).toBe('error');
  });

  it('sshd-not-running, and the no-init case is recognised', async () => {
    await sh(lab, `${SETUP}\n${STOP_SSHD}`);
    const { report, ids } = await diagnose(lab);
    // The lab's sshd gets its port from -p; its configuration still says 22.
    expect(ids, JSON.stringify(report.probes)).toEqual(['sshd-not-running', 'sshd-port-mismatch']);
    expect(finding(report, 'sshd-not-running').evidence.join('\n')).toMatch(/service manager: none/);
  });

  it('without a usable ps (hidden by a bind mount), /proc tells running from not running', async () => {
    await sh(lab, `${SETUP}\ntouch /root/empty; mount --bind /root/empty /usr/bin/ps`);
    const up = await diagnose(lab);
    expect(up.ids).toEqual([]);
    expect(up.report.probes.find((p: { id: string }) => p.id === 'running').detail).toMatch(/^sshd pid \d+$/);
    await sh(lab, 'pkill -x sshd; sleep 0.5');
    expect((await diagnose(lab)).ids).toEqual(['sshd-not-running', 'sshd-port-mismatch']);
  });

  it('sshd-config-invalid names the file and line', async () => {
    await sh(
      lab,
      `${SETUP}\nmkdir -p /etc/ssh/sshd_config.d; printf 'Port 2201\\nBogusOption yes\\n' > /etc/ssh/sshd_config.d/50-bad.conf`,
    );
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['sshd-config-invalid']);
    const f = finding(report, 'sshd-config-invalid');
    expect(f.summary).toContain('/etc/ssh/sshd_config.d/50-bad.conf line 2');
    expect(f.evidence[0]).toMatch(/50-bad\.conf:2: Bad configuration option: BogusOption/);
  });

  it('sshd-port-mismatch says where sshd listens', async () => {
    await sh(lab, SETUP);
    const r = await diagnose(lab, ['--port', '22']);
    expect(r.ids).toEqual(['sshd-port-mismatch']);
    const f = finding(r.report, 'sshd-port-mismatch');
    expect(f.evidence[0]).toBe(`sshd listens on 0.0.0.0:${PORT}, [::]:${PORT}`);
  });

  it('sshd-listen-address: bound to loopback only', async () => {
    await sh(lab, `${SETUP}\n${STOP_SSHD}\n/usr/sbin/sshd -p ${PORT} -o ListenAddress=127.0.0.1 -E /var/log/auth.log`);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['sshd-listen-address']);
    expect(finding(report, 'sshd-listen-address').evidence[0]).toBe(`sshd listens on 127.0.0.1:${PORT}`);
  });

  it('sshd-listen-address: ListenAddress names an address this host does not have, so sshd cannot start', async () => {
    // 198.51.100.7 is documentation space (never assigned); only bind(2) is attempted, nothing is sent.
    await sh(lab, `${SETUP}\n${STOP_SSHD}\nsed -i '1i ListenAddress 198.51.100.7' /etc/ssh/sshd_config`);
    // It daemonizes before it binds, so it "starts" (exit 0) and then dies.
    await lab.exec(['/usr/sbin/sshd', '-E', '/var/log/auth.log']);
    await lab.sh('sleep 0.5');
    const r = await diagnose(lab, ['--port', '22']);
    expect(r.ids).toEqual(['sshd-not-running', 'sshd-listen-address', 'sshd-log-refusal']);
    const f = finding(r.report, 'sshd-listen-address');
    expect(f.summary).toBe('sshd is told to listen on 198.51.100.7, which this host does not have: it cannot bind.');
    expect(f.evidence).toEqual(['sshd -T: listenaddress 198.51.100.7:22', 'addresses here: 127.0.0.1, ::1']);
    expect(finding(r.report, 'sshd-log-refusal').evidence.join('\n')).toMatch(
      /Bind to port 22 on 198\.51\.100\.7 failed: Cannot assign requested address/,
    );
  });

  it('privsep-dir-missing: /run/sshd gone', async () => {
    await sh(lab, `${SETUP}\nrmdir /run/sshd`);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['privsep-dir-missing']);
    expect(finding(report, 'privsep-dir-missing').evidence[0]).toBe(
      'Missing privilege separation directory: /run/sshd',
    );
  });

  it('host-key-permissions: 0640 keys (even root:ssh_keys) are refused by this sshd', async () => {
    await sh(
      lab,
      `${SETUP}\n${STOP_SSHD}\ngroupadd -r ssh_keys; chgrp ssh_keys /etc/ssh/ssh_host_*_key; chmod 0640 /etc/ssh/ssh_host_*_key`,
    );
    // The real sshd agrees: it will not start.
    const start = await lab.exec(['/usr/sbin/sshd', '-p', String(PORT)]);
    expect(start.exitCode).not.toBe(0);
    expect(start.stderr).toContain('no hostkeys available');
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['sshd-not-running', 'host-key-permissions']);
    const f = finding(report, 'host-key-permissions');
    expect(f.severity).toBe('error');
    expect(f.evidence.join('\n')).toMatch(/ssh_host_ed25519_key: mode 0640 owner root:ssh_keys/);
  });

  it('host-keys-missing: no host key at all', async () => {
    await sh(lab, `${SETUP}\n${STOP_SSHD}\nrm -f /etc/ssh/ssh_host_*`);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['sshd-not-running', 'host-keys-missing']);
    const f = finding(report, 'host-keys-missing');
    expect(f.summary).toBe('No host key exists: sshd refuses to start.');
    expect(f.evidence).toContain('/etc/ssh/ssh_host_ed25519_key does not exist');
  });
});
