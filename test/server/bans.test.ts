// address-banned: fail2ban's status format (as fail2ban-client 1.0 prints it), sshguard's nft set,
// and OpenSSH 9.8's PerSourcePenalties log line (the lab's 9.2 has none: the line is from the
// 9.8 release's sshd, written here by hand).
import { describe, expect, it } from 'vitest';
import { parseFail2banStatus, parseNftSetElements } from '../../src/server/probes/bans.js';
import { penaltyLines, serverFindings } from '../../src/server/findings.js';
import type { ServerFacts } from '../../src/server/facts.js';

describe('ban parsers', () => {
  it('fail2ban-client status sshd', () => {
    const out =
      'Status for the jail: sshd\n|- Filter\n|  |- Currently failed:\t0\n|  |- Total failed:\t3\n|  `- File list:\t/var/log/auth.log\n`- Actions\n   |- Currently banned:\t2\n   |- Total banned:\t2\n   `- Banned IP list:\t203.0.113.9 127.0.0.2\n';
    expect(parseFail2banStatus(out)).toEqual(['203.0.113.9', '127.0.0.2']);
    expect(parseFail2banStatus(out.replace('203.0.113.9 127.0.0.2', ''))).toEqual([]);
  });
  it("sshguard's set", () => {
    expect(
      parseNftSetElements(
        'table ip sshguard {\n\tset attackers {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { 198.51.100.4, 203.0.113.9 }\n\t}\n}\n',
      ),
    ).toEqual(['198.51.100.4', '203.0.113.9']);
  });
  it('PerSourcePenalties lines for that address only', () => {
    const l = 'sshd[1]: drop connection #0 from [203.0.113.9]:50022 on [192.0.2.1]:22 penalty: failed authentication';
    expect(penaltyLines([l, l.replace('203.0.113.9', '198.51.100.4')], '203.0.113.9')).toEqual([l]);
  });
});

describe('address-banned from penalties: next steps, no fix', () => {
  it('names PerSourcePenalties and its exemption list', () => {
    const l = 'sshd[1]: drop connection #0 from [203.0.113.9]:50022 on [192.0.2.1]:22 penalty: failed authentication';
    const facts: ServerFacts = {
      target: { user: 'alice', port: 22, from: '203.0.113.9' },
      root: true,
      bans: { from: '203.0.113.9', by: [] },
      logs: { source: 'journalctl', lines: [l] },
    };
    const f = serverFindings(facts).find((x) => x.id === 'address-banned')!;
    expect(f.summary).toBe(
      "203.0.113.9 is banned by sshd's PerSourcePenalties: connections from it are refused before any login.",
    );
    expect(f.next).toEqual([
      'PerSourcePenalties ends by itself (its penalty time); to exempt this address, add to sshd_config: PerSourcePenaltyExemptList 203.0.113.9',
    ]);
  });
});
