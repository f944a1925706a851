// Recent sshd log lines that explain a refusal, from whichever log this system keeps.
import { MiB } from '../../bytes.js';
import type { LogFacts, Maybe } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';

/** Lines sshd writes when it refuses someone or cannot serve (verbatim fragments). */
const EXPLAINS = [
  /Authentication refused: bad ownership or modes/,
  /with correct key but not from a permitted host/,
  /bad ownership or modes for chroot directory/,
  /MaxStartups/,
  /User \S+ from \S+ not allowed because/,
  /not allowed because/,
  /Invalid user /,
  /Access denied for user .* by PAM account configuration/,
  /Bind to port \d+ on \S+ failed/,
  /Cannot bind any address/,
  /Unable to load host key/,
  /no hostkeys available/,
  /Missing privilege separation directory/,
  /Could not open (user|authorized keys) '.+'/,
  /User \S+ not allowed because account is locked/,
  /ROOT LOGIN REFUSED/,
  /refused connect from/,
  /Connection closed by authenticating user .* \[preauth\]/,
  /fatal: /,
  /Permissions \d+ for '.+' are too open/,
  /drop connection #\d+ from \[.*\bpenalty: /,
];

/**
 * Keep the lines that explain a refusal, most recent last, at most `max`; lines naming another
 * user ("Invalid user bob …") are about someone else and are dropped.
 */
export function explainingLines(text: string, user?: string, max = 20): string[] {
  const kept = lines(text)
    .filter((l) => EXPLAINS.some((re) => re.test(l)))
    .filter((l) => {
      // "Could not open user 'alice' authorized keys …" quotes the name.
      const named = /\buser '?([^\s']+)/i.exec(l)?.[1];
      return user === undefined || named === undefined || named === user;
    });
  // The generic "Connection closed by authenticating user" lines stay: they carry the client's
  // address (the --from default); the finding quotes the line that says why.
  return kept.slice(-max);
}

const FILES = ['/var/log/auth.log', '/var/log/secure'];

/**
 * sshd's lines are under 1 KiB (its log buffer), so 300 journal entries are a fraction of this;
 * more means something else writes under the unit's name.
 */
const JOURNAL_MAX_BYTES = 4 * MiB;

/**
 * How much of a log file's end is read: thousands of lines. By bytes, not `tail -n`, which on a
 * file without newlines (a sparse one, a single huge line) reads the whole file looking for one.
 */
export const LOG_TAIL_BYTES = MiB;

/** A file's last bytes without the first line, which a full read of LOG_TAIL_BYTES has likely cut. */
export function wholeLines(tail: string): string {
  return Buffer.byteLength(tail) < LOG_TAIL_BYTES ? tail : tail.slice(tail.indexOf('\n') + 1);
}

export async function probeLogs(exec: Exec, user?: string): Promise<Maybe<LogFacts>> {
  const jcmd = ['journalctl', '-u', 'ssh', '-u', 'sshd', '-n', '300', '--no-pager', '-q', '-o', 'short'];
  const j = await exec(jcmd, { maxBytes: JOURNAL_MAX_BYTES });
  if (j.truncated) return { unknown: failure(j, jcmd)! };
  if (!failure(j, jcmd) && j.exitCode === 0 && j.stdout.trim())
    return { source: 'journalctl', lines: explainingLines(j.stdout, user) };
  for (const f of FILES) {
    const cmd = ['tail', '-c', String(LOG_TAIL_BYTES), '--', f];
    const r = await exec(cmd, { maxBytes: LOG_TAIL_BYTES });
    const why = failure(r, cmd);
    if (why) return { unknown: why };
    if (r.exitCode === 0) return { source: f, lines: explainingLines(wholeLines(r.stdout), user) };
    if (/Permission denied/.test(r.stderr)) return { unknown: `cannot read ${f} (run as root)`, needsRoot: true };
  }
  return { unknown: 'no sshd log found (journalctl, /var/log/auth.log, /var/log/secure)' };
}
