// `ssh-doctor server` command line. Pure: no I/O.
import { assertClean, parsePort, UsageError } from '../errors.js';
import { splitDestination } from '../args.js';
import type { Via } from './host.js';
import { DEFAULT_ROLLBACK_SECONDS } from './fixes/rollback.js';

export interface ServerArgs {
  user: string;
  port: number;
  json: boolean;
  yes: boolean;
  dryRun: boolean;
  via?: Via;
  /** Seconds before a firewall change made over SSH is rolled back unless confirmed. */
  rollbackSeconds: number;
  help: boolean;
}

export function parseServerArgs(argv: readonly string[], env: Record<string, string | undefined>): ServerArgs {
  const out: ServerArgs = { user: env.SUDO_USER || env.USER || 'root', port: 22, json: false, yes: false, dryRun: false, rollbackSeconds: DEFAULT_ROLLBACK_SECONDS, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = assertClean('An argument', argv[i]!);
    const value = (flag: string) => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value.`);
      return assertClean(`The value of ${flag}`, v);
    };
    if (a === '--json') out.json = true;
    else if (a === '--yes' || a === '-y') out.yes = true;
    else if (a === '--dry-run') out.dryRun = true;
    else if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--user' || a.startsWith('--user=')) {
      const u = value('--user');
      if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(u)) throw new UsageError(`"${u}" is not a user name.`);
      out.user = u;
    } else if (a === '--port' || a.startsWith('--port=')) out.port = parsePort(value('--port'), '--port');
    else if (a === '--rollback-seconds' || a.startsWith('--rollback-seconds=')) {
      const v = value('--rollback-seconds');
      if (!/^\d{1,4}$/.test(v) || Number(v) < 5) throw new UsageError(`--rollback-seconds takes 5 to 9999 seconds, not "${v}".`);
      out.rollbackSeconds = Number(v);
    } else if (a === '--via' || a.startsWith('--via=')) {
      const d = splitDestination(value('--via'));
      out.via = { ...(d.user ? { user: d.user } : {}), host: d.host, port: d.port ? Number(d.port) : 22 };
    } else throw new UsageError(`Unknown option ${a} for "server" (see ssh-doctor server --help).`);
  }
  if (out.yes && out.dryRun) throw new UsageError('--yes and --dry-run contradict each other: choose one.');
  return out;
}

export const SERVER_HELP = `Usage: ssh-doctor server [--user NAME] [--port N] [--json] [--yes] [--dry-run] [--via [user@]host[:port]]

On the server itself: finds why sshd refuses people, and fixes it after you say yes.
  --user NAME   the account people log in as (default: the user who ran sudo, else you)
  --port N      the port clients use (default 22)
  --json        no prompts; print one JSON report (mode "server") on stdout
  --yes         apply every proposed fix without asking (each is still printed)
  --dry-run     show what would run; change nothing
  --via DEST    run the same checks, and the fixes you confirm, on another host over SSH
                (its host key must be known; logs in with your ssh agent)
  --rollback-seconds N
                a firewall change made over SSH is undone after N seconds (default ${DEFAULT_ROLLBACK_SECONDS})
                unless a new connection is confirmed (over --via ssh-doctor opens it itself)
Exit status: 0 no error-level finding, 1 an error-level finding, 2 usage error.
--via logs in once for the whole run (agent only); a firewall fix adds one new connection, the
proof that the way in still works.
`;

/** The exact command to rerun as root (shown when checks needed root; sudo asks for the password itself). */
export function sudoCommand(a: ServerArgs): string[] {
  return ['sudo', 'ssh-doctor', ...serverArgv(a)];
}

/** The `server …` arguments that reproduce this run (less --via and --yes, which a rerun must not assume). */
export function serverArgv(a: ServerArgs): string[] {
  return [
    'server', '--user', a.user, '--port', String(a.port), ...(a.json ? ['--json'] : []), ...(a.dryRun ? ['--dry-run'] : []),
    ...(a.rollbackSeconds !== DEFAULT_ROLLBACK_SECONDS ? ['--rollback-seconds', String(a.rollbackSeconds)] : []),
  ];
}
