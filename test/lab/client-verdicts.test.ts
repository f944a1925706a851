// One real breakage per client verdict, diagnosed by the built CLI against a real sshd.
import { describe, expect, it } from 'vitest';
import { background, evidence, ids, labPerTest } from './client-lab.js';
import { requireLab, SERVER_SETUP } from './lab.js';

const lab = labPerTest();

describe.runIf(requireLab())('client verdicts against a real sshd', () => {
  it('ok: login works, and known_hosts is left untouched', async () => {
    const l = await lab(SERVER_SETUP(22));
    const { exitCode, report } = await l.json(['alice@127.0.0.1']);
    expect(report.verdict.id).toBe('ok');
    expect(exitCode).toBe(0);
    expect(report.schema).toBe('ssh-doctor/report@1');
    expect(report.target).toEqual({ user: 'alice', host: '127.0.0.1', port: 22 });
    expect(ids(report)).toEqual(['ok', 'host-key-unknown']);
    expect(report.probes.map((p: any) => p.id).sort()).toEqual([
      'config',
      'dns',
      'handshake',
      'keys',
      'known-hosts',
      'login',
      'tcp',
    ]);
    expect((await l.sh('test -e /root/.ssh/known_hosts && echo present || echo absent')).stdout.trim()).toBe('absent');
  });

  it('without a terminal and without --json: a plain-text report', async () => {
    const l = await lab(SERVER_SETUP(2222));
    const r = await l.cli(['alice@127.0.0.1']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^Verdict: connection-refused \(error\)/m);
    expect(r.stdout).toMatch(/WARNING ssh-found-on-other-port: SSH answers on port 2222 instead\./);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('dns-unresolved: a name nothing resolves', async () => {
    const l = await lab('true');
    const { exitCode, report } = await l.json(['alice@no-such-host.invalid', '--timeout', '2000']);
    expect(report.verdict.id).toBe('dns-unresolved');
    expect(ids(report)).toEqual(['dns-unresolved']);
    expect(exitCode).toBe(1);
    expect(report.verdict.summary).toContain('no-such-host.invalid');
  });

  it('no-route: the kernel answers "host unreachable"', async () => {
    const l = await lab('iptables -A OUTPUT -d 127.0.0.2 -j REJECT --reject-with icmp-host-unreachable');
    const { report } = await l.json(['alice@127.0.0.2']);
    expect(report.verdict.id).toBe('no-route');
    expect(ids(report)).toEqual(['no-route']);
    expect(evidence(report)).toMatch(/127\.0\.0\.2:22 unreachable/);
  });

  it('connection-refused, and sshd found on port 2222', async () => {
    const l = await lab(SERVER_SETUP(2222));
    const { exitCode, report } = await l.json(['alice@127.0.0.1']);
    expect(report.verdict.id).toBe('connection-refused');
    expect(ids(report)).toEqual(['connection-refused', 'ssh-found-on-other-port']);
    expect(exitCode).toBe(1);
    expect(evidence(report)).toContain('127.0.0.1:22 refused (ECONNREFUSED)');
    const other = report.findings.find((f: any) => f.id === 'ssh-found-on-other-port');
    expect(other.summary).toContain('2222');
    expect(other.evidence.join('\n')).toMatch(/SSH-2\.0-OpenSSH/);
  });

  it('connection-timeout: an iptables DROP, bounded by --timeout, not by the OS', async () => {
    const l = await lab(SERVER_SETUP(22) + 'iptables -A INPUT -p tcp --dport 22 -j DROP\n');
    const started = Date.now();
    const { report } = await l.json(['alice@127.0.0.1', '--timeout', '1500']);
    const took = Date.now() - started;
    expect(report.verdict.id).toBe('connection-timeout');
    expect(ids(report)).toEqual(['connection-timeout']);
    expect(report.verdict.summary).toContain('1500 ms');
    expect(took).toBeLessThan(6000);
    expect(report.findings[0].next.join('\n')).toMatch(/security group/);
  });

  it('not-ssh-service: a mail server on the port', async () => {
    const l = await lab(
      background(
        `node -e "require('net').createServer(s=>s.end('220 mail.lab ESMTP Postfix\\r\\n')).listen(2525,'127.0.0.1')"`,
      ),
    );
    const { report } = await l.json(['-p', '2525', 'alice@127.0.0.1']);
    expect(report.verdict.id).toBe('not-ssh-service');
    expect(ids(report)).toEqual(['not-ssh-service']);
    expect(report.verdict.summary).toContain('220 mail.lab ESMTP Postfix');
  });

  it('banner-exchange-failed: sshd past MaxStartups drops the connection before its banner', async () => {
    const l = await lab(
      SERVER_SETUP(22, ['MaxStartups=1']) +
        background(`node -e "require('net').connect(22,'127.0.0.1'); setInterval(()=>{},1e6)"`),
    );
    const { report } = await l.json(['alice@127.0.0.1']);
    expect(report.verdict.id).toBe('banner-exchange-failed');
    expect(ids(report)).toEqual(['banner-exchange-failed']);
    expect(report.findings[0].next.join('\n')).toMatch(/MaxStartups/);
    expect((await l.sh('cat /var/log/auth.log')).stdout).toMatch(/past MaxStartups/);
  });

  it('algorithm-mismatch: a server that only offers ssh-rsa host keys', async () => {
    const l = await lab(SERVER_SETUP(22, ['HostKeyAlgorithms=ssh-rsa']));
    const { report } = await l.json(['alice@127.0.0.1']);
    expect(report.verdict.id).toBe('algorithm-mismatch');
    expect(ids(report)).toEqual(['algorithm-mismatch', 'host-key-unknown']);
    expect(report.verdict.summary).toContain('ssh-rsa');
    expect(report.findings[0].next.join('\n')).toContain('HostKeyAlgorithms=+ssh-rsa');
  });

  it('host-key-changed: hashed stale entry, then --yes removes it with a backup', async () => {
    const l = await lab(
      SERVER_SETUP(22) +
        `ssh-keygen -q -t ed25519 -N '' -f /root/other
echo "127.0.0.1 $(cut -d' ' -f1,2 /root/other.pub)" > /root/.ssh/known_hosts
ssh-keygen -q -H -f /root/.ssh/known_hosts && rm -f /root/.ssh/known_hosts.old
`,
    );
    const { report } = await l.json(['alice@127.0.0.1']);
    expect(report.verdict.id).toBe('host-key-changed');
    expect(ids(report)).toEqual(['host-key-changed']);
    expect(report.verdict.summary).toMatch(/man-in-the-middle/);
    expect(evidence(report)).toContain(
      '/root/.ssh/known_hosts:1 stores a ssh-ed25519 key for 127.0.0.1 (hashed entry)',
    );
    const fix = report.findings[0].fix;
    expect(fix.commands).toContainEqual(['ssh-keygen', '-R', '127.0.0.1', '-f', '/root/.ssh/known_hosts']);
    // The login runs beside the handshake, and ssh's own strict checking stops it at the host key:
    // no key is offered to a server whose key changed.
    expect(report.probes.find((p: any) => p.id === 'login').detail).toMatch(/^host-key-changed: /);
    expect((await l.sh('cat /var/log/auth.log')).stdout).not.toMatch(/Accepted|Postponed publickey/);

    const fixed = await l.json(['alice@127.0.0.1', '--yes'], { env: { SSH_DOCTOR_STATE_DIR: '/root/state' } });
    expect(fixed.report.applied).toEqual([expect.objectContaining({ fixId: 'remove-stale-host-key', ok: true })]);
    const after = await l.sh(
      'ssh-keygen -F 127.0.0.1 -f /root/.ssh/known_hosts | grep -c ssh-ed25519 || true; ls /root/.ssh/ | grep -c ssh-doctor-',
    );
    expect(after.stdout.split('\n').slice(0, 2)).toEqual(['0', '1']);
    const again = await l.json(['alice@127.0.0.1']);
    expect(again.report.verdict.id).toBe('ok');

    // The user then accepts the new key; undo must not silently throw that away.
    await l.sh('ssh-keyscan -t ed25519 127.0.0.1 >> /root/.ssh/known_hosts 2>/dev/null');
    const state = { env: { SSH_DOCTOR_STATE_DIR: '/root/state' } };
    const [entry] = JSON.parse((await l.cli(['undo', '--list', '--json'], state)).stdout).entries;
    const refused = await l.cli(['undo', entry.id, '--yes'], state);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/changed since|--force/);
    expect((await l.sh('ssh-keygen -F 127.0.0.1 -f /root/.ssh/known_hosts | grep -c ssh-ed25519')).stdout.trim()).toBe(
      '1',
    );
  });

  it('private-key-permissions: a 0644 key is ignored; --yes makes it 0600 and login works', async () => {
    const l = await lab(SERVER_SETUP(22) + 'chmod 0644 /root/.ssh/id_ed25519\n');
    const { report } = await l.json(['alice@127.0.0.1']);
    expect(report.verdict.id).toBe('private-key-permissions');
    expect(ids(report)).toEqual(['private-key-permissions', 'host-key-unknown']);
    expect(evidence(report)).toContain('/root/.ssh/id_ed25519 has mode 0644');
    expect(report.findings[0].fix).toMatchObject({
      commands: [['chmod', '0600', '/root/.ssh/id_ed25519']],
      undo: [['chmod', '0644', '/root/.ssh/id_ed25519']],
    });

    const fixed = await l.json(['alice@127.0.0.1', '--yes'], { env: { SSH_DOCTOR_STATE_DIR: '/root/state' } });
    expect(fixed.report.applied[0]).toMatchObject({ fixId: 'chmod-private-key', ok: true });
    expect((await l.sh('stat -c %a /root/.ssh/id_ed25519')).stdout.trim()).toBe('600');
    // One change in the journal (its pending line superseded by the applied one).
    expect(
      JSON.parse(
        (await l.cli(['undo', '--list', '--json'], { env: { SSH_DOCTOR_STATE_DIR: '/root/state' } })).stdout,
      ).entries.map((e: { fixId: string; status: string }) => [e.fixId, e.status]),
    ).toEqual([['chmod-private-key', 'applied']]);
    expect((await l.json(['alice@127.0.0.1'])).report.verdict.id).toBe('ok');
  });

  it('too-many-auth-failures: more wrong keys than MaxAuthTries', async () => {
    const l = await lab(
      SERVER_SETUP(22, ['MaxAuthTries=2']) +
        `for k in a b c; do ssh-keygen -q -t ed25519 -N '' -f /root/.ssh/wrong_$k; done\n`,
    );
    const { report } = await l.json([
      '-i',
      '/root/.ssh/wrong_a',
      '-i',
      '/root/.ssh/wrong_b',
      '-i',
      '/root/.ssh/wrong_c',
      'alice@127.0.0.1',
    ]);
    expect(report.verdict.id).toBe('too-many-auth-failures');
    expect(ids(report)).toEqual(['too-many-auth-failures', 'host-key-unknown']);
    expect(report.findings[0].next.join('\n')).toContain('IdentitiesOnly=yes');
  });

  it('auth-publickey-denied: the key is not in authorized_keys', async () => {
    const l = await lab(SERVER_SETUP(22) + 'rm /home/alice/.ssh/authorized_keys\n');
    const { report } = await l.json(['alice@127.0.0.1']);
    expect(report.verdict.id).toBe('auth-publickey-denied');
    expect(ids(report)).toEqual(['auth-publickey-denied', 'host-key-unknown']);
    expect(evidence(report)).toMatch(/offered and refused: .*id_ed25519/);
    expect(evidence(report)).toMatch(/server accepts: publickey/);
  });

  it('auth-password-denied: the server only takes passwords, and the user has no key', async () => {
    const l = await lab(
      SERVER_SETUP(22, ['PubkeyAuthentication=no', 'PasswordAuthentication=yes']) + 'rm /root/.ssh/id_ed25519*\n',
    );
    const { report } = await l.json(['alice@127.0.0.1']);
    expect(report.verdict.id).toBe('auth-password-denied');
    expect(ids(report)).toEqual(['auth-password-denied', 'host-key-unknown']);
    expect(evidence(report)).toMatch(/server accepts: .*password/);
  });
});

describe.runIf(requireLab())('through a jump host (-J)', () => {
  it('a refusing jump host is named as such', async () => {
    const l = await lab(SERVER_SETUP(22));
    const { report } = await l.json(['-J', 'alice@127.0.0.1:2200', 'alice@127.0.0.1']);
    expect(report.verdict.id).toBe('connection-refused');
    // The jump host's address answers SSH on the default port 22 (tried when 2200 refuses).
    expect(ids(report)).toEqual(['connection-refused', 'ssh-found-on-other-port']);
    expect(report.verdict.summary).toContain('jump host 127.0.0.1:2200 refused');
  });

  it('a working jump host: the login goes through it', async () => {
    // ssh refuses a jump to the very same name ("jumphost loop"): jump via "localhost".
    const l = await lab(
      SERVER_SETUP(22) + 'ssh-keyscan -t ed25519 127.0.0.1 localhost > /root/.ssh/known_hosts 2>/dev/null\n',
    );
    const { report } = await l.json(['-J', 'alice@localhost', 'alice@127.0.0.1']);
    expect(ids(report)).toEqual(['ok']);
    expect(report.probes.map((p: any) => p.id)).not.toContain('handshake');
  });

  it('a jump host named by its Host alias is probed where ssh goes: its HostName and Port', async () => {
    const l = await lab(
      SERVER_SETUP(22) +
        "ssh-keyscan -t ed25519 127.0.0.1 localhost > /root/.ssh/known_hosts 2>/dev/null\nprintf 'Host bastion\\n  HostName localhost\\n  User alice\\nHost deadhop\\n  HostName localhost\\n  Port 2200\\n' > /root/.ssh/config\n",
    );
    expect((await l.exec(['ssh', '-o', 'BatchMode=yes', '-J', 'bastion', 'alice@127.0.0.1', 'true'])).exitCode).toBe(0);
    expect(ids((await l.json(['-J', 'bastion', 'alice@127.0.0.1'])).report)).toEqual(['ok']);
    const plain = await l.exec(['ssh', '-o', 'BatchMode=yes', '-J', 'deadhop', 'alice@127.0.0.1', 'true']);
    expect(plain.stderr).toMatch(/^ssh: connect to host localhost port 2200: Connection refused$/m);
    const { report } = await l.json(['-J', 'deadhop', 'alice@127.0.0.1']);
    expect(report.verdict.id).toBe('connection-refused');
    expect(report.verdict.summary).toContain('jump host localhost:2200 refused');
  });

  it("the hop takes our key, the target refuses it: the hop's answers are not the target's", async () => {
    const l = await lab(
      SERVER_SETUP(22) +
        'useradd -m -s /bin/bash otto\nssh-keyscan -t ed25519 127.0.0.1 localhost > /root/.ssh/known_hosts 2>/dev/null\n',
    );
    const plain = await l.exec(['ssh', '-o', 'BatchMode=yes', '-J', 'alice@localhost', 'otto@127.0.0.1', 'true']);
    expect(plain.stderr).toMatch(/^otto@127\.0\.0\.1: Permission denied \(publickey,password\)\.$/m);
    const { report } = await l.json(['-J', 'alice@localhost', 'otto@127.0.0.1']);
    expect(ids(report)).toEqual(['auth-publickey-denied']);
    expect(evidence(report)).toContain('offered and refused: /root/.ssh/id_ed25519');
    expect(evidence(report)).not.toMatch(/accepts key/);
  });

  it('an unknown jump host: BatchMode and the temporary known_hosts reach the hop, the user’s file is untouched', async () => {
    const l = await lab(SERVER_SETUP(22));
    const { report } = await l.json(['-J', 'alice@localhost', 'alice@127.0.0.1']);
    expect(ids(report)).toEqual(['ok']);
    expect((await l.sh('test -e /root/.ssh/known_hosts && echo present || echo absent')).stdout.trim()).toBe('absent');
  });
});

describe.runIf(requireLab())('bad input: one sentence, exit 2, no stack trace', () => {
  const cases: [string, string[], RegExp][] = [
    ['a host starting with "-" after user@', ['alice@-oProxyCommand=touch /tmp/pwned'], /may not start with "-"/],
    ['a leading dash host', ['--', '-evil'], /may not start with "-"/],
    ['a bad port', ['-p', '99999', 'alice@127.0.0.1'], /from 1 to 65535/],
    ['a control character', ['alice@127.0.0.1\u001b[2J'], /control character/],
    ['an unreadable ssh config', ['-F', '/nonexistent/config', 'alice@127.0.0.1'], /config/i],
    ['no host with --json', ['--json'], /Name the host/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const l = await lab('true');
      const r = await l.cli(args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect((await l.sh('test -e /tmp/pwned && echo yes || echo no')).stdout.trim()).toBe('no');
    });
  }
});
