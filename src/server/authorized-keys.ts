// authorized_keys lines as sshd reads them (auth2-pubkeyfile.c, sshkey_read, sshauthopt_parse):
// a key, or options then a key. sshd skips a line it cannot parse, silently at its default log
// level, so a key wrapped over two lines is simply not there. Pure: the console kit shares it.
import type { KeyLine } from './facts.js';

/** Key types this OpenSSH knows, with the number of SSH strings in the public key blob. */
const BLOB_FIELDS: Record<string, number> = {
  'ssh-ed25519': 2,
  'ssh-rsa': 3,
  'ssh-dss': 5,
  'ecdsa-sha2-nistp256': 3,
  'ecdsa-sha2-nistp384': 3,
  'ecdsa-sha2-nistp521': 3,
  'sk-ecdsa-sha2-nistp256@openssh.com': 4,
  'sk-ssh-ed25519@openssh.com': 3,
};
const isKeyType = (t: string) => t in BLOB_FIELDS || /^[a-z0-9-]+-cert-v01@openssh\.com$/.test(t);

/** Options sshd accepts (sshauthopt_parse); any other makes it skip the line. */
const FLAGS = new Set([
  'restrict',
  'cert-authority',
  'port-forwarding',
  'no-port-forwarding',
  'agent-forwarding',
  'no-agent-forwarding',
  'x11-forwarding',
  'no-x11-forwarding',
  'pty',
  'no-pty',
  'user-rc',
  'no-user-rc',
  'touch-required',
  'no-touch-required',
  'verify-required',
]);
const VALUED = new Set([
  'command',
  'environment',
  'expiry-time',
  'from',
  'permitopen',
  'permitlisten',
  'principals',
  'tunnel',
]);

/** Longest line text kept as evidence (keys are under 1 KiB; RSA 16384 a little over 2). */
const TEXT_MAX = 3000;

/** Why a "TYPE BASE64" key does not load, or undefined when it does. */
export function keyProblem(type: string, blob: string | undefined): string | undefined {
  if (!isKeyType(type)) return `"${type.slice(0, 40)}" is not a key type`;
  if (!blob) return 'the key data is missing';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(blob) || blob.length % 4 !== 0) return 'the key data is not valid base64';
  const bytes = Buffer.from(blob, 'base64');
  const fields: Buffer[] = [];
  for (let i = 0; i < bytes.length; ) {
    if (i + 4 > bytes.length) return 'the key data is cut short';
    const n = bytes.readUInt32BE(i);
    if (i + 4 + n > bytes.length) return 'the key data is cut short';
    fields.push(bytes.subarray(i + 4, i + 4 + n));
    i += 4 + n;
  }
  const inner = fields[0]?.toString('latin1');
  if (inner !== type) return `the key data is a ${inner ?? 'nothing'} key, not ${type}`;
  const want = BLOB_FIELDS[type];
  if (want !== undefined && fields.length !== want) return 'the key data is cut short';
  return undefined;
}

/** Splits sshd's option list: comma-separated, values in double quotes with \" inside. */
function splitOptions(s: string): { options: string[]; rest: string } | undefined {
  const options: string[] = [];
  let i = 0;
  let cur = '';
  let quoted = false;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '\\' && s[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      options.push(cur);
      cur = '';
    } else if (c === ' ' || c === '\t') break;
    else cur += c;
  }
  if (quoted) return undefined;
  options.push(cur);
  return { options, rest: s.slice(i).trimStart() };
}

/** One line of authorized_keys (already known not to be blank or a comment), numbered from 1. */
export function parseKeyLine(text: string, n: number): KeyLine {
  const line = text.trim();
  const shown = line.length > TEXT_MAX ? `${line.slice(0, TEXT_MAX)}…` : line;
  const [t, blob] = line.split(/\s+/);
  if (t && isKeyType(t)) {
    const why = keyProblem(t, blob);
    return why ? { n, text: shown, type: t, malformed: why } : { n, type: t };
  }
  const split = splitOptions(line);
  if (!split) return { n, text: shown, malformed: 'a quote in the options is not closed' };
  const out: KeyLine = { n, text: shown };
  for (const o of split.options) {
    const eq = o.indexOf('=');
    const name = (eq < 0 ? o : o.slice(0, eq)).toLowerCase();
    if (eq < 0 ? !FLAGS.has(name) : !VALUED.has(name))
      return { ...out, malformed: `sshd does not know the option "${o.slice(0, 40)}" (nor is the line a key)` };
    const value = o.slice(eq + 1);
    if (name === 'from') out.from = value;
    else if (name === 'command') out.command = value;
    else if (name === 'restrict') out.restrict = true;
    else if (name === 'no-pty') out.noPty = true;
    else if (name === 'pty') out.pty = true;
  }
  const [kt, kb] = split.rest.split(/\s+/);
  if (!kt) return { ...out, malformed: 'options, but no key after them' };
  out.type = kt;
  const why = keyProblem(kt, kb);
  return why ? { ...out, malformed: why } : out;
}

/** Valid keys are kept as number and type only; lines with options or problems keep their text. */
export const KEY_LINES_MAX = 2000;

/**
 * Every key line of a file. A broken line whose next line completes it is marked `joinsNext`: the
 * two are one key wrapped over two lines (a paste into an editor that wraps).
 */
export function parseAuthorizedKeys(text: string): { lines: KeyLine[]; more?: number } {
  const raw = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const out: KeyLine[] = [];
  let more = 0;
  raw.forEach((l, i) => {
    const t = l.trim();
    if (t === '' || t.startsWith('#')) return;
    const k = parseKeyLine(l, i + 1);
    if (k.malformed) {
      const next = raw[i + 1]?.trim();
      if (next && !parseKeyLine(`${t}${next}`, i + 1).malformed) k.joinsNext = true;
    }
    if (out.length < KEY_LINES_MAX) out.push(k);
    else more++;
  });
  return more ? { lines: out, more } : { lines: out };
}

/** Signature algorithms that can verify each key type (PubkeyAcceptedAlgorithms names these). */
export function algorithmsFor(type: string): string[] {
  if (type === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  if (type === 'ssh-rsa-cert-v01@openssh.com')
    return ['rsa-sha2-512-cert-v01@openssh.com', 'rsa-sha2-256-cert-v01@openssh.com', type];
  return [type];
}

/** Whether the effective PubkeyAcceptedAlgorithms (sshd -T, comma list) takes a key of this type. */
export function typeAccepted(type: string, accepted: string): boolean {
  const list = accepted.split(',');
  return algorithmsFor(type).some((a) => list.includes(a));
}

/** A key line wrapped over two lines, and the file with it joined back into one. */
export interface Rejoin {
  /** The first of the two lines, from 1. */
  line: number;
  first: string;
  second: string;
  joined: string;
  /** The whole file with the two lines replaced by the joined one. */
  text: string;
}

/**
 * The one rejoin that is certain: the only lines sshd skips are two consecutive ones, neither a
 * key alone, that together are one valid key line. Anything else (two wrapped keys, a key over
 * three lines, another broken line, CRLF) is left to a person: which lines belong together is
 * then a guess.
 */
export function rejoinWrapped(text: string): Rejoin | undefined {
  if (text.includes('\r')) return undefined;
  const raw = text.split('\n');
  const broken: number[] = [];
  raw.forEach((l, i) => {
    const t = l.trim();
    if (t !== '' && !t.startsWith('#') && parseKeyLine(l, i + 1).malformed) broken.push(i);
  });
  const i = broken[0];
  if (i === undefined || broken.length !== 2 || broken[1] !== i + 1) return undefined;
  const first = raw[i]!;
  const second = raw[i + 1]!;
  const joined = `${first.trimEnd()}${second.trim()}`;
  if (parseKeyLine(joined, i + 1).malformed) return undefined;
  return { line: i + 1, first, second, joined, text: [...raw.slice(0, i), joined, ...raw.slice(i + 2)].join('\n') };
}
