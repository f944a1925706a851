// flows/** decide; they never touch the system. Checked on what the flows really reach, imports of
// imports included (esbuild's module graph), so a pure helper living in a probe module that loads
// node:net is caught, not only a direct import.
import { build } from 'esbuild';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..');
const FORBIDDEN = /^(node:|execa$|node-ssh$|ssh2$|ink|react)/;

async function reached(entries: string[]): Promise<string[]> {
  const r = await build({
    entryPoints: entries.map((e) => join(REPO, e)),
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir: '/nonexistent',
    logLevel: 'silent',
  });
  return Object.entries(r.metafile.inputs).flatMap(([file, info]) => [
    ...(file.endsWith('src/run.ts') ? [`${file} (the runner)`] : []),
    ...info.imports.filter((i) => FORBIDDEN.test(i.path)).map((i) => `${file} imports ${i.path}`),
  ]);
}

describe('layers', () => {
  it('the flows reach no Node I/O, process runner, network or UI library', async () => {
    expect(await reached(['flows/client.ts', 'flows/server.ts', 'flows/locked-out.ts'])).toEqual([]);
  });
  it('the check itself sees a violation (a probe module loads node:net)', async () => {
    expect(await reached(['src/client/probes/tcp.ts'])).toContain('src/client/probes/tcp.ts imports node:net');
  });
});
