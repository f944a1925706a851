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
    const r = await lab.exec([
      'runuser',
      '-u',
      'alice',
      '--',
      'env',
      'PATH=/usr/local/bin:/usr/bin:/bin',
      'node',
      CLI,
      'server',
      '--json',
      '--user',
      'alice',
      '--port',
      String(PORT),
    ]);
    const report = JSON.parse(r.stdout);
    // Checks that could explain a refusal did not run: not ok (exit 1).
    expect(r.exitCode).toBe(1);
    const f = finding(report, 'needs-root');
    expect(f.summary).toMatch(
      /^Some checks need root \(sshd -t, sshd -T, logs, (ufw, )?iptables, ip6tables, nftables, shadow \(account lock and expiry\)\); rerun with sudo to see them\.$/,
    );
    expect(f.evidence).toEqual([`rerun: sudo ssh-doctor server --user alice --port ${PORT} --json`]);
    expect(report.verdict.id).toBe('checks-incomplete');
    expect(report.probes.find((p: { id: string }) => p.id === 'effective')).toMatchObject({
      status: 'unknown',
      detail: 'sshd must read its host keys: run as root (needs root)',
    });
  });

  // ssh-doctor authenticates with the agent only (it never reads private keys): one runs in the lab.
  const viaSetup = `cat /root/.ssh/id_ed25519.pub > /root/.ssh/authorized_keys; chmod 600 /root/.ssh/authorized_keys
ssh-agent -a /root/agent.sock >/dev/null; SSH_AUTH_SOCK=/root/agent.sock ssh-add -q`;
  const agent = { env: { SSH_AUTH_SOCK: '/root/agent.sock' } };
  const knowHost = `ssh-keyscan -p ${PORT} 127.0.0.1 2>/dev/null > /root/.ssh/known_hosts`;
  const via = ['server', '--json', '--via', `root@127.0.0.1:${PORT}`, '--user', 'alice', '--port', String(PORT)];

  it('--via refuses a host that is not in known_hosts, before any probe', async () => {
    await sh(lab, viaSetup);
    const r = await lab.cli([
      'server',
      '--json',
      '--via',
      `root@127.0.0.1:${PORT}`,
      '--user',
      'alice',
      '--port',
      String(PORT),
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe(
      `ssh-doctor: [127.0.0.1]:${PORT} is not in your known_hosts: connect once with ssh and check its fingerprint first.`,
    );
  });

  it('--via refuses a host whose key changed', async () => {
    await sh(
      lab,
      `${viaSetup}; ssh-keygen -q -t ed25519 -N '' -f /root/other; echo "[127.0.0.1]:${PORT} $(cut -d' ' -f1,2 /root/other.pub)" > /root/.ssh/known_hosts`,
    );
    const r = await lab.cli(via, agent);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/does not match your known_hosts \(changed\): refusing to connect/);
  });

  it('--via runs the same probes over SSH and finds the same problem', async () => {
    await sh(lab, `${viaSetup}; ${knowHost}; echo "back at 5" > /etc/nologin`);
    const local = await diagnose(lab);
    const r = await lab.cli(via, agent);
    const remote = JSON.parse(r.stdout);
    expect(r.exitCode).toBe(1);
    expect(remote.target.host).toBe('127.0.0.1');
    // Our own SSH session's sshd processes are not mistaken for daemons.
    expect(remote.probes.find((p: { id: string }) => p.id === 'running').detail).toMatch(/^sshd pid \d+$/);
    expect(remote.findings.map((f: { id: string }) => f.id)).toEqual(local.ids);
    expect(finding(remote, 'nologin-present').evidence).toEqual(['/etc/nologin exists: "back at 5"']);
    // The fix proposed is the one for that host (its commands run there, over SSH).
    expect(finding(remote, 'nologin-present')).toMatchObject({
      fix: {
        id: 'move-nologin',
        commands: [['mv', '/etc/nologin', expect.stringMatching(/^\/etc\/nologin\.ssh-doctor-\d{8}T\d{6}\.\d{3}Z$/)]],
      },
    });
  });

  it('--via without an ssh agent: says to start one, and never reads a private key itself', async () => {
    await sh(lab, `${viaSetup}; ${knowHost}`);
    const r = await lab.cli(via);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe(
      'ssh-doctor: No ssh agent is running (SSH_AUTH_SOCK is unset): start one with eval "$(ssh-agent)", add your key with ssh-add, and rerun.',
    );
  });

  it('--via asks for the host key type already in known_hosts (only RSA known, sshd also has ed25519 and ECDSA)', async () => {
    await sh(
      lab,
      `${viaSetup}; ssh-keyscan -t rsa -p ${PORT} 127.0.0.1 2>/dev/null > /root/.ssh/known_hosts; grep -q ssh-rsa /root/.ssh/known_hosts`,
    );
    const r = await lab.cli(via, agent);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).probes.find((p: { id: string }) => p.id === 'sshd').status).toBe('ok');
  });

  it('--via on a host without `timeout`: probes still run, and a hung tool is cut off here', async () => {
    // Inside the lab's mount namespace only: `timeout` is not executable, and ss and netstat hang.
    await sh(
      lab,
      `${viaSetup}; ${knowHost}
install -m 644 /dev/null /root/not-a-program; mount --bind /root/not-a-program /usr/bin/timeout
printf '#!/bin/sh\nexec sleep 300\n' > /root/hang; chmod 755 /root/hang; mount --bind /root/hang /usr/bin/ss; mount --bind /root/hang "$(command -v netstat)"`,
    );
    const t0 = Date.now();
    const r = await lab.cli(via, { ...agent, timeoutMs: 40_000 });
    const report = JSON.parse(r.stdout);
    expect(Date.now() - t0).toBeLessThan(25_000);
    const probe = (id: string) => report.probes.find((p: { id: string }) => p.id === id);
    expect(probe('sshd')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^\/usr\/sbin\/sshd/) });
    expect(probe('running').detail).toMatch(/^sshd pid \d+$/);
    expect(probe('listeners')).toMatchObject({
      status: 'unknown',
      detail: expect.stringMatching(
        /^neither ss nor netstat answered \(ss did not answer within \d+ s; netstat did not answer within \d+ s\)$/,
      ),
    });
  }, 60_000);
});
