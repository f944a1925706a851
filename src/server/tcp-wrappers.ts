// TCP wrappers (hosts_access(5)) as Debian's sshd, linked with libwrap, applies them before the
// SSH banner: the first hosts.allow rule for sshd that matches the client admits it, else the
// first matching hosts.deny rule refuses it, else it is admitted. Pure.
import { addrMatchList, ipBytes } from './client-address.js';

const isIP = (s: string) => ipBytes(s) !== undefined;
const isIPv4 = (s: string) => ipBytes(s)?.length === 4;

export interface WrapperRule {
  file: string;
  /** Line number of the rule's first line. */
  line: number;
  text: string;
  daemons: string;
  clients: string;
}

/** Rules of one file: comments dropped, backslash-continued lines joined. */
export function parseHostsFile(file: string, text: string): WrapperRule[] {
  const out: WrapperRule[] = [];
  let acc = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const l = raw.replace(/\r$/, '');
    if (!acc) start = i + 1;
    if (l.endsWith('\\')) {
      acc += `${l.slice(0, -1)} `;
      return;
    }
    const whole = (acc + l).trim();
    acc = '';
    if (!whole || whole.startsWith('#')) return;
    const [daemons, clients] = fields(whole);
    if (daemons === undefined || clients === undefined) return;
    out.push({ file, line: start, text: whole, daemons: daemons.trim(), clients: clients.trim() });
  });
  return out;
}

/** Fields split at ":" outside the brackets of an IPv6 address ("sshd: [::1]/128"). */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const c of line) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === ':' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

type Tri = 'yes' | 'no' | 'depends';

/** "a b EXCEPT c": in the first list and not in the second (tcpd's list_match). */
function listMatch(list: string, one: (token: string) => Tri): Tri {
  const words = list.split(/[\s,]+/).filter(Boolean);
  const ex = words.findIndex((w) => w.toUpperCase() === 'EXCEPT');
  const head = ex < 0 ? words : words.slice(0, ex);
  let got: Tri = 'no';
  for (const w of head) {
    const r = one(w);
    if (r === 'yes') {
      got = 'yes';
      break;
    }
    if (r === 'depends') got = 'depends';
  }
  if (got === 'no' || ex < 0) return got;
  const rest = listMatch(words.slice(ex + 1).join(' '), one);
  if (rest === 'yes') return 'no';
  return rest === 'depends' ? 'depends' : got;
}

function daemonToken(w: string): Tri {
  const d = w.includes('@') ? w.slice(0, w.indexOf('@')) : w;
  return d.toUpperCase() === 'ALL' || d === 'sshd' ? 'yes' : 'no';
}

/** One client pattern against an address (undefined: not known, so only ALL decides). */
function clientToken(w: string, addr: string | undefined): Tri {
  if (w.toUpperCase() === 'ALL') return 'yes';
  if (!addr) return 'depends';
  const bare = w.replace(/^\[([^\]]+)\](\/\d+)?$/, '$1$2');
  if (isIP(bare) || /^[\d.:a-f]+\/\d+$/i.test(bare)) return addrMatchList(addr, bare) === 1 ? 'yes' : 'no';
  const mask = /^(\d+\.\d+\.\d+\.\d+)\/(\d+\.\d+\.\d+\.\d+)$/.exec(w);
  if (mask) {
    const n = (s: string) => s.split('.').reduce((a, b) => (a << 8) | Number(b), 0) >>> 0;
    return isIPv4(addr) && (n(addr) & n(mask[2]!)) >>> 0 === (n(mask[1]!) & n(mask[2]!)) >>> 0 ? 'yes' : 'no';
  }
  if (/^[\d.]+\.$/.test(w)) return addr.startsWith(w) ? 'yes' : 'no';
  if (/[*?]/.test(w) && /^[\d.*?:]+$/.test(w)) {
    const re = new RegExp(`^${w.replace(/\./g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    return re.test(addr) ? 'yes' : 'no';
  }
  // Host names, domains, LOCAL, KNOWN, PARANOID, @netgroups: decided by DNS and NIS, not here.
  return 'depends';
}

export interface WrapperVerdict {
  verdict: 'allow' | 'deny' | 'depends';
  /** The rule that decides (or, for 'depends', the first one that might). */
  rule?: WrapperRule;
}

export function wrappersDecide(allow: WrapperRule[], deny: WrapperRule[], addr: string | undefined): WrapperVerdict {
  // Each rule that may apply, in the order tcpd tries them, with what it would decide.
  const tried = [...allow.map((r) => [r, 'allow'] as const), ...deny.map((r) => [r, 'deny'] as const)];
  let pending: WrapperRule | undefined;
  let pendingVerdicts = new Set<'allow' | 'deny'>();
  for (const [r, fileVerdict] of tried) {
    if (listMatch(r.daemons, daemonToken) !== 'yes') continue;
    const m = listMatch(r.clients, (w) => clientToken(w, addr));
    if (m === 'no') continue;
    // hosts_options(5): a third field "allow" or "deny" overrides the file's meaning.
    const last = fields(r.text).slice(2).pop()?.trim().toLowerCase();
    const opt = last === 'allow' || last === 'deny' ? last : undefined;
    const v = opt ?? fileVerdict;
    if (m === 'yes') {
      // An earlier rule that might have matched first and decided otherwise leaves it open.
      if (pending && [...pendingVerdicts].some((p) => p !== v)) return { verdict: 'depends', rule: pending };
      return { verdict: v, rule: r };
    }
    pending ??= r;
    pendingVerdicts = new Set([...pendingVerdicts, v]);
  }
  return pending && pendingVerdicts.has('deny') ? { verdict: 'depends', rule: pending } : { verdict: 'allow' };
}
