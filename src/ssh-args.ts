// The client's command line is ssh's: read by ssh's own rules (its getopt), so that what ssh
// would take for the host, a flag's value or the remote command, ssh-doctor takes for the same.
// Pure: no I/O. ssh-doctor's own options (--json, …) are long; every `--name` is handed to `own`.
import { assertClean, parsePort, UsageError } from './errors.js';

/** ssh(1)'s flags as its synopsis lists them: a flag followed by a value name takes a value. */
const SSH_SYNOPSIS =
  '-4 -6 -A -a -B bind_interface -b bind_address -C -c cipher_spec -D port -E log_file -e escape_char -F configfile ' +
  '-f -G -g -I pkcs11 -i identity_file -J destination -K -k -L address -l login_name -M -m mac_spec -N -n -O ctl_cmd ' +
  '-o option -P tag -p port -Q query_option -q -R address -S ctl_path -s -T -t -V -v -W host:port -w local_tun -X -x -Y -y';

/** Each flag letter, and the name of its value when it takes one. */
export const SSH_FLAGS: ReadonlyMap<string, string | undefined> = new Map(
  SSH_SYNOPSIS.split(' -').map((f) => {
    const [letter, valueName] = f.replace(/^-/, '').split(' ');
    return [letter!, valueName];
  }),
);

/**
 * The flags that shape the connection: the diagnosis hands them to `ssh -G` and `ssh`; the
 * others are set aside (and the report names them).
 */
export const DIAGNOSIS_FLAGS: ReadonlySet<string> = new Set([
  '4',
  '6',
  'b',
  'B',
  'c',
  'F',
  'i',
  'I',
  'J',
  'l',
  'm',
  'o',
  'p',
]);

/** With these ssh does something other than connect. */
const NO_CONNECT: Record<string, string> = {
  G: 'print its configuration',
  O: 'send a command to a running connection',
  Q: 'list the algorithms it supports',
  V: 'print its version',
};

export interface SshArgs {
  /** The host alone: a user or port typed with it is moved into -l / -p. Empty when none was given. */
  destination: string;
  /**
   * What the diagnosis hands to `ssh -G` and `ssh` (DIAGNOSIS_FLAGS), one flag and its value
   * at a time, in the order typed (ssh keeps the first -l/-p/-o value, so order matters); the
   * destination's user and port stand where the destination did.
   */
  sshFlags: string[];
  /** The other ssh flags, in the same form: read, not used (ssh-doctor does not pass them on). */
  setAside: string[];
  /** What follows the host: the command ssh would run there. A diagnosis runs none. */
  command: string[];
}

/**
 * Reads `argv` the way ssh does: bundled flags (-vvv, -4vA), attached values (-p2222,
 * -oBatchMode=yes), flags after the host until the first other word (the command), `--`.
 * `own(argv, i)` reads ssh-doctor's option at argv[i] and returns the index after it.
 */
export function parseSshArgs(argv: readonly string[], own: (argv: readonly string[], i: number) => number): SshArgs {
  const out: SshArgs = { destination: '', sshFlags: [], setAside: [], command: [] };
  let host: string | undefined;
  let optionsEnded = false;
  for (let i = 0; i < argv.length; ) {
    const a = assertClean('An argument', argv[i]!);
    if (host !== undefined && (optionsEnded || !a.startsWith('-') || a === '-')) {
      out.command = argv.slice(i).map((c) => assertClean('An argument', c));
      break;
    }
    if (a === '--' && !optionsEnded) {
      optionsEnded = true;
      i++;
    } else if (a.startsWith('--') && !optionsEnded) i = own(argv, i);
    else if (a.startsWith('-') && a !== '-' && !optionsEnded) i = readFlags(argv, i, out);
    else {
      host = a;
      const d = splitDestination(a);
      // Where ssh reads them: in argv order, the first -l / -p wins.
      out.sshFlags.push(...(d.user ? ['-l', d.user] : []), ...(d.port ? ['-p', d.port] : []));
      out.destination = d.host;
      i++;
    }
  }
  return out;
}

/** One argument of bundled flags, the last of which may take its value from the next argument. */
function readFlags(argv: readonly string[], i: number, out: SshArgs): number {
  const a = argv[i]!;
  for (let j = 1; j < a.length; j++) {
    const f = a[j]!;
    if (!SSH_FLAGS.has(f))
      throw new UsageError(`${a.length > 2 ? `In "${a}": ` : ''}-${f} is not an ssh option (see ssh-doctor --help).`);
    if (NO_CONNECT[f])
      throw new UsageError(
        `-${f} makes ssh ${NO_CONNECT[f]} instead of connecting, so there is nothing to diagnose${f === 'V' ? " (ssh-doctor's own version: --version)" : ''}.`,
      );
    if (f === 'y')
      throw new UsageError(
        "-y is an ssh option (log to syslog, where the diagnosis cannot read ssh's messages); ssh-doctor's own options are long: --yes.",
      );
    const takes = SSH_FLAGS.get(f) !== undefined;
    if (!takes) {
      (DIAGNOSIS_FLAGS.has(f) ? out.sshFlags : out.setAside).push(`-${f}`);
      continue;
    }
    const attached = a.slice(j + 1);
    const v = attached || argv[i + 1];
    if (v === undefined) throw new UsageError(`-${f} needs a value.`);
    (DIAGNOSIS_FLAGS.has(f) ? out.sshFlags : out.setAside).push(
      `-${f}`,
      checkValue(f, assertClean(`The value of -${f}`, v), out),
    );
    return attached ? i + 1 : i + 2;
  }
  return i + 1;
}

/** The refusals ssh makes while parsing, and ours: no value that ssh or a later tool could read as a flag. */
function checkValue(f: string, v: string, out: SshArgs): string {
  switch (f) {
    case 'p':
      return String(parsePort(v, '-p'));
    case 'o':
      if (!/^\s*[A-Za-z]+\s*[= ]/.test(v)) throw new UsageError(`-o takes Key=Value, not "${v}".`);
      return v;
    case 'e':
      // ssh's own rule: one character, ^ and a character from @ to DEL, or "none".
      if (v.length === 1 || /^\^[\x40-\x7f]$/.test(v) || v === 'none') return v;
      throw new UsageError(`-e takes an escape character (one character, ^X or none), not "${v}".`);
    case 'J':
      if (out.sshFlags.includes('-J')) throw new UsageError('Give -J once: separate jump hosts with commas.');
      // Each jump hop is a destination of its own: the same refusals apply.
      for (const hop of v.split(',')) splitDestination(hop);
      return v;
    default:
      if (v.startsWith('-')) throw new UsageError(`The value of -${f} may not start with "-": "${v}".`);
      return v;
  }
}

/** `user@host`, `host:port`, `[v6]:port`, `ssh://user@host:port`. */
export function splitDestination(input: string): { user?: string; host: string; port?: string } {
  let s = input.startsWith('ssh://') ? input.slice(6).replace(/\/$/, '') : input;
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
    if (!user) throw new UsageError(`"${input}" has an empty user name.`);
  }
  let port: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(s);
  if (v6) {
    s = v6[1]!;
    port = v6[2];
  } else if ((s.match(/:/g) ?? []).length === 1) {
    [s, port] = s.split(':') as [string, string];
  }
  if (port !== undefined) port = String(parsePort(port));
  if (!s) throw new UsageError(`"${input}" has no host name.`);
  if (s.startsWith('-'))
    throw new UsageError(`Refusing "${s}": a host may not start with "-" (it would be read as an option).`);
  if (user?.startsWith('-')) throw new UsageError(`Refusing user "${user}": it may not start with "-".`);
  if (!/^[\w.:%-]+$/.test(s)) throw new UsageError(`"${s}" is not a host name or address.`);
  return { user, host: s, port };
}
