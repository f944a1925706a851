// Entry point. Parses arguments before importing anything heavy (ink costs ~400 ms to load).
import { UsageError } from './errors.js';
import { inert } from './inert.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

export const HELP = `ssh-doctor ${VERSION} — finds out why ssh will not connect, and fixes it with your consent.

Usage:
  ssh-doctor [ssh options] [user@]host[:port]   diagnose a connection (replace "ssh" by "ssh-doctor")
  ssh-doctor server [--user NAME] [--port N] [--dry-run] [--via [user@]host[:port]]
                                                on the server itself: why does sshd refuse people?
  ssh-doctor locked-out [--kit | --decode FILE] no SSH at all: the way back in, per provider
  ssh-doctor undo [--list | ID]                 list changes ssh-doctor made and revert one
  (each subcommand has its own --help)

ssh options understood: -p PORT  -l USER  -i FILE  -F CONFIG  -o Key=Value  -J JUMP  -4  -6
Settings are resolved the way ssh does (ssh -G): Host aliases, HostName, Port, User, IdentityFile.

Options:
  --json           no prompts; print one JSON report (schema ssh-doctor/report@1) on stdout
  --timeout MS     bound for each network probe (default 5000)
  --yes, -y        apply proposed fixes without asking (each is still printed)
  --help, -h       this text
  --version, -V    the version

Exit status: 0 the login works (or nothing error-level found), 1 a problem was found, 2 usage error.

Gentle on the server: fail2ban, sshguard and sshd's PerSourcePenalties count connections and
failed logins against you. ssh-doctor connects to the SSH port once per address the host
resolves to (to read the banner), then twice more at most: one handshake that asks which methods
are accepted (no credentials), and exactly one real login attempt with "ssh -v -o BatchMode=yes".
When the port refuses, it tries only 2222, 2200, 22222, 8022 and ports named in your ssh config.
It never sends a password and never writes to your known_hosts while diagnosing.
NO_COLOR is honoured.
`;

const SUBCOMMANDS: Record<string, () => Promise<{ main(argv: string[]): Promise<number> }>> = {
  server: () => import('./commands/server.js'),
  'locked-out': () => import('./commands/locked-out.js'),
  undo: () => import('./commands/undo.js'),
};

async function main(argv: string[]): Promise<number> {
  // chalk (under Ink) reads FORCE_COLOR, not the NO_COLOR convention: translate before it loads.
  if (process.env.NO_COLOR && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = '0';
  const sub = argv[0] !== undefined ? SUBCOMMANDS[argv[0]] : undefined;
  if (sub) return (await sub()).main(argv.slice(1));
  const { parseClientArgs } = await import('./args.js');
  const args = parseClientArgs(argv);
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.version) {
    process.stdout.write(`ssh-doctor ${VERSION}\n`);
    return 0;
  }
  return (await import('./commands/client.js')).main(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`ssh-doctor: ${inert(err.message)}\n`);
      process.exitCode = 2;
      return;
    }
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`ssh-doctor: unexpected failure: ${inert(msg.split('\n')[0]!)}\n`);
    if (process.env.SSH_DOCTOR_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 3;
  },
);
