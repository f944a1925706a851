// parseAddress decides what counts as an address exactly as node:net's isIP did (now pure).
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/locked-out/cloud/cidr.js';

const cases = [
  '1.2.3.4',
  '0.0.0.0',
  '255.255.255.255',
  '256.1.1.1',
  '01.2.3.4',
  '1.2.3',
  '1.2.3.4.5',
  ' 1.2.3.4',
  'a.b.c.d',
  '::',
  '::1',
  '1::',
  '2001:db8::1',
  '2001:db8:0:0:0:0:0:1',
  '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7:8:9',
  '1::2::3',
  ':1',
  '1:',
  '::ffff:1.2.3.4',
  '::ffff:256.2.3.4',
  '1:2:3:4:5:6:1.2.3.4',
  '1:2:3:4:5:6:7:1.2.3.4',
  '12345::',
  'g::1',
  '',
];

describe('parseAddress agrees with node:net on what an address is', () => {
  it.each(cases)('%s', (s) => expect(parseAddress(s) !== undefined).toBe(isIP(s.trim()) !== 0));
  // node:net accepts a zone index; a cloud rule never names one, so it is no address to match.
  it('a zone index is not an address here', () => expect(parseAddress('fe80::1%eth0')).toBeUndefined());
  it('values', () => {
    expect(parseAddress('::ffff:1.2.3.4')).toEqual({ family: 6, value: 0xffff01020304n });
    expect(parseAddress('10.0.0.1')).toEqual({ family: 4, value: 0x0a000001n });
  });
});
