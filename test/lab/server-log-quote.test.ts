// The sshd log line that explains a refusal is quoted, not sshd's generic "Connection closed by
// authenticating user": each case first fails a real login against the real sshd.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { canLogin, diagnose, finding, SETUP, sh } from '../server/lab-helpers.js';

describe.runIf(requireLab())('server: the log line that says why', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, SETUP);
  });
  afterEach(() => lab?.close());

  it('a login shell that does not exist: sshd says so, and that line is quoted', async () => {
    await sh(lab, 'usermod -s /bin/zsh-not-installed alice');
    expect(await canLogin(lab)).toBe(false);
    // sshd -E ends its lines with CRLF.
    const log = (await sh(lab, 'cat /var/log/auth.log')).split(/\r?\n/);
    const why = log.find((l) => l.includes('not allowed because shell'))!;
    expect(why).toMatch(/User alice not allowed because shell \/bin\/zsh-not-installed does not exist/);
    const { report } = await diagnose(lab);
    const f = finding(report, 'sshd-log-refusal');
    expect(f.summary).toBe(
      `sshd's log (/var/log/auth.log) says: "User alice not allowed because shell /bin/zsh-not-installed does not exist"`,
    );
    expect(f.evidence).toContain(why);
    expect(f.evidence.filter((l) => /Connection closed by authenticating user/.test(l))).toEqual([]);
  });

  it('an .ssh directory others may write: "Authentication refused: bad ownership or modes" is quoted', async () => {
    await sh(lab, 'chmod 0777 /home/alice/.ssh');
    expect(await canLogin(lab)).toBe(false);
    // sshd closes with the generic line as well: it is in the log, not in the finding.
    expect(await sh(lab, 'cat /var/log/auth.log')).toMatch(/Connection closed by authenticating user alice/);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['ssh-dir-permissions', 'sshd-log-refusal']);
    expect(finding(report, 'sshd-log-refusal').summary).toBe(
      `sshd's log (/var/log/auth.log) says: "Authentication refused: bad ownership or modes for directory /home/alice/.ssh"`,
    );
    expect(
      finding(report, 'sshd-log-refusal').evidence.filter((l) => /Connection closed by authenticating user/.test(l)),
    ).toEqual([]);
  });
});
