// The built entry: a run without a terminal starts the headless build from V8's code cache; a
// cache that is not the one the build stamped is left out (same answer, compiled from source), and
// a missing headless build or another V8 falls back to the full build.
import { execa } from 'execa';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const DIST = resolve(import.meta.dirname, '../../dist');
const temporary: string[] = [];
afterAll(() => {
  for (const c of temporary) rmSync(c, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssh-doctor-headless-'));
  temporary.push(dir);
  return dir;
};

/** A copy of dist/ with one thing changed; returns its entry. */
function distCopy(change: (dir: string) => void): string {
  const dir = tempDir();
  cpSync(DIST, dir, { recursive: true });
  change(dir);
  return join(dir, 'ssh-doctor.mjs');
}
const edit = (file: string, from: string, to: string) => {
  const text = readFileSync(file, 'latin1');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to), 'latin1');
};

// A whole client run with no network: ssh's own attempt through a ProxyCommand that fails.
const HOME = tempDir();
const run = (cli: string, args = ['--json', '-F', '/dev/null', '-o', 'ProxyCommand=false', 'alice@127.0.0.1']) =>
  execa('node', [cli, ...args], {
    reject: false,
    stdin: 'ignore',
    env: { SSH_DOCTOR_DEBUG: '1', HOME, PATH: process.env.PATH },
    extendEnv: false,
  });
const verdict = (stdout: string) => (JSON.parse(stdout) as { verdict: { id: string } }).verdict.id;
const G = 'ssh-doctor: -G makes ssh print its configuration instead of connecting, so there is nothing to diagnose.';

describe.runIf(existsSync(join(DIST, 'ssh-doctor.mjs')))('the headless build', () => {
  it('without a terminal, a whole client run comes from the code cache', async () => {
    const r = await run(join(DIST, 'ssh-doctor.mjs'));
    expect(r.stderr).toBe('ssh-doctor: headless build, from the code cache');
    expect([r.exitCode, verdict(r.stdout)]).toEqual([1, 'proxy-command-failed']);
  });

  it('--help, --version and the other modes take the full build', async () => {
    for (const args of [['--help'], ['--version'], ['completion', 'bash']]) {
      const r = await run(join(DIST, 'ssh-doctor.mjs'), args);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^(ssh-doctor |#)/);
    }
  });

  it.each<[string, (dir: string) => void]>([
    ['missing', (dir) => rmSync(join(dir, 'headless.cache'))],
    ['another file', (dir) => writeFileSync(join(dir, 'headless.cache'), 'not a code cache')],
    // V8 checks only a cache's header; one flipped byte in its body could crash it.
    [
      'damaged in its body',
      (dir) => {
        const cache = readFileSync(join(dir, 'headless.cache'));
        for (let i = cache.length >> 1; i < (cache.length >> 1) + 64; i++) cache[i]! ^= 0xff;
        writeFileSync(join(dir, 'headless.cache'), cache);
      },
    ],
  ])('a cache %s: compiled from source, same answer', async (_, change) => {
    const r = await run(distCopy(change));
    expect(r.stderr).toBe('ssh-doctor: headless build, compiled from source');
    expect([r.exitCode, verdict(r.stdout)]).toEqual([1, 'proxy-command-failed']);
  });

  it('a bundle patched after the build (same length): its own code runs, not the cache of the old one', async () => {
    // V8 alone would accept the cache: it compares only the source's length.
    const cli = distCopy((dir) => edit(join(dir, 'headless.cjs'), 'nothing to diagnose', 'nothing to DIAGNOSE'));
    const r = await run(cli, ['-G', 'web1']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`ssh-doctor: headless build, compiled from source\n${G.replace('diagnose', 'DIAGNOSE')}`);
  });

  it('no headless build in dist/: the full build answers the same', async () => {
    const r = await run(distCopy((dir) => rmSync(join(dir, 'headless.cjs'))));
    expect(r.stderr).toMatch(/^ssh-doctor: full build \(the headless one did not load: Error: ENOENT/);
    expect([r.exitCode, verdict(r.stdout)]).toEqual([1, 'proxy-command-failed']);
  });

  it('another V8 than the one that made the cache: the full build, which loads only what it needs', async () => {
    const cli = distCopy((dir) => edit(join(dir, 'ssh-doctor.mjs'), `"${process.versions.v8}"`, '"0.0.0"'));
    const r = await run(cli);
    expect(r.stderr).toBe('');
    expect([r.exitCode, verdict(r.stdout)]).toEqual([1, 'proxy-command-failed']);
  });
});
