import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { fixInLab, login, STATE } from './fix-lab.js';

describe.runIf(requireLab())('fix: start a stopped sshd (no init system)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    // A configured server (port in sshd_config, as on a real host) freshly booted without a
    // service manager: nothing started sshd and /run (tmpfs) has no /run/sshd. (Killing a
    // running sshd would leave a zombie the lab's pid 1 never reaps, which pgrep still lists.)
    await lab.sh(`${SERVER_SETUP(2311)
      .replace(/^mkdir -p \/run\/sshd$/m, '')
      .replace(/^\/usr\/sbin\/sshd .*$/m, '')}
printf 'Port 2311\\nListenAddress 127.0.0.1\\n' >/etc/ssh/sshd_config.d/10-lab.conf`);
  });
  afterAll(() => lab?.close());

  it('proposes install -d + sshd -t + sshd, applies it, and the real ssh client logs in', async () => {
    expect((await login(lab, 2311)).exitCode).not.toBe(0);
    const out = await fixInLab(lab, 2311, ['sshd-not-running', 'privsep-dir-missing']);
    expect(out.findings.map((f) => f.id)).toEqual(['sshd-not-running', 'privsep-dir-missing']);
    const start = out.applied.find((a) => a.finding === 'sshd-not-running')!;
    expect(start.fix.commands).toEqual([
      ['install', '-d', '-m', '0755', '-o', 'root', '-g', 'root', '/run/sshd'],
      ['/usr/sbin/sshd', '-t'],
      ['/usr/sbin/sshd'],
    ]);
    expect(start.result.ok).toBe(true);
    const r = await login(lab, 2311);
    expect(r.stdout.trim()).toBe('alice');
    expect((await lab.sh('stat -c %a:%U /run/sshd')).stdout.trim()).toBe('755:root');
  });
});

describe.runIf(requireLab())('fix: no host keys and no sshd, through ssh-doctor server --yes; then undo', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(2319)
      .replace(/^ssh-keygen -A.*$/m, '')
      .replace(/^\/usr\/sbin\/sshd .*$/m, '')}
rm -f /etc/ssh/ssh_host_*
printf 'Port 2319\\n' >/etc/ssh/sshd_config.d/10-lab.conf`);
  });
  afterAll(() => lab?.close());

  it('generates the host keys, starts sshd directly, the real ssh client logs in; undo stops the listener', async () => {
    const r = await lab.json(['server', '--yes', '--user', 'alice', '--port', '2319'], { env: STATE });
    expect(r.report.findings).toEqual([]);
    expect(r.stderr).toMatch(/\$ ssh-keygen -A/);
    expect((await lab.sh('stat -c "%a %U" /etc/ssh/ssh_host_ed25519_key')).stdout.trim()).toBe('600 root');
    expect((await login(lab, 2319)).stdout.trim()).toBe('alice');
    const entries = JSON.parse((await lab.cli(['undo', '--list', '--json'], { env: STATE })).stdout).entries as {
      id: string;
      fixId: string;
    }[];
    const start = entries.find((e) => e.fixId === 'start-sshd')!;
    expect((await lab.cli(['undo', start.id, '--yes'], { env: STATE })).stdout).toContain(
      '$ pkill -TERM --pidfile /run/sshd.pid -x sshd',
    );
    expect((await login(lab, 2319)).exitCode).not.toBe(0);
  });
});
