// Running as a normal user (checks that need root are named, with the exact sudo command) and
// --via: the same probes over SSH, only to a host whose key is already in known_hosts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, requireLab, startLab, type Lab } from './lab.js';
import { diagnose, finding, PORT, SETUP, sh } from '../server/lab-helpers.js';

describe.runIf(requireLab())('server diagnosis: as a normal user, and --via', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, SETUP);
  });
  afterEach(() => lab?.close());

  it('as alice: says which checks need root and prints the exact sudo command', async () => {
    const r = await lab.exec(['runuser', '-u', 'alice', '--', 'env', 'PATH=/usr/local/bin:/usr/bin:/bin', 'node', CLI, 'server', '--json', '--user', 'alice', '--port', String(PORT)]);
    const report = JSON.parse(r.stdout);
    expect(r.exitCode).toBe(0);
    const f = finding(report, 'needs-root');
    expect(f.summary).toMatch(/^Some checks need root \(sshd -t, sshd -T, logs, (ufw, )?iptables, ip6tables, nftables, shadow \(account lock and expiry\)\); rerun with sudo to see them\.$/);
    expect(f.evidence).toEqual([`rerun: sudo ssh-doctor server --user alice --port ${PORT} --json`]);
    expect(report.verdict.summary).toBe('Nothing found by the checks a normal user can run; the rest need root.');
    expect(report.probes.find((p: { id: string }) => p.id === 'effective')).toMatchObject({ status: 'unknown', detail: 'sshd must read its host keys: run as root (needs root)' });
  });

  const viaSetup = `cat /root/.ssh/id_ed25519.pub > /root/.ssh/authorized_keys; chmod 600 /root/.ssh/authorized_keys`;

  it('--via refuses a host that is not in known_hosts, before any probe', async () => {
    await sh(lab, viaSetup);
    const r = await lab.cli(['server', '--json', '--via', `root@127.0.0.1:${PORT}`, '--user', 'alice', '--port', String(PORT)]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe(`ssh-doctor: [127.0.0.1]:${PORT} is not in your known_hosts: connect once with ssh and check its fingerprint first.`);
  });

  it('--via refuses a host whose key changed', async () => {
    await sh(lab, `${viaSetup}; ssh-keygen -q -t ed25519 -N '' -f /root/other; echo "[127.0.0.1]:${PORT} $(cut -d' ' -f1,2 /root/other.pub)" > /root/.ssh/known_hosts`);
    const r = await lab.cli(['server', '--json', '--via', `root@127.0.0.1:${PORT}`, '--user', 'alice', '--port', String(PORT)]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/does not match your known_hosts \(changed\): refusing to connect/);
  });

  it('--via runs the same probes over SSH and finds the same problem', async () => {
    await sh(lab, `${viaSetup}; ssh-keyscan -p ${PORT} 127.0.0.1 2>/dev/null > /root/.ssh/known_hosts; echo "back at 5" > /etc/nologin`);
    const local = await diagnose(lab);
    const r = await lab.cli(['server', '--json', '--via', `root@127.0.0.1:${PORT}`, '--user', 'alice', '--port', String(PORT)]);
    const remote = JSON.parse(r.stdout);
    expect(r.exitCode).toBe(1);
    expect(remote.target.host).toBe('127.0.0.1');
    // Our own SSH session's sshd processes are not mistaken for daemons.
    expect(remote.probes.find((p: { id: string }) => p.id === 'running').detail).toMatch(/^sshd pid \d+$/);
    expect(remote.findings.map((f: { id: string }) => f.id)).toEqual(local.ids);
    expect(finding(remote, 'nologin-present').evidence).toEqual(['/etc/nologin exists: "back at 5"']);
    // Fixes would run on this machine, so over --via none is proposed.
    expect(remote.findings.every((f: { fix?: unknown }) => f.fix === undefined)).toBe(true);
  });
});
