// Modes run in-process on a fake terminal (io with a size and a keyboard): Ink draws on io, never
// on the real process streams, so the keys, exit statuses and what reaches the terminal can be
// checked without a pty.
import { beforeAll, describe, expect, it, vi } from 'vitest';

// A person at a terminal, not a CI log: Ink reads CI once, when it loads, and then draws only the
// last frame (as under `.ci/run`, which sets CI=true).
vi.hoisted(() => {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
});
import { main } from '../../src/commands/main.js';
import { kitScript } from '../../src/locked-out/kit/script.js';
import { KEY } from '../helpers/ink.js';
import { fakeIo } from '../helpers/terminal.js';

/** Starts a mode on an 80×24 terminal; `until` waits for text on it before the next keys. */
function start(argv: string[]) {
  const t = fakeIo({ terminal: [80, 24] });
  const exit = main(argv, t.io);
  const until = async (text: string | RegExp, from = 0) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const out = t.written.stdout.slice(from);
      if (typeof text === 'string' ? out.includes(text) : text.test(out)) {
        // Ink writes a frame before the effects that read keys for it run: let them.
        await new Promise((r) => setImmediate(() => setTimeout(r, 0)));
        return t.written.stdout.length;
      }
      if (Date.now() > deadline) throw new Error(`never shown: ${String(text)}\n${t.written.stdout}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { ...t, exit, until };
}

const CLEARS = ['\x1b[2J', '\x1b[3J'];

// The modes load their screens lazily; the first test to draw one would otherwise also wait for
// vitest to transform all of Ink (over 10 s on a loaded 2-core machine).
beforeAll(async () => {
  await Promise.all([import('../../src/ui/client/ask-target.js'), import('../../src/ui/app.js')]);
}, 120_000);

describe('the quick start (no host given) on a terminal', () => {
  it.each([
    ['q', 0],
    [KEY.escape, 0],
    [KEY.ctrlC, 130],
  ])('%j ends it with status %i', async (key, code) => {
    const t = start([]);
    await t.until('↑↓/jk move · Enter choose · Esc quit · q quit');
    t.keyboard.type(key);
    expect(await t.exit).toBe(code);
    expect(t.written.stderr).toBe(code === 130 ? '\nssh-doctor: interrupted (Ctrl-C).\n' : '');
  });

  it('in the host field q is a letter and Esc goes back to the menu', async () => {
    const t = start([]);
    await t.until('❯ localhost');
    t.keyboard.type('j');
    await t.until('❯ Another host');
    t.keyboard.type(KEY.enter);
    let at = await t.until('Enter accept · Esc back');
    t.keyboard.type('q');
    at = await t.until('› q', at);
    t.keyboard.type(KEY.escape);
    await t.until('❯ localhost', at);
    t.keyboard.type('q');
    expect(await t.exit).toBe(0);
  });
});

describe('locked-out on an 80×24 terminal', () => {
  it('prints the steps and the kit once, plain and whole, never clears the screen; q quits', async () => {
    const t = start(['locked-out', '--user', 'alice', '--port', '2241']);
    await t.until('Where does the host live?');
    // Ten j in one read (typed fast, or sent by tmux) move ten times.
    t.keyboard.type('jjjjjjjjjj');
    await t.until('❯ A physical server');
    t.keyboard.type(KEY.enter);
    await t.until('❯ Show the console kit');
    t.keyboard.type(KEY.enter);
    await t.until('Paste the block the kit printed');
    const out = t.written.stdout;
    // Every line of the kit as one line of output, however wide: the terminal soft-wraps it.
    const kit = kitScript('alice', 2241).trimEnd();
    expect(out).toContain(`\n${kit}\n`);
    expect(kit.split('\n').some((l) => l.length > 80)).toBe(true);
    expect(out.match(/Ways into A physical server without SSH:/g)).toHaveLength(1);
    expect(out).toContain('\nipmitool -I lanplus -H <bmc-address> -U <bmc-user> -E sol activate\n');
    t.keyboard.type(KEY.escape); // skip the paste: on to prevention
    await t.until('❯ Done');
    t.keyboard.type('q');
    expect(await t.exit).toBe(0);
    for (const seq of CLEARS) expect(t.written.stdout).not.toContain(seq);
  });

  it('Ctrl-C in the middle exits 130', async () => {
    const t = start(['locked-out']);
    await t.until('Where does the host live?');
    t.keyboard.type(KEY.ctrlC);
    expect(await t.exit).toBe(130);
  });
});

describe('--yes and --redact on a terminal never wait for a key', () => {
  it.each([
    [['--yes'], 'ssh-doctor: Name the host to diagnose, e.g. ssh-doctor user@host (see --help).\n'],
    [
      ['locked-out', '--yes'],
      'ssh-doctor: With --yes, say where the host lives with --provider (see ssh-doctor locked-out --help).\n',
    ],
    // --redact prints a report to share; the wizard's screens would show the real names.
    [['--redact'], 'ssh-doctor: Name the host to diagnose, e.g. ssh-doctor user@host (see --help).\n'],
    [
      ['locked-out', '--redact'],
      'ssh-doctor: With --redact, say where the host lives with --provider (see ssh-doctor locked-out --help).\n',
    ],
  ])('%j: one sentence and status 2 instead of a question', async (argv, said) => {
    const t = start(argv);
    expect(await t.exit).toBe(2);
    expect(t.written.stderr).toBe(said);
    expect(t.written.stdout).toBe('');
  });

  it('locked-out --yes --provider prints the steps and ends', async () => {
    const t = start(['locked-out', '--yes', '--provider', 'physical']);
    expect(await t.exit).toBe(0);
    expect(t.written.stdout).toContain('Ways into A physical server without SSH:');
  });
});
