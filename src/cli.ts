// Entry point: the real process, handed to the command layer once. Arguments are parsed before
// anything heavy is imported (ink costs ~400 ms to load).
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';
import { loadCommonJs } from './code-cache.js';
import { runsHeadless } from './commands/headless.js';
import type { Io } from './commands/mode.js';

// chalk (under Ink) reads FORCE_COLOR, not the NO_COLOR convention: translate before it loads.
if (process.env.NO_COLOR && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = '0';

// Built by scripts/build.mjs beside this file; the cache's name carries the bundle's hash, so a
// cache never meets another build's bundle.
declare const __HEADLESS_CACHE__: string;

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
let main: Main;
if (runsHeadless(argv, io.isTTY)) {
  const dist = (name: string) => fileURLToPath(new URL(name, import.meta.url));
  const headless = loadCommonJs<{ main: Main }>(dist('headless.cjs'), dist(__HEADLESS_CACHE__));
  if (io.env.SSH_DOCTOR_DEBUG)
    io.stderr.write(
      `ssh-doctor: headless build, ${headless.cached ? 'from the code cache' : 'compiled from source'}\n`,
    );
  main = headless.exports.main;
} else main = (await import('./commands/main.js')).main;

const code = await main(argv, io);
// After Ctrl-C, probes and fixes still running would keep the process alive until their timeouts.
if (code === 130) process.exit(code);
process.exitCode = code;
