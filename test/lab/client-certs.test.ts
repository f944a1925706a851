// user-certificate-invalid against a real sshd that trusts a lab CA (TrustedUserCAKeys) and has no
// authorized_keys: the only way in is a certificate, re-signed for each scenario.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, SERVER_SETUP, startLab, type Lab } from './lab.js';

const CERT = '/root/.ssh/id_ed25519-cert.pub';

describe.runIf(requireLab())('user-certificate-invalid', () => {
  let l: Lab;
  beforeAll(async () => {
    l = await startLab();
    const r =
      await l.sh(`${SERVER_SETUP(22, ['TrustedUserCAKeys=/etc/ssh/ca.pub', 'AuthorizedKeysFile=none', 'LogLevel=VERBOSE'])}
ssh-keygen -q -t ed25519 -N '' -C lab-ca -f /root/ca && cp /root/ca.pub /etc/ssh/ca.pub
ssh-keygen -q -t ed25519 -N '' -C other-ca -f /root/other-ca
ssh-keyscan 127.0.0.1 > /root/.ssh/known_hosts 2>/dev/null`);
    if (r.exitCode !== 0) throw new Error(r.stderr);
  });
  afterAll(() => l?.close());

  /** Signs root's key with CA, then: the real ssh's result, sshd's log line, ssh-doctor's report. */
  async function scenario(ca: string, principals: string, validity: string) {
    const sign = await l.sh(`rm -f ${CERT} && : > /var/log/auth.log
ssh-keygen -q -s /root/${ca} -I lab-cert -n ${principals} -V ${validity} /root/.ssh/id_ed25519.pub`);
    expect(sign.exitCode).toBe(0);
    const ssh = await l.exec(['ssh', '-o', 'BatchMode=yes', 'alice@127.0.0.1', 'true']);
    const log = (await l.sh('cat /var/log/auth.log')).stdout;
    const { exitCode, report } = await l.json(['alice@127.0.0.1']);
    const caPrint = (await l.sh(`ssh-keygen -lf /root/${ca}.pub | cut -d' ' -f2`)).stdout.trim();
    return { ssh, log, exitCode, report, caPrint, evidence: report.findings[0].evidence.join('\n') };
  }
  const ids = (report: { findings: { id: string }[] }) => report.findings.map((f) => f.id);

  it('a valid certificate logs in: ok', async () => {
    const s = await scenario('ca', 'alice', '+1h');
    expect(s.ssh.exitCode).toBe(0);
    expect(ids(s.report)).toEqual(['ok']);
  });

  it('expired', async () => {
    const s = await scenario('ca', 'alice', '20200101:20200102');
    expect(s.ssh.stderr).toMatch(/^alice@127\.0\.0\.1: Permission denied \(publickey,password\)\.$/m);
    expect(s.log).toMatch(/Certificate invalid: expired/);
    expect(s.exitCode).toBe(1);
    expect(ids(s.report)).toEqual(['user-certificate-invalid']);
    expect(s.report.verdict.summary).toBe(
      `The server refused your SSH certificate ${CERT}: it expired on 2020-01-02 00:00:00 UTC.`,
    );
    expect(s.evidence).toMatch(/^debug1: Offering public key: \/root\/\.ssh\/id_ed25519 ED25519-CERT SHA256:\S+$/m);
    expect(s.evidence).toContain(
      `ssh-keygen -L -f ${CERT}: Key ID "lab-cert", valid from 2020-01-01T00:00:00 to 2020-01-02T00:00:00 UTC, principals: alice`,
    );
    expect(s.evidence).toMatch(/^checked against this machine's clock: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d UTC$/m);
    expect(s.evidence).toMatch(/Permission denied \(publickey,password\)/);
  });

  it('not yet valid', async () => {
    const s = await scenario('ca', 'alice', '20990101:20991231');
    expect(s.log).toMatch(/Certificate invalid: not yet valid/);
    expect(ids(s.report)).toEqual(['user-certificate-invalid']);
    expect(s.report.verdict.summary).toContain('it is not valid before 2099-01-01 00:00:00 UTC');
  });

  it('for other principals', async () => {
    const s = await scenario('ca', 'bob,carol', '+1h');
    expect(s.log).toMatch(/Certificate invalid: name is not a listed principal/);
    expect(ids(s.report)).toEqual(['user-certificate-invalid']);
    expect(s.report.verdict.summary).toBe(
      `The server refused your SSH certificate ${CERT}: it is for bob, carol, not alice.`,
    );
  });

  it('signed by a CA the server does not trust', async () => {
    const s = await scenario('other-ca', 'alice', '+1h');
    expect(s.ssh.stderr).toMatch(/Permission denied \(publickey,password\)/);
    expect(s.log).toMatch(/Connection closed by authenticating user alice/);
    expect(ids(s.report)).toEqual(['user-certificate-invalid']);
    expect(s.report.verdict.summary).toMatch(/valid now and names alice: the server does not trust the CA/);
    expect(s.evidence).toContain(`signed by CA ED25519 ${s.caPrint} (using ssh-ed25519)`);
    expect(s.report.findings[0].next.join('\n')).toContain('TrustedUserCAKeys');
  });
});
