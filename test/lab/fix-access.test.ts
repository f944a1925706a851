// Config fixes for who may log in and where sshd listens, through `ssh-doctor server --yes`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { login, STATE } from './fix-lab.js';

const ids = (report: { findings: { id: string }[] }) => report.findings.map((f) => f.id);

describe.runIf(requireLab())('fix: AllowUsers without alice', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`printf 'AllowUsers bob carol\\n' > /etc/ssh/sshd_config.d/20-users.conf
${SERVER_SETUP(2322)}`);
  });
  afterAll(() => lab?.close());

  it('adds alice to that AllowUsers line, and she logs in', async () => {
    expect((await login(lab, 2322)).exitCode).not.toBe(0);
    const r = await lab.json(['server', '--yes', '--user', 'alice', '--port', '2322'], { env: STATE });
    expect(r.stderr).toContain("sed -i -e '1c AllowUsers bob carol alice'");
    // The lab's sshd listens on 127.0.0.1 only (given with -o, so no edit fixes it); the log still
    // holds the refusal from before the fix.
    expect(ids(r.report)).toEqual(['sshd-listen-address', 'sshd-log-refusal']);
    expect((await lab.sh('cat /etc/ssh/sshd_config.d/20-users.conf')).stdout).toBe('AllowUsers bob carol alice');
    expect((await login(lab, 2322)).stdout.trim()).toBe('alice');
  });
});

describe.runIf(requireLab())('fix: sshd on another port than the one asked for, and only on loopback', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    // Ports from the config (not -p), as a packaged sshd runs.
    await lab.sh(`printf 'Port 2323\\nListenAddress 127.0.0.1\\n' > /etc/ssh/sshd_config.d/10-port.conf
${SERVER_SETUP(2323).replace(/^\/usr\/sbin\/sshd .*$/m, '/usr/sbin/sshd -E /var/log/auth.log')}`);
  });
  afterAll(() => lab?.close());

  it('adds "Port 2324" next to the existing Port line, disables the loopback ListenAddress; after a reload both ports answer', async () => {
    expect((await login(lab, 2324)).exitCode).not.toBe(0);
    const r = await lab.json(['server', '--yes', '--user', 'alice', '--port', '2324'], { env: STATE });
    expect(ids(r.report)).toEqual([]);
    expect((await lab.sh('cat /etc/ssh/sshd_config.d/10-port.conf')).stdout).toBe(
      'Port 2324\nPort 2323\n# ListenAddress 127.0.0.1  (disabled by ssh-doctor)',
    );
    // The lab's network namespace has only loopback, so "all addresses" is still only 127.0.0.1 here.
    expect((await lab.sh('ss -ltn')).stdout).toMatch(/0\.0\.0\.0:2324/);
    expect((await login(lab, 2324)).stdout.trim()).toBe('alice');
    expect((await login(lab, 2323)).stdout.trim()).toBe('alice');
  });
});

describe.runIf(requireLab())('fix: a host key others can read', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(2325)}
chmod 644 /etc/ssh/ssh_host_ed25519_key`);
  });
  afterAll(() => lab?.close());

  it('chmod 0600 on exactly that key; undo puts 0644 back', async () => {
    const r = await lab.json(['server', '--yes', '--user', 'alice', '--port', '2325'], { env: STATE });
    expect(r.stderr).toContain('$ chmod 0600 /etc/ssh/ssh_host_ed25519_key');
    expect(ids(r.report)).toEqual(['sshd-listen-address']);
    expect(
      (await lab.sh('stat -c "%a %U:%G" /etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_rsa_key')).stdout.split('\n'),
    ).toEqual(['600 root:root', '600 root:root']);
    const entries = JSON.parse((await lab.cli(['undo', '--list', '--json'], { env: STATE })).stdout).entries as {
      id: string;
      fixId: string;
    }[];
    const e = entries.find((x) => x.fixId === 'fix-host-key-permissions')!;
    expect((await lab.cli(['undo', e.id, '--yes'], { env: STATE })).exitCode).toBe(0);
    expect((await lab.sh('stat -c %a /etc/ssh/ssh_host_ed25519_key')).stdout.trim()).toBe('644');
  });
});
