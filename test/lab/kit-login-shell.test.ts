// alice's login shell is nologin, seen through the console kit: the decoded block carries the
// repair `ssh-doctor server` proposes on that machine (usermod -s to the shell new accounts get,
// listed in /etc/shells, with its undo), and pasted into a root shell it lets alice in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kitScript } from '../../src/locked-out/kit/script.js';
import { login } from './fix-lab.js';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';

const PORT = 2243;
type Fix = { id: string; commands: string[][]; undo: string[][] };
type Report = { findings: { id: string; fix?: Fix }[] };
const fixOf = (report: Report) => report.findings.find((f) => f.id === 'login-shell-nologin')?.fix;

describe.runIf(requireLab())('console kit: login shell nologin', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(PORT)}\nusermod -s /usr/sbin/nologin alice`);
  }, 60_000);
  afterAll(() => lab?.close());

  it('decodes to the usermod -s server gives, which lets alice in', async () => {
    const refused = await login(lab, PORT);
    expect(refused.stdout.trim()).toBe('This account is currently not available.');
    expect(refused.exitCode).toBe(1);

    const block = (await lab.exec(['busybox', 'sh'], { input: kitScript('alice', PORT) })).stdout;
    const decoded = JSON.parse((await lab.cli(['locked-out', '--decode', '-', '--json'], { input: block })).stdout);
    const server = (await lab.json(['server', '--user', 'alice', '--port', String(PORT)])).report as Report;
    // The lab's sshd listens on 127.0.0.1 only: both say so, and nothing else but the shell.
    expect(decoded.findings.map((f: { id: string }) => f.id)).toEqual(['sshd-listen-address', 'login-shell-nologin']);
    expect(server.findings.map((f) => f.id)).toEqual(['sshd-listen-address', 'login-shell-nologin']);
    expect(fixOf(decoded)).toEqual({
      ...fixOf(server),
      id: 'set-login-shell',
      commands: [['usermod', '-s', '/bin/sh', 'alice']],
      undo: [['usermod', '-s', '/usr/sbin/nologin', 'alice']],
    });

    const text = (await lab.cli(['locked-out', '--decode', '-'], { input: block })).stdout;
    const repair = text.slice(text.indexOf('# login-shell-nologin'));
    const r = await lab.exec(['dash'], { input: repair.slice(0, repair.indexOf('\n# ', 1) + 1 || undefined) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await lab.sh('getent passwd alice')).stdout.trim()).toMatch(/:\/bin\/sh$/);
    expect((await login(lab, PORT)).stdout.trim()).toBe('alice');
  });
});
