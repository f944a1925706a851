// Which addresses sshd's own Match criteria name, read from `sshd -T -ddd` captured in the lab
// (Debian's OpenSSH 9.2, with Match blocks in sshd_config and sshd_config.d).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loginDifferences, matchContexts, parseMatchCriteria } from '../../src/server/probes/address-dependence.js';

const stderr = readFileSync(new URL('../fixtures/server/sshd-T-ddd-match.stderr.txt', import.meta.url), 'utf8');

describe('sshd -T -ddd: the Match criteria sshd evaluates', () => {
  it('every "checking match for" line once, in sshd order (an Include first), syntax checks left out', () => {
    expect(parseMatchCriteria(stderr)).toEqual([
      'Address 192.168.1.*',
      'Address 10.0.0.0/8,!10.1.0.0/16 User alice',
      'Host *.example.com,192.168.2.*',
      'Address 2001:db8::/32',
      'all',
    ]);
  });

  it('one address inside each Address entry (negated ones too) and each Host entry written as an address', () => {
    expect(matchContexts(parseMatchCriteria(stderr), false)).toEqual([
      { match: 'Address 192.168.1.*', host: '192.168.1.1', addr: '192.168.1.1' },
      { match: 'Address 10.0.0.0/8,!10.1.0.0/16 User alice', host: '10.0.0.1', addr: '10.0.0.1' },
      { match: 'Address 10.0.0.0/8,!10.1.0.0/16 User alice', host: '10.1.0.1', addr: '10.1.0.1' },
      { match: 'Host *.example.com,192.168.2.*', host: '192.168.2.1', addr: '192.168.2.1' },
      { match: 'Address 2001:db8::/32', host: '2001:db8::1', addr: '2001:db8::1' },
    ]);
  });

  it('with UseDNS yes a Host name pattern counts too, asked with a name it matches', () => {
    expect(matchContexts(['Host *.example.com'], true)).toEqual([
      { match: 'Host *.example.com', host: 'a.example.com', addr: '203.0.113.10' },
    ]);
  });

  const cases: [string, string, string | undefined][] = [
    ['a single address', 'Address 198.51.100.7', '198.51.100.7'],
    ['a /32', 'Address 198.51.100.7/32', '198.51.100.7'],
    ['a trailing wildcard fills the octets', 'Address 10.*', '10.1.1.1'],
    ['a ? wildcard', 'Address 10.0.0.?', '10.0.0.1'],
    ['"*" names every address: nothing to ask', 'Address *', undefined],
    ['an IPv6 network', 'Address fd00::/8', 'fd00::1'],
    ['quoted', 'Address "172.16.0.0/12"', '172.16.0.1'],
  ];
  for (const [name, criterion, addr] of cases)
    it(name, () => expect(matchContexts([criterion], false).map((c) => c.addr)).toEqual(addr ? [addr] : []));
});

describe('loginDifferences', () => {
  it('only settings a login depends on; an unset one is an empty list', () => {
    expect(
      loginDifferences(
        { pubkeyauthentication: ['yes'], x11forwarding: ['yes'], loglevel: ['DEBUG3'] },
        { pubkeyauthentication: ['no'], x11forwarding: ['no'], loglevel: ['INFO'], allowusers: ['bob'] },
      ),
    ).toEqual([
      { key: 'allowusers', sample: [], there: ['bob'] },
      { key: 'pubkeyauthentication', sample: ['yes'], there: ['no'] },
    ]);
  });
});
