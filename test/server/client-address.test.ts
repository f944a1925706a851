// OpenSSH's address matching (match.c / addrmatch.c) and the address assumed for the locked-out
// person, on log lines captured from the lab's real sshd (test/fixtures/server/auth-log-refusals.txt).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addrMatchList,
  assumeClient,
  lastRefusal,
  matchHostAndIp,
  namesHosts,
  parseAddress,
} from '../../src/server/client-address.js';
import { lines } from '../../src/server/exec.js';

const LOG = lines(readFileSync(new URL('../fixtures/server/auth-log-refusals.txt', import.meta.url), 'utf8'));

describe('addrMatchList (addr_match_list)', () => {
  const table: [string, string, number][] = [
    ['10.1.2.3', '10.0.0.0/8', 1],
    ['127.0.0.1', '10.0.0.0/8', 0],
    ['127.0.0.1', '10.0.0.0/8,127.0.0.1', 1],
    ['127.0.0.1', '*,!127.0.0.1', -1],
    ['127.0.0.1', '127.0.0.*', 1],
    ['127.0.0.1', '10.0.0.1/8', -2], // host bits beyond the mask: sshd rejects the whole list
    ['127.0.0.1', '10.0.0.0/8,', -2],
    ['2001:db8::5', '2001:db8::/32', 1],
    ['2001:db8::5', '2001:db9::/32', 0],
    ['127.0.0.1', '::/0', 0], // families never match each other
    ['192.168.1.9', '192.168.1.8/29', 1],
    ['192.168.1.7', '192.168.1.8/29', 0],
  ];
  for (const [ip, list, want] of table)
    it(`${ip} in ${list} → ${want}`, () => expect(addrMatchList(ip, list)).toBe(want));
});

describe('matchHostAndIp (match_host_and_ip, host = the IP as with UseDNS no)', () => {
  const table: [string, string, boolean][] = [
    ['127.0.0.1', '10.0.0.0/8', false],
    ['10.9.9.9', '10.0.0.0/8', true],
    ['127.0.0.1', '!10.0.0.0/8,*', true],
    ['10.9.9.9', '!10.0.0.0/8,*', false],
    ['127.0.0.1', '10.0.0.1/8,127.0.0.1', false], // a list sshd cannot parse refuses
    ['127.0.0.1', 'trusted.example.org', false],
  ];
  for (const [ip, list, want] of table)
    it(`${ip} vs ${list} → ${want}`, () => expect(matchHostAndIp(ip, ip, list)).toBe(want));
  it('a host name pattern matches the reverse name when UseDNS gives one', () =>
    expect(matchHostAndIp('ws1.example.org', '10.0.0.1', '*.example.org')).toBe(true));
  it('namesHosts: only lists with host names depend on reverse DNS', () => {
    expect(namesHosts('10.0.0.0/8,!192.168.*')).toBe(false);
    expect(namesHosts('*.example.org,10.0.0.1')).toBe(true);
  });
});

describe('the assumed client address', () => {
  it('the last refusal of the user in the real log', () =>
    expect(lastRefusal(LOG, 'alice')).toEqual({
      address: '127.0.0.1',
      line: 'Connection closed by authenticating user alice 127.0.0.1 port 40572 [preauth]',
    }));
  it('"User alice from ADDR not allowed" counts, an accepted login does not', () => {
    expect(lastRefusal(LOG.slice(0, 6), 'alice')?.line).toBe(
      'Connection closed by invalid user alice 127.0.0.1 port 40564 [preauth]',
    );
    expect(lastRefusal(LOG.slice(0, 5), 'alice')?.line).toBe(
      'User alice from 127.0.0.1 not allowed because not listed in AllowUsers',
    );
    expect(lastRefusal([LOG[6]!], 'alice')).toBeUndefined();
  });
  it("another user's refusal is not hers", () => expect(lastRefusal(LOG, 'bob')).toBeUndefined());
  it('--from wins over the log', () =>
    expect(assumeClient('10.0.0.7', LOG, 'alice')).toEqual({
      address: '10.0.0.7',
      source: 'option',
      why: 'given with --from',
    }));
  it('else the log, quoting the line', () =>
    expect(assumeClient(undefined, LOG, 'alice')).toEqual({
      address: '127.0.0.1',
      source: 'log',
      why: "the last refusal of alice in sshd's log: Connection closed by authenticating user alice 127.0.0.1 port 40572 [preauth]",
    }));
  it('else none, saying why', () => {
    expect(assumeClient(undefined, [], 'alice').source).toBe('none');
    expect(assumeClient(undefined, undefined, 'alice').why).toMatch(/could not be read/);
  });
  it('parseAddress takes IPv4 and IPv6 (bracketed too), nothing else', () => {
    expect(parseAddress('[2001:db8::1]')).toBe('2001:db8::1');
    expect(parseAddress('10.0.0.1')).toBe('10.0.0.1');
    expect(parseAddress('example.org')).toBeUndefined();
  });
});
