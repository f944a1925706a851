// AllowUsers without alice, seen through the console kit: the decoded block proposes the same
// repair command `ssh-doctor server` proposes on that machine, and pasted into a root shell it
// lets alice in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kitScript } from '../../src/locked-out/kit/script.js';
import { login } from './fix-lab.js';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';

const PORT = 2237;
type Fix = { commands: string[][] };
const fixOf = (report: { findings: { id: string; fix?: Fix }[] }) =>
  report.findings.find((f) => f.id === 'user-not-allowed')?.fix;
/** The backup file is named after the moment the fix was proposed. */
const sameMoment = (cmds: string[][]) =>
  cmds.map((c) => c.map((a) => a.replace(/\.ssh-doctor-[\dT:.-]+Z/, '.ssh-doctor-STAMP')));

describe.runIf(requireLab())('console kit: AllowUsers without alice', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`printf 'AllowUsers bob carol\\n' > /etc/ssh/sshd_config.d/20-users.conf\n${SERVER_SETUP(PORT)}`);
  }, 60_000);
  afterAll(() => lab?.close());

  it('decodes to the repair command server gives, which lets alice in', async () => {
    expect((await login(lab, PORT)).exitCode).not.toBe(0);
    const block = (await lab.exec(['busybox', 'sh'], { input: kitScript('alice', PORT) })).stdout;
    const decoded = await lab.cli(['locked-out', '--decode', '-', '--json'], { input: block });
    const kitFix = fixOf(JSON.parse(decoded.stdout));
    const serverFix = fixOf((await lab.json(['server', '--user', 'alice', '--port', String(PORT)])).report);
    expect(serverFix?.commands.flat()).toContain('1c AllowUsers bob carol alice');
    expect(sameMoment(kitFix?.commands ?? [])).toEqual(sameMoment(serverFix!.commands));

    // Redacted, the report names no one and the commands (which need the real names) are left
    // out, with a sentence that says so.
    const shared = await lab.cli(['locked-out', '--decode', '-', '--redact'], { input: block });
    expect(shared.stdout).toContain('ERROR user-not-allowed: sshd does not allow user1 to log in');
    expect(shared.stdout).not.toContain('alice');
    expect(shared.stdout).not.toContain('Paste these commands');
    expect(shared.stdout).toContain('The repair commands are left out of a redacted report');

    const text = await lab.cli(['locked-out', '--decode', '-'], { input: block });
    expect(text.stdout).not.toContain('left out of a redacted report');
    const repair = text.stdout.slice(text.stdout.indexOf('# user-not-allowed'));
    const r = await lab.exec(['dash'], { input: repair.slice(0, repair.indexOf('\n# ', 1) + 1 || undefined) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await lab.sh('cat /etc/ssh/sshd_config.d/20-users.conf')).stdout).toBe('AllowUsers bob carol alice');
    expect((await login(lab, PORT)).stdout.trim()).toBe('alice');
  });
});
