// Entry point: the real process, handed to the command layer once. Arguments are parsed before
// anything heavy is imported (ink costs ~400 ms to load).
import { main } from './commands/main.js';

// chalk (under Ink) reads FORCE_COLOR, not the NO_COLOR convention: translate before it loads.
if (process.env.NO_COLOR && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = '0';

const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: { stdin: process.stdin.isTTY === true, stdout: process.stdout.isTTY === true },
  env: process.env,
  self: [process.execPath, process.argv[1]!],
  platform: process.platform,
  uid: process.getuid?.(),
});
// After Ctrl-C, probes and fixes still running would keep the process alive until their timeouts.
if (code === 130) process.exit(code);
process.exitCode = code;
