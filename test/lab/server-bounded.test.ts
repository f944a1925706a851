// Root's `ssh-doctor server` against what an unprivileged user (alice) can make huge: her own
// authorized_keys as a 50 GB sparse file, processes named sshd with enormous titles; and logs or
// tool output that never end. Each run must end quickly with a report that says what it could not
// read, and leave every file as it was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeKit } from '../../src/locked-out/kit/decode.js';
import { kitFindings } from '../../src/locked-out/kit/repair.js';
import { KIT_BEGIN, kitScript } from '../../src/locked-out/kit/script.js';
import { requireLab, startLab, type Lab } from './lab.js';
import { diagnose, finding, PORT, SETUP, sh } from '../server/lab-helpers.js';

const AK = '/home/alice/.ssh/authorized_keys';
const GB50 = 50 * 1024 ** 3;
const OVERSIZE_EVIDENCE = `${AK}: ${GB50} bytes (50 GiB, over the 16 MiB ssh-doctor reads); its keys were not counted`;

/** A login attempt as alice, bounded: sshd may take minutes over a huge authorized_keys. */
const TRY_LOGIN = `timeout 10 ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -p ${PORT} alice@127.0.0.1 true >/dev/null 2>&1 || true`;

// ssh-doctor authenticates with the agent only: one runs in the lab, root's key is trusted.
const VIA_SETUP = `cat /root/.ssh/id_ed25519.pub > /root/.ssh/authorized_keys; chmod 600 /root/.ssh/authorized_keys
ssh-agent -a /root/agent.sock >/dev/null; SSH_AUTH_SOCK=/root/agent.sock ssh-add -q
ssh-keyscan -p ${PORT} 127.0.0.1 2>/dev/null > /root/.ssh/known_hosts`;
const VIA = ['--via', `root@127.0.0.1:${PORT}`];
const AGENT = { SSH_AUTH_SOCK: '/root/agent.sock' };

describe.runIf(requireLab(['/usr/bin/dash', '/usr/bin/busybox']))('server diagnosis: what others made huge', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, SETUP);
  });
  afterEach(() => lab?.close());

  /** The run, timed; the report must exist and the exit status be a verdict (0 or 1), not a crash. */
  async function timedDiagnose(extra: string[] = [], env?: Record<string, string>) {
    const started = Date.now();
    const r = await diagnose(lab, extra, env);
    const ms = Date.now() - started;
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.exitCode);
    expect(ms).toBeLessThan(10_000);
    return r;
  }

  describe('alice makes her authorized_keys a 50 GB sparse file', () => {
    beforeEach(async () => {
      await sh(lab, `runuser -u alice -- truncate -s 50G ${AK}`);
    });

    it('the report names the file and its size, says the key count is unknown, and the file is untouched', async () => {
      const { report, ids, exitCode } = await timedDiagnose();
      const f = finding(report, 'authorized-keys-oversize');
      expect(f.severity).toBe('error');
      expect(f.summary).toBe(
        `${AK} is 50 GiB: sshd reads all of it at every key login of alice, so key logins take minutes or never finish, and anyone who can reach sshd can make it do so.`,
      );
      expect(f.evidence).toEqual([OVERSIZE_EVIDENCE]);
      expect(exitCode).toBe(1);
      expect(report.verdict.id).toBe('authorized-keys-oversize');
      // Not read is not empty: no "no key" guess, and StrictModes was still judged (her modes are fine).
      expect(ids).toEqual(['authorized-keys-oversize']);
      expect(report.probes.find((p: { id: string }) => p.id === 'auth-files')).toMatchObject({
        status: 'unknown',
        detail: `1 authorized_keys file(s); not read: ${AK} (50 GiB, over the 16 MiB ssh-doctor reads)`,
      });
      expect((await sh(lab, `stat -c '%s %U %a' ${AK}`)).trim()).toBe(`${GB50} alice 600`);
    });

    it('over --via: the same finding, from the far side', async () => {
      await sh(lab, VIA_SETUP);
      const { report, ids } = await timedDiagnose(VIA, AGENT);
      expect(report.target.host).toBe('127.0.0.1');
      expect(ids).toEqual(['authorized-keys-oversize']);
      expect(finding(report, 'authorized-keys-oversize').evidence).toEqual([OVERSIZE_EVIDENCE]);
      expect((await sh(lab, `stat -c %s ${AK}`)).trim()).toBe(String(GB50));
    });

    it('the console kit (dash, busybox sh) reports the size instead of counting, and decodes to the same finding', async () => {
      for (const shell of [['dash'], ['busybox', 'sh']]) {
        const started = Date.now();
        const r = await lab.exec(shell, { input: kitScript('alice', PORT), timeoutMs: 20_000 });
        expect(Date.now() - started).toBeLessThan(10_000);
        const findings = kitFindings(decodeKit(r.stdout.slice(r.stdout.indexOf(KIT_BEGIN))));
        expect(findings.find((f) => f.id === 'authorized-keys-oversize')?.evidence, shell.join(' ')).toEqual([
          OVERSIZE_EVIDENCE,
        ]);
        expect(
          findings.map((f) => f.id),
          shell.join(' '),
        ).toEqual(['authorized-keys-oversize']);
      }
    });
  });

  it('a 50 GB sparse /var/log/auth.log with a 5 MB line: the refusal logged after them is found', async () => {
    await sh(
      lab,
      `truncate -s 50G /var/log/auth.log
head -c 5000000 /dev/zero | tr '\\0' x >> /var/log/auth.log; echo >> /var/log/auth.log
chmod 0777 /home/alice/.ssh
${TRY_LOGIN}`,
    );
    const { report, ids } = await timedDiagnose();
    expect(ids).toEqual(['ssh-dir-permissions', 'sshd-log-refusal']);
    expect(report.probes.find((p: { id: string }) => p.id === 'logs')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^\d+ explaining lines in \/var\/log\/auth\.log$/),
    });
    expect(finding(report, 'sshd-log-refusal').evidence).toContain(
      'Authentication refused: bad ownership or modes for directory /home/alice/.ssh',
    );
    expect(Number((await sh(lab, 'stat -c %s /var/log/auth.log')).trim())).toBeGreaterThan(GB50);
  });

  it('alice runs a dozen processes named sshd with 1.5 MB command lines: ps is cut at its cap, /proc still finds the real daemon', async () => {
    await sh(
      lab,
      // The lab's own /run (the host's /tmp is shared with other labs), and a wait for all twelve
      // rather than a fixed sleep: on a loaded machine they take a while to start.
      `mkdir -m 755 /run/imposter && cp /bin/bash /run/imposter/sshd && chmod 755 /run/imposter/sshd
A=$(head -c 100000 /dev/zero | tr '\\0' A)
for i in $(seq 12); do runuser -u alice -- /run/imposter/sshd -c 'sleep 120; :' x $A $A $A $A $A $A $A $A $A $A $A $A $A $A $A >/dev/null 2>&1 & done
for i in $(seq 200); do [ "$(ps -C sshd -o args= | wc -c)" -gt 1048576 ] && break; sleep 0.1; done
[ "$(ps -C sshd -o args= | wc -c)" -gt 1048576 ]`,
    );
    const { report, ids } = await timedDiagnose();
    const daemon = (await sh(lab, "ps -C sshd -o pid=,args= | grep -F '[listener]' | awk '{print $1}'")).trim();
    expect(report.probes.find((p: { id: string }) => p.id === 'running')).toMatchObject({
      status: 'ok',
      detail: `sshd pid ${daemon}`,
    });
    expect(ids).toEqual([]);
  });

  it('a tool that prints without end (ss, netstat), here and over --via: cut at 1 MiB at once, that probe unknown, saying why', async () => {
    await sh(
      lab,
      `${VIA_SETUP}
printf '#!/bin/sh\\nexec yes\\n' > /root/endless; chmod 755 /root/endless
mount --bind /root/endless /usr/bin/ss; mount --bind /root/endless "$(command -v netstat)"`,
    );
    for (const [extra, env] of [
      [[], undefined],
      [VIA, AGENT],
    ] as const) {
      const { report } = await timedDiagnose([...extra], env);
      expect(
        report.probes.find((p: { id: string }) => p.id === 'listeners'),
        extra.join(' ') || 'local',
      ).toMatchObject({
        status: 'unknown',
        detail:
          'neither ss nor netstat answered (ss printed more than 1 MiB on stdout; stopped reading it; netstat printed more than 1 MiB on stdout; stopped reading it)',
      });
    }
  });
});
