// A firewall change made over SSH is rolled back unless confirmed from a NEW connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { fixInLab, STATE } from './fix-lab.js';

const PORT = 2315;
const OVER_SSH = { SSH_CONNECTION: `127.0.0.1 50123 127.0.0.1 ${PORT}`, LAB_ROLLBACK_SECONDS: '3' };
const accepts = async (lab: Lab) =>
  (await lab.sh('iptables -S INPUT')).stdout.includes('--comment ssh-doctor -j ACCEPT');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(requireLab())('fix: firewall change over SSH, with automatic rollback', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(PORT)}
cat /root/.ssh/id_ed25519.pub >> /root/.ssh/authorized_keys
iptables -A INPUT -p tcp --dport ${PORT} -j REJECT`);
  });
  afterAll(() => lab?.close());

  it('unconfirmed: the detached timer removes the rule after N seconds and journals the rollback', async () => {
    const out = await fixInLab(lab, PORT, ['firewall-blocks-ssh'], [], OVER_SSH);
    const r = out.applied[0]!.result;
    expect(r.ok).toBe(true);
    expect(r.pending?.confirm).toBe(`ssh-doctor undo --confirm ${r.journalId}`);
    expect(r.log[0]).toMatch(/^rollback armed \(pid \d+\): \$ \S+node \S+ssh-doctor\.mjs undo --rollback-after 3 /);
    expect(await accepts(lab)).toBe(true);
    await sleep(5000);
    expect(await accepts(lab)).toBe(false);
    expect((await lab.sh('iptables -S INPUT')).stdout).toContain(`--dport ${PORT} -j REJECT`);
    const journal = (await lab.sh('cat /root/.ssh-doctor-state/journal.jsonl')).stdout;
    expect(journal).toContain(`"status":"rolled-back","undoes":"${r.journalId}"`);
  });

  it('confirmed from a new ssh connection: the rule stays; the old connection cannot confirm', async () => {
    const out = await fixInLab(lab, PORT, ['firewall-blocks-ssh'], [], { ...OVER_SSH, LAB_ROLLBACK_SECONDS: '6' });
    const id = out.applied[0]!.result.journalId!;
    const same = await lab.cli(['undo', '--confirm', id], {
      env: { ...STATE, SSH_CONNECTION: OVER_SSH.SSH_CONNECTION },
    });
    expect(same.exitCode).toBe(2);
    expect(same.stderr).toMatch(/NEW ssh connection/);
    // A real new connection through the new rule: sshd sets a fresh SSH_CONNECTION.
    const fresh = await lab.exec([
      'ssh',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=accept-new',
      '-p',
      String(PORT),
      'root@127.0.0.1',
      `SSH_DOCTOR_STATE_DIR=${STATE.SSH_DOCTOR_STATE_DIR} node ${CLI} undo --confirm ${id}`,
    ]);
    expect(fresh.stdout).toContain(`Kept ${id}`);
    await sleep(8000);
    expect(await accepts(lab)).toBe(true);
    // Undoing it over a session that came in through that very rule is refused.
    const undo = await lab.exec([
      'ssh',
      '-o',
      'BatchMode=yes',
      '-p',
      String(PORT),
      'root@127.0.0.1',
      `SSH_DOCTOR_STATE_DIR=${STATE.SSH_DOCTOR_STATE_DIR} node ${CLI} undo ${id} --yes`,
    ]);
    expect(undo.stdout).toContain(
      `Refused: this SSH session came in on port ${PORT}, and the undo removes the rule that lets that port in. Undo it from a console or another route in, or add --force.`,
    );
    expect(undo.exitCode).toBe(1);
    expect(await accepts(lab)).toBe(true);
  });
});

describe.runIf(requireLab())('firewall change over SSH through ssh-doctor server --yes', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(2326)}
iptables -A INPUT -p tcp --dport 2326 -j DROP`);
  });
  afterAll(() => lab?.close());

  it('arms the rollback, tells how to confirm, and the journal holds the rollback command', async () => {
    const r = await lab.json(['server', '--yes', '--user', 'alice', '--port', '2326'], {
      env: { ...STATE, SSH_CONNECTION: '127.0.0.1 50999 127.0.0.1 2326' },
    });
    expect(r.stderr).toMatch(/rollback armed \(pid \d+\)/);
    const m = /run: ssh-doctor undo --confirm (\w+)/.exec(r.stderr);
    expect(m).not.toBeNull();
    expect(await accepts(lab)).toBe(true);
    const entry = JSON.parse(
      (await lab.sh('grep firewall-allow-ssh /root/.ssh-doctor-state/journal.jsonl | tail -n 1')).stdout,
    );
    expect(entry.rollback.command.slice(-4)).toEqual(['undo', '--rollback-after', '60', m![1]]);
    const ok = await lab.cli(['undo', '--confirm', m![1]!], {
      env: { ...STATE, SSH_CONNECTION: '127.0.0.1 51000 127.0.0.1 2326' },
    });
    expect(ok.stdout).toContain(`Kept ${m![1]}`);
  });
});

describe.runIf(requireLab(['/usr/bin/sudo']))(
  'firewall change from a real SSH session through sudo (which drops SSH_CONNECTION)',
  () => {
    let lab: Lab;
    const BLOCKED = 2327;
    const WAY_IN = 2328;
    beforeAll(async () => {
      lab = await startLab();
      await lab.sh(`${SERVER_SETUP(BLOCKED)}
/usr/sbin/sshd -p ${WAY_IN} -o PidFile=/run/sshd-way-in.pid -E /var/log/auth.log
printf 'alice ALL=(ALL:ALL) NOPASSWD: ALL\\n' > /etc/sudoers.d/alice; chmod 440 /etc/sudoers.d/alice
iptables -A INPUT -p tcp --dport ${BLOCKED} -j DROP`);
    });
    afterAll(() => lab?.close());
    const asAliceOverSsh = (script: string) =>
      lab.exec(
        [
          'ssh',
          '-o',
          'BatchMode=yes',
          '-o',
          'StrictHostKeyChecking=accept-new',
          '-p',
          String(WAY_IN),
          'alice@127.0.0.1',
          script,
        ],
        { timeoutMs: 60_000 },
      );
    const doctor = `sudo -n env SSH_DOCTOR_STATE_DIR=${STATE.SSH_DOCTOR_STATE_DIR} ${process.execPath} ${CLI}`;

    it('the session is still recognised (its sshd), so the rollback is armed and the same session cannot confirm', async () => {
      const r =
        await asAliceOverSsh(`${doctor} server --yes --json --user alice --port ${BLOCKED} >/tmp/report.json 2>/tmp/log.txt
sudo -n sh -c 'echo "SSH_CONNECTION under sudo: [$SSH_CONNECTION]"'
cat /tmp/log.txt
id=$(sed -n 's/.*undo --confirm \\([0-9a-f]*\\).*/\\1/p' /tmp/log.txt | head -n 1)
${doctor} undo --confirm "$id"; echo "same-session confirm exit $?"`);
      expect(r.stdout).toContain('SSH_CONNECTION under sudo: []');
      expect(r.stdout).toMatch(/rollback armed \(pid \d+\)/);
      expect(r.stdout).toContain('same-session confirm exit 2');
      expect(r.stderr).toMatch(/confirm from a NEW ssh connection/);
      const id = /undo --confirm (\w+)/.exec(r.stdout)![1]!;
      const entry = JSON.parse(
        (await lab.sh(`grep '"id":"${id}"' ${STATE.SSH_DOCTOR_STATE_DIR}/journal.jsonl | tail -n 1`)).stdout,
      );
      expect(entry.rollback.sshdPid).toEqual(expect.any(Number));
      // A new connection may confirm.
      const fresh = await asAliceOverSsh(`${doctor} undo --confirm ${id}`);
      expect(fresh.stdout).toContain(`Kept ${id}`);
    }, 90_000);
  },
);
