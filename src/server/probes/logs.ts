// Recent sshd log lines that explain a refusal, from whichever log this system keeps.
import type { LogFacts, Maybe } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';

/** Lines sshd writes when it refuses someone or cannot serve (verbatim fragments). */
const EXPLAINS = [
  /Authentication refused: bad ownership or modes/,
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
];

/**
 * Keep the lines that explain a refusal, most recent last, at most `max`; lines naming another
 * user ("Invalid user bob …") are about someone else and are dropped.
 */
export function explainingLines(text: string, user?: string, max = 20): string[] {
  return lines(text)
    .filter((l) => EXPLAINS.some((re) => re.test(l)))
    .filter((l) => {
      const named = /\buser (\S+)/i.exec(l)?.[1];
      return user === undefined || named === undefined || named === user;
    })
    .slice(-max);
}

const FILES = ['/var/log/auth.log', '/var/log/secure'];

export async function probeLogs(exec: Exec, user?: string): Promise<Maybe<LogFacts>> {
  const jcmd = ['journalctl', '-u', 'ssh', '-u', 'sshd', '-n', '300', '--no-pager', '-q', '-o', 'short'];
  const j = await exec(jcmd);
  if (!failure(j, jcmd) && j.exitCode === 0 && j.stdout.trim()) return { source: 'journalctl', lines: explainingLines(j.stdout, user) };
  for (const f of FILES) {
    const r = await exec(['tail', '-n', '500', '--', f]);
    if (failure(r, ['tail'])) return { unknown: failure(r, ['tail'])! };
    if (r.exitCode === 0) return { source: f, lines: explainingLines(r.stdout, user) };
    if (/Permission denied/.test(r.stderr)) return { unknown: `cannot read ${f} (run as root)`, needsRoot: true };
  }
  return { unknown: 'no sshd log found (journalctl, /var/log/auth.log, /var/log/secure)' };
}
