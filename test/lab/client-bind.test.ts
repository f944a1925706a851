// -b / -B / BindAddress / BindInterface: the direct probes (TCP, handshake, other ports) leave
// from the source address ssh would use, so they test ssh's path. Each case first checks what
// the real ssh client does with the same command line.
import { describe, expect, it } from 'vitest';
import { evidence, ids, labPerTest } from './client-lab.js';
import { LISTENING, requireLab, SERVER_SETUP } from './lab.js';

const lab = labPerTest();

// sshd on 127.0.0.1:22 answers only connections from 127.0.0.2 (a second address on lo); any
// other source is refused, as a firewall that allows one source address does.
const ONLY_FROM_2 = `${SERVER_SETUP(22)}ip addr add 127.0.0.2/8 dev lo
iptables -A INPUT -p tcp --dport 22 ! -s 127.0.0.2 -j REJECT --reject-with tcp-reset
`;
/** Packets the REJECT rule turned away: 0 means every connection left from 127.0.0.2. */
const rejected = async (l: Awaited<ReturnType<typeof lab>>) =>
  Number((await l.sh("iptables -L INPUT -v -n -x | awk '/REJECT/ {print $1}'")).stdout.trim());
const sshBatch = ['ssh', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null'];
const probe = (report: any, id: string) => report.probes.find((p: any) => p.id === id);

describe.runIf(requireLab())('the source address (-b, -B, BindAddress)', () => {
  it('-b 127.0.0.2 where only that source is let in: ok, every probe from 127.0.0.2; without it, refused', async () => {
    const l = await lab(ONLY_FROM_2);
    const plain = await l.exec([...sshBatch, 'alice@127.0.0.1', 'true']);
    expect(plain.stderr).toContain('ssh: connect to host 127.0.0.1 port 22: Connection refused');
    const bound = await l.exec([...sshBatch, '-b', '127.0.0.2', 'alice@127.0.0.1', 'true']);
    expect(bound.exitCode).toBe(0);
    await l.sh('iptables -Z INPUT');

    const { report } = await l.json(['-b', '127.0.0.2', 'alice@127.0.0.1']);
    expect(ids(report)).toEqual(['ok', 'host-key-unknown']);
    expect(probe(report, 'tcp')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^127\.0\.0\.1:22 from 127\.0\.0\.2 says "SSH-2\.0-OpenSSH_/),
    });
    expect(probe(report, 'handshake')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/; from 127\.0\.0\.2$/),
    });
    expect(await rejected(l)).toBe(0);

    const without = await l.json(['alice@127.0.0.1']);
    expect(ids(without.report)).toEqual(['connection-refused']);
    expect(evidence(without.report)).toContain('127.0.0.1:22 refused (ECONNREFUSED)');
  });

  it('-B lo and BindAddress in ssh_config reach the probes the same way', async () => {
    const l = await lab(ONLY_FROM_2);
    // ssh passes over 127.0.0.1 itself on an interface when it has another address (check_ifaddrs).
    expect((await l.exec([...sshBatch, '-B', 'lo', 'alice@127.0.0.1', 'true'])).exitCode).toBe(0);
    const viaB = await l.json(['-B', 'lo', 'alice@127.0.0.1']);
    expect(ids(viaB.report)).toEqual(['ok', 'host-key-unknown']);
    expect(probe(viaB.report, 'handshake').detail).toMatch(/; from 127\.0\.0\.2$/);

    await l.sh(
      `printf 'Host box\\n  HostName 127.0.0.1\\n  User alice\\n  BindAddress 127.0.0.2\\n' > /root/.ssh/config`,
    );
    expect((await l.exec([...sshBatch, 'box', 'true'])).exitCode).toBe(0);
    await l.sh('iptables -Z INPUT');
    const viaConfig = await l.json(['box']);
    expect(ids(viaConfig.report)).toEqual(['ok', 'host-key-unknown']);
    expect(probe(viaConfig.report, 'tcp').detail).toMatch(/^127\.0\.0\.1:22 from 127\.0\.0\.2 says/);
    expect(await rejected(l)).toBe(0);
  });

  it("BindAddress only in the jump host's own Host block: the hop is probed from it, as its ssh leaves", async () => {
    // The first ssh below accepts both host keys (StrictHostKeyChecking accept-new).
    const l =
      await lab(`${SERVER_SETUP(22)}/usr/sbin/sshd -p 2201 -o ListenAddress=127.0.0.1 -o PidFile=/run/sshd-2201.pid -E /var/log/auth-2201.log
printf 'Host bastion\\n  HostName 127.0.0.1\\n  User alice\\n  BindAddress 127.0.0.2\\nHost *\\n  StrictHostKeyChecking accept-new\\n' > /root/.ssh/config
ip addr add 127.0.0.2/8 dev lo
iptables -A INPUT -p tcp --dport 22 ! -s 127.0.0.2 -j REJECT --reject-with tcp-reset
${LISTENING(2201)}
`);
    // The hop's own ssh (ssh -W) reads the bastion block and leaves from 127.0.0.2.
    expect(
      (await l.exec(['ssh', '-o', 'BatchMode=yes', '-J', 'bastion', '-p', '2201', 'alice@localhost', 'true'])).exitCode,
    ).toBe(0);
    await l.sh('iptables -Z INPUT');
    const { report } = await l.json(['-J', 'bastion', '-p', '2201', 'alice@localhost']);
    expect(ids(report)).toEqual(['ok']);
    expect(probe(report, 'tcp').detail).toMatch(/127\.0\.0\.1:22 from 127\.0\.0\.2 says "SSH-2\.0-OpenSSH_/);
    expect(await rejected(l)).toBe(0);
  });

  it('the other-port probe leaves from -b too: sshd on 2222, let in from 127.0.0.2 only', async () => {
    const l = await lab(`${SERVER_SETUP(2222)}ip addr add 127.0.0.2/8 dev lo
iptables -A INPUT -p tcp -m multiport --dports 22,2222 ! -s 127.0.0.2 -j REJECT --reject-with tcp-reset
`);
    expect((await l.exec([...sshBatch, '-b', '127.0.0.2', '-p', '2222', 'alice@127.0.0.1', 'true'])).exitCode).toBe(0);
    const bound = await l.json(['-b', '127.0.0.2', 'alice@127.0.0.1']);
    expect(ids(bound.report)).toEqual(['connection-refused', 'ssh-found-on-other-port']);
    const without = await l.json(['alice@127.0.0.1']);
    expect(ids(without.report)).toEqual(['connection-refused']);
  });

  it("-b with an address this machine does not have: bind-address-unavailable, in ssh's words", async () => {
    const l = await lab(SERVER_SETUP(22));
    const ssh = await l.exec([...sshBatch, '-b', '10.9.9.9', 'alice@127.0.0.1', 'true']);
    expect(ssh.stderr).toContain('bind 10.9.9.9: Cannot assign requested address');
    expect(ssh.stderr).toContain('ssh: connect to host 127.0.0.1 port 22: failure');

    const { exitCode, report } = await l.json(['-b', '10.9.9.9', 'alice@127.0.0.1']);
    expect(exitCode).toBe(1);
    expect(ids(report)).toEqual(['bind-address-unavailable']);
    expect(report.verdict.summary).toBe(
      'ssh is told to connect from BindAddress 10.9.9.9 (-b), which this machine cannot use: the connection never leaves it.',
    );
    expect(report.findings[0].evidence).toEqual([
      '127.0.0.1:22 not tried: BindAddress 10.9.9.9: this machine has no address 10.9.9.9 (ssh says "bind 10.9.9.9: Cannot assign requested address")',
    ]);
  });

  it("-B with no such interface: bind-address-unavailable, in ssh's words", async () => {
    const l = await lab(SERVER_SETUP(22));
    const ssh = await l.exec([...sshBatch, '-B', 'nosuchif', 'alice@127.0.0.1', 'true']);
    expect(ssh.stderr).toContain('getifaddrs: nosuchif: no suitable addresses');

    const { report } = await l.json(['-B', 'nosuchif', 'alice@127.0.0.1']);
    expect(ids(report)).toEqual(['bind-address-unavailable']);
    expect(report.findings[0].evidence).toEqual([
      '127.0.0.1:22 not tried: BindInterface nosuchif: this machine has no interface nosuchif that is up (ssh says "getifaddrs: nosuchif: no suitable addresses")',
    ]);
  });
});
