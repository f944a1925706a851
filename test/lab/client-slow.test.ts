// One deadline for the run (--timeout), and a slow login reported as slow, not failed: ssh's -v
// lines are timed as they arrive, and a login past key exchange at the deadline is followed on.
import { describe, expect, it } from 'vitest';
import { background, ids, labPerTest } from './client-lab.js';
import { requireLab, SERVER_SETUP, type Lab } from './lab.js';

const lab = labPerTest();

const slowFinding = (report: any) => report.findings.find((f: any) => f.id === 'slow-login');

/** Plain ssh, timed: the ground truth each scenario starts from. */
async function plainSsh(l: Lab, args: string[]) {
  const started = Date.now();
  const r = await l.exec(
    ['ssh', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', ...args],
    {
      timeoutMs: 60_000,
    },
  );
  return { ...r, ms: Date.now() - started };
}

/**
 * sshd resolves the client's address (UseDNS yes) through a resolver that never answers: a UDP
 * socket on the lab's loopback swallows every query, and only DNS is consulted.
 */
const HANGING_RESOLVER = `printf 'nameserver 127.0.0.1\\noptions timeout:4 attempts:1\\n' > /etc/resolv.conf
sed -i 's/^hosts:.*/hosts: dns/' /etc/nsswitch.conf
${background(`node -e "require('dgram').createSocket('udp4').bind(53,'127.0.0.1')"`)}`;

describe.runIf(requireLab())('slow logins and the one deadline', () => {
  it('UseDNS yes with a hanging resolver: ok past --timeout, with slow-login naming authentication', async () => {
    const l = await lab(HANGING_RESOLVER + SERVER_SETUP(22, ['UseDNS=yes']));
    const plain = await plainSsh(l, ['alice@127.0.0.1', 'true']);
    expect(plain.exitCode).toBe(0);
    expect(plain.ms).toBeGreaterThan(3500);

    const { exitCode, report } = await l.json(['alice@127.0.0.1', '--timeout', '2000'], { timeoutMs: 60_000 });
    expect(report.verdict.id).toBe('ok');
    expect(exitCode).toBe(0);
    expect(ids(report)).toEqual(['ok', 'host-key-unknown', 'slow-login']);
    const slow = slowFinding(report);
    expect(slow.summary).toMatch(/^The login is slow: authentication took [3-9]\.\d s\.$/);
    expect(slow.evidence).toContainEqual(
      expect.stringMatching(/^ssh waited [3-9]\.\d s after: debug1: SSH2_MSG_SERVICE_ACCEPT received$/),
    );
    expect(slow.evidence).toContain('still progressing at the --timeout deadline, so it was followed on (up to 30 s)');
    expect(slow.next.join('\n')).toMatch(/UseDNS no/);
  });

  it('a slow session start (ForceCommand sleep 4): ok, with slow-login naming session start', async () => {
    const l = await lab(SERVER_SETUP(22, ['"ForceCommand=sleep 4"']));
    const plain = await plainSsh(l, ['alice@127.0.0.1', 'true']);
    expect(plain.exitCode).toBe(0);
    expect(plain.ms).toBeGreaterThan(3900);

    const { report } = await l.json(['alice@127.0.0.1', '--timeout', '2000'], { timeoutMs: 60_000 });
    expect(report.verdict.id).toBe('ok');
    expect(ids(report)).toEqual(['ok', 'host-key-unknown', 'slow-login']);
    const slow = slowFinding(report);
    expect(slow.summary).toMatch(/^The login is slow: session start took [4-9]\.\d s\.$/);
    expect(slow.next.join('\n')).toMatch(/ForceCommand/);
  });

  it('a server that sends its banner, then stalls: the whole run ends near --timeout 2000, not 9 s', async () => {
    const l = await lab(
      background(
        `node -e "require('net').createServer(s=>s.write('SSH-2.0-OpenSSH_9.2p1 stall\\\\r\\\\n')).listen(2200,'127.0.0.1')"`,
      ),
    );
    // Plain ssh waits at key exchange for as long as it is let.
    const plain = await l.exec(['timeout', '3', 'ssh', '-o', 'BatchMode=yes', '-p', '2200', 'alice@127.0.0.1', 'true']);
    expect(plain.exitCode).toBe(124);

    const started = Date.now();
    const { report } = await l.json(['-p', '2200', 'alice@127.0.0.1', '--timeout', '2000']);
    const took = Date.now() - started;
    expect(report.verdict.id).toBe('login-failed');
    expect(ids(report)).toEqual(['login-failed']);
    expect(report.findings[0].evidence).toContain(
      'ssh got no further than key exchange within --timeout 2000 ms; its last line: debug1: SSH2_MSG_KEXINIT sent',
    );
    // The deadline plus ssh's half-second grace plus start-up, with room for a loaded machine.
    expect(took).toBeLessThan(4500);
  });
});
