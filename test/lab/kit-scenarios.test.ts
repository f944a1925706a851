// The console kit, run for real under dash and busybox sh inside lab scenarios: its block must
// decode to the finding ids the server command finds on the same machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKit } from '../../src/locked-out/kit/decode.js';
import { kitFindings, repairScript } from '../../src/locked-out/kit/repair.js';
import { KIT_BEGIN, KIT_END, kitBody, kitScript, selfCheckingKit } from '../../src/locked-out/kit/script.js';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';

const PORT = 2231;

interface Scenario {
  name: string;
  /** Breaks the lab's healthy server. */
  setup: string;
  ids: string[];
}

const scenarios: Scenario[] = [
  // The lab's sshd listens on 127.0.0.1 only, which the server findings rightly call out.
  { name: 'healthy', setup: '', ids: ['sshd-listen-address'] },
  // Started with -p, configured for 22: stopped, its config would bring it back on the wrong port.
  { name: 'sshd stopped', setup: 'pkill -x sshd; sleep 0.5', ids: ['sshd-not-running', 'sshd-port-mismatch'] },
  {
    name: 'authorized_keys mode 666',
    setup: 'chmod 666 /home/alice/.ssh/authorized_keys',
    ids: ['sshd-listen-address', 'authorized-keys-permissions', 'sshd-log-refusal'],
  },
  {
    name: '/etc/nologin present',
    setup: 'echo "maintenance until 14:00" > /etc/nologin',
    ids: ['sshd-listen-address', 'nologin-present', 'sshd-log-refusal'],
  },
  {
    name: 'iptables DROP on the port',
    setup: `iptables -A INPUT -p tcp --dport ${PORT} -j DROP`,
    ids: ['sshd-listen-address', 'firewall-blocks-ssh'],
  },
];

/** A login attempt, so a refusal reaches sshd's log like it would for the real user. */
const TRY_LOGIN = `ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o ConnectTimeout=3 -p ${PORT} alice@127.0.0.1 true >/dev/null 2>&1 || true`;

describe.runIf(requireLab())('console kit in the lab', () => {
  for (const sc of scenarios) {
    describe(sc.name, () => {
      let lab: Lab;
      beforeAll(async () => {
        lab = await startLab();
        await lab.sh(SERVER_SETUP(PORT));
        if (sc.setup) await lab.sh(sc.setup);
        await lab.sh(TRY_LOGIN);
      }, 60_000);
      afterAll(() => lab?.close());

      for (const shell of [['dash'], ['busybox', 'sh']]) {
        it(`runs under ${shell.join(' ')} and decodes to ${sc.ids.join(', ') || 'no finding'}`, async () => {
          const r = await lab.exec(shell, { input: kitScript('alice', PORT) });
          expect(r.stdout).toContain(KIT_BEGIN);
          expect(r.stdout).toContain(KIT_END);
          const block = r.stdout.slice(r.stdout.indexOf(KIT_BEGIN));
          // Survives a console: ASCII, short lines.
          expect(block).toMatch(/^[\x20-\x7e\n]*$/);
          expect(Math.max(...block.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
          const findings = kitFindings(decodeKit(block));
          expect(findings.map((f) => f.id).sort()).toEqual([...sc.ids].sort());
        });
      }

      it('finds the same ids as ssh-doctor server --json on the same machine', async () => {
        const kit = await lab.exec(['dash'], { input: kitScript('alice', PORT) });
        // A probe that timed out on a loaded machine makes the server's answer incomplete: ask again.
        let server = await lab.json(['server', '--user', 'alice', '--port', String(PORT)]);
        for (
          let i = 0;
          i < 2 && server.report.probes.some((p: { detail: string }) => /did not answer/.test(p.detail));
          i++
        ) {
          server = await lab.json(['server', '--user', 'alice', '--port', String(PORT)]);
        }
        const serverIds = server.report.findings.map((f: { id: string }) => f.id).sort();
        expect(
          kitFindings(decodeKit(kit.stdout))
            .map((f) => f.id)
            .sort(),
        ).toEqual(serverIds);
        expect(serverIds).toEqual([...sc.ids].sort());
        // The same block pasted into the command.
        const decoded = await lab.cli(['locked-out', '--decode', '-', '--json'], { input: kit.stdout });
        expect(
          JSON.parse(decoded.stdout)
            .findings.map((f: { id: string }) => f.id)
            .sort(),
        ).toEqual(serverIds);
      });

      it('pasted into an interactive bash, dash or busybox sh (as on a console) it prints the same block', async () => {
        for (const shell of [
          ['bash', '--norc', '-i'],
          ['dash', '-i'],
          ['busybox', 'sh', '-i'],
        ]) {
          const r = await lab.exec(shell, { input: kitScript('alice', PORT) + 'exit\n' });
          expect(
            kitFindings(decodeKit(r.stdout + r.stderr))
              .map((f) => f.id)
              .sort(),
            shell.join(' '),
          ).toEqual([...sc.ids].sort());
        }
      });

      it('the plain-text fallback (no gzip) decodes the same', async () => {
        const r = await lab.exec(['dash'], {
          input: selfCheckingKit(kitBody('alice', PORT).replace('if h gzip&&h base64', 'if false'), 'without gzip'),
        });
        expect(r.stdout).toContain(`${KIT_BEGIN}\nt\n`);
        expect(
          kitFindings(decodeKit(r.stdout))
            .map((f) => f.id)
            .sort(),
        ).toEqual([...sc.ids].sort());
      });
    });
  }

  it('run as a normal user, the decoded report says which checks need root', async () => {
    const lab = await startLab();
    try {
      await lab.sh(SERVER_SETUP(PORT));
      const kit = await lab.exec(['runuser', '-u', 'alice', '--', 'dash'], { input: kitScript('alice', PORT) });
      const r = await lab.cli(['locked-out', '--decode', '-', '--json'], { input: kit.stdout });
      const report = JSON.parse(r.stdout);
      const note = report.findings.find((f: { id: string }) => f.id === 'needs-root');
      expect(note.summary).toMatch(/^Some checks need root \(.*sshd -T.*logs.*\); rerun with sudo to see them\.$/);
      expect(note.evidence).toEqual(['rerun: sudo sh ssh-doctor-kit.sh']);
    } finally {
      await lab.close();
    }
  }, 60_000);

  it('the repair commands it prints, pasted back into the console, fix the server', async () => {
    const lab = await startLab();
    try {
      await lab.sh(SERVER_SETUP(PORT));
      await lab.sh('chmod 666 /home/alice/.ssh/authorized_keys; echo down > /etc/nologin');
      const kit = await lab.exec(['dash'], { input: kitScript('alice', PORT) });
      const repair = repairScript(kitFindings(decodeKit(kit.stdout)));
      expect(repair).toContain('chmod 0600 /home/alice/.ssh/authorized_keys');
      expect(repair).toMatch(/mv \/etc\/nologin \/etc\/nologin\.ssh-doctor-/);
      const applied = await lab.exec(['dash'], { input: repair });
      expect(applied.exitCode).toBe(0);
      const login = await lab.exec([
        'ssh',
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=no',
        '-p',
        String(PORT),
        'alice@127.0.0.1',
        'id',
        '-un',
      ]);
      expect(login.stdout.trim()).toBe('alice');
      const again = await lab.exec(['dash'], { input: kitScript('alice', PORT) });
      expect(
        kitFindings(decodeKit(again.stdout))
          .map((f) => f.id)
          .filter((id) => id !== 'sshd-log-refusal'),
      ).toEqual(['sshd-listen-address']);
    } finally {
      await lab.close();
    }
  }, 60_000);
});

describe.runIf(requireLab())('console kit logs', () => {
  it('reads journalctl before the log file, like the server probe, and keeps only lines about the user', async () => {
    const lab = await startLab();
    try {
      await lab.sh(SERVER_SETUP(PORT));
      await lab.sh(TRY_LOGIN); // /var/log/auth.log now exists and holds sshd's lines
      // A journal with one line about alice and one about someone else.
      await lab.sh(
        [
          'mkdir -p /run/stub',
          `printf '%s\\n' '#!/bin/sh' 'echo "Nov 25 13:00:01 web sshd[7]: Invalid user mallory from 127.0.0.1 port 5000"' 'echo "Nov 25 13:00:02 web sshd[8]: User alice from 127.0.0.1 not allowed because not listed in AllowUsers"' > /run/stub/journalctl`,
          'chmod 755 /run/stub/journalctl',
        ].join('\n'),
      );
      const r = await lab.exec(['env', 'PATH=/run/stub:/usr/sbin:/usr/bin:/sbin:/bin', 'dash'], {
        input: kitScript('alice', PORT),
      });
      const logs = decodeKit(r.stdout).logs as { source: string; lines: string[] };
      expect(logs.source).toBe('journalctl');
      expect(logs.lines).toEqual([
        'Nov 25 13:00:02 web sshd[8]: User alice from 127.0.0.1 not allowed because not listed in AllowUsers',
      ]);
    } finally {
      await lab.close();
    }
  }, 60_000);
});
