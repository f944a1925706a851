import { describe, expect, it } from 'vitest';
import { redactReport } from '../src/redact.js';
import type { Report } from '../src/report.js';

const report: Report = {
  schema: 'ssh-doctor/report@1',
  mode: 'server',
  target: { user: 'alice', host: 'web1', port: 22 },
  verdict: { id: 'user-not-allowed', severity: 'error', summary: 'sshd refuses alice on web1' },
  findings: [
    {
      id: 'user-not-allowed',
      severity: 'error',
      summary: 'alice is not in AllowUsers',
      evidence: [
        // Lines as sshd logs them (OpenSSH 9.2).
        'User alice from 198.51.100.7 not allowed because not listed in AllowUsers',
        'Invalid user bob from 198.51.100.7 port 55704',
        'sshd -T: listenaddress [::]:22, 0.0.0.0:22, [fe80::1]:22',
        'host key ssh-ed25519 SHA256:z1Q4fUI5VqBfWQ1T13uPdAwPm5e8l5lYe4Lm4kIH78Q',
        '/home/alice/.ssh/authorized_keys 0600; chmod as the user whose the object is',
      ],
      fix: {
        id: 'allow-user',
        title: 'Add alice to AllowUsers',
        commands: [['sed', '-i', '-e', '1c AllowUsers bob alice', '/etc/ssh/sshd_config']],
        risk: 'Medium',
        undo: [['cp', '-p', '/etc/ssh/sshd_config.bak', '/etc/ssh/sshd_config']],
      },
    },
  ],
  probes: [{ id: 'user', status: 'ok', durationMs: 1, detail: 'alice uid 1001 home /home/alice' }],
  durationMs: 5,
};

describe('redactReport', () => {
  const r = redactReport(report);
  const all = JSON.stringify(r);

  it('replaces names, addresses, fingerprints and home paths, the same value by the same placeholder', () => {
    for (const real of ['alice', 'bob', 'web1', '198.51.100.7', 'fe80::1', 'z1Q4fUI5']) expect(all).not.toContain(real);
    expect(r.target).toEqual({ user: 'user1', host: 'host1', port: 22 });
    expect(r.verdict.summary).toBe('sshd refuses user1 on host1');
    expect(r.findings[0]!.evidence).toEqual([
      'User user1 from 203.0.113.1 not allowed because not listed in AllowUsers',
      'Invalid user user2 from 203.0.113.1 port 55704',
      'sshd -T: listenaddress [::]:22, 0.0.0.0:22, [2001:db8::1]:22',
      'host key ssh-ed25519 SHA256:key1',
      '/home/user1/.ssh/authorized_keys 0600; chmod as the user whose the object is',
    ]);
    expect(r.findings[0]!.fix!.commands).toEqual([
      ['sed', '-i', '-e', '1c AllowUsers user2 user1', '/etc/ssh/sshd_config'],
    ]);
  });

  it('keeps ids, verdicts, severities and statuses', () => {
    expect([r.schema, r.mode, r.verdict.id, r.verdict.severity, r.findings[0]!.id, r.findings[0]!.fix!.id]).toEqual([
      'ssh-doctor/report@1',
      'server',
      'user-not-allowed',
      'error',
      'user-not-allowed',
      'allow-user',
    ]);
    expect(r.probes[0]).toMatchObject({ id: 'user', status: 'ok', detail: 'user1 uid 1001 home /home/user1' });
  });
});
