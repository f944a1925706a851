// Which build runs this command line. Without a terminal on both ends no mode can show the wizard,
// so the client's diagnosis runs from the headless build: the same sources, bundled as CommonJS
// without Ink or the other modes, started from V8's code cache (src/code-cache.ts). A terminal,
// another mode, --help (which lists every mode) or --version (which needs nothing else) takes the
// full build. Reading the command line by plain words is safe here: a word that only looks like a
// mode or --help (`-o --help`) merely takes the full build, which parses it properly.
import { MODE_NAMES } from './mode-names.js';

export function runsHeadless(argv: readonly string[], isTTY: { stdin: boolean; stdout: boolean }): boolean {
  if (isTTY.stdin && isTTY.stdout) return false;
  if ((MODE_NAMES as readonly string[]).includes(argv[0] ?? '')) return false;
  return !argv.some((a) => a === '--help' || a === '--version');
}
