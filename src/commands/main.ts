// The one entry of the command layer: which mode runs, the --help texts, and how a failure ends
// (a usage error is one sentence and exit 2, never a stack trace). In-process: the caller hands
// in argv and io, and gets the exit status.
import { Interrupted, UsageError } from '../errors.js';
import { inert } from '../inert.js';
import { client } from './client/command.js';
import { nearMode } from './near-mode.js';
import { modeHelp, type Io } from './mode.js';
import { allModes, MODES } from './modes.js';
import { renderOptions } from './options.js';
import { VERSION } from './version.js';

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof Interrupted) {
      io.stderr.write('\nssh-doctor: interrupted (Ctrl-C).\n');
      return 130;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`ssh-doctor: ${inert(err.message)}\n`);
      return 2;
    }
    const msg = err instanceof Error ? err.message : String(err);
    io.stderr.write(`ssh-doctor: unexpected failure: ${inert(msg.split('\n')[0]!)}\n`);
    if (io.env.SSH_DOCTOR_DEBUG && err instanceof Error) io.stderr.write(`${err.stack}\n`);
    return 3;
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  // A first "--" names no mode: the client then reads what follows as the host, so a host called
  // "server" or "completion" is reached with `ssh-doctor -- server`.
  const load = argv[0] === undefined ? undefined : MODES.get(argv[0]);
  if (load) {
    const mode = await load();
    const opts = mode.parse(argv.slice(1), io);
    if (opts.help) return show(io, modeHelp(mode));
    return mode.run(opts, io);
  }
  const near = argv[0] === undefined ? undefined : nearMode(argv[0], [...MODES.keys()]);
  if (near && !(await (await import('./did-you-mean.js')).knownHost(argv[0]!)))
    throw new UsageError(
      `"${argv[0]}" is neither a Host in your ssh config nor a name that resolves. Did you mean \`ssh-doctor ${near}\`?`,
    );
  const opts = client.parse(argv, io);
  if (opts.help) return show(io, await overview());
  if (opts.version) return show(io, `ssh-doctor ${VERSION}\n`);
  return client.run(opts, io);
}

function show(io: Io, text: string): number {
  io.stdout.write(text);
  return 0;
}

/** `ssh-doctor --help`: every mode in one line each, then the client's own help. */
async function overview(): Promise<string> {
  const modes = await allModes();
  const lines = modes.map((m) => [['ssh-doctor', m.name, m.usage].filter(Boolean).join(' '), m.summary] as const);
  const column = Math.max(...lines.map(([usage]) => usage.length)) + 3;
  return `ssh-doctor ${VERSION} — finds out why ssh will not connect, and fixes it with your consent.

Usage:
${lines.map(([usage, summary]) => `  ${usage.padEnd(column)}${summary}\n`).join('')}  (each subcommand has its own --help)

${client.about}

Options:
${renderOptions(client.options)}
${client.notes}`;
}
