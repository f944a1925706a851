// The client command line: the ssh flags people paste, plus our own. Pure: no I/O.
import { assertClean, parsePort, UsageError } from './errors.js';

export interface ClientArgs {
  /** The destination as typed, without our own flags: handed to `ssh -G` and `ssh`. */
  destination: string;
  /** ssh flags in argv form, validated, in the order given (e.g. ['-p','2222','-i','key']). */
  sshFlags: string[];
  json: boolean;
  timeoutMs: number;
  yes: boolean;
  help: boolean;
  version: boolean;
}

const SSH_FLAGS_WITH_VALUE = new Set(['-p', '-l', '-i', '-F', '-o', '-J']);
const SSH_FLAGS_BARE = new Set(['-4', '-6']);

export function parseClientArgs(argv: readonly string[]): ClientArgs {
  const out: ClientArgs = { destination: '', sshFlags: [], json: false, timeoutMs: 5000, yes: false, help: false, version: false };
  let destination: string | undefined;
  let port: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = assertClean('An argument', argv[i]!);
    if (a === '--json') out.json = true;
    else if (a === '--yes' || a === '-y') out.yes = true;
    else if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--version' || a === '-V') out.version = true;
    else if (a === '--timeout' || a.startsWith('--timeout=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      const n = v !== undefined && /^\d+$/.test(v) ? Number(v) : NaN;
      if (!(n >= 100 && n <= 600_000)) throw new UsageError(`--timeout takes milliseconds from 100 to 600000, not "${v ?? ''}".`);
      out.timeoutMs = n;
    } else if (SSH_FLAGS_BARE.has(a)) out.sshFlags.push(a);
    else if (SSH_FLAGS_WITH_VALUE.has(a.slice(0, 2)) && a.startsWith('-') && !a.startsWith('--')) {
      const flag = a.slice(0, 2);
      const v = a.length > 2 ? a.slice(2) : argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value.`);
      assertClean(`The value of ${flag}`, v);
      if (flag === '-p') port = String(parsePort(v));
      // Each jump hop is a destination of its own: the same refusals apply.
      else if (flag === '-J') v.split(',').forEach((hop) => splitDestination(hop));
      else if (flag === '-o' && !/^\s*[A-Za-z]+\s*[= ]/.test(v)) throw new UsageError(`-o takes Key=Value, not "${v}".`);
      else if (v.startsWith('-')) throw new UsageError(`The value of ${flag} may not start with "-": "${v}".`);
      if (flag !== '-p') out.sshFlags.push(flag, v);
    } else if (a.startsWith('-')) {
      if (destination === undefined && !a.startsWith('--')) {
        throw new UsageError(`Refusing "${a}": a host may not start with "-" (it would be read as an option).`);
      }
      throw new UsageError(`Unknown option ${a} (see --help).`);
    } else if (destination === undefined) destination = a;
    else throw new UsageError(`Unexpected argument "${a}": ssh-doctor diagnoses a connection, it does not run remote commands.`);
  }
  if (out.help || out.version) return out;
  if (destination === undefined) {
    // No host yet (the wizard asks for one): keep -p for when it comes.
    if (port !== undefined) out.sshFlags.unshift('-p', port);
    return out;
  }
  const d = splitDestination(destination);
  if (d.port !== undefined && port === undefined) port = d.port;
  if (port !== undefined) out.sshFlags.unshift('-p', port);
  if (d.user) out.sshFlags.unshift('-l', d.user);
  out.destination = d.host;
  return out;
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
  if (s.startsWith('-')) throw new UsageError(`Refusing "${s}": a host may not start with "-" (it would be read as an option).`);
  if (user?.startsWith('-')) throw new UsageError(`Refusing user "${user}": it may not start with "-".`);
  if (!/^[\w.:%-]+$/.test(s)) throw new UsageError(`"${s}" is not a host name or address.`);
  return { user, host: s, port };
}
