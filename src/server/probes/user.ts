// The account being diagnosed: passwd, groups, shadow lock/expiry.
import type { Maybe, UserFacts } from '../facts.js';
import { isoDay } from '../days.js';
import { failure, lines, type Exec } from '../exec.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export function parsePasswd(stdout: string): PasswdEntry[] {
  return lines(stdout).flatMap((l) => {
    const f = l.split(':');
    if (f.length < 7) return [];
    return [{ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]!, shell: f[6]! }];
  });
}

/**
 * A shadow line (`getent shadow NAME`), judged on `today` (days since 1970-01-01).
 * shadow(5): field 8 is the day the account expires; fields 3+5+7 give the day a password
 * that has expired stops being usable at all (PAM's account check then refuses key logins too).
 */
export function parseShadow(
  line: string,
  today: number,
): Pick<
  UserFacts,
  | 'passwordStatus'
  | 'lockedWithBang'
  | 'accountExpired'
  | 'passwordInactive'
  | 'expiryDetail'
  | 'passwordChange'
  | 'lastChange'
> {
  const f = line.trim().split(':');
  const hash = f[1] ?? '';
  const num = (s: string | undefined) => (s !== undefined && s !== '' ? Number(s) : undefined);
  const [last, max, inactive, expire] = [num(f[2]), num(f[4]), num(f[6]), num(f[7])];
  const out: ReturnType<typeof parseShadow> = {
    passwordStatus: hash.startsWith('!') || hash.startsWith('*') ? 'L' : hash === '' ? 'NP' : 'P',
    lockedWithBang: hash.startsWith('!'),
  };
  if (expire !== undefined && today >= expire) {
    out.accountExpired = true;
    out.expiryDetail = `account expired on ${isoDay(expire)}`;
  }
  if (
    last !== undefined &&
    last > 0 &&
    max !== undefined &&
    max < 99999 &&
    inactive !== undefined &&
    today >= last + max + inactive
  ) {
    out.passwordInactive = true;
    out.expiryDetail = `password expired on ${isoDay(last + max)}, unusable since ${isoDay(last + max + inactive)}`;
  }
  if (last !== undefined) out.lastChange = last;
  // Day 0 is `chage -d 0` / `passwd -e`: a change is forced at the next login. An expired password
  // still within its inactive period asks for the same; past it, the account is locked (above).
  if (last === 0) out.passwordChange = 'forced';
  else if (last !== undefined && max !== undefined && max < 99999 && today >= last + max && !out.passwordInactive)
    out.passwordChange = 'expired';
  return out;
}

export async function probeUser(
  exec: Exec,
  name: string,
  today = Math.floor(Date.now() / 86_400_000),
): Promise<Maybe<UserFacts>> {
  const cmd = ['getent', 'passwd', name];
  const pw = await exec(cmd);
  const why = failure(pw, cmd);
  if (why) return { unknown: why };
  const entry = parsePasswd(pw.stdout)[0];
  if (pw.exitCode === 2 || !entry) return { name, exists: false };
  const user: UserFacts = { name, exists: true, uid: entry.uid, gid: entry.gid, home: entry.home, shell: entry.shell };
  const shCmd = ['getent', 'shadow', name];
  const sh = await exec(shCmd);
  // The rest of the account is known; only its lock and expiry are not.
  const shWhy = failure(sh, shCmd);
  if (shWhy) user.shadowUnknown = shWhy;
  else if (sh.exitCode === 0 && sh.stdout.trim()) Object.assign(user, parseShadow(sh.stdout, today));
  return user;
}

/**
 * Every group of the account (primary first), for AllowGroups/DenyGroups only: `id -Gn` takes
 * 1.5 s for a user in 5,000 groups, so it runs only when those settings exist.
 */
export async function probeGroups(exec: Exec, name: string): Promise<Maybe<string[]> | undefined> {
  const cmd = ['id', '-Gn', name];
  const id = await exec(cmd);
  const why = failure(id, cmd);
  if (why) return { unknown: why };
  return id.exitCode === 0 ? id.stdout.trim().split(/\s+/) : undefined;
}
