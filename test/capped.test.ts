// readCapped / readStreamCapped: a file or stream larger than the cap costs one cap's worth of
// memory, and the result says it was cut.
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../src/bytes.js';
import { readCapped, readStreamCapped } from '../src/capped.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssh-doctor-capped-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readCapped', () => {
  it('a small file: whole, not truncated, its size', async () => {
    const p = join(dir, 'small');
    await writeFile(p, 'ssh-ed25519 AAAA k\n');
    const r = await readCapped(p, 1024);
    expect(r).toMatchObject({ text: 'ssh-ed25519 AAAA k\n', truncated: false, bytes: 19 });
  });

  it('exactly the cap is whole', async () => {
    const p = join(dir, 'exact');
    await writeFile(p, 'x'.repeat(100));
    expect(await readCapped(p, 100)).toMatchObject({ truncated: false, bytes: 100 });
  });

  it('a 50 GiB sparse file: the first cap bytes, truncated, the real size, at once', async () => {
    const p = join(dir, 'sparse');
    await writeFile(p, 'ssh-ed25519 AAAA first\n');
    await truncate(p, 50 * 1024 ** 3);
    const started = Date.now();
    const r = await readCapped(p, 64 * 1024);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.truncated).toBe(true);
    expect(r.bytes).toBe(50 * 1024 ** 3);
    expect(r.data.length).toBe(64 * 1024);
    expect(r.text.startsWith('ssh-ed25519 AAAA first\n\0')).toBe(true);
  });

  it('a device that never ends (/dev/zero) stops at the cap', async () => {
    const r = await readCapped('/dev/zero', 10_000);
    expect(r.truncated).toBe(true);
    expect(r.data.length).toBe(10_000);
  });

  it('a missing file throws, as open(2) does', async () => {
    await expect(readCapped(join(dir, 'nope'), 10)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('readStreamCapped', () => {
  it('an endless stream: stops reading past the cap and destroys it', async () => {
    let pushed = 0;
    const endless = new Readable({
      read() {
        pushed += 65536;
        this.push(Buffer.alloc(65536, 'z'));
      },
    });
    const r = await readStreamCapped(endless, 1024 * 1024);
    expect(r.truncated).toBe(true);
    expect(r.data.length).toBe(1024 * 1024);
    expect(pushed).toBeLessThan(4 * 1024 * 1024);
    expect(endless.destroyed).toBe(true);
  });

  it('a short stream: whole', async () => {
    const r = await readStreamCapped(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 3);
    expect(r).toMatchObject({ text: 'abc', truncated: false, bytes: 3 });
  });
});

describe('formatBytes', () => {
  it.each([
    [812, '812 bytes'],
    [1536, '1.5 KiB'],
    [16 * 1024 * 1024, '16 MiB'],
    [50 * 1024 ** 3, '50 GiB'],
    [53_687_091_201, '50 GiB'],
  ])('%i → %s', (n, s) => expect(formatBytes(n)).toBe(s));
});
