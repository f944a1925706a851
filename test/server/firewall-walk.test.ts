// The firewall walk lists only what a new connection to the SSH port can reach, under a time
// bound: output captured from the lab's iptables-nft 1.8.9 and nft 1.0.6 (INPUT jumps to an
// smtp-block chain for port 25 and to ssh-in for every TCP packet; nft the same with ssh_in).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Exec } from '../../src/server/exec.js';
import { probeIptables } from '../../src/server/probes/firewall/iptables.js';
import { probeNftables } from '../../src/server/probes/firewall/nftables.js';
import { allowedOnlyFor } from '../../src/server/probes/firewall/verdict.js';
import type { RunResult } from '../../src/run.js';
import { ran } from './run-result.js';

const fx = (name: string) => readFileSync(new URL(`../fixtures/server/${name}`, import.meta.url), 'utf8');

/** An exec that answers from a table of argv → result and records what was asked. */
function fake(answers: Record<string, RunResult>) {
  const asked: string[] = [];
  const exec: Exec = async (cmd) => {
    const k = cmd.join(' ');
    asked.push(k);
    return answers[k] ?? ran('', { exitCode: 1, stderr: `unexpected: ${k}` });
  };
  return { exec, asked };
}

describe('iptables: INPUT, then only the chains a surely-matching rule jumps to', () => {
  const answers = {
    'iptables -w 2 -S INPUT -t filter': ran(fx('iptables-S-INPUT.txt')),
    'iptables -w 2 -S ssh-in -t filter': ran(fx('iptables-S-ssh-in.txt')),
    'iptables -w 2 -S LOG -t filter': ran('', { exitCode: 1, stderr: fx('iptables-S-LOG-nft.stderr.txt') }),
  };

  it('port 2201: decided in ssh-in; smtp-block (port 25) is never listed; LOG is no chain', async () => {
    const { exec, asked } = fake(answers);
    const layer = await probeIptables(exec, 'iptables', 2201);
    expect(layer).toMatchObject({
      state: 'blocks',
      rule: '-A ssh-in -p tcp -m tcp --dport 2201 -j REJECT --reject-with icmp-port-unreachable',
      where: { table: 'filter', chain: 'ssh-in', position: 3 },
      detail:
        'allowed only for: -A ssh-in -s 10.0.0.0/8 -p tcp -m tcp --dport 2201 -j ACCEPT; -A ssh-in -s 192.168.0.0/16 -p tcp -m tcp --dport 2201 -j ACCEPT',
    });
    expect(asked.sort()).toEqual(Object.keys(answers).sort());
  });

  it('a listing that does not finish in time: unknown, never a verdict', async () => {
    const { exec } = fake({
      ...answers,
      'iptables -w 2 -S ssh-in -t filter': ran('', { exitCode: undefined, timedOut: true, durationMs: 2000 }),
    });
    expect(await probeIptables(exec, 'iptables', 2201)).toEqual({
      name: 'iptables',
      state: 'unknown',
      detail: 'iptables -w 2 -S ssh-in -t filter did not finish within the 2 s the firewall check may take',
    });
  });

  it('more chains at one level than are worth a command each: the table is listed once', async () => {
    const input = ['-P INPUT DROP', ...Array.from({ length: 20 }, (_, i) => `-A INPUT -p tcp -j c${i}`)].join('\n');
    const table = [
      input,
      ...Array.from({ length: 20 }, (_, i) => `-N c${i}`),
      '-A c19 -p tcp -m tcp --dport 2201 -j ACCEPT',
    ].join('\n');
    const { exec, asked } = fake({
      'iptables -w 2 -S INPUT -t filter': ran(input),
      'iptables -w 2 -S -t filter': ran(table),
    });
    expect(await probeIptables(exec, 'iptables', 2201)).toMatchObject({ state: 'accepts', where: { chain: 'c19' } });
    expect(asked).toEqual(['iptables -w 2 -S INPUT -t filter', 'iptables -w 2 -S -t filter']);
  });
});

describe('nftables: the chain list, the input base chains, then only matching jumps', () => {
  const answers = {
    'nft -j list chains': ran(fx('nft-list-chains.json')),
    'nft -j list chain inet filter input': ran(fx('nft-chain-input.json')),
    'nft -j list chain inet filter ssh_in': ran(fx('nft-chain-ssh_in.json')),
  };

  it("port 2201: accepted in ssh_in; smtp_block and iptables-nft's own tables are never listed", async () => {
    const { exec, asked } = fake(answers);
    expect(await probeNftables(exec, 2201)).toMatchObject({
      state: 'accepts',
      rule: 'tcp dport 2201 accept',
      where: { family: 'inet', table: 'filter', chain: 'ssh_in', handle: 9 },
      detail: 'allowed only for: ip saddr 10.0.0.0/8 accept',
    });
    expect(asked).toEqual(Object.keys(answers));
  });

  it('port 80 meets the drop policy of input without listing any other chain', async () => {
    const { exec, asked } = fake(answers);
    expect(await probeNftables(exec, 80)).toMatchObject({ state: 'blocks', rule: 'policy drop' });
    expect(asked).toEqual(['nft -j list chains', 'nft -j list chain inet filter input']);
  });

  it('a listing that does not finish in time: unknown', async () => {
    const { exec } = fake({
      ...answers,
      'nft -j list chain inet filter ssh_in': ran('', { exitCode: undefined, timedOut: true, durationMs: 2000 }),
    });
    expect(await probeNftables(exec, 2201)).toMatchObject({
      state: 'unknown',
      detail: 'nft -j list chain inet filter ssh_in did not finish within the 2 s the firewall check may take',
    });
  });
});

describe('"allowed only for" quotes a few rules and counts the rest', () => {
  it.each([
    [['a'], 'allowed only for: a'],
    [['a', 'b', 'c', 'd', 'e'], 'allowed only for: a; b; c; d; e'],
    [['a', 'b', 'c', 'd', 'e', 'f'], 'allowed only for: a; b; c; d; e (and 1 more rule)'],
    [Array.from({ length: 50_000 }, (_, i) => `r${i}`), 'allowed only for: r0; r1; r2; r3; r4 (and 49995 more rules)'],
  ])('%#', (rules, text) => expect(allowedOnlyFor(rules)).toBe(text));
});
