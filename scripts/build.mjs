// Bundled ESM: importing ink unbundled costs ~400 ms of cold start (see STACK-NOTES). Split into
// chunks so a run parses only what its mode imports (--version, --json never load Ink).
// Everything is bundled (the package installs with no dependencies); then the man page is
// generated from the same declarations as --help.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

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

// The headless build (src/commands/headless.ts): the client without a terminal, as one CommonJS
// file with V8's code cache beside it. The wizard and the other modes are left out; reaching one
// from it is a bug, and says so.
const NOT_HEADLESS = /\/src\/(ui|commands\/(server|locked-out|undo|completion))\//;
await build({
  ...common,
  entryPoints: ['src/commands/main.ts'],
  outfile: 'dist/headless.cjs',
  format: 'cjs',
  banner: {},
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  plugins: [
    {
      name: 'not-headless',
      setup(b) {
        b.onResolve({ filter: /^\./ }, (a) => {
          const path = resolve(a.resolveDir, a.path);
          return NOT_HEADLESS.test(path) ? { path, namespace: 'not-headless' } : undefined;
        });
        b.onLoad({ filter: /.*/, namespace: 'not-headless' }, (a) => ({
          contents: `throw new Error(${JSON.stringify(`${a.path.replace(/.*\/src\//, 'src/')} is not in the headless build`)});`,
          loader: 'js',
        }));
      },
    },
  ],
});
// vm.Script runs it without a module loader: a dynamic import() would need Node's experimental one.
if (/\bimport\(/.test(readFileSync('dist/headless.cjs', 'utf8')))
  throw new Error('dist/headless.cjs keeps a dynamic import(): import that module statically.');

// The code cache, made by the loader's own writer (bundled for the moment, like the man page's
// generator below); its stamp goes into the entry, which checks it before using the cache.
const cacheWriter = 'dist/code-cache.tmp.mjs';
await build({ ...common, entryPoints: ['src/code-cache.ts'], outfile: cacheWriter });
let stamp;
try {
  const { writeCodeCache } = await import(new URL(`../${cacheWriter}`, import.meta.url).href);
  stamp = writeCodeCache('dist/headless.cjs', 'dist/headless.cache');
} finally {
  rmSync(cacheWriter);
}

await build({
  ...common,
  define: {
    ...common.define,
    __HEADLESS_V8__: JSON.stringify(stamp.v8),
    __HEADLESS_SOURCE_CRC__: String(stamp.sourceCrc),
    __HEADLESS_CACHE_CRC__: String(stamp.cacheCrc),
  },
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

// -G ends at once with a usage sentence: nothing runs but the headless build's start.
const check = spawnSync(process.execPath, ['dist/ssh-doctor.mjs', '-G', 'check'], {
  env: { ...process.env, SSH_DOCTOR_DEBUG: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
});
if (!/from the code cache/.test(check.stderr))
  console.warn(`build: the headless build did not start from its code cache: ${check.stderr.split('\n')[0]}`);

// The man page generator runs once, here, and is not shipped.
const generator = 'dist/manpage.tmp.mjs';
await build({ ...common, entryPoints: ['src/commands/manpage.ts'], outfile: generator });
try {
  const { manPage } = await import(new URL(`../${generator}`, import.meta.url).href);
  writeFileSync('dist/ssh-doctor.1', await manPage(version));
} finally {
  rmSync(generator);
}
