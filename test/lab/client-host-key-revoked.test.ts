// host-key-revoked against a real sshd: the user's known_hosts marks the server's key @revoked.
import { afterEach, describe, expect, it } from 'vitest';
import { requireLab, SERVER_SETUP, startLab, type Lab } from './lab.js';

const labs: Lab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((l) => l.close()));
});

describe.runIf(requireLab())('host-key-revoked', () => {
  it('ssh refuses the revoked key; the report names the known_hosts line; no key is ever offered', async () => {
    const l = await startLab();
    labs.push(l);
    const setup = await l.sh(
      SERVER_SETUP(22) +
        `key=$(cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)
{ echo '# the key was stolen'; echo "127.0.0.1 $key"; echo "@revoked 127.0.0.1 $key"; } > /root/.ssh/known_hosts
`,
    );
    expect(setup.exitCode).toBe(0);

    const ssh = await l.exec(['ssh', '-o', 'BatchMode=yes', 'alice@127.0.0.1', 'true']);
    expect(ssh.exitCode).toBe(255);
    expect(ssh.stderr).toMatch(/WARNING: REVOKED HOST KEY DETECTED!/);
    expect(ssh.stderr).toMatch(
      /^ED25519 host key for 127\.0\.0\.1 was revoked and you have requested strict checking\.$/m,
    );

    const fingerprint = (await l.sh('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub')).stdout.split(' ')[1];
    const { exitCode, report } = await l.json(['alice@127.0.0.1']);
    expect(exitCode).toBe(1);
    expect(report.verdict.id).toBe('host-key-revoked');
    expect(report.findings.map((f: { id: string }) => f.id)).toEqual(['host-key-revoked']);
    expect(report.findings[0].evidence.slice(0, 2)).toEqual([
      '/root/.ssh/known_hosts:3 marks this ssh-ed25519 key @revoked',
      `the server presents ssh-ed25519 ${fingerprint}`,
    ]);
    expect(report.findings[0].fix).toBeUndefined();
    // The login runs beside the handshake; ssh checks the same @revoked line and stops before
    // authentication, so the server never saw a key.
    expect(report.findings[0].evidence.slice(2).join('\n')).toMatch(/REVOKED HOST KEY|was revoked/);
    expect((await l.sh('cat /var/log/auth.log')).stdout).not.toMatch(/Accepted|Postponed publickey|Failed publickey/);
  });
});
