// Bundles scripts/bench.ts (it reuses the TypeScript lab harness) and runs it.
import { build } from 'esbuild';

await build({
  entryPoints: ['scripts/bench.ts'],
  outfile: '.bench/bench.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
await import(new URL('../.bench/bench.mjs', import.meta.url).href);
