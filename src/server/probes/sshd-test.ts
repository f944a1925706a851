// `sshd -t`: does the configuration load? Errors carry file and line; host key and privsep
// problems are told apart because they have findings of their own.
import type { ConfigTest, Maybe } from '../facts.js';
import { acceptedValues, badValue, QUERY_FOR } from '../config-values.js';
import { failure, lines, type Exec } from '../exec.js';

export function parseSshdTest(stderr: string, exitCode: number | undefined): ConfigTest {
  const out: ConfigTest = { ok: exitCode === 0, errors: [], hostKeyErrors: [], raw: [] };
  for (const l of lines(stderr)) {
    if (
      /^@+$|WARNING: UNPROTECTED PRIVATE KEY FILE|It is required that your private key|This private key will be ignored/.test(
        l,
      )
    )
      continue;
    out.raw.push(l);
    let m: RegExpExecArray | null;
    if ((m = /^Permissions (\d+) for '(.+)' are too open\.$/.exec(l)))
      out.hostKeyErrors.push({ path: m[2]!, message: l });
    else if ((m = /^Unable to load host key:? "?([^"]+?)"?(?::.*)?$/.exec(l)))
      out.hostKeyErrors.push({ path: m[1]!, message: l });
    else if ((m = /^Missing privilege separation directory: (.+)$/.exec(l))) out.privsepMissing = l;
    else if (/no hostkeys available/.test(l)) continue;
    else if ((m = /^(\/\S+?):? line (\d+): (.*)$/.exec(l)))
      out.errors.push({ file: m[1]!, line: Number(m[2]), message: m[3]! });
    else if ((m = /^(\/\S+): terminating, \d+ bad configuration options?$/.exec(l))) continue;
    else if (!out.ok) out.errors.push({ message: l.replace(/^sshd: /, '') });
  }
  return out;
}

export async function probeConfigTest(exec: Exec, sshd: string): Promise<Maybe<ConfigTest>> {
  const cmd = [sshd, '-t'];
  const r = await exec(cmd);
  const why = failure(r, cmd);
  if (why) return { unknown: why };
  // sshd could not even load (sshd-crashing says why): that is no verdict on the configuration.
  const loader = /error while loading shared libraries.*/.exec(r.stderr)?.[0];
  if (loader) return { unknown: `sshd cannot load: ${loader}` };
  const t = parseSshdTest(r.stderr, r.exitCode);
  if (!t.ok && r.stderr.includes('Permission denied'))
    return { unknown: 'sshd -t could not read its files (run as root)', needsRoot: true };
  await explainErrors(exec, t);
  return t;
}

/**
 * Each named line's text, and for a rejected value what sshd accepts there: `ssh -Q` (the same
 * OpenSSH build) for algorithm lists, sshd's fixed tables otherwise.
 */
async function explainErrors(exec: Exec, t: ConfigTest): Promise<void> {
  const queried: Record<string, string[]> = {};
  for (const e of t.errors.slice(0, 5)) {
    if (!e.file || !e.line) continue;
    const r = await exec(['sed', '-n', `${e.line}p`, '--', e.file]);
    const text = r.exitCode === 0 ? r.stdout.replace(/\n$/, '') : '';
    if (!text) continue;
    e.text = text;
    const keyword = /^\s*([A-Za-z]+)/.exec(text)?.[1];
    if (!keyword || !badValue(e.message)) continue;
    const q = QUERY_FOR[keyword.toLowerCase()];
    if (q && !queried[q]) {
      const list = await exec(['ssh', '-Q', q]);
      if (list.exitCode === 0) queried[q] = lines(list.stdout).map((l) => l.trim());
    }
    const accepted = acceptedValues(keyword, queried);
    if (accepted?.length) e.accepted = accepted;
  }
}
