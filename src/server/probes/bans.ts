// Is the address of the person locked out banned by the server's own guards? fail2ban's sshd
// jail (`fail2ban-client status sshd`), sshguard's nft set, OpenSSH >= 9.8's PerSourcePenalties
// (its log lines, judged in findings.ts). Only asked when the address is known (--from).
import type { BanFacts, Maybe } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';

/** `fail2ban-client status sshd`: "`- Banned IP list:\t1.2.3.4 5.6.7.8". */
export function parseFail2banStatus(stdout: string): string[] {
  const l = lines(stdout).find((x) => /Banned IP list:/.test(x));
  return l
    ? l
        .slice(l.indexOf(':') + 1)
        .trim()
        .split(/\s+/)
        .filter(Boolean)
    : [];
}

/** `nft list set ip sshguard attackers`: "elements = { 1.2.3.4, 5.6.7.8 }" (may span lines). */
export function parseNftSetElements(stdout: string): string[] {
  const m = /elements = \{([^}]*)\}/s.exec(stdout);
  return m ? m[1]!.split(/[\s,]+/).filter((x) => x && !x.includes('expires')) : [];
}

export async function probeBans(exec: Exec, from: string): Promise<Maybe<BanFacts>> {
  const f2bCmd = ['fail2ban-client', 'status', 'sshd'];
  const sgCmd = ['nft', 'list', 'set', 'ip', 'sshguard', 'attackers'];
  const [f2b, sg] = await Promise.all([exec(f2bCmd), exec(sgCmd)]);
  const f2bWhy = failure(f2b, f2bCmd);
  if (f2bWhy && !f2b.missing) return { unknown: f2bWhy };
  const out: BanFacts = { from, by: [] };
  if (!f2b.missing && f2b.exitCode === 0 && parseFail2banStatus(f2b.stdout).includes(from))
    out.by.push({ guard: 'fail2ban', jail: 'sshd', evidence: `${f2bCmd.join(' ')}: Banned IP list includes ${from}` });
  if (!failure(sg, sgCmd) && sg.exitCode === 0 && parseNftSetElements(sg.stdout).includes(from))
    out.by.push({ guard: 'sshguard', evidence: `${sgCmd.join(' ')}: ${from} is in the set` });
  return out;
}
