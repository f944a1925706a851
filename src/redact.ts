// --redact: a report safe to paste into a ticket. User names, host names, addresses, key
// fingerprints and home paths become placeholders (user1, host1, 203.0.113.1, SHA256:key1…), the
// same value always the same placeholder within one report. Ids, verdicts and severities stay:
// they are what a helper needs. Applied to the Report once, before any renderer sees it.
import type { Report } from './report.js';

/** Fields whose values are ssh-doctor's own words, never the user's data. */
const OWN = new Set(['schema', 'mode', 'id', 'fixId', 'severity', 'status']);

const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
/** Only forms that cannot be a time of day: with "::", or all eight groups. */
const IPV6 = /(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;
const FINGERPRINT = /SHA256:[A-Za-z0-9+/]{43}|MD5(?::[0-9a-f]{2}){16}/g;
const HOME = /\/home\/([a-z_][a-z0-9_.-]*)/gi;
/** sshd's log lines that name an account (verbatim fragments of OpenSSH's messages). */
const USER_IN_LOG =
  /(?:Invalid user|User|authenticating user|invalid user|Failed \S+ for(?: invalid user)?|Access denied for user) ([a-z_][a-z0-9_.-]*) (?=from|by|not allowed|\d)/g;

/** Names that are ssh-doctor's or the system's, not someone's. */
const NOT_PEOPLE = new Set(['root', 'sshd', 'nobody']);

export function redactReport(report: Report): Report {
  const seen = new Map<string, string>();
  const count: Record<string, number> = {};
  const placeholder = (kind: string, real: string, make: (n: number) => string) => {
    const key = `${kind}\0${real}`;
    let p = seen.get(key);
    if (!p) {
      count[kind] = (count[kind] ?? 0) + 1;
      p = make(count[kind]!);
      seen.set(key, p);
    }
    return p;
  };

  const strings: string[] = [];
  const collect = (v: unknown, key?: string): void => {
    if (typeof v === 'string') {
      if (!key || !OWN.has(key)) strings.push(v);
    } else if (Array.isArray(v)) for (const x of v) collect(x);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, k);
  };
  collect(report);

  const users = new Set<string>();
  const hosts = new Set<string>();
  if (report.target?.user) users.add(report.target.user);
  if (report.target?.host && !/^[\d.:]+$/.test(report.target.host)) hosts.add(report.target.host);
  for (const s of strings) {
    for (const m of s.matchAll(HOME)) users.add(m[1]!);
    for (const m of s.matchAll(USER_IN_LOG)) users.add(m[1]!);
  }
  for (const n of NOT_PEOPLE) users.delete(n);
  const words = [
    ...[...users].map((u) => ({ real: u, as: () => placeholder('user', u, (n) => `user${n}`) })),
    ...[...hosts].map((h) => ({ real: h, as: () => placeholder('host', h, (n) => `host${n}`) })),
  ].sort((a, b) => b.real.length - a.real.length);
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  const redact = (s: string): string => {
    let out = s
      .replace(FINGERPRINT, (f) =>
        placeholder('key', f, (n) => (f.startsWith('MD5') ? `MD5:key${n}` : `SHA256:key${n}`)),
      )
      .replace(IPV6, (a) =>
        a !== '::' && (a.includes('::') || a.split(':').length === 8)
          ? placeholder('ip6', a, (n) => `2001:db8::${n}`)
          : a,
      )
      .replace(IPV4, (a) => (a === '0.0.0.0' ? a : placeholder('ip4', a, (n) => `203.0.113.${n}`)));
    for (const w of words) out = out.replace(new RegExp(`(?<![\\w.-])${literal(w.real)}(?![\\w-])`, 'g'), () => w.as());
    return out;
  };
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key && OWN.has(key) ? v : redact(v);
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(report) as Report;
}
