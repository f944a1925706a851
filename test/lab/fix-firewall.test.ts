import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { fixInLab, login, STATE } from './fix-lab.js';

describe.runIf(requireLab())('fix: firewall allow rule, before the rule that blocks', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(2314)}
iptables -A INPUT -p icmp -j ACCEPT
iptables -A INPUT -p tcp --dport 2314 -j DROP
iptables -A INPUT -p udp --dport 53 -j ACCEPT`);
  });
  afterAll(() => lab?.close());

  it('iptables DROP: ACCEPT inserted at its position, login works, the DROP rule is still there', async () => {
    expect((await login(lab, 2314)).exitCode).not.toBe(0);
    const out = await fixInLab(lab, 2314, ['firewall-blocks-ssh']);
    const a = out.applied[0]!;
    expect(a.fix.commands).toEqual([
      [
        'iptables',
        '-t',
        'filter',
        '-I',
        'INPUT',
        '2',
        '-p',
        'tcp',
        '--dport',
        '2314',
        '-m',
        'comment',
        '--comment',
        'ssh-doctor',
        '-j',
        'ACCEPT',
      ],
    ]);
    expect(a.result.ok).toBe(true);
    expect((await lab.sh('iptables -S INPUT')).stdout.split('\n')).toEqual([
      '-P INPUT ACCEPT',
      '-A INPUT -p icmp -j ACCEPT',
      '-A INPUT -p tcp -m tcp --dport 2314 -m comment --comment ssh-doctor -j ACCEPT',
      '-A INPUT -p tcp -m tcp --dport 2314 -j DROP',
      '-A INPUT -p udp -m udp --dport 53 -j ACCEPT',
    ]);
    expect((await login(lab, 2314)).stdout.trim()).toBe('alice');
  });

  it('undo removes exactly the added rule', async () => {
    const entries = JSON.parse((await lab.cli(['undo', '--list', '--json'], { env: STATE })).stdout).entries as {
      id: string;
      fixId: string;
    }[];
    const id = entries.find((e) => e.fixId === 'firewall-allow-ssh')!.id;
    expect((await lab.cli(['undo', id, '--yes'], { env: STATE })).exitCode).toBe(0);
    expect((await lab.sh('iptables -S INPUT')).stdout.split('\n')).toEqual([
      '-P INPUT ACCEPT',
      '-A INPUT -p icmp -j ACCEPT',
      '-A INPUT -p tcp -m tcp --dport 2314 -j DROP',
      '-A INPUT -p udp -m udp --dport 53 -j ACCEPT',
    ]);
  });
});

describe.runIf(requireLab())('fix: nftables allow rule, by handle', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(2316)}
nft add table inet filter
nft add chain inet filter input '{ type filter hook input priority 0; policy accept; }'
nft add rule inet filter input ct state established,related accept
nft add rule inet filter input tcp dport 2316 drop`);
  });
  afterAll(() => lab?.close());

  it('inserts "accept" right before the drop rule, login works, undo deletes exactly that handle', async () => {
    const out = await fixInLab(lab, 2316, ['firewall-blocks-ssh']);
    const a = out.applied[0]!;
    expect(a.fix.commands[0]!.slice(0, 10)).toEqual([
      'nft',
      '--echo',
      '--handle',
      'insert',
      'rule',
      'inet',
      'filter',
      'input',
      'position',
      expect.stringMatching(/^\d+$/),
    ]);
    expect(a.result.ok).toBe(true);
    const rules = (await lab.sh('nft list chain inet filter input')).stdout;
    expect(rules).toMatch(/tcp dport 2316 accept comment "ssh-doctor"\s+tcp dport 2316 drop/);
    expect((await login(lab, 2316)).stdout.trim()).toBe('alice');
    const entries = JSON.parse((await lab.cli(['undo', '--list', '--json'], { env: STATE })).stdout).entries as {
      id: string;
      undo: string[][];
    }[];
    expect(entries[0]!.undo[0]!.slice(0, 7)).toEqual(['nft', 'delete', 'rule', 'inet', 'filter', 'input', 'handle']);
    expect((await lab.cli(['undo', entries[0]!.id, '--yes'], { env: STATE })).exitCode).toBe(0);
    const after = (await lab.sh('nft list chain inet filter input')).stdout;
    expect(after).not.toContain('ssh-doctor');
    expect(after).toContain('tcp dport 2316 drop');
  });
});
