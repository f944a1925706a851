import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cksum } from '../../src/locked-out/kit/cksum.js';

describe('cksum', () => {
  // Values printed by coreutils cksum 9.1 on Debian 12.
  it.each([
    ['', '4294967295 0'],
    ['abc\n', '1112837078 4'],
    ['x'.repeat(70_000), '4215398528 70000'],
  ])('matches POSIX cksum for %#', (input, printed) => {
    expect(cksum(input)).toBe(printed);
  });

  it('matches the cksum on this machine for the kit-sized inputs', () => {
    const input = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));
    const r = spawnSync('cksum', { input });
    expect(cksum(input)).toBe(r.stdout.toString().trim());
  });
});
