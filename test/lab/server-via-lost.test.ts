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
 * ldd (the crash probe's first command, run only once sshd's binary has been found) drops the
 * connection's packets both ways before it runs: the sshd binary has answered by then; what ran
 * beside it may or may not have. Loopback packets pass INPUT, so dropping there is silent for
 * both ends. Only inside the lab's namespaces.
 */
const DROP_AT_LDD = `cp "$(command -v ldd)" /run/real-ldd
printf '#!/bin/sh\\niptables -I INPUT -p tcp --dport ${PORT} -j DROP\\niptables -I INPUT -p tcp --sport ${PORT} -j DROP\\nexec /run/real-ldd "$@"\\n' > /run/ldd-drop
chmod 755 /run/ldd-drop; mount --bind /run/ldd-drop "$(command -v ldd)"`;

/** Checks that cannot have run before the drop: they wait for the crash probe's ldd or come after it. */
const SURELY_NOT_RUN = ['sshd libraries and package files'];

describe.runIf(requireLab(['/usr/sbin/iptables']))('server --via: the connection dies silently mid-run', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, `${SETUP}\n${VIA_SETUP}\n${DROP_AT_LDD}`);
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
    const f = finding(report, 'checks-incomplete');
    const lost = `could not run: the connection to ${VIA} was lost`;
    // Which probes beside the crash probe had answered before the drop depends on timing; each
    // that had not is named, with the lost connection (or its own bound, when that came first).
    const notRun = f.evidence.map((l: string) => l.slice(0, l.indexOf(': ')));
    for (const c of SURELY_NOT_RUN) expect(notRun).toContain(c);
    for (const l of f.evidence) expect(l, l).toMatch(new RegExp(`( ${lost}| did not answer within \\d+ s)$`));
    expect(report.verdict).toEqual({
      id: 'checks-incomplete',
      severity: 'warning',
      summary: `The connection to ${VIA} was lost during the checks: ${notRun.length} checks that could explain a refusal did not run (${notRun.join(', ')}): not known to be ok.`,
    });
    expect(f.next).toEqual([`then ${notRun.join(', ')}: rerun when ${VIA} answers again over SSH`]);
  }, 120_000);
});
