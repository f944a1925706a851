// SSH user certificates (id_x-cert.pub beside a key, or CertificateFile): what `ssh-keygen -L`
// says about each one (validity, principals, CA), and which ones ssh offered (`ssh -v`). The
// parsing and the rule sshd applies are pure; only inspectCertificates runs anything.
import { stat } from 'node:fs/promises';
import { run } from '../../run.js';
import { expandHome } from './ssh-config.js';
import type { UserCertificate } from './types.js';

/** `ssh-keygen -L -f CERT` output, run with TZ=UTC0. Pure. */
export function parseKeygenL(text: string, path: string): UserCertificate {
  const cert: UserCertificate = { path, principals: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    let m: RegExpExecArray | null;
    if ((m = /^Type: \S+ (\w+) certificate$/.exec(line))) cert.kind = m[1];
    else if ((m = /^Public key: \S+ (SHA256:\S+)$/.exec(line))) cert.fingerprint = m[1];
    else if ((m = /^Signing CA: (.+)$/.exec(line))) cert.signingCa = m[1];
    else if ((m = /^Key ID: "(.*)"$/.exec(line))) cert.keyId = m[1];
    else if ((m = /^Valid: (.+)$/.exec(line))) {
      // sshkey_format_cert_validity: "forever", "before T", "after T" or "from T to T".
      const v = m[1]!;
      const bounds = /^from (\S+) to (\S+)$/.exec(v);
      if (bounds) Object.assign(cert, { validFrom: bounds[1], validTo: bounds[2] });
      else if (v.startsWith('before ')) cert.validTo = v.slice(7);
      else if (v.startsWith('after ')) cert.validFrom = v.slice(6);
    } else if (/^Principals:/.test(line)) {
      // One principal per indented line below, or "(none)" on the same line.
      while (i + 1 < lines.length && /^\s{9,}\S/.test(lines[i + 1]!)) cert.principals.push(lines[++i]!.trim());
    }
  }
  if (!cert.fingerprint) cert.error = 'ssh-keygen -L printed no certificate';
  return cert;
}

/** ssh -v's "Offering public key: PATH TYPE-CERT SHA256:… [explicit]" lines. Pure. */
export function certificateOffers(lines: readonly string[]): { fingerprint: string; line: string }[] {
  return lines.flatMap((line) => {
    const m = /^debug1: Offering public key: .+ \S+-CERT (SHA256:\S+)/.exec(line);
    return m ? [{ fingerprint: m[1]!, line }] : [];
  });
}

/** The certificates ssh would load: IDENTITY-cert.pub beside each identity file, and CertificateFile. */
export function certificateCandidates(identityFiles: readonly string[], certificateFiles: readonly string[]): string[] {
  return [
    ...new Set([
      ...identityFiles.map((p) => `${expandHome(p)}-cert.pub`),
      ...certificateFiles.map((p) => expandHome(p)),
    ]),
  ];
}

export async function inspectCertificates(
  opts: {
    paths: readonly string[];
    timeoutMs: number;
  },
  runner: typeof run = run,
): Promise<UserCertificate[]> {
  const found = await Promise.all(
    opts.paths.map(async (path) =>
      (await stat(path).then(
        (s) => s.isFile(),
        // Stryker disable next-line ArrowFunction: only its truthiness is read; undefined is as false
        () => false,
      ))
        ? path
        : undefined,
    ),
  );
  return Promise.all(
    found
      .flatMap((path) => (path ? [path] : []))
      .map(async (path) => {
        // UTC, so the times it prints can be compared with the clock without guessing a zone.
        const r = await runner(['ssh-keygen', '-L', '-f', path], { timeoutMs: opts.timeoutMs, env: { TZ: 'UTC0' } });
        if (r.exitCode !== 0 || r.truncated)
          return {
            path,
            principals: [],
            error:
              r.stderr.trim().split('\n')[0] ||
              (r.timedOut
                ? 'ssh-keygen -L timed out'
                : r.truncated
                  ? 'ssh-keygen -L printed more than a certificate holds'
                  : `ssh-keygen -L exited ${r.exitCode}`),
          };
        return parseKeygenL(r.stdout, path);
      }),
  );
}
