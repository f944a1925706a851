// --via over a connection that dies silently mid-run (its packets dropped: no RST, no FIN, as when
// a network path fails). The keepalives notice within seconds, every check left is unknown (never
// a finding drawn from a command that did not run), and the report says the connection was lost.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { diagnose, finding, PORT, SETUP, sh } from '../server/lab-helpers.js';

// ssh-doctor authenticates with the agent only: one runs in the lab, root's key is trusted.
const VIA_SETUP = `cat /root/.ssh/id_ed25519.pub > /root/.ssh/authorized_keys; chmod 600 /root/.ssh/authorized_keys
ssh-agent -a /root/agent.sock >/dev/null; SSH_AUTH_SOCK=/root/agent.sock ssh-add -q
ssh-keyscan -p ${PORT} 127.0.0.1 2>/dev/null > /root/.ssh/known_hosts`;
const VIA = 'root@127.0.0.1:2201';

/**
 * The first command of the second probe (ps, for the running sshd) drops the connection's packets
 * both ways before it runs: the probes before it have answered, none after it can. Loopback
 * packets pass INPUT, so dropping there is silent for both ends. Only inside the lab's namespaces.
 */
const DROP_AT_PS = `cp "$(command -v ps)" /run/real-ps
printf '#!/bin/sh\\niptables -I INPUT -p tcp --dport ${PORT} -j DROP\\niptables -I INPUT -p tcp --sport ${PORT} -j DROP\\nexec /run/real-ps "$@"\\n' > /run/ps-drop
chmod 755 /run/ps-drop; mount --bind /run/ps-drop "$(command -v ps)"`;

/** What uncheckedParts names when every probe after the sshd binary met the lost connection. */
const NOT_RUN = [
  'sshd processes',
  'sshd -t',
  'sshd -T',
  'listening sockets',
  'local addresses',
  'privilege separation directory',
  'host keys',
  'account',
  'nologin',
  'sshd libraries and package files',
  'TCP wrappers (hosts.allow, hosts.deny)',
  'ufw',
  'firewalld',
  'iptables',
  'ip6tables',
  'nftables',
];

describe.runIf(requireLab(['/usr/sbin/iptables']))('server --via: the connection dies silently mid-run', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, `${SETUP}\n${VIA_SETUP}\n${DROP_AT_PS}`);
  });
  afterEach(() => lab?.close());

  it('ends within seconds of the drop, checks-incomplete, says the connection was lost, and finds nothing it could not see', async () => {
    const started = Date.now();
    const { report, ids, exitCode, stderr } = await diagnose(lab, ['--via', VIA], {
      SSH_AUTH_SOCK: '/root/agent.sock',
    });
    const ms = Date.now() - started;
    console.log(`server --via with the connection dropped mid-run ended after ${ms} ms`);
    // Keepalives every 5 s, given up after two unanswered: 10 to 15 s after the drop.
    expect(ms).toBeLessThan(30_000);
    expect(stderr).toBe('');
    expect(exitCode).toBe(1);
    // The drop really happened mid-run: sshd's binary was found over the connection before it.
    expect(report.probes.find((p: { id: string }) => p.id === 'sshd')).toMatchObject({ status: 'ok' });
    expect(ids).toEqual(['checks-incomplete']);
    expect(report.verdict).toEqual({
      id: 'checks-incomplete',
      severity: 'warning',
      summary: `The connection to ${VIA} was lost during the checks: ${NOT_RUN.length} checks that could explain a refusal did not run (${NOT_RUN.join(', ')}): not known to be ok.`,
    });
    const f = finding(report, 'checks-incomplete');
    const lost = `could not run: the connection to ${VIA} was lost`;
    // ps was running when the packets stopped: its own bound (6 s) ends it before the keepalives
    // can (10 to 15 s); the /proc fallback after it meets either its bound or the lost connection.
    const find = 'find /proc -mindepth 2 -maxdepth 2 -name comm -exec grep -H -x -s sshd {} +';
    expect([
      `sshd processes: ps -C sshd -o pid=,ppid=,stat=,args= did not answer within 6 s; ${find} did not answer within 6 s`,
      `sshd processes: ${find} ${lost}`,
    ]).toContain(f.evidence[0]);
    const rest = f.evidence.slice(1);
    expect(rest.map((l) => l.slice(0, l.indexOf(': ')))).toEqual(NOT_RUN.slice(1));
    for (const l of rest) expect(l.endsWith(` ${lost}`), l).toBe(true);
    expect(f.next).toEqual([`then ${NOT_RUN.join(', ')}: rerun when ${VIA} answers again over SSH`]);
  }, 120_000);
});
