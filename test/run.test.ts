// src/run.ts caps each stream of a command: past the cap the command is killed at once, and the
// result says so instead of passing a prefix off as the whole output.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BYTES, run } from '../src/run.js';

const MiB = 1024 * 1024;

describe('run: output caps', () => {
  it('an endless command (yes) is cut at the default cap, killed, and not taken for a timeout', async () => {
    const r = await run(['yes'], { timeoutMs: 20_000 });
    expect(r.truncated).toEqual({ stream: 'stdout', maxBytes: DEFAULT_MAX_BYTES });
    expect(r.stdout.length).toBe(DEFAULT_MAX_BYTES);
    expect(r.stdout.startsWith('y\ny\n')).toBe(true);
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBeUndefined();
    expect(r.durationMs).toBeLessThan(5000);
  });

  it('a per-command cap: 3 MiB from head -c with a 2 MiB cap keeps exactly the first 2 MiB', async () => {
    const r = await run(['head', '-c', String(3 * MiB), '/dev/zero'], { timeoutMs: 20_000, maxBytes: 2 * MiB });
    expect(r.truncated).toEqual({ stream: 'stdout', maxBytes: 2 * MiB });
    expect(r.stdout.length).toBe(2 * MiB);
  });

  it('output exactly at the cap is whole, not truncated', async () => {
    const r = await run(['head', '-c', '4096', '/dev/zero'], { timeoutMs: 20_000, maxBytes: 4096 });
    expect(r.truncated).toBeUndefined();
    expect(r.exitCode).toBe(0);
    expect(r.stdout.length).toBe(4096);
  });

  it('stderr has its own cap', async () => {
    const r = await run(['node', '-e', 'process.stderr.write("e".repeat(5000)); process.stdout.write("out")'], {
      timeoutMs: 20_000,
      maxBytes: 1000,
    });
    expect(r.truncated).toEqual({ stream: 'stderr', maxBytes: 1000 });
    expect(r.stderr).toBe('e'.repeat(1000));
  });

  it('a command that overflows and then lingers is not waited for', async () => {
    const r = await run(['node', '-e', 'process.stdout.write(Buffer.alloc(5000)); setTimeout(() => {}, 15000)'], {
      timeoutMs: 20_000,
      maxBytes: 1000,
    });
    expect(r.truncated?.stream).toBe('stdout');
    expect(r.timedOut).toBe(false);
    expect(r.durationMs).toBeLessThan(5000);
  });

  it('bytes, not characters: UTF-8 under the cap comes back intact', async () => {
    const r = await run(['printf', '%s', 'h\u00e9llo \u2713'], { timeoutMs: 20_000, maxBytes: 64 });
    expect(r.truncated).toBeUndefined();
    expect(r.stdout).toBe('h\u00e9llo \u2713');
  });
});
