// Does a cloud firewall rule list admit this address on this port? Pure: addresses as BigInt.
// (No node:net here: the locked-out flow reaches this module, and flows touch no Node I/O.)

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const isIPv4 = (s: string): boolean => IPV4.test(s);

/** Hex groups with at most one "::", an optional dotted quad last; no zone index. */
function isIPv6(s: string): boolean {
  const quad = /:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (quad && !isIPv4(quad[1]!)) return false;
  const hex = quad ? s.slice(0, -quad[1]!.length) + '0:0' : s;
  const halves = hex.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  if (groups.flat().some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const n = groups.flat().length;
  return halves.length === 2 ? n <= 7 : n === 8;
}

export interface Address {
  family: 4 | 6;
  value: bigint;
}

export function parseAddress(text: string): Address | undefined {
  const s = text.trim();
  if (isIPv4(s)) return { family: 4, value: s.split('.').reduce((v, o) => (v << 8n) | BigInt(Number(o)), 0n) };
  if (!isIPv6(s)) return undefined;
  // An embedded dotted quad (::ffff:1.2.3.4) becomes two hextets.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let t = s;
  if (dotted) {
    const v = parseAddress(dotted[1]!)!.value;
    t = s.slice(0, -dotted[1]!.length) + `${(v >> 16n).toString(16)}:${(v & 0xffffn).toString(16)}`;
  }
  const [head, tail] = t.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const tl = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - tl.length).fill('0'), ...tl];
  return { family: 6, value: groups.reduce((v, g) => (v << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

/** "10.0.0.0/8", "2001:db8::/32", or a bare address (a single host). */
export function cidrContains(cidr: string, addr: Address): boolean {
  const [base, bits] = cidr.trim().split('/') as [string, string | undefined];
  const net = parseAddress(base);
  if (!net || net.family !== addr.family) return false;
  const width = addr.family === 4 ? 32 : 128;
  const len = bits === undefined ? width : Number(bits);
  if (!Number.isInteger(len) || len < 0 || len > width) return false;
  const shift = BigInt(width - len);
  return net.value >> shift === addr.value >> shift;
}

/** The narrowest source a fix should open: this one address. */
export function hostCidr(addr: string): string {
  const a = parseAddress(addr);
  if (!a) throw new Error(`not an address: ${addr}`);
  return `${addr.trim()}/${a.family === 4 ? 32 : 128}`;
}

/** A rule normalised from any provider's response. */
export interface IngressRule {
  /** Provider's name for the rule (or group id), used in evidence. */
  name: string;
  action: 'allow' | 'deny';
  /** Lower wins (GCP, Azure); undefined where every allow rule is additive (AWS, DO, Hetzner). */
  priority?: number;
  /** 'tcp' or 'all'; other protocols never admit SSH. */
  protocol: string;
  /** Inclusive port ranges; empty means all ports. */
  ports: [number, number][];
  /** CIDRs, or '*' for any source. */
  sources: string[];
}

export interface Admission {
  admitted: boolean;
  /** The rule that decided, when one did. */
  rule?: IngressRule;
}

function ruleMatches(r: IngressRule, addr: Address, port: number): boolean {
  if (r.protocol !== 'tcp' && r.protocol !== 'all') return false;
  if (r.ports.length > 0 && !r.ports.some(([a, b]) => port >= a && port <= b)) return false;
  return r.sources.some((s) => s === '*' || cidrContains(s, addr));
}

/**
 * Decide as the provider does: rules are sorted by priority (a deny wins a tie, as in GCP);
 * rules without priority are all allow rules and any match admits. Nothing matching: denied.
 */
export function admits(rules: readonly IngressRule[], address: string, port: number): Admission {
  const addr = parseAddress(address);
  if (!addr) return { admitted: false };
  const ordered = [...rules].sort(
    (a, b) => (a.priority ?? 0) - (b.priority ?? 0) || (a.action === b.action ? 0 : a.action === 'deny' ? -1 : 1),
  );
  const rule = ordered.find((r) => ruleMatches(r, addr, port));
  return rule ? { admitted: rule.action === 'allow', rule } : { admitted: false };
}

/** "22", "20-30", "*", "all": the port spellings providers use. */
export function parsePortRange(text: string): [number, number][] {
  const t = text.trim().toLowerCase();
  if (t === '' || t === '*' || t === 'all' || t === '0-65535' || t === '1-65535') return [];
  return t.split(',').map((part) => {
    const [a, b] = part.trim().split('-');
    return [Number(a), Number(b ?? a)] as [number, number];
  });
}

export function describeRule(r: IngressRule): string {
  const ports =
    r.ports.length === 0 ? 'all ports' : r.ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
  const prio = r.priority === undefined ? '' : ` priority ${r.priority}`;
  return `${r.name}: ${r.action} ${r.protocol} ${ports} from ${r.sources.join(', ') || 'nowhere'}${prio}`;
}
