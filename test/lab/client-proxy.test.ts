// ProxyCommand: ssh reaches the server through a program, so the verdict comes from ssh's own
// attempt and the program's stderr and exit status, never from a direct probe of HostName.
import { describe, expect, it } from 'vitest';
import { evidence, ids, labPerTest } from './client-lab.js';
import { requireLab, SERVER_SETUP, type Lab } from './lab.js';

const lab = labPerTest();

/** web1 is 127.0.0.1 port 22 (refused: sshd listens on 2222 only), reached through PROXY. */
const withProxy = (proxy: string) =>
  SERVER_SETUP(2222) +
  `cat > /root/.ssh/config <<'CFG'
Host web1
  HostName 127.0.0.1
  User alice
  ProxyCommand ${proxy}
CFG
`;

/** The hop gets no -o from the command line: both names known, so plain ssh gets that far. */
const KNOWN = 'ssh-keyscan 127.0.0.1 localhost > /root/.ssh/known_hosts 2>/dev/null\n';

/** Plain ssh, as the user runs it: the ground truth each scenario starts from. */
const plainSsh = (l: Lab) =>
  l.exec([
    'ssh',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    'web1',
    'true',
  ]);

describe.runIf(requireLab())('through a ProxyCommand', () => {
  it('a working relay while the direct port refuses: ok, and no direct probe ran', async () => {
    // A relay with bash's /dev/tcp: stdin to the socket, the socket to stdout. ssh ends its
    // ProxyCommand with SIGHUP: the writer must not be that process (an `exec cat >&3` killed
    // before it forwarded ssh's disconnect left sshd waiting, and the reader then held ssh's
    // stderr open for ~30 s), so it is bash's child; the reader keeps no copy of ssh's stderr.
    const l = await lab(withProxy(`bash -c 'exec 3<>/dev/tcp/%h/2222; cat <&3 2>/dev/null & cat >&3'`));
    expect((await plainSsh(l)).exitCode).toBe(0);
    expect((await l.exec(['bash', '-c', 'echo > /dev/tcp/127.0.0.1/22'])).stderr).toMatch(/Connection refused/);

    const { exitCode, report } = await l.json(['web1']);
    expect(report.verdict.id).toBe('ok');
    expect(exitCode).toBe(0);
    expect(ids(report)).toEqual(['ok']);
    expect(report.verdict.summary).toContain('through its ProxyCommand');
    expect(report.probes.map((p: any) => p.id).sort()).toEqual(['config', 'keys', 'known-hosts', 'login']);
  });

  it('a ProxyCommand whose program is missing: proxy-command-failed, its stderr and status as evidence', async () => {
    const l = await lab(withProxy('/usr/local/bin/no-such-proxy %h %p'));
    expect((await plainSsh(l)).stderr).toMatch(/no-such-proxy: not found|No such file/);

    const { exitCode, report } = await l.json(['web1']);
    expect(report.verdict.id).toBe('proxy-command-failed');
    expect(exitCode).toBe(1);
    expect(ids(report)).toEqual(['proxy-command-failed']);
    expect(report.verdict.summary).toBe(
      'The ProxyCommand ssh uses to reach 127.0.0.1 failed: its program was not found.',
    );
    expect(evidence(report)).toContain('ProxyCommand: /usr/local/bin/no-such-proxy 127.0.0.1 22');
    expect(evidence(report)).toMatch(/it printed: .*no-such-proxy.*(not found|No such file)/);
    expect(evidence(report)).toContain('it exited with status 127');
  });

  it('a ProxyCommand that prints an error and exits (an SSM-style agent refusing)', async () => {
    const l = await lab(
      withProxy(`sh -c 'echo "An error occurred (TargetNotConnected): %h is not connected." >&2; exit 254'`),
    );
    expect((await plainSsh(l)).stderr).toMatch(/TargetNotConnected/);

    const { report } = await l.json(['web1']);
    expect(report.verdict.id).toBe('proxy-command-failed');
    expect(ids(report)).toEqual(['proxy-command-failed']);
    expect(report.verdict.summary).toMatch(/failed: it exited with status 254\.$/);
    expect(evidence(report)).toContain(
      'it printed: An error occurred (TargetNotConnected): 127.0.0.1 is not connected.',
    );
  });

  it('-J, and the jump host cannot reach the target (refused there): the target is named, not the jump host', async () => {
    // ssh refuses a jump to the very same name ("jumphost loop"): jump via "localhost".
    const l = await lab(SERVER_SETUP(22) + KNOWN);
    const plain = await l.exec([
      'ssh',
      '-o',
      'BatchMode=yes',
      '-J',
      'alice@localhost',
      '-p',
      '2299',
      'alice@127.0.0.1',
      'true',
    ]);
    expect(plain.stderr).toContain('channel 0: open failed: connect failed: Connection refused');

    const { report } = await l.json(['-J', 'alice@localhost', '-p', '2299', 'alice@127.0.0.1']);
    expect(report.verdict.id).toBe('connection-refused');
    expect(ids(report)).toEqual(['connection-refused']);
    expect(report.verdict.summary).toMatch(
      /^127\.0\.0\.1:2299 \(as seen from the jump host alice@localhost\) refused the connection/,
    );
    expect(evidence(report)).toContain(
      'the jump host alice@localhost could not reach 127.0.0.1:2299: connect failed: Connection refused',
    );
  });

  it('-J through a jump host that forbids forwarding: proxy-command-failed, in the jump host’s words', async () => {
    const l = await lab(SERVER_SETUP(22, ['AllowTcpForwarding=no']) + KNOWN);
    const plain = await l.exec(['ssh', '-o', 'BatchMode=yes', '-J', 'alice@localhost', 'alice@127.0.0.1', 'true']);
    expect(plain.stderr).toMatch(/channel 0: open failed: administratively prohibited/);

    const { report } = await l.json(['-J', 'alice@localhost', 'alice@127.0.0.1']);
    expect(report.verdict.id).toBe('proxy-command-failed');
    expect(ids(report)).toEqual(['proxy-command-failed']);
    expect(report.verdict.summary).toMatch(
      /^The jump host alice@localhost would not open the connection on to 127\.0\.0\.1:22: administratively prohibited/,
    );
    expect(report.findings[0].next.join('\n')).toMatch(/AllowTcpForwarding/);
  });
});
