// Bundled ESM: importing ink unbundled costs ~400 ms of cold start (see STACK-NOTES). Split into
// chunks so a run parses only what its mode imports (--version, --json never load Ink).
// Everything is bundled (the package installs with no dependencies); then the man page is
// generated from the same declarations as --help.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync('dist', { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm', // yoga-layout uses top-level await
  target: 'node20',
  define: { 'process.env.NODE_ENV': '"production"', __VERSION__: JSON.stringify(version) },
  // ssh2 falls back to pure JS when its native helpers are absent (README: "What the package
  // leaves out").
  external: ['*.node', 'cpu-features'],
  alias: { 'react-devtools-core': './scripts/devtools-stub.mjs' },
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path';\nconst require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
  },
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { 'ssh-doctor': 'src/cli.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  // Less source to parse at every start (~5 ms); identifiers kept, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  legalComments: 'none',
});

// The man page generator runs once, here, and is not shipped.
const generator = 'dist/manpage.tmp.mjs';
await build({ ...common, entryPoints: ['src/commands/manpage.ts'], outfile: generator });
try {
  const { manPage } = await import(new URL(`../${generator}`, import.meta.url).href);
  writeFileSync('dist/ssh-doctor.1', await manPage(version));
} finally {
  rmSync(generator);
}
