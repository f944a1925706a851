// ssh offered an SSH user certificate and the login was denied: why, from the certificate itself
// (`ssh-keygen -L`: validity, principals) or, when it would pass those checks, the CA. Pure.
import type { Finding } from '../report.js';
import type { KeyFilesResult, LoginResult, ResolvedTarget, UserCertificate } from './probes/types.js';
import { pasteStep } from '../shell-quote.js';

const utc = (t: string) => Date.parse(`${t}Z`);
const shown = (t: string) => `${t.replace('T', ' ')} UTC`;

/**
 * Why sshd refuses this certificate for `user` at `nowMs` (sshkey_cert_check_authority: valid
 * after ≤ now < valid before, and the user among the principals). Empty when it would pass those
 * checks; the CA's trust is the server's to know. Pure.
 */
export function certificateProblems(cert: UserCertificate, user: string, nowMs: number): string[] {
  if (cert.error) return [];
  const problems: string[] = [];
  if (cert.kind !== 'user')
    problems.push(`it is a ${cert.kind ?? 'unknown kind of'} certificate, not a user certificate`);
  if (cert.validTo !== undefined && nowMs >= utc(cert.validTo)) problems.push(`it expired on ${shown(cert.validTo)}`);
  if (cert.validFrom !== undefined && nowMs < utc(cert.validFrom))
    problems.push(`it is not valid before ${shown(cert.validFrom)}`);
  if (!cert.principals.length) problems.push('it names no principal, so sshd accepts it for no user');
  else if (!cert.principals.includes(user)) problems.push(`it is for ${cert.principals.join(', ')}, not ${user}`);
  return problems;
}

interface Facts {
  target?: ResolvedTarget;
  keys?: KeyFilesResult;
  login?: LoginResult;
}

/** The certificates ssh offered, read (ssh matches them by the certified key's fingerprint). */
function offered(f: Facts): UserCertificate[] {
  const prints = new Set((f.login?.debug.certificatesOffered ?? []).map((o) => o.fingerprint));
  return (f.keys?.certificates ?? []).filter((c) => !c.error && c.fingerprint && prints.has(c.fingerprint));
}

export const userCertificateRefused = (f: Facts): boolean =>
  f.login?.debug.outcome === 'auth-denied' && offered(f).length > 0;

const validity = (c: UserCertificate) => {
  if (c.validFrom && c.validTo) return `from ${c.validFrom} to ${c.validTo} UTC`;
  if (c.validTo) return `before ${c.validTo} UTC`;
  return c.validFrom ? `from ${c.validFrom} UTC on` : 'forever';
};

export function userCertificateFinding(
  f: Facts,
  sshLines: readonly string[],
  nowMs = Date.now(),
): Omit<Finding, 'id' | 'severity'> {
  const user = f.target?.user ?? '';
  const certs = offered(f);
  const judged = certs.map((c) => ({ c, problems: certificateProblems(c, user, nowMs) }));
  const bad = judged.filter((j) => j.problems.length);
  const first = bad[0] ?? judged[0]!;
  const summary = bad.length
    ? `The server refused your SSH certificate ${first.c.path}: ${first.problems.join('; ')}.`
    : `The server refused your SSH certificate ${first.c.path} although it is valid now and names ${user}: the server does not trust the CA that signed it (TrustedUserCAKeys), or its AuthorizedPrincipalsFile does not list ${user}.`;
  const t = f.target;
  return {
    summary,
    evidence: [
      ...(f.login?.debug.certificatesOffered ?? []).map((o) => o.line),
      ...certs.flatMap((c) => [
        `ssh-keygen -L -f ${c.path}: Key ID "${c.keyId ?? ''}", valid ${validity(c)}, principals: ${c.principals.join(', ') || '(none)'}`,
        `signed by CA ${c.signingCa ?? '(unknown)'}`,
      ]),
      ...(bad.some((j) => j.problems.some((p) => /expired|not valid before/.test(p)))
        ? [`checked against this machine's clock: ${new Date(nowMs).toISOString().slice(0, 19)} UTC`]
        : []),
      ...sshLines,
    ],
    next: bad.length
      ? [
          `Get a new certificate for ${user} from whoever runs your SSH CA (they sign it with ssh-keygen -s CA_KEY -I ID -n ${user} -V +1d KEY.pub).`,
        ]
      : [
          pasteStep('On the server (console or another session): ', [
            'ssh-doctor',
            'server',
            '--port',
            String(t?.port ?? 22),
            '--user',
            user,
          ]),
          `There, TrustedUserCAKeys must hold the public key of the CA ${(first.c.signingCa ?? '').replace(/ \(using .*\)$/, '')} (ssh-keygen -lf on it shows that fingerprint).`,
        ],
  };
}
