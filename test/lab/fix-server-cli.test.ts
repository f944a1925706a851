// The fixes through the real command: `ssh-doctor server --json --yes` (and --dry-run).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { login, STATE } from './fix-lab.js';

const PORT = 2317;
const state = (lab: Lab) =>
  lab.sh('stat -c "%n %a" /home/alice /home/alice/.ssh; ls /etc/nologin* ; sha256sum /etc/ssh/sshd_config.d/*');

describe.runIf(requireLab())('fixes through ssh-doctor server', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`printf 'PubkeyAuthentication no\\n' > /etc/ssh/sshd_config.d/40-off.conf
${SERVER_SETUP(PORT)}
chmod 757 /home/alice; chmod 755 /home/alice/.ssh
echo 'maintenance until noon' > /etc/nologin`);
  });
  afterAll(() => lab?.close());

  it('--dry-run shows the fixes and changes nothing', async () => {
    const before = (await state(lab)).stdout;
    const r = await lab.json(['server', '--dry-run', '--user', 'alice', '--port', String(PORT)], { env: STATE });
    // The lab's sshd listens on 127.0.0.1 only, given with -o: no edit fixes that.
    expect(r.report.findings.map((f: { id: string }) => f.id)).toEqual([
      'sshd-listen-address',
      'nologin-present',
      'home-permissions',
      'pubkey-auth-disabled',
    ]);
    expect(r.stderr).toContain('$ mv /etc/nologin /etc/nologin.ssh-doctor-');
    expect((await state(lab)).stdout).toBe(before);
    expect((await lab.sh('test -e /root/.ssh-doctor-state/journal.jsonl && echo yes || echo no')).stdout.trim()).toBe(
      'no',
    );
  });

  it('--yes applies every fix, journals each, and the real ssh client logs in', async () => {
    expect((await login(lab, PORT)).exitCode).not.toBe(0);
    const r = await lab.json(['server', '--yes', '--user', 'alice', '--port', String(PORT)], { env: STATE });
    // Left: the loopback listener, and the log line of the refused login from before.
    expect(r.report.findings.map((f: { id: string }) => f.id)).toEqual(['sshd-listen-address', 'sshd-log-refusal']);
    expect((await lab.sh('stat -c "%n %a" /home/alice')).stdout.trim()).toBe('/home/alice 755');
    expect((await lab.sh('ls /etc/nologin*')).stdout.trim()).toMatch(
      /^\/etc\/nologin\.ssh-doctor-\d{8}T\d{6}\.\d{3}Z$/,
    );
    expect((await lab.sh('cat /etc/ssh/sshd_config.d/40-off.conf')).stdout.trim()).toBe('PubkeyAuthentication yes');
    expect((await login(lab, PORT)).stdout.trim()).toBe('alice');
    const list = JSON.parse((await lab.cli(['undo', '--list', '--json'], { env: STATE })).stdout).entries as {
      fixId: string;
    }[];
    expect(list.map((e) => e.fixId).sort()).toEqual(['enable-pubkey-auth', 'fix-home-permissions', 'move-nologin']);
  });
});
