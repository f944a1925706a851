// A `Port 2222` left in `Host *` is refused while sshd answers on the default port: the one extra
// connect to 22 finds it and says where 2222 came from.
import { afterEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';

const labs: Lab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((l) => l.close()));
});

describe.runIf(requireLab())('the default port, when the configured one is refused', () => {
  it('Port 2222 in Host * refused, sshd on 22: connection-refused, and SSH found on port 22', async () => {
    const l = await startLab();
    labs.push(l);
    const setup = await l.sh(`${SERVER_SETUP(22)}printf 'Host *\\n  Port 2222\\n' > /root/.ssh/config\n`);
    expect(setup.exitCode).toBe(0);
    const plain = await l.exec(['ssh', '-o', 'BatchMode=yes', 'alice@127.0.0.1', 'true']);
    expect(plain.stderr).toContain('ssh: connect to host 127.0.0.1 port 2222: Connection refused');

    const { report } = await l.json(['alice@127.0.0.1']);
    expect(report.verdict.id).toBe('connection-refused');
    expect(report.findings.map((f: any) => f.id)).toEqual(['connection-refused', 'ssh-found-on-other-port']);
    const other = report.findings[1];
    expect(other.summary).toBe('SSH answers on port 22 instead.');
    expect(other.evidence).toEqual([
      expect.stringMatching(/^127\.0\.0\.1:22 says "SSH-2\.0-OpenSSH_/),
      'port 2222 comes from a Port line in your ssh config (one left in Host * applies to every host)',
    ]);
  });
});
