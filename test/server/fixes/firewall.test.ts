import { describe, expect, it } from 'vitest';
import {
  allowedPort,
  allowRule,
  firewallRecovery,
  nftChainOf,
  nftUndo,
  parseNftHandle,
  ruleCheckFor,
  undoWouldCut,
} from '../../../src/server/fixes/firewall.js';

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

describe('firewall plans: where, undo, recovery', () => {
  it('iptables appended at the end of a chain whose policy blocks; defaults filter/INPUT', () => {
    expect(allowRule({ name: 'iptables', state: 'blocks', rule: 'policy DROP' }, 2222)).toEqual({
      commands: [
        [
          'iptables',
          '-t',
          'filter',
          '-A',
          'INPUT',
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
      undo: [
        [
          'iptables',
          '-t',
          'filter',
          '-D',
          'INPUT',
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
      where: 'end of INPUT (its policy blocks)',
    });
    expect(
      allowRule({ name: 'ip6tables', state: 'blocks', where: { table: 'raw', chain: 'SSH', position: 1 } }, 22)!.where,
    ).toBe('SSH, before rule 1');
    expect(
      allowRule(
        { name: 'ip6tables', state: 'blocks', where: { table: 'raw', chain: 'SSH', position: 1 } },
        22,
      )!.commands[0]!.slice(0, 6),
    ).toEqual(['ip6tables', '-t', 'raw', '-I', 'SSH', '1']);
  });

  it('nftables: where it goes, and the undo a person completes with the handle', () => {
    const at = allowRule(
      { name: 'nftables', state: 'blocks', where: { family: 'inet', table: 'filter', chain: 'input', handle: 7 } },
      22,
    )!;
    expect(at.where).toBe('inet filter input, before handle 7');
    expect(at.undo).toBe('nft delete rule inet filter input handle <the handle printed when the rule was added>');
    const end = allowRule(
      { name: 'nftables', state: 'blocks', where: { family: 'ip', table: 't', chain: 'c' } },
      2222,
    )!;
    expect(end.commands).toEqual([
      [
        'nft',
        '--echo',
        '--handle',
        'add',
        'rule',
        'ip',
        't',
        'c',
        'tcp',
        'dport',
        '2222',
        'accept',
        'comment',
        '"ssh-doctor"',
      ],
    ]);
    expect(end.where).toBe('end of ip t c');
    expect(allowRule({ name: 'nftables', state: 'blocks', where: { table: 't', chain: 'c' } }, 22)).toBeUndefined();
    expect(allowRule({ name: 'nftables', state: 'blocks', where: { family: 'ip', chain: 'c' } }, 22)).toBeUndefined();
    expect(allowRule({ name: 'nftables', state: 'blocks' }, 22)).toBeUndefined();
  });

  it('firewalld: ssh by service name on 22, the default zone when none is named', () => {
    expect(allowRule({ name: 'firewalld', state: 'blocks' }, 22)).toEqual({
      commands: [
        ['firewall-cmd', '--add-service=ssh'],
        ['firewall-cmd', '--permanent', '--add-service=ssh'],
      ],
      undo: [
        ['firewall-cmd', '--remove-service=ssh'],
        ['firewall-cmd', '--permanent', '--remove-service=ssh'],
      ],
      where: 'firewalld zone (default)',
    });
    expect(allowRule({ name: 'firewalld', state: 'blocks', where: { chain: 'dmz', zone: 'dmz' } }, 2222)!.undo).toEqual(
      [
        ['firewall-cmd', '--zone=dmz', '--remove-port=2222/tcp'],
        ['firewall-cmd', '--permanent', '--zone=dmz', '--remove-port=2222/tcp'],
      ],
    );
  });

  const fix = (commands: string[][], undo: string[][] | string = [['u0'], ['u1']], id = 'firewall-allow-ssh') => ({
    id,
    title: 't',
    commands,
    risk: '',
    undo,
  });
  it.each([
    [
      'ufw swap, second step failed: the deleted rule goes back',
      fix([
        ['ufw', 'delete', 'deny', '22/tcp'],
        ['ufw', 'insert', '1', 'allow', '22/tcp'],
      ]),
      1,
      [['u1']],
    ],
    [
      'firewalld, permanent step failed: the runtime rule is removed',
      fix([
        ['firewall-cmd', '--add-service=ssh'],
        ['firewall-cmd', '--permanent', '--add-service=ssh'],
      ]),
      1,
      [['u0']],
    ],
    ['first step failed: nothing ran', fix([['firewall-cmd', '--add-service=ssh'], ['x']]), 0, []],
    ['a plain ufw insert', fix([['ufw', 'insert', '1', 'allow', '22/tcp'], ['x']]), 1, []],
    ['ufw allow, not a delete', fix([['ufw', 'allow', '22/tcp'], ['x']]), 1, []],
    ['iptables', fix([['iptables', '-I', 'INPUT'], ['x']]), 1, []],
    ['another fix', fix([['firewall-cmd', '--add-service=ssh'], ['x']], [['u0']], 'other'), 1, []],
    ['an undo known only afterwards', fix([['firewall-cmd', '--add-service=ssh'], ['x']], 'by hand'), 1, []],
  ])('firewallRecovery: %s', (_n, f, at, want) => expect(firewallRecovery(f, at)).toEqual(want));

  it.each([
    [
      ['iptables', '-t', 'filter', '-D', 'INPUT', '-p', 'tcp', '-j', 'ACCEPT'],
      ['iptables', '-t', 'filter', '-C', 'INPUT', '-p', 'tcp', '-j', 'ACCEPT'],
    ],
    [
      ['ip6tables', '-D', 'INPUT'],
      ['ip6tables', '-C', 'INPUT'],
    ],
    [['nft', '-D', 'x'], undefined],
    [['iptables', '-A', 'INPUT'], undefined],
    [['-D', 'iptables'], undefined],
  ])('ruleCheckFor(%j)', (undo, want) => expect(ruleCheckFor(undo)).toEqual(want));

  it.each([
    [['nft', 'add', 'rule', 'inet', 'filter', 'input', 'tcp'], { family: 'inet', table: 'filter', chain: 'input' }],
    [['nft', 'add', 'rule', 'inet', 'filter'], undefined],
    [['nft', 'add', 'table', 'inet', 'filter', 'input'], undefined],
    [['rule', 'a', 'b', 'c'], { family: 'a', table: 'b', chain: 'c' }],
  ])('nftChainOf(%j)', (cmd, want) => {
    expect(nftChainOf(cmd)).toEqual(want);
    expect(nftUndo(cmd, 3)).toEqual(
      want && [['nft', 'delete', 'rule', want.family, want.table, want.chain, 'handle', '3']],
    );
  });

  it.each([
    ['add rule inet filter input tcp dport 22 accept # handle 12', 12],
    ['# handle 3', 3],
    ['#handle  45\n', 45],
    ['handle 7', undefined],
    ['# handle x', undefined],
    ['', undefined],
  ])('parseNftHandle(%j)', (out, want) => expect(parseNftHandle(out)).toBe(want));

  it('allowedPort: nothing it can read', () => {
    expect(allowedPort([['ufw', 'allow', 'ssh']])).toBeUndefined();
    expect(allowedPort([['firewall-cmd', '--add-port=2222/udpx']])).toBeUndefined();
    expect(allowedPort([['ufw', 'allow', 'x2222/tcp']])).toBeUndefined();
    expect(allowedPort([['ufw', 'allow', '2222/tcp']])).toBe(2222);
  });

  it('undoWouldCut: the whole sentence when sudo hid the port, with the port or a ?', () => {
    const r = [['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '2222', '-j', 'ACCEPT']];
    expect(undoWouldCut('firewall-allow-ssh', r, 'unknown')).toBe(
      'this runs over SSH on a port ssh-doctor cannot see (sudo hides SSH_CONNECTION), and the undo removes the rule that lets port 2222 in',
    );
    expect(undoWouldCut('firewall-allow-ssh', [['true']], 'unknown')).toBe(
      'this runs over SSH on a port ssh-doctor cannot see (sudo hides SSH_CONNECTION), and the undo removes the rule that lets port ? in',
    );
  });
});
