// `ssh-doctor server`, declared. Light on purpose: this is parsed at start-up; run.ts, which
// loads the checks and the UI, is imported only to run.
import { parsePort, UsageError } from '../../errors.js';
import { parseAddress } from '../../server/client-address.js';
import { DEFAULT_ROLLBACK_SECONDS } from '../../server/fixes/rollback.js';
import type { Via } from '../../server/host.js';
import { splitDestination } from '../../ssh-args.js';
import type { Io, Mode } from '../mode.js';
import { flag, parseOptions, value } from '../options.js';

const options = {
  user: value('NAME', 'the account people log in as (default: whoever ran sudo; root is asked)', (v) => {
    if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(v)) throw new UsageError(`"${v}" is not a user name.`);
    return v;
  }),
  port: value('N', 'the port clients use (default 22)', parsePort),
  from: value(
    'ADDR',
    "the locked-out person's address (for from=, USER@HOST, Match Address, bans)\n(default: the address of the user's last refusal in sshd's log)",
    (v, name) => {
      const a = parseAddress(v);
      if (!a) throw new UsageError(`${name} takes an IPv4 or IPv6 address, not "${v}".`);
      return a;
    },
  ),
  json: flag('no prompts; print one JSON report (mode "server") on stdout'),
  redact: flag(
    'print the report with user names, host names, addresses, key fingerprints and home paths replaced by placeholders, to share it (no wizard)',
  ),
  yes: flag('apply every proposed fix without asking (each is still printed)'),
  dryRun: flag('show what would run; change nothing'),
  via: value(
    'DEST',
    'run the same checks, and the fixes you confirm, on another host over SSH\n(its host key must be known; logs in with your ssh agent)',
    (v): Via => {
      const d = splitDestination(v);
      return { ...(d.user ? { user: d.user } : {}), host: d.host, port: d.port ? Number(d.port) : 22 };
    },
    { complete: 'host' },
  ),
  rollbackSeconds: value(
    'N',
    `a firewall change made over SSH is undone after N seconds (default ${DEFAULT_ROLLBACK_SECONDS})\nunless a new connection is confirmed (over --via ssh-doctor opens it itself)`,
    (v, name) => {
      if (!/^\d{1,4}$/.test(v) || Number(v) < 5) throw new UsageError(`${name} takes 5 to 9999 seconds, not "${v}".`);
      return Number(v);
    },
  ),
  help: flag('this text'),
};

export interface ServerOptions {
  user: string;
  /** --user was given: root running `server` without it is asked (or told) whose logins to check. */
  userGiven: boolean;
  port: number;
  /** The locked-out person's address, when given. */
  from?: string;
  json: boolean;
  redact: boolean;
  yes: boolean;
  dryRun: boolean;
  via?: Via;
  /** Seconds before a firewall change made over SSH is rolled back unless confirmed. */
  rollbackSeconds: number;
  help: boolean;
}

export function parseServerArgs(
  argv: readonly string[],
  env: Io['env'],
  platform: NodeJS.Platform = process.platform,
): ServerOptions {
  const o = parseOptions('server', options, argv).options;
  if (o.yes && o.dryRun && !o.help) throw new UsageError('--yes and --dry-run contradict each other: choose one.');
  // The checks read /proc, ss, iptables/nft and act through setpriv: a Linux sshd's world. From a
  // laptop (macOS) the same checks run on the server over --via.
  if (platform !== 'linux' && !o.via && !o.help)
    throw new UsageError(
      `ssh-doctor server checks the sshd of a Linux host, and this is ${platform}: run it on the server, or from here with --via [user@]host.`,
    );
  return {
    ...o,
    user: o.user ?? (env.SUDO_USER || env.USER || 'root'),
    userGiven: o.user !== undefined,
    port: o.port ?? 22,
    rollbackSeconds: o.rollbackSeconds ?? DEFAULT_ROLLBACK_SECONDS,
  };
}

export const server: Mode<ServerOptions> = {
  name: 'server',
  summary: 'on the server itself: why does sshd refuse people?',
  usage: '[options]',
  about: 'On the server itself: finds why sshd refuses people, and fixes it after you say yes.',
  options,
  notes: `Exit status: 0 no error-level finding and every check ran, 1 an error-level finding or
checks-incomplete (a check that could explain a refusal did not run), 2 usage error.
--via logs in once for the whole run (agent only); a firewall fix adds one new connection, the
proof that the way in still works.
`,
  parse: (argv, io) => parseServerArgs(argv, io.env, io.platform),
  run: async (opts, io) => (await import('./run.js')).run(opts, io),
};

/** The exact command to rerun as root (shown when checks needed root; sudo asks for the password itself). */
export function sudoCommand(a: ServerOptions): string[] {
  return ['sudo', 'ssh-doctor', ...serverArgv(a)];
}

/** The `server …` arguments that reproduce this run (less --via and --yes, which a rerun must not assume). */
export function serverArgv(a: ServerOptions): string[] {
  return [
    'server',
    '--user',
    a.user,
    '--port',
    String(a.port),
    ...(a.from ? ['--from', a.from] : []),
    ...(a.json ? ['--json'] : []),
    ...(a.dryRun ? ['--dry-run'] : []),
    ...(a.rollbackSeconds !== DEFAULT_ROLLBACK_SECONDS ? ['--rollback-seconds', String(a.rollbackSeconds)] : []),
  ];
}
