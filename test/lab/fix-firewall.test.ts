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
    expect(a.fix.commands).toEqual([['iptables', '-t', 'filter', '-I', 'INPUT', '2', '-p', 'tcp', '--dport', '2314', '-m', 'comment', '--comment', 'ssh-doctor', '-j', 'ACCEPT']]);
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
    const entries = JSON.parse((await lab.cli(['undo', '--list', '--json'], { env: STATE })).stdout).entries as { id: string; fixId: string }[];
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
