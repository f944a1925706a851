// The built entry: a run without a terminal starts the headless build from V8's code cache, and
// still runs (compiled from source) when the cache is missing or damaged.
import { execa } from 'execa';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const DIST = resolve(import.meta.dirname, '../../dist');
const copies: string[] = [];
afterAll(() => {
  for (const c of copies) rmSync(c, { recursive: true, force: true });
});

function distCopy(change: (dir: string, cache: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'ssh-doctor-dist-'));
  copies.push(dir);
  cpSync(DIST, dir, { recursive: true });
  change(dir, join(dir, readdirSync(dir).find((f) => f.endsWith('.cache'))!));
  return join(dir, 'ssh-doctor.mjs');
}

const run = (cli: string, args: string[]) =>
  execa('node', [cli, ...args], { reject: false, stdin: 'ignore', env: { SSH_DOCTOR_DEBUG: '1' } });

describe.runIf(existsSync(join(DIST, 'ssh-doctor.mjs')))('the headless build', () => {
  const G = 'ssh-doctor: -G makes ssh print its configuration instead of connecting, so there is nothing to diagnose.';

  it('without a terminal, the client runs from the code cache', async () => {
    const r = await run(join(DIST, 'ssh-doctor.mjs'), ['-G', 'web1']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`ssh-doctor: headless build, from the code cache\n${G}`);
  });

  it('--help, --version and the other modes take the full build', async () => {
    for (const args of [['--help'], ['--version'], ['completion', 'bash']]) {
      const r = await run(join(DIST, 'ssh-doctor.mjs'), args);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^(ssh-doctor |#)/);
    }
  });

  it.each([
    ['missing', (_: string, cache: string) => rmSync(cache)],
    ['damaged', (_: string, cache: string) => writeFileSync(cache, 'not a code cache')],
  ])('a %s cache: compiled from source, same answer', async (_, change) => {
    const r = await run(distCopy(change), ['-G', 'web1']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`ssh-doctor: headless build, compiled from source\n${G}`);
  });
});
