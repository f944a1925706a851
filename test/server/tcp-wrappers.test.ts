// hosts_access(5) as libwrap applies it for sshd: hosts.allow first, then hosts.deny, else allowed.
import { describe, expect, it } from 'vitest';
import { parseHostsFile, wrappersDecide } from '../../src/server/tcp-wrappers.js';

const decide = (allow: string, deny: string, addr?: string) => {
  const v = wrappersDecide(parseHostsFile('/etc/hosts.allow', allow), parseHostsFile('/etc/hosts.deny', deny), addr);
  return v.rule ? `${v.verdict} ${v.rule.file}:${v.rule.line}` : v.verdict;
};

describe('wrappersDecide', () => {
  const table: [string, string, string, string | undefined, string][] = [
    ['empty files', '', '', '127.0.0.1', 'allow'],
    ['Debian default (comments only)', '# /etc/hosts.allow\n', '# /etc/hosts.deny\n', '127.0.0.1', 'allow'],
    ['sshd: ALL denied', '', 'sshd: ALL\n', '127.0.0.1', 'deny /etc/hosts.deny:1'],
    ['sshd: ALL denied, address unknown', '', 'sshd: ALL\n', undefined, 'deny /etc/hosts.deny:1'],
    ['ALL: ALL denied, allowed subnet', 'sshd: 10.0.0.0/8\n', 'ALL: ALL\n', '10.1.2.3', 'allow /etc/hosts.allow:1'],
    ['ALL: ALL denied, outside the subnet', 'sshd: 10.0.0.0/8\n', 'ALL: ALL\n', '127.0.0.1', 'deny /etc/hosts.deny:1'],
    ['netmask form', 'sshd: 10.0.0.0/255.0.0.0\n', 'ALL: ALL\n', '10.1.2.3', 'allow /etc/hosts.allow:1'],
    ['prefix form', 'sshd: 192.168.\n', 'ALL: ALL\n', '192.168.7.7', 'allow /etc/hosts.allow:1'],
    ['another daemon only', '', 'vsftpd: ALL\n', '127.0.0.1', 'allow'],
    ['EXCEPT', '', 'sshd: ALL EXCEPT 127.0.0.1\n', '127.0.0.1', 'allow'],
    ['EXCEPT, another address', '', 'sshd: ALL EXCEPT 127.0.0.1\n', '10.0.0.1', 'deny /etc/hosts.deny:1'],
    ['continued line', '', 'sshd: 10.0.0.1 \\\n  127.0.0.1\n', '127.0.0.1', 'deny /etc/hosts.deny:1'],
    ['IPv6 in brackets', 'sshd: [2001:db8::]/32\n', 'ALL: ALL\n', '2001:db8::7', 'allow /etc/hosts.allow:1'],
    ['a DENY option in hosts.allow', 'sshd: ALL: DENY\n', '', '127.0.0.1', 'deny /etc/hosts.allow:1'],
    ['a host name decides: depends', 'sshd: .example.org\n', 'ALL: ALL\n', '127.0.0.1', 'depends /etc/hosts.allow:1'],
    ['subnet, address unknown: depends', 'sshd: 10.0.0.0/8\n', 'ALL: ALL\n', undefined, 'depends /etc/hosts.allow:1'],
  ];
  for (const [name, allow, deny, addr, want] of table)
    it(`${name} → ${want}`, () => expect(decide(allow, deny, addr)).toBe(want));
});
