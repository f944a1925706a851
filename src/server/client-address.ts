// The address of the person who is locked out, and OpenSSH's address matching (match.c, addrmatch.c)
// for the rules that depend on it: authorized_keys from="…", AllowUsers/DenyUsers USER@HOST.
// Pure (the flows reach it through the findings, so no node:net): the console kit decodes into
// the same facts and calls the same rules.
import type { ClientAddress } from './facts.js';

/** The address's bytes (4 for IPv4, 16 for IPv6), or undefined when it is not an address. */
export function ipBytes(s: string): number[] | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const o = s.split('.').map(Number);
    return o.every((x) => x <= 255) ? o : undefined;
  }
  if (!s.includes(':') || !/^[0-9a-f:.]+$/i.test(s) || s.split('::').length > 2) return undefined;
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const groups = (x: string | undefined) => {
    if (!x) return [];
    const parts = x.split(':');
    const last = parts[parts.length - 1]!;
    if (!last.includes('.')) return parts;
    const v4 = ipBytes(last);
    if (!v4) return ['x'];
    return [...parts.slice(0, -1), ((v4[0]! << 8) | v4[1]!).toString(16), ((v4[2]! << 8) | v4[3]!).toString(16)];
  };
  const h = groups(head);
  const t = groups(tail);
  const n = h.length + t.length;
  if ((tail === undefined ? n !== 8 : n > 7) || [...h, ...t].some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - n).fill('0'), ...t];
  return all.flatMap((g) => {
    const v = Number.parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}

/** Whether the first `bits` bits of two addresses of one family agree. */
function samePrefix(a: number[], b: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++)
    if (((a[i >> 3]! >> (7 - (i & 7))) & 1) !== ((b[i >> 3]! >> (7 - (i & 7))) & 1)) return false;
  return true;
}

/** An IPv4 or IPv6 address as sshd logs it and as --from takes it; undefined when it is not one. */
export function parseAddress(s: string): string | undefined {
  const bare = s.replace(/^\[(.*)\]$/, '$1');
  return ipBytes(bare) ? bare : undefined;
}

// "… for alice from 10.1.2.3 port …", "User alice from 10.1.2.3 not allowed …",
// "Connection closed by authenticating user alice 10.1.2.3 port …", "… invalid user alice 10.1.2.3 port …".
const NAMED = [/\b(?:for|[Uu]ser) (\S+) from (\S+)/, /\b(?:authenticating|invalid) user (\S+) (\S+) port \d+/];

/** The client address of the last line in sshd's log about `user` failing, with that line. */
export function lastRefusal(lines: readonly string[], user: string): { address: string; line: string } | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (/^Accepted |\bAccepted \w+ for /.test(line)) continue;
    for (const re of NAMED) {
      const m = re.exec(line);
      const address = m && m[1] === user ? parseAddress(m[2]!) : undefined;
      if (address) return { address, line };
    }
  }
  return undefined;
}

/** The address assumed for the run: --from, else the log's last refusal of the user, else none. */
export function assumeClient(
  from: string | undefined,
  logLines: readonly string[] | undefined,
  user: string,
): ClientAddress {
  if (from) return { address: from, source: 'option', why: 'given with --from' };
  const last = logLines ? lastRefusal(logLines, user) : undefined;
  if (last)
    return { address: last.address, source: 'log', why: `the last refusal of ${user} in sshd's log: ${last.line}` };
  return {
    source: 'none',
    why: logLines
      ? `no refusal of ${user} with an address in sshd's log; rules that depend on the client address are reported as depending on it (give --from ADDR)`
      : `sshd's log could not be read; rules that depend on the client address are reported as depending on it (give --from ADDR)`,
  };
}

/** OpenSSH match_pattern: "*" and "?" wildcards over the whole string. */
export function matchPattern(s: string, pattern: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(s);
}

/** match_pattern_list: 1 a pattern matches, -1 a negated one does (it wins), 0 none. */
export function matchPatternList(s: string, list: string, lower = false): -1 | 0 | 1 {
  const subject = lower ? s.toLowerCase() : s;
  let positive = false;
  for (const raw of list.split(',')) {
    const neg = raw.startsWith('!');
    const p = lower ? raw.slice(neg ? 1 : 0).toLowerCase() : raw.slice(neg ? 1 : 0);
    if (!matchPattern(subject, p)) continue;
    if (neg) return -1;
    positive = true;
  }
  return positive ? 1 : 0;
}

/** addr_pton_cidr: the network, or 'invalid' ("inconsistent mask": host bits set), or undefined (not an address). */
function cidr(p: string): { net: number[]; bits: number } | 'invalid' | undefined {
  const [a, len, extra] = p.split('/');
  if (extra !== undefined || a === undefined) return undefined;
  const net = ipBytes(a);
  if (!net) return undefined;
  const max = net.length * 8;
  if (len !== undefined && !/^\d+$/.test(len)) return undefined;
  const bits = len === undefined ? max : Number(len);
  if (bits > max) return undefined;
  // sshd refuses a network written with bits beyond its mask ("10.0.0.1/8").
  return hostBitsZero(net, bits) ? { net, bits } : 'invalid';
}

function hostBitsZero(a: number[], from: number): boolean {
  for (let i = from; i < a.length * 8; i++) if ((a[i >> 3]! >> (7 - (i & 7))) & 1) return false;
  return true;
}

/**
 * addr_match_list: 1 the address is in the list, -1 a negated entry holds it, 0 neither,
 * -2 the list has an entry sshd rejects (a network with host bits set, an empty entry).
 */
export function addrMatchList(ip: string, list: string): -2 | -1 | 0 | 1 {
  let ret: -2 | -1 | 0 | 1 = 0;
  const bytes = ipBytes(ip);
  for (const raw of list.split(',')) {
    const neg = raw.startsWith('!');
    const p = raw.slice(neg ? 1 : 0);
    if (p === '') return -2;
    const c = cidr(p);
    if (c === 'invalid') return -2;
    let hit: boolean;
    if (c) hit = bytes !== undefined && bytes.length === c.net.length && samePrefix(bytes, c.net, c.bits);
    else hit = matchPattern(ip, p);
    if (!hit) continue;
    if (neg) return -1;
    ret = 1;
  }
  return ret;
}

/**
 * match_host_and_ip: does a from="…" list or the host part of USER@HOST admit this client?
 * `host` is the IP itself unless UseDNS is on (then its reverse name). An error refuses, like sshd.
 */
export function matchHostAndIp(host: string, ip: string, list: string): boolean {
  const mip = addrMatchList(ip, list);
  if (mip === -2 || mip === -1) return false;
  const mhost = matchPatternList(host, list, true);
  if (mhost === -1) return false;
  return mhost === 1 || mip === 1;
}

/** Whether a from= / USER@HOST list could decide by host name (then reverse DNS matters). */
export function namesHosts(list: string): boolean {
  return list
    .split(',')
    .map((p) => p.replace(/^!/, ''))
    .some((p) => !cidr(p) && /[a-z]/i.test(p) && !/^[0-9a-f:.*?]+$/i.test(p));
}
