// What ssh's login attempt says after it connects, diagnosed by the built CLI against a real sshd.
// Each case first checks what the real ssh client says, then ssh-doctor's verdict and evidence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ids } from './client-lab.js';
import { requireLab, SERVER_SETUP, startLab, type Lab } from './lab.js';

const evidence = (report: any) => report.findings[0].evidence.join('\n');
const next = (report: any) => (report.findings[0].next ?? []).join('\n');

// Accounts that authenticate with root's key but cannot work, as sysadmins meet them.
const SETUP = `
mkdir -p /root/.ssh && chmod 700 /root/.ssh
ssh-keygen -q -t ed25519 -N '' -f /root/.ssh/id_ed25519
ssh-keygen -q -t ed25519 -N secret -f /root/.ssh/enc
ssh-keygen -q -t dsa -N '' -f /root/.ssh/id_dsa
mk() { useradd -m -s "$2" "$1"; install -d -m 700 -o "$1" -g "$1" /home/$1/.ssh
  cat /root/.ssh/id_ed25519.pub /root/.ssh/enc.pub /root/.ssh/id_dsa.pub > /home/$1/.ssh/authorized_keys
  chown "$1:$1" /home/$1/.ssh/authorized_keys; chmod 600 /home/$1/.ssh/authorized_keys; }
mk alice /bin/bash
mk carol /usr/sbin/nologin
mk dave /bin/false
mk erin /bin/bash; chage -d 0 erin
mk frank /bin/bash; chage -E 0 frank
mk gina /bin/bash; usermod --lock --expiredate 1 gina
mk hank /bin/bash; chown hank /home/hank
mk ivan /bin/bash
mk judy /bin/bash
mk kim /bin/bash
mk leo /bin/bash
cat >> /etc/ssh/sshd_config <<'CONF'
Match User hank
  ChrootDirectory /home/hank
Match User ivan
  ForceCommand /usr/local/bin/no-such-program
Match User judy
  ForceCommand echo "Hi judy! You've successfully authenticated, but GitHub does not provide shell access." >&2; exit 1
Match User kim
  ForceCommand internal-sftp
Match User leo
  ForceCommand ssh -o BatchMode=yes -p 2299 nobody@127.0.0.1
CONF
${SERVER_SETUP(22)}
install -m 600 -o alice -g alice /dev/null /home/alice/.ssh/authorized_keys
cat /root/.ssh/id_ed25519.pub /root/.ssh/enc.pub /root/.ssh/id_dsa.pub > /home/alice/.ssh/authorized_keys
/usr/sbin/sshd -p 2202 -o ListenAddress=127.0.0.1 -o PubkeyAuthentication=no -o PasswordAuthentication=yes
/usr/sbin/sshd -p 2204 -o ListenAddress=127.0.0.1 -o AuthenticationMethods=publickey,keyboard-interactive -o KbdInteractiveAuthentication=yes
/usr/sbin/sshd -p 2208 -o ListenAddress=127.0.0.1 -o Ciphers=aes128-cbc
`;

describe.runIf(requireLab())('login verdicts after the connection (real sshd)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    const r = await lab.sh(SETUP);
    if (r.exitCode !== 0) throw new Error(`setup failed: ${r.stderr}`);
  }, 60_000);
  afterAll(() => lab?.close());

  /** The real ssh, as a user would run it (its own unknown-host handling kept out of the way). */
  const ssh = async (...args: string[]) => {
    const r = await lab.exec([
      'ssh',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      ...args,
      'true',
    ]);
    // Its note on the unknown host is not part of what the account does.
    return { ...r, stderr: r.stderr.replace(/^Warning: Permanently added .*\n?/m, '') };
  };
  const doctor = async (...args: string[]) => {
    const { report } = await lab.json(args);
    // ssh's "Permanently added" (it names our temporary copy) is never shown as the login's result.
    expect(JSON.stringify(report)).not.toMatch(/Permanently added/);
    return report;
  };

  it('ok: authenticated and the session ran', async () => {
    expect((await ssh('alice@127.0.0.1')).exitCode).toBe(0);
    const report = await doctor('alice@127.0.0.1');
    expect(ids(report)).toEqual(['ok', 'host-key-unknown']);
    expect(report.probes.find((p: any) => p.id === 'login').detail).toBe('ssh -o BatchMode=yes logged in');
  });

  it('ok with session-command-output: a git-host style forced command (exit 1, a greeting)', async () => {
    const real = await ssh('judy@127.0.0.1');
    expect(real.exitCode).toBe(1);
    expect(real.stderr).toMatch(/^Hi judy! .* does not provide shell access\.$/m);
    const report = await doctor('judy@127.0.0.1');
    expect(report.verdict.id).toBe('ok');
    expect(ids(report)).toEqual(['ok', 'host-key-unknown', 'session-command-output']);
    const info = report.findings.find((f: any) => f.id === 'session-command-output');
    expect(info.severity).toBe('info');
    expect(info.summary).toContain('status 1');
    expect(info.evidence).toEqual([
      "Hi judy! You've successfully authenticated, but GitHub does not provide shell access.",
    ]);
  });

  it('login-shell-nologin: the shell is /usr/sbin/nologin', async () => {
    const real = await ssh('carol@127.0.0.1');
    expect(real.exitCode).toBe(1);
    expect(real.stdout).toBe('This account is currently not available.');
    const report = await doctor('carol@127.0.0.1');
    expect(ids(report)).toEqual(['login-shell-nologin', 'host-key-unknown']);
    expect(evidence(report)).toContain('This account is currently not available.');
    expect(next(report)).toContain('usermod -s /bin/bash carol');
  });

  it('login-shell-nologin: the shell is /bin/false (status 1, not a word)', async () => {
    const real = await ssh('dave@127.0.0.1');
    expect([real.exitCode, real.stdout, real.stderr]).toEqual([1, '', '']);
    const report = await doctor('dave@127.0.0.1');
    expect(ids(report)).toEqual(['login-shell-nologin', 'host-key-unknown']);
    expect(report.verdict.summary).toContain('/bin/false');
    expect(evidence(report)).toContain('exit status 1, and the session printed nothing');
  });

  it('password-change-required: chage -d 0', async () => {
    const real = await ssh('erin@127.0.0.1');
    expect(real.exitCode).toBe(1);
    expect(real.stderr).toMatch(/^Password change required but no TTY available\.$/m);
    const report = await doctor('erin@127.0.0.1');
    expect(ids(report)).toEqual(['password-change-required', 'host-key-unknown']);
    expect(evidence(report)).toContain('Password change required but no TTY available.');
    expect(next(report)).toMatch(/ssh -t erin@127\.0\.0\.1/);
  });

  it('account-locked: an expired account (chage -E 0)', async () => {
    const real = await ssh('frank@127.0.0.1');
    expect(real.exitCode).toBe(255);
    expect(real.stderr).toMatch(/^Your account has expired; please contact your system administrator\.$/m);
    const report = await doctor('frank@127.0.0.1');
    expect(ids(report)).toEqual(['account-locked', 'host-key-unknown']);
    expect(evidence(report)).toContain('Your account has expired; please contact your system administrator.');
  });

  it('account-locked: locked the way usermod(8) says to lock fully (--lock --expiredate 1)', async () => {
    const real = await ssh('gina@127.0.0.1');
    expect(real.stderr).toMatch(/^Your account has expired; please contact your system administrator\.$/m);
    const report = await doctor('gina@127.0.0.1');
    expect(ids(report)).toEqual(['account-locked', 'host-key-unknown']);
    expect(report.verdict.summary).toBe(
      'The server accepted the key, then turned gina away: the account is expired or locked.',
    );
  });

  it('ok with session-command-output: an sftp-only account', async () => {
    const real = await ssh('kim@127.0.0.1');
    expect([real.exitCode, real.stdout]).toEqual([1, 'This service allows sftp connections only.']);
    const report = await doctor('kim@127.0.0.1');
    expect(ids(report)).toEqual(['ok', 'host-key-unknown', 'session-command-output']);
    expect(report.findings[2].evidence).toEqual(['This service allows sftp connections only.']);
  });

  it("a bastion whose own ssh onward is refused: that is the session's output, not our connection", async () => {
    const real = await ssh('leo@127.0.0.1');
    expect(real.exitCode).toBe(255);
    expect(real.stderr).toMatch(/^ssh: connect to host 127\.0\.0\.1 port 2299: Connection refused$/m);
    const report = await doctor('leo@127.0.0.1');
    expect(ids(report)).toEqual(['ok', 'host-key-unknown', 'session-command-output']);
    expect(report.findings[2].evidence).toContain('ssh: connect to host 127.0.0.1 port 2299: Connection refused');
    expect(report.findings[2].summary).toContain('status 255');
  });

  it('session-closed-after-auth: ChrootDirectory owned by the user', async () => {
    const real = await ssh('hank@127.0.0.1');
    expect(real.exitCode).toBe(255);
    expect(real.stderr, real.stderr).toMatch(/^client_loop: send disconnect: Broken pipe$/m);
    const report = await doctor('hank@127.0.0.1');
    expect(ids(report)).toEqual(['session-closed-after-auth', 'host-key-unknown']);
    expect(evidence(report)).toContain('client_loop: send disconnect: Broken pipe');
    expect(next(report)).toMatch(/ChrootDirectory/);
    expect((await lab.sh('cat /var/log/auth.log')).stdout).toMatch(/bad ownership or modes for chroot directory/);
  });

  it('forced-command-failed: ForceCommand names a missing program', async () => {
    const real = await ssh('ivan@127.0.0.1');
    expect(real.exitCode).toBe(127);
    expect(real.stderr).toMatch(/no-such-program: No such file or directory$/m);
    const report = await doctor('ivan@127.0.0.1');
    expect(ids(report)).toEqual(['forced-command-failed', 'host-key-unknown']);
    expect(evidence(report)).toContain('bash: line 1: /usr/local/bin/no-such-program: No such file or directory');
    expect(report.verdict.summary).toContain('exit 127');
  });

  it('key-encrypted-no-agent: the server would accept the key, batch ssh cannot open it', async () => {
    const real = await ssh('-o', 'IdentitiesOnly=yes', '-i', '/root/.ssh/enc', 'alice@127.0.0.1');
    expect(real.exitCode).toBe(255);
    expect(real.stderr).toMatch(/^alice@127\.0\.0\.1: Permission denied \(publickey,password\)\.$/m);
    const report = await doctor('-o', 'IdentitiesOnly=yes', '-i', '/root/.ssh/enc', 'alice@127.0.0.1');
    expect(ids(report)).toEqual(['key-encrypted-no-agent', 'host-key-unknown']);
    expect(report.verdict.summary).toMatch(/^\/root\/\.ssh\/enc needs a passphrase .*\(the server would accept it\)/);
    expect(evidence(report)).toContain('server accepts key: /root/.ssh/enc');
    expect(next(report)).toContain('ssh-add /root/.ssh/enc');
  });

  it('key-type-disabled: a DSA key this ssh no longer offers', async () => {
    const real = await ssh('-o', 'IdentitiesOnly=yes', '-i', '/root/.ssh/id_dsa', 'alice@127.0.0.1');
    expect(real.exitCode).toBe(255);
    expect(real.stderr).toMatch(/Permission denied \(publickey,password\)/);
    const report = await doctor('-o', 'IdentitiesOnly=yes', '-i', '/root/.ssh/id_dsa', 'alice@127.0.0.1');
    expect(ids(report)).toEqual(['key-type-disabled', 'host-key-unknown']);
    expect(report.verdict.summary).toContain('/root/.ssh/id_dsa (ssh-dss)');
    expect(evidence(report)).toContain(
      'ssh skipped ssh-dss key /root/.ssh/id_dsa: corresponding algo not in PubkeyAcceptedAlgorithms',
    );
    expect(next(report)).toContain('PubkeyAcceptedAlgorithms=+ssh-dss');
  });

  it('pubkey-auth-disabled: the server offers no publickey at all', async () => {
    const real = await ssh('-p', '2202', 'alice@127.0.0.1');
    expect(real.stderr).toMatch(/^alice@127\.0\.0\.1: Permission denied \(password\)\.$/m);
    const report = await doctor('-p', '2202', 'alice@127.0.0.1');
    expect(ids(report)).toEqual(['pubkey-auth-disabled', 'host-key-unknown']);
    expect(report.verdict.summary).toContain('offers only password');
    expect(report.verdict.summary).not.toMatch(/No key was accepted/);
    expect(next(report)).not.toMatch(/authorized_keys/);
    expect(next(report)).toMatch(/ssh-doctor server --port 2202 --user alice/);
  });

  it('auth-second-factor-required: key accepted with partial success, a code wanted', async () => {
    const real = await lab.exec([
      'ssh',
      '-v',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-p',
      '2204',
      'alice@127.0.0.1',
      'true',
    ]);
    expect(real.stderr).toMatch(/^Authenticated using "publickey" with partial success\.$/m);
    expect(real.stderr).toMatch(/Permission denied \(keyboard-interactive\)/);
    const report = await doctor('-p', '2204', 'alice@127.0.0.1');
    expect(ids(report)).toEqual(['auth-second-factor-required', 'host-key-unknown']);
    expect(report.verdict.severity).toBe('warning');
    expect(report.verdict.summary).toContain('keyboard-interactive');
    expect(evidence(report)).toContain('Authenticated using "publickey" with partial success.');
  });

  it('no key to offer: the headline does not say "accepts only keys" beside password', async () => {
    await lab.sh('mv /root/.ssh /root/.ssh.aside');
    try {
      const real = await ssh('alice@127.0.0.1');
      expect(real.stderr).toMatch(/^alice@127\.0\.0\.1: Permission denied \(publickey,password\)\.$/m);
      const report = await doctor('alice@127.0.0.1');
      expect(ids(report)).toEqual(['auth-publickey-denied', 'host-key-unknown', 'no-identities-offered']);
      expect(evidence(report)).toContain('server accepts: publickey, password');
      expect(report.verdict.summary).not.toMatch(/only keys/);
      expect(report.verdict.summary).toBe(
        'ssh had no key to offer for alice; the server also takes password, which a batch check cannot type.',
      );
    } finally {
      await lab.sh('mv /root/.ssh.aside /root/.ssh');
    }
  });

  it('algorithm-mismatch on a cipher: the advice is Ciphers, not ssh-keygen -A', async () => {
    const real = await ssh('-p', '2208', 'alice@127.0.0.1');
    expect(real.stderr).toMatch(/^Unable to negotiate with 127\.0\.0\.1 port 2208: no matching cipher found\./m);
    const report = await doctor('-p', '2208', 'alice@127.0.0.1');
    expect(ids(report)).toEqual(['algorithm-mismatch', 'host-key-unknown']);
    expect(next(report)).not.toContain('ssh-keygen');
    expect(next(report)).toContain('Ciphers=+aes128-cbc');
    expect(next(report)).toMatch(/remove the Ciphers line from sshd_config/);
  });

  it("an unknown host: no run above added it to the user's known_hosts", async () => {
    expect((await lab.sh('test -e /root/.ssh/known_hosts && echo present || echo absent')).stdout.trim()).toBe(
      'absent',
    );
  });
});
