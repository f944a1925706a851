// Never "ok" without knowing: when a check that could explain a refusal did not run, the real CLI
// says checks-incomplete (exit 1), names each unknown check, and what would run it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireLab, startLab, type Lab } from './lab.js';
import { diagnose, finding, PORT, SETUP, sh } from '../server/lab-helpers.js';

describe.runIf(requireLab())('server: checks that did not run', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await sh(lab, SETUP);
  });
  afterAll(() => lab?.close());

  it('as root with every tool: server-ok, exit 0', async () => {
    const { exitCode, report } = await diagnose(lab);
    expect(report.verdict.id, JSON.stringify(report.findings)).toBe('server-ok');
    expect(exitCode).toBe(0);
  });

  it('a normal user: checks-incomplete, exit 1, the root-only checks named with the sudo rerun', async () => {
    const r = await lab.exec(
      ['runuser', '-u', 'alice', '--', 'node', CLI, 'server', '--json', '--user', 'alice', '--port', String(PORT)],
      { timeoutMs: 30_000 },
    );
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { id: string }) => f.id)).toEqual(['needs-root', 'checks-incomplete']);
    expect(report.verdict.id).toBe('checks-incomplete');
    expect(report.verdict.severity).toBe('warning');
    expect(r.exitCode).toBe(1);
    const f = finding(report, 'checks-incomplete');
    expect(f.evidence).toContain('sshd -T: sshd must read its host keys: run as root (needs root)');
    expect(f.next).toEqual([
      expect.stringMatching(
        new RegExp(`^as root, to run sshd -t, sshd -T, .*: sudo ssh-doctor server --user alice --port ${PORT} --json$`),
      ),
    ]);
  });

  it('ss and netstat not on PATH: checks-incomplete naming the listening sockets and why', async () => {
    // A PATH with everything of /usr/bin but ss and netstat.
    await sh(
      lab,
      'mkdir -p /root/no-ss; for f in /usr/bin/*; do case "${f##*/}" in ss|netstat) ;; *) ln -sf "$f" /root/no-ss/ ;; esac; done',
    );
    const r = await lab.exec(
      [
        'env',
        'PATH=/root/no-ss:/usr/sbin:/sbin',
        'node',
        CLI,
        'server',
        '--json',
        '--user',
        'alice',
        '--port',
        String(PORT),
      ],
      { timeoutMs: 30_000 },
    );
    const report = JSON.parse(r.stdout);
    expect(
      report.findings.map((f: { id: string }) => f.id),
      JSON.stringify(report.findings),
    ).toEqual(['checks-incomplete']);
    expect(r.exitCode).toBe(1);
    expect(finding(report, 'checks-incomplete').evidence).toEqual([
      'listening sockets: neither ss nor netstat answered (ss is not installed; netstat is not installed)',
    ]);
  });
});
