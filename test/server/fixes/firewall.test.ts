import { describe, expect, it } from 'vitest';
import { allowedPort, allowRule, nftUndo, parseNftHandle, undoWouldCut } from '../../../src/server/fixes/firewall.js';

describe('firewall allow rule: in the blocking layer, right before the blocking rule', () => {
  it("iptables: inserted at the DROP rule's position, deleted by its exact spec", () => {
    const p = allowRule(
      {
        name: 'iptables',
        state: 'blocks',
        rule: '-A INPUT -p tcp --dport 22 -j DROP',
        where: { table: 'filter', chain: 'INPUT', position: 3 },
      },
      22,
    )!;
    expect(p.commands).toEqual([
      [
        'iptables',
        '-t',
        'filter',
        '-I',
        'INPUT',
        '3',
        '-p',
        'tcp',
        '--dport',
        '22',
        '-m',
        'comment',
        '--comment',
        'ssh-doctor',
        '-j',
        'ACCEPT',
      ],
    ]);
    expect(p.undo).toEqual([
      [
        'iptables',
        '-t',
        'filter',
        '-D',
        'INPUT',
        '-p',
        'tcp',
        '--dport',
        '22',
        '-m',
        'comment',
        '--comment',
        'ssh-doctor',
        '-j',
        'ACCEPT',
      ],
    ]);
  });

  it('iptables with a DROP policy: appended, since no rule decides', () => {
    const p = allowRule({ name: 'ip6tables', state: 'blocks', rule: 'policy DROP', where: { chain: 'INPUT' } }, 2222)!;
    expect(p.commands[0]!.slice(0, 5)).toEqual(['ip6tables', '-t', 'filter', '-A', 'INPUT']);
  });

  it('nftables: inserted at the handle of the blocking rule; the undo deletes the new handle', () => {
    const p = allowRule(
      { name: 'nftables', state: 'blocks', where: { family: 'inet', table: 'filter', chain: 'input', handle: 7 } },
      22,
    )!;
    expect(p.commands[0]).toEqual([
      'nft',
      '--echo',
      '--handle',
      'insert',
      'rule',
      'inet',
      'filter',
      'input',
      'position',
      '7',
      'tcp',
      'dport',
      '22',
      'accept',
      'comment',
      '"ssh-doctor"',
    ]);
    expect(
      parseNftHandle('insert rule inet filter input position 7 tcp dport 22 accept comment "ssh-doctor" # handle 12\n'),
    ).toBe(12);
    expect(nftUndo(p.commands[0]!, 12)).toEqual([['nft', 'delete', 'rule', 'inet', 'filter', 'input', 'handle', '12']]);
  });

  it('ufw and firewalld: their own allow commands, firewalld runtime and permanent', () => {
    expect(allowRule({ name: 'ufw', state: 'blocks', rule: 'Default: deny (incoming)' }, 22)!.commands).toEqual([
      ['ufw', 'allow', '22/tcp'],
    ]);
    expect(
      allowRule({ name: 'firewalld', state: 'blocks', where: { chain: 'public', zone: 'public' } }, 2222)!.commands,
    ).toEqual([
      ['firewall-cmd', '--zone=public', '--add-port=2222/tcp'],
      ['firewall-cmd', '--permanent', '--zone=public', '--add-port=2222/tcp'],
    ]);
  });
});

describe('undo of an allow rule never cuts the session it runs in', () => {
  it.each([
    [
      [
        [
          'iptables',
          '-t',
          'filter',
          '-I',
          'INPUT',
          '3',
          '-p',
          'tcp',
          '--dport',
          '2222',
          '-m',
          'comment',
          '--comment',
          'ssh-doctor',
          '-j',
          'ACCEPT',
        ],
      ],
      2222,
    ],
    [
      [
        [
          'nft',
          '--echo',
          '--handle',
          'insert',
          'rule',
          'inet',
          'f',
          'input',
          'position',
          '4',
          'tcp',
          'dport',
          '2222',
          'accept',
          'comment',
          '"ssh-doctor"',
        ],
      ],
      2222,
    ],
    [
      [
        ['ufw', 'delete', 'deny', '2222/tcp'],
        ['ufw', 'insert', '1', 'allow', '2222/tcp'],
      ],
      2222,
    ],
    [
      [
        ['firewall-cmd', '--zone=public', '--add-port=2222/tcp'],
        ['firewall-cmd', '--permanent', '--zone=public', '--add-port=2222/tcp'],
      ],
      2222,
    ],
    [[['firewall-cmd', '--add-service=ssh']], 22],
  ])('allowedPort(%j)', (commands, port) => expect(allowedPort(commands)).toBe(port));

  const rule = [['iptables', '-t', 'filter', '-A', 'INPUT', '-p', 'tcp', '--dport', '2222', '-j', 'ACCEPT']];
  it('refused when the session came in on that port, or when sudo hid which port it was', () => {
    expect(undoWouldCut('firewall-allow-ssh', rule, 2222)).toBe(
      'this SSH session came in on port 2222, and the undo removes the rule that lets that port in',
    );
    expect(undoWouldCut('firewall-allow-ssh', rule, 'unknown')).toMatch(/sudo hides SSH_CONNECTION/);
  });
  it('allowed from a console, over another port, or for any other fix', () => {
    expect(undoWouldCut('firewall-allow-ssh', rule, undefined)).toBeUndefined();
    expect(undoWouldCut('firewall-allow-ssh', rule, 22)).toBeUndefined();
    expect(undoWouldCut('fix-ssh-dir-permissions', [['chmod', '0700', '/home/a/.ssh']], 2222)).toBeUndefined();
  });
});
