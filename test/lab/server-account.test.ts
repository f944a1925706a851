// Account settings that end a key login after sshd accepted the key: a refusing login shell and a
// forced password change. Each: the real client fails, `server --json` names it, `--yes` fixes it,
// a real login succeeds, and `undo` puts the account back as it was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { STATE } from './fix-lab.js';
import { aliceSsh, canLogin, diagnose, finding, PORT, SETUP, sh } from '../server/lab-helpers.js';

const LOGIN = aliceSsh();

describe.runIf(requireLab())('server diagnosis: the account ends the session', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, SETUP);
  });
  afterEach(() => lab?.close());

  async function fixAndUndo(fixId: string): Promise<void> {
    const r = await lab.json(['server', '--yes', '--user', 'alice', '--port', String(PORT)], { env: STATE });
    expect(r.report.applied).toEqual([expect.objectContaining({ fixId, ok: true })]);
    expect(await canLogin(lab)).toBe(true);
    const list = JSON.parse((await lab.cli(['undo', '--list', '--json'], { env: STATE })).stdout).entries as {
      id: string;
    }[];
    const undo = await lab.cli(['undo', list[0]!.id, '--yes'], { env: STATE });
    expect(undo.exitCode).toBe(0);
    expect(await canLogin(lab)).toBe(false);
  }

  it('login-shell-nologin: shell /usr/sbin/nologin; fixed with the shell useradd gives new accounts', async () => {
    await sh(lab, 'usermod -s /usr/sbin/nologin alice');
    const real = await lab.exec(LOGIN);
    expect(real.stdout.trim()).toBe('This account is currently not available.');
    expect(real.exitCode).toBe(1);
    const { report, ids, exitCode } = await diagnose(lab);
    expect(ids).toEqual(['login-shell-nologin']);
    const f = finding(report, 'login-shell-nologin') as ReturnType<typeof finding> & {
      fix: { commands: string[][]; undo: string[][] };
    };
    expect(f.evidence).toEqual(['getent passwd alice: shell /usr/sbin/nologin']);
    expect(f.fix.commands).toEqual([['usermod', '-s', '/bin/sh', 'alice']]);
    expect(f.fix.undo).toEqual([['usermod', '-s', '/usr/sbin/nologin', 'alice']]);
    expect(exitCode).toBe(1);
    await fixAndUndo('set-login-shell');
    expect((await sh(lab, 'getent passwd alice')).trim()).toMatch(/:\/usr\/sbin\/nologin$/);
  });

  it('login-shell-nologin: without a default shell listed in /etc/shells, steps instead of a fix', async () => {
    await sh(lab, "usermod -s /bin/false alice; sed -i 's|^/bin/sh$|# /bin/sh|' /etc/shells");
    expect(await canLogin(lab)).toBe(false);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['login-shell-nologin']);
    const f = finding(report, 'login-shell-nologin') as ReturnType<typeof finding> & { fix?: unknown };
    expect(f.fix).toBeUndefined();
    expect(f.next![0]).toMatch(
      /^as root, if alice should have a shell, one of \/etc\/shells \(.*\/bin\/bash.*\), e\.g\.:$/,
    );
    await sh(lab, f.next![1]!);
    expect(await canLogin(lab)).toBe(true);
  });

  it('password-change-required: chage -d 0; fixed with chage -d today, undone back to 0', async () => {
    await sh(lab, 'chage -d 0 alice');
    const real = await lab.exec(LOGIN);
    expect(real.stderr).toContain('Password change required but no TTY available');
    expect(real.stdout).toBe('');
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['password-change-required']);
    const f = finding(report, 'password-change-required') as ReturnType<typeof finding> & {
      fix: { commands: string[][]; undo: string[][] };
    };
    expect(f.evidence).toEqual([
      'shadow: last password change is day 0 (chage -d 0 or passwd -e): a change is forced at the next login',
    ]);
    const today = new Date().toISOString().slice(0, 10);
    expect(f.fix.commands).toEqual([['chage', '-d', today, 'alice']]);
    expect(f.fix.undo).toEqual([['chage', '-d', '0', 'alice']]);
    await fixAndUndo('clear-forced-password-change');
    expect((await sh(lab, 'getent shadow alice')).split(':')[2]).toBe('0');
  });
});
