// A broken config gets real help: sshd -t's complaint, the line itself, what sshd accepts there,
// and the nearest accepted value through the validated edit; start-sshd only once sshd -t passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { canLogin, diagnose, finding, PORT, SETUP, sh, STOP_SSHD } from '../server/lab-helpers.js';
import { STATE } from './fix-lab.js';

const DROP_IN = '/etc/ssh/sshd_config.d/50-typo.conf';

describe.runIf(requireLab())('server: a value sshd rejects', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await sh(
      lab,
      `${SETUP}\n${STOP_SSHD}\nsed -i '1i Port ${PORT}' /etc/ssh/sshd_config\nprintf '# typo\\nPubkeyAuthentication yess\\n' > ${DROP_IN}`,
    );
  });
  afterAll(() => lab?.close());

  it('the line, what sshd accepts, the corrected value; no start while sshd -t fails; --yes then lets alice in', async () => {
    expect((await lab.exec(['/usr/sbin/sshd'])).stderr).toContain(`${DROP_IN} line 2: unsupported option "yess".`);
    expect(await canLogin(lab)).toBe(false);
    const { report, ids } = await diagnose(lab, [], STATE);
    expect(ids).toEqual(['sshd-config-invalid', 'sshd-not-running']);
    const f = finding(report, 'sshd-config-invalid');
    expect(f.evidence).toEqual([
      `${DROP_IN}:2: unsupported option "yess".`,
      `${DROP_IN}:2 reads: PubkeyAuthentication yess`,
      'sshd accepts there: yes, no',
    ]);
    expect(report.findings[0].fix).toMatchObject({
      id: 'correct-config-value',
      title: `Line 2: "PubkeyAuthentication yess" → "PubkeyAuthentication yes" (in ${DROP_IN})`,
    });
    expect(finding(report, 'sshd-not-running')).not.toHaveProperty('fix');

    const r = await diagnose(lab, ['--yes'], STATE);
    expect(r.report.applied).toEqual([
      expect.objectContaining({ fixId: 'correct-config-value', ok: true }),
      expect.objectContaining({ fixId: 'start-sshd', ok: true }),
    ]);
    expect(r.ids).toEqual([]);
    expect((await lab.sh(`cat ${DROP_IN}`)).stdout).toBe('# typo\nPubkeyAuthentication yes');
    expect((await lab.exec(['/usr/sbin/sshd', '-t'])).exitCode).toBe(0);
    expect(await canLogin(lab)).toBe(true);
  });
});
