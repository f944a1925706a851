// Firewall layers in the lab (iptables-nft, nftables and ufw are real here; firewalld needs D-Bus
// and is not, its parser is tested on text), and broken tools degrading one probe.
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { diagnose, finding, PORT, SETUP, sh } from '../server/lab-helpers.js';

describe.runIf(requireLab())('server diagnosis: firewall and broken tools', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, SETUP);
  });
  afterEach(() => lab?.close());

  it('iptables: the first matching rule decides, not a later ACCEPT', async () => {
    await sh(
      lab,
      `iptables -A INPUT -i lo -p tcp --dport 80 -j ACCEPT
iptables -A INPUT -p tcp --dport ${PORT} -j DROP
iptables -A INPUT -p tcp --dport ${PORT} -j ACCEPT`,
    );
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['firewall-blocks-ssh']);
    const f = finding(report, 'firewall-blocks-ssh');
    expect(f.evidence[0]).toBe(
      `iptables: -A INPUT -p tcp -m tcp --dport ${PORT} -j DROP — table filter, chain INPUT, rule 2`,
    );
  });

  it('iptables: policy DROP with an ACCEPT only for 10.0.0.0/8 blocks everyone else', async () => {
    await sh(lab, `iptables -A INPUT -s 10.0.0.0/8 -p tcp --dport ${PORT} -j ACCEPT; iptables -P INPUT DROP`);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['firewall-blocks-ssh']);
    const f = finding(report, 'firewall-blocks-ssh');
    expect(f.evidence[0]).toBe('iptables: policy DROP — table filter, chain INPUT');
    expect(f.evidence[1]).toContain('allowed only for: -A INPUT -s 10.0.0.0/8');
  });

  it('iptables: an ACCEPT before the DROP means no finding', async () => {
    await sh(lab, `iptables -A INPUT -p tcp --dport ${PORT} -j ACCEPT; iptables -A INPUT -j DROP`);
    expect((await diagnose(lab)).ids).toEqual([]);
  });

  it('ip6tables is its own layer: a REJECT there is reported as ip6tables', async () => {
    await sh(lab, `ip6tables -A INPUT -p tcp --dport ${PORT} -j REJECT`);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['firewall-blocks-ssh']);
    const fw = report.findings.filter((f: { id: string }) => f.id === 'firewall-blocks-ssh');
    expect(fw.map((f: { evidence: string[] }) => f.evidence[0])).toEqual([
      `ip6tables: -A INPUT -p tcp -m tcp --dport ${PORT} -j REJECT --reject-with icmp6-port-unreachable — table filter, chain INPUT, rule 1`,
    ]);
  });

  it('nftables: a drop rule in an inet input chain, with its handle', async () => {
    await sh(
      lab,
      `nft add table inet filter
nft add chain inet filter input '{ type filter hook input priority 0; policy accept; }'
nft add rule inet filter input ct state established,related accept
nft add rule inet filter input tcp dport '{ 22, ${PORT} }' drop`,
    );
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['firewall-blocks-ssh']);
    const f = finding(report, 'firewall-blocks-ssh');
    expect(f.evidence[0]).toMatch(
      new RegExp(`^nftables: tcp dport \\{ 22, ${PORT} \\} drop — table inet filter, chain input, handle \\d+$`),
    );
  });

  const hasUfw = existsSync('/usr/sbin/ufw');
  if (!hasUfw) console.warn('\n*** ufw scenarios skipped: apt-get install ufw ***\n');

  it.runIf(hasUfw)(
    'ufw: a DENY listed before an ALLOW for the same port wins; the raw iptables layer defers to ufw',
    async () => {
      await sh(lab, `ufw --force enable >/dev/null; ufw deny ${PORT}/tcp >/dev/null; ufw allow ${PORT} >/dev/null`);
      const { report, ids } = await diagnose(lab);
      expect(ids).toEqual(['firewall-blocks-ssh']);
      const fw = report.findings.filter((f: { id: string }) => f.id === 'firewall-blocks-ssh');
      expect(fw.map((f: { evidence: string[] }) => f.evidence[0])).toEqual([
        `ufw: ${PORT}/tcp                   DENY IN     Anywhere`,
      ]);
    },
  );

  it.runIf(hasUfw)('ufw: default deny when only 10.0.0.0/8 is allowed', async () => {
    await sh(lab, `ufw --force enable >/dev/null; ufw allow from 10.0.0.0/8 to any port ${PORT} proto tcp >/dev/null`);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['firewall-blocks-ssh']);
    const f = finding(report, 'firewall-blocks-ssh');
    expect(f.evidence[0]).toBe('ufw: Default: deny (incoming), allow (outgoing), disabled (routed)');
    expect(f.evidence[1]).toMatch(/^allowed only for: .*10\.0\.0\.0\/8/);
  });

  it.runIf(hasUfw)('ufw: allowed port, no finding', async () => {
    await sh(lab, `ufw --force enable >/dev/null; ufw allow ${PORT}/tcp >/dev/null`);
    expect((await diagnose(lab)).ids).toEqual([]);
  });

  it('a systemctl that hangs and an iptables that is missing degrade their probes only, quickly', async () => {
    await sh(
      lab,
      `mkdir -p /root/shim; printf '#!/bin/sh\\nexec sleep 60\\n' > /root/shim/systemctl; chmod +x /root/shim/systemctl`,
    );
    const env = { PATH: '/root/shim:/usr/local/bin:/usr/bin:/bin' };
    // Without /usr/sbin on PATH iptables is "missing"; sshd is found by its absolute path.
    const t0 = Date.now();
    const { report, exitCode } = await diagnose(lab, [], env);
    expect(Date.now() - t0).toBeLessThan(12_000);
    expect(exitCode).toBe(0);
    const probe = (id: string) => report.probes.find((p: { id: string }) => p.id === id);
    expect(probe('init').status).toBe('unknown');
    expect(probe('init').detail).toMatch(/systemctl is-enabled ssh.service did not answer within \d s/);
    expect(probe('firewall').detail).toMatch(/iptables absent/);
    expect(probe('running').status).toBe('ok');
    expect(report.findings).toEqual([]);
  });
});
