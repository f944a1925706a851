// Entry point: the real process, handed to the command layer once. Arguments are parsed before
// anything heavy is imported (ink costs ~400 ms to load).
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';
import { type CacheStamp, loadCommonJs } from './code-cache.js';
import { runsHeadless } from './commands/headless.js';
import { inert } from './inert.js';
import type { Io } from './commands/mode.js';

// chalk (under Ink) reads FORCE_COLOR, not the NO_COLOR convention: translate before it loads.
if (process.env.NO_COLOR && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = '0';

// Stamped by scripts/build.mjs (scalars: esbuild would put an object define in a chunk of its own):
// the headless build's cache is used only with the bundle it was made from, on the V8 that made it.
declare const __HEADLESS_V8__: string;
declare const __HEADLESS_SOURCE_CRC__: number;
declare const __HEADLESS_CACHE_CRC__: number;
const STAMP: CacheStamp = { v8: __HEADLESS_V8__, sourceCrc: __HEADLESS_SOURCE_CRC__, cacheCrc: __HEADLESS_CACHE_CRC__ };

const argv = process.argv.slice(2);
const io: Io = {
  // process.stdin is a getter that sets up the stream; a run without the wizard never needs it.
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: { stdin: isatty(0), stdout: isatty(1) },
  env: process.env,
  self: [process.execPath, process.argv[1]!],
  platform: process.platform,
  uid: process.getuid?.(),
};

type Main = typeof import('./commands/main.js').main;

/**
 * The headless build, or undefined for the full one. Another V8 would reject the cache and compile
 * the whole bundle, slower than the full build's chunks; a broken copy of dist/ still has the
 * full build.
 */
function headlessMain(): Main | undefined {
  if (!runsHeadless(argv, io.isTTY) || process.versions.v8 !== STAMP.v8) return undefined;
  const dist = (name: string) => fileURLToPath(new URL(name, import.meta.url));
  try {
    const headless = loadCommonJs<{ main: Main }>(dist('headless.cjs'), dist('headless.cache'), STAMP);
    if (io.env.SSH_DOCTOR_DEBUG)
      io.stderr.write(
        `ssh-doctor: headless build, ${headless.cached ? 'from the code cache' : 'compiled from source'}\n`,
      );
    return headless.exports.main;
  } catch (err) {
    if (io.env.SSH_DOCTOR_DEBUG)
      io.stderr.write(`ssh-doctor: full build (the headless one did not load: ${inert(String(err))})\n`);
    return undefined;
  }
}

const main = headlessMain() ?? (await import('./commands/main.js')).main;
const code = await main(argv, io);
// After Ctrl-C, probes and fixes still running would keep the process alive until their timeouts.
if (code === 130) process.exit(code);
process.exitCode = code;
