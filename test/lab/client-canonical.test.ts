// CanonicalizeHostname: ssh turns "web1" into "web1.example.internal" (CanonicalDomains) and reads
// its config again, so a `Host *.example.internal` block applies. Names live in the lab's
// /etc/hosts only (loopback); glibc looks up the dotted form ssh asks for ("web1.example.internal.").
import { describe, expect, it } from 'vitest';
import { evidence, ids, labPerTest } from './client-lab.js';
import { requireLab, SERVER_SETUP, type Lab } from './lab.js';

const lab = labPerTest();

/** sshd on 2345 only; only the canonical name's block says so (and names the user). */
const CANONICAL = (fallbackLocal: 'yes' | 'no') =>
  SERVER_SETUP(2345) +
  `echo '127.0.0.1 web1.example.internal. web1.example.internal' >> /etc/hosts
cat > /root/.ssh/config <<'CFG'
Host *
  CanonicalizeHostname yes
  CanonicalDomains example.internal
  CanonicalizeFallbackLocal ${fallbackLocal}
Host *.example.internal
  Port 2345
  User alice
CFG
`;

const plainSsh = (l: Lab, host: string) =>
  l.exec([
    'ssh',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    host,
    'true',
  ]);

describe.runIf(requireLab())('CanonicalizeHostname', () => {
  it('web1 becomes web1.example.internal: its Host block (port, user) applies, and the login works', async () => {
    const l = await lab(CANONICAL('yes'));
    expect((await plainSsh(l, 'web1')).exitCode).toBe(0);

    const { report } = await l.json(['web1']);
    expect(report.verdict.id).toBe('ok');
    expect(ids(report)).toEqual(['ok', 'host-key-unknown']);
    expect(report.target).toEqual({ user: 'alice', host: 'web1.example.internal', port: 2345 });
  });

  it('no suffix resolves and CanonicalizeFallbackLocal is no: dns-unresolved with ssh’s words, not a settings error', async () => {
    const l = await lab(CANONICAL('no') + "echo '127.0.0.1 web9' >> /etc/hosts\n");
    expect((await plainSsh(l, 'web9')).stderr).toContain('ssh: Could not resolve host "web9"');

    const { exitCode, report } = await l.json(['web9']);
    expect(exitCode).toBe(1);
    expect(report.verdict.id).toBe('dns-unresolved');
    expect(ids(report)).toEqual(['dns-unresolved']);
    expect(report.verdict.summary).toBe(
      '"web9" does not resolve under any of your CanonicalDomains, and CanonicalizeFallbackLocal no stops ssh from trying it as it is.',
    );
    expect(evidence(report)).toContain('ssh tried: web9.example.internal');
    expect(evidence(report)).toContain('ssh: Could not resolve host "web9"');
    expect(report.probes.map((p: any) => p.id).sort()).toEqual(['config', 'dns', 'keys', 'known-hosts']);
  });
});
