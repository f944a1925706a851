// The source address the direct probes bind for -b / -B, chosen as ssh chooses it
// (sshconnect.c: getaddrinfo for BindAddress, check_ifaddrs for BindInterface).
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  bindErrorProblem,
  interfaceAddress,
  literalMismatch,
  localAddressFor,
} from '../../../src/client/probes/local-bind.js';

const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({
  address,
  netmask: '255.0.0.0',
  family: 'IPv4',
  mac: '00:00:00:00:00:00',
  internal,
  cidr: `${address}/8`,
});
const v6 = (address: string, internal = false): NetworkInterfaceInfo => ({
  address,
  netmask: 'ffff:ffff:ffff:ffff::',
  family: 'IPv6',
  mac: '00:00:00:00:00:00',
  internal,
  cidr: `${address}/64`,
  scopeid: 0,
});

// Shaped like os.networkInterfaces() in the lab (lo with a second address) plus an ethernet card.
const interfaces = {
  lo: [v4('127.0.0.1', true), v4('127.0.0.2', true), v6('::1', true)],
  eth0: [v4('192.0.2.7'), v6('fe80::1'), v6('2001:db8::7')],
  wg0: [v6('fe80::9')],
  // A bridge whose global address holds "fe80" further on: only a leading fe80::/10 is link-local.
  br0: [v6('fe80::2'), v6('2001:db8::fe80:1')],
};

describe('interfaceAddress (-B)', () => {
  const cases: [string, string, 4 | 6, ReturnType<typeof interfaceAddress>][] = [
    ['skips 127.0.0.1 itself for another loopback address', 'lo', 4, { localAddress: '127.0.0.2' }],
    ['takes ::1 when the interface has nothing else of that family', 'lo', 6, { localAddress: '::1' }],
    ['the IPv4 address of an ethernet card', 'eth0', 4, { localAddress: '192.0.2.7' }],
    ['a global IPv6 address before a link-local one', 'eth0', 6, { localAddress: '2001:db8::7' }],
    ['a link-local address only with its interface named', 'wg0', 6, { localAddress: 'fe80::9%wg0' }],
    ['fe80 inside a global address is no link-local one', 'br0', 6, { localAddress: '2001:db8::fe80:1' }],
    [
      'no address of the destination family',
      'wg0',
      4,
      { problem: 'BindInterface wg0: wg0 has no IPv4 address (ssh says "getifaddrs: wg0: no suitable addresses")' },
    ],
    [
      'no such interface (or it is down: Node lists only those up)',
      'nosuchif',
      4,
      {
        problem:
          'BindInterface nosuchif: this machine has no interface nosuchif that is up (ssh says "getifaddrs: nosuchif: no suitable addresses")',
      },
    ],
  ];
  for (const [what, name, family, want] of cases)
    it(what, () => expect(interfaceAddress(name, family, interfaces)).toEqual(want));
});

describe('localAddressFor', () => {
  const ifs = () => interfaces;
  it('nothing set: the system chooses', async () => {
    expect(await localAddressFor(undefined, '127.0.0.1', ifs)).toEqual({});
  });
  it('-b wins over -B, as in ssh', async () => {
    expect(await localAddressFor({ address: '127.0.0.5', interface: 'nosuchif' }, '127.0.0.1', ifs)).toEqual({
      localAddress: '127.0.0.5',
    });
  });
  it('-B takes the family of the destination', async () => {
    expect(await localAddressFor({ interface: 'eth0' }, '2001:db8::1', ifs)).toEqual({ localAddress: '2001:db8::7' });
  });
  it('a literal -b of the other family (ssh: "Address family for hostname not supported")', async () => {
    expect(await localAddressFor({ address: '::1' }, '127.0.0.1', ifs)).toEqual({
      problem: 'BindAddress ::1 is an IPv6 address, and the destination is IPv4',
    });
  });
  it('a name that does not resolve ("none" is a name to ssh too)', async () => {
    expect(await localAddressFor({ address: 'nosuch.invalid' }, '127.0.0.1', ifs)).toMatchObject({
      problem: 'BindAddress nosuch.invalid does not resolve to an IPv4 address',
      errno: expect.stringMatching(/^E/),
    });
  });
  it('a name that resolves: its address', async () => {
    expect(await localAddressFor({ address: 'localhost' }, '127.0.0.1', ifs)).toEqual({ localAddress: '127.0.0.1' });
  });
});

describe('literalMismatch and bindErrorProblem', () => {
  it('same family, or a name: no mismatch', () => {
    expect([literalMismatch('127.0.0.2', 4), literalMismatch('host', 6)]).toEqual([undefined, undefined]);
  });
  it("EADDRNOTAVAIL: the address is not this machine's, in ssh's own words", () => {
    expect(bindErrorProblem({ address: '10.9.9.9' }, '10.9.9.9', 'EADDRNOTAVAIL')).toBe(
      'BindAddress 10.9.9.9: this machine has no address 10.9.9.9 (ssh says "bind 10.9.9.9: Cannot assign requested address")',
    );
    expect(bindErrorProblem({ interface: 'eth0' }, '192.0.2.7', 'EADDRINUSE')).toBe(
      'BindInterface eth0: binding 192.0.2.7 failed (EADDRINUSE)',
    );
    expect(bindErrorProblem({ interface: 'eth0' }, '192.0.2.7', undefined)).toBe(
      'BindInterface eth0: binding 192.0.2.7 failed',
    );
  });
});
