// Pure parsers on output captured from the real tools in the lab (test/fixtures/server).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSshdTest } from '../../src/server/probes/sshd-test.js';
import { parseSshdT } from '../../src/server/probes/effective.js';
import { parseNetstatOutput, parseSsOutput } from '../../src/server/probes/listeners.js';
import { parseProcStat, parsePs } from '../../src/server/probes/processes.js';
import { decideIptables, iptablesLayer, parseIptablesS } from '../../src/server/probes/firewall/iptables.js';
import { nftLayer, parseNftJson } from '../../src/server/probes/firewall/nftables.js';
import { explainingLines } from '../../src/server/probes/logs.js';
import { parseShadow } from '../../src/server/probes/user.js';
import { decideInit } from '../../src/server/probes/init.js';
import { ufwLayer } from '../../src/server/probes/firewall/ufw.js';
import { firewalldLayer } from '../../src/server/probes/firewall/firewalld.js';
import { attributeManaged } from '../../src/server/collect.js';
import { shellCommand, shellQuote } from '../../src/shell-quote.js';
import { authorizedKeysPaths } from '../../src/server/probes/auth-files.js';

const fx = (name: string) => readFileSync(new URL(`../fixtures/server/${name}`, import.meta.url), 'utf8');

describe('sshd -t', () => {
  it('bad option: file and line', () => {
    const t = parseSshdTest(fx('sshd-t-bad-option.txt'), 255);
    expect(t.errors).toEqual([{ file: '/etc/ssh/sshd_config', line: 123, message: 'Bad configuration option: Bogus' }]);
  });
  it('missing privsep dir is not a config error', () => {
    const t = parseSshdTest(fx('sshd-t-privsep.txt'), 255);
    expect(t.privsepMissing).toBe('Missing privilege separation directory: /run/sshd');
    expect(t.errors).toEqual([]);
  });
  it('host keys too open are listed per file, banner lines dropped', () => {
    const t = parseSshdTest(fx('sshd-t-hostkey-perms.txt'), 1);
    expect(t.hostKeyErrors.map((e) => e.path)).toEqual([
      '/etc/ssh/ssh_host_rsa_key',
      '/etc/ssh/ssh_host_ecdsa_key',
      '/etc/ssh/ssh_host_ed25519_key',
    ]);
    expect(t.errors).toEqual([]);
  });
});

describe('sshd -T', () => {
  it('keeps repeated keywords in order', () => {
    const c = parseSshdT(fx('sshd-T.txt'));
    expect(c.allowusers).toEqual(['bob', 'carol@10.0.0.1']);
    expect(c.hostkey).toEqual([
      '/etc/ssh/ssh_host_rsa_key',
      '/etc/ssh/ssh_host_ecdsa_key',
      '/etc/ssh/ssh_host_ed25519_key',
    ]);
    expect(c.usepam).toEqual(['yes']);
  });
});

describe('listeners and processes', () => {
  it('ss -tlnpH', () => {
    expect(parseSsOutput(fx('ss-tlnpH.txt'))).toEqual([
      { address: '127.0.0.1', port: 2201, process: 'sshd', pid: 34 },
      { address: '0.0.0.0', port: 2202, process: 'sshd', pid: 36 },
      { address: '::1', port: 2201, process: 'sshd', pid: 34 },
      { address: '::', port: 2202, process: 'sshd', pid: 36 },
    ]);
  });
  it('netstat -tlnp gives the same sockets', () => {
    const n = parseNetstatOutput(fx('netstat-tlnp.txt'));
    expect(n.map((s) => `${s.address}:${s.port}/${s.pid}`)).toEqual([
      '127.0.0.1:2201/34',
      '0.0.0.0:2202/36',
      '::1:2201/34',
      ':::2202/36',
    ]);
  });
  it('ps: listeners kept, zombies and session processes dropped', () => {
    const p = parsePs(fx('ps-sshd.txt'));
    expect(p.pids).toEqual([24]);
    expect(p.commands).toEqual(['sshd: /usr/sbin/sshd -p 2201 -E /var/log/auth.log [listener] 0 of 10-100 startups']);
    expect(parsePs('     90       1 Z    [sshd] <defunct>\n').pids).toEqual([]);
    // An sshd without the [listener] title: ancestry decides.
    expect(
      parsePs('  5  1 Ss /usr/sbin/sshd -D\n  9  5 Ss sshd: alice [priv]\n 11  9 S sshd: alice@pts/0\n').pids,
    ).toEqual([5]);
    // A config test running at the same moment is not a daemon.
    expect(
      parsePs('  50  40 R /usr/sbin/sshd -T -C user=alice,host=h,addr=203.0.113.10\n  51 40 R /usr/sbin/sshd -t\n')
        .pids,
    ).toEqual([]);
  });
});

describe('sshd log lines (captured /var/log/auth.log)', () => {
  it('keeps the refusals about alice (the generic close too: it carries her address), drops successes and other users', () => {
    const kept = explainingLines(fx('auth-log.txt'), 'alice');
    expect(kept.filter((l) => !l.startsWith('Connection closed by authenticating user alice '))).toEqual([
      'Authentication refused: bad ownership or modes for directory /home/alice',
      'Access denied for user alice by PAM account configuration [preauth]',
      'User alice from 127.0.0.1 not allowed because not listed in AllowUsers',
    ]);
    expect(kept).toContain('Connection closed by authenticating user alice 127.0.0.1 port 55694 [preauth]');
  });
  it('journalctl prefixes do not matter', () => {
    expect(
      explainingLines(
        'Nov 25 12:00:01 vm sshd[812]: Authentication refused: bad ownership or modes for file /home/alice/.ssh/authorized_keys\n',
        'alice',
      ),
    ).toHaveLength(1);
  });
});

describe('/proc fallback', () => {
  it('stat with a name holding ") " and a NUL-separated cmdline', () => {
    expect(
      parseProcStat(
        24,
        '24 (sshd) S 1 24 24 0 -1 4194560',
        'sshd: /usr/sbin/sshd -p 2201 [listener] 0 of 10-100 startups\0\0',
      ),
    ).toEqual({
      pid: 24,
      state: 'S',
      ppid: 1,
      comm: 'sshd',
      args: 'sshd: /usr/sbin/sshd -p 2201 [listener] 0 of 10-100 startups',
    });
    expect(parseProcStat(7, '7 (a) b) Z 3 7', '')).toMatchObject({ state: 'Z', ppid: 3, comm: 'a) b' });
    expect(parseProcStat(8, '', '')).toBeUndefined();
  });
});

describe('iptables', () => {
  const rs = parseIptablesS(fx('iptables-S-chain.txt'));
  it('jumps into a user chain; a REJECT there decides for port 22', () => {
    const d = decideIptables(rs, 22);
    expect(d.verdict).toBe('REJECT');
    expect(d.rule?.chain).toBe('SSHCHK');
    expect(d.rule?.position).toBe(2);
    expect(d.exceptions.map((r) => r.text)).toEqual(['-A SSHCHK -s 10.0.0.0/8 -j ACCEPT']);
  });
  it('port 2222 falls through to the DROP policy', () => {
    expect(iptablesLayer('iptables', rs, 2222)).toMatchObject({ state: 'blocks', rule: 'policy DROP' });
  });
  it('empty ruleset is inactive', () => {
    expect(
      iptablesLayer('iptables', parseIptablesS('-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n'), 22).state,
    ).toBe('inactive');
  });
});

describe('nftables', () => {
  const rs = parseNftJson(fx('nft-drop.json'));
  it('set match drops 22 with the rule handle', () => {
    expect(nftLayer(rs, 22)).toMatchObject({
      state: 'blocks',
      rule: 'tcp dport { 22, 2222 } drop',
      where: { family: 'inet', table: 'filter', chain: 'input', handle: 5 },
    });
  });
  it('another port meets the drop policy (the lo accept does not apply to remote clients)', () => {
    expect(nftLayer(rs, 80)).toMatchObject({ state: 'blocks', rule: 'policy drop' });
  });
});

describe('ufw', () => {
  it('inactive', () => expect(ufwLayer(fx('ufw-inactive.txt'), 22).state).toBe('inactive'));
  it('first matching rule wins (DENY listed before ALLOW)', () => {
    expect(ufwLayer(fx('ufw-deny-first.txt'), 2201)).toMatchObject({
      state: 'blocks',
      verdict: 'DENY',
      rule: '2201/tcp                   DENY IN     Anywhere',
    });
  });
  it('a source-limited ALLOW is an exception, the default policy decides', () => {
    const l = ufwLayer(fx('ufw-deny-first.txt'), 22);
    expect(l).toMatchObject({ state: 'blocks', rule: 'Default: deny (incoming), allow (outgoing), disabled (routed)' });
    expect(l.detail).toMatch(/^allowed only for: 22\/tcp +ALLOW IN +10\.0\.0\.0\/8$/);
  });
  it("ufw's iptables chains are attributed to ufw, so the block is reported once", () => {
    const ipt = iptablesLayer('iptables', parseIptablesS(fx('iptables-S-ufw.txt')), 2201);
    expect(ipt.state).toBe('blocks');
    expect(ipt.where?.chain).toMatch(/^ufw-/);
    const [, out] = attributeManaged([ufwLayer(fx('ufw-deny-first.txt'), 2201), ipt]);
    expect(out!.managedBy).toBe('ufw');
  });
});

describe('firewalld (text as firewall-cmd --list-all prints it; not runnable in the lab)', () => {
  const zone = (services: string, ports: string) =>
    `public (active)\n  target: default\n  icmp-block-inversion: no\n  interfaces: eth0\n  sources: \n  services: ${services}\n  ports: ${ports}\n  protocols: \n  forward: yes\n  masquerade: no\n  forward-ports: \n  source-ports: \n  icmp-blocks: \n  rich rules: \n`;
  it('service ssh allows 22 only', () => {
    expect(firewalldLayer(zone('dhcpv6-client ssh', ''), 22).state).toBe('accepts');
    expect(firewalldLayer(zone('dhcpv6-client ssh', ''), 2222)).toMatchObject({
      state: 'blocks',
      where: { zone: 'public' },
    });
  });
  it('a port range allows', () => expect(firewalldLayer(zone('', '2200-2300/tcp'), 2222).state).toBe('accepts'));
});

describe('ss under systemd socket activation', () => {
  it("the listener is systemd's until sshd starts, then both hold it", () => {
    expect(
      parseSsOutput('LISTEN 0      4096               *:22              *:*    users:(("systemd",pid=1,fd=99))\n'),
    ).toEqual([{ address: '*', port: 22, process: 'systemd', pid: 1 }]);
    expect(
      parseSsOutput(
        'LISTEN 0      4096               *:22              *:*    users:(("sshd",pid=1203,fd=3),("systemd",pid=1,fd=99))\n',
      ),
    ).toEqual([{ address: '*', port: 22, process: 'sshd', pid: 1203 }]);
  });
});

describe('account and init', () => {
  it('useradd leaves "!" in shadow: locked password, not an expired account', () => {
    const s = parseShadow(fx('shadow-alice.txt'), 20_000);
    expect(s).toEqual({ passwordStatus: 'L', lockedWithBang: true, lastChange: 20782 });
  });
  it("chage -d 0 (the lab's real shadow line): a change is forced at the next login", () => {
    expect(parseShadow(fx('shadow-alice-chage-d0.txt'), 20_000)).toMatchObject({
      passwordChange: 'forced',
      lastChange: 0,
    });
  });
  it('past its maximum age: a change is asked for; past the inactive period too: locked instead', () => {
    expect(parseShadow('alice:$y$x:19000:0:90:7:::', 20_000).passwordChange).toBe('expired');
    expect(parseShadow('alice:$y$x:19000:0:90:7:30::', 20_000)).toMatchObject({ passwordInactive: true });
    expect(parseShadow('alice:$y$x:19000:0:90:7:30::', 20_000).passwordChange).toBeUndefined();
    expect(parseShadow('alice:$y$x:19990:0:90:7:::', 20_000).passwordChange).toBeUndefined();
  });
  it('expiry day passed', () => {
    expect(parseShadow('alice:!:20000:0:99999:7::1:', 20_000).accountExpired).toBe(true);
  });
  it('init: containers have no manager even with /etc/init.d/ssh present', () => {
    expect(decideInit({ pid1: 'sleep', present: ['/usr/sbin/service', '/etc/init.d/ssh'] })).toEqual({
      system: 'none',
    });
    expect(decideInit({ pid1: 'systemd', present: ['/run/systemd/system'], enabled: 'enabled' })).toEqual({
      system: 'systemd',
      service: 'ssh',
      enabled: true,
    });
    expect(decideInit({ pid1: 'init', present: ['/usr/sbin/service', '/etc/init.d/ssh'] })).toEqual({
      system: 'sysvinit',
      service: 'ssh',
    });
  });
  it('init: Ubuntu 22.10+ socket activation ("systemctl is-active ssh.socket" says active)', () => {
    expect(
      decideInit({ pid1: 'systemd', present: ['/run/systemd/system'], enabled: 'disabled', socketActive: 'active' }),
    ).toEqual({ system: 'systemd', service: 'ssh', enabled: false, socket: true });
    expect(
      decideInit({ pid1: 'systemd', present: ['/run/systemd/system'], enabled: 'enabled', socketActive: 'inactive' }),
    ).toEqual({ system: 'systemd', service: 'ssh', enabled: true });
  });
  it('AuthorizedKeysFile tokens', () => {
    const eff = {
      context: { user: 'a', host: 'h', addr: '1' },
      config: { authorizedkeysfile: ['.ssh/authorized_keys /etc/ssh/keys/%u %h/k%%'] },
    };
    expect(authorizedKeysPaths(eff, { name: 'alice', exists: true, home: '/home/alice/', uid: 1001 })).toEqual([
      '/home/alice/.ssh/authorized_keys',
      '/etc/ssh/keys/alice',
      '/home/alice/k%',
    ]);
  });
});

describe('shell quoting for --via', () => {
  it('single-quotes every argument, including quotes inside', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellCommand(['sshd', '-T', '-C', 'user=a b,host=$(x)'])).toBe(`'sshd' '-T' '-C' 'user=a b,host=$(x)'`);
  });
  it('round-trips through a real sh', async () => {
    const { execFileSync } = await import('node:child_process');
    const args = ['a b', "c'd", '$HOME', '`id`', '*', '\\n', ''];
    const out = execFileSync('sh', ['-c', `printf '%s\\n' ${shellCommand(args)}`], { encoding: 'utf8' });
    expect(out).toBe(args.map((a) => a + '\n').join(''));
  });
});
