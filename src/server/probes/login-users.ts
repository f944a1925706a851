// Whose logins `server` should check when root runs it without --user: the accounts sshd refused
// lately, and the accounts that have an authorized_keys file.
import { lines, type Exec } from '../exec.js';
import { probeLogs } from './logs.js';
import { parsePasswd } from './user.js';

/** sshd's refusal lines that name the account (verbatim fragments of OpenSSH's messages). */
const NAMING = [
  /Invalid user (\S+) from /,
  /User (\S+) from \S+ not allowed because/,
  /User (\S+) not allowed because/,
  /Connection closed by (?:authenticating|invalid) user (\S+) /,
  /Access denied for user (\S+) by PAM/,
  /Failed \S+ for (?:invalid user )?(\S+) from /,
];

/** Accounts named in refusals, each once, the most recently refused last. */
export function refusedUsers(log: string): string[] {
  const names: string[] = [];
  for (const l of lines(log)) {
    const name = /ROOT LOGIN REFUSED/.test(l) ? 'root' : NAMING.map((re) => re.exec(l)?.[1]).find(Boolean);
    if (!name) continue;
    const at = names.indexOf(name);
    if (at >= 0) names.splice(at, 1);
    names.push(name);
  }
  return names;
}

/** Accounts with a login shell and a ~/.ssh/authorized_keys (stat without -L: a link is not followed). */
export async function usersWithKeys(exec: Exec): Promise<string[]> {
  const pw = await exec(['getent', 'passwd'], { maxBytes: 32 * 1024 * 1024 });
  if (pw.exitCode !== 0) return [];
  const people = parsePasswd(pw.stdout).filter((p) => p.home.startsWith('/') && !/(nologin|false)$/.test(p.shell));
  if (!people.length) return [];
  const st = await exec(['stat', '-c', '%n', '--', ...people.map((p) => `${p.home}/.ssh/authorized_keys`)]);
  const found = new Set(lines(st.stdout));
  return people.filter((p) => found.has(`${p.home}/.ssh/authorized_keys`)).map((p) => p.name);
}

/** The users sshd refused lately (most recent last), read from its log. */
export async function recentlyRefused(exec: Exec): Promise<string[]> {
  const logs = await probeLogs(exec);
  return 'unknown' in logs ? [] : refusedUsers(logs.lines.join('\n'));
}
