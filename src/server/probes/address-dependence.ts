// Without the client's address the effective config is sshd's answer for a sample address; a
// Match Address/Host block may give another answer for the person locked out. sshd itself says
// which Match criteria it evaluates (`sshd -T -ddd`: "checking match for '…'"), one address each
// names is put to `sshd -T -C` again, and the settings a login depends on are compared. Which
// block applies, Include and sshd_config.d stay sshd's business: no sshd_config is parsed here.
import type { AddressDependence, Maybe } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';
import { ipBytes, matchPattern } from '../client-address.js';
import { parseSshdT, SAMPLE_CLIENT } from './effective.js';

/** sshd -T keys whose value decides whether a login gets through (sshd_config(5), Match-able). */
export const LOGIN_SETTINGS = [
  'allowusers',
  'denyusers',
  'allowgroups',
  'denygroups',
  'permitrootlogin',
  'authenticationmethods',
  'pubkeyauthentication',
  'pubkeyacceptedalgorithms',
  'pubkeyauthoptions',
  'authorizedkeysfile',
  'authorizedkeyscommand',
  'authorizedkeyscommanduser',
  'authorizedprincipalsfile',
  'authorizedprincipalscommand',
  'trustedusercakeys',
  'revokedkeys',
  'passwordauthentication',
  'kbdinteractiveauthentication',
  'permitemptypasswords',
  'maxauthtries',
  'forcecommand',
  'chrootdirectory',
] as const;

/** Each extra sshd -T takes 10–30 ms; a config naming more networks than this is compared in part. */
export const MAX_CONTEXTS = 8;

/** The criteria of every Match line sshd evaluated for a connection, in its order, once each. */
export function parseMatchCriteria(stderr: string): string[] {
  const out: string[] = [];
  for (const l of lines(stderr)) {
    const m = /^debug3: checking match for '(.*)' user .* host .* addr /.exec(l);
    if (m && !out.includes(m[1]!)) out.push(m[1]!);
  }
  return out;
}

/** A context to ask sshd about: an address (and host) inside one entry of a Match criterion. */
export interface MatchContext {
  match: string;
  host: string;
  addr: string;
}

/**
 * One address inside each Address entry (negated ones too: "!10.1.0.0/16" is answered differently
 * for an address in it) and each Host entry written as an address. Host names count only with
 * UseDNS yes: otherwise sshd's host is the address itself and a name never matches.
 */
export function matchContexts(criteria: readonly string[], usedns: boolean): MatchContext[] {
  const out: MatchContext[] = [];
  const add = (c: MatchContext) => {
    const same = (o: { host: string; addr: string }) => o.host === c.host && o.addr === c.addr;
    if (!same(SAMPLE_CLIENT) && !out.some(same)) out.push(c);
  };
  for (const criterion of criteria) {
    const words = criterion.split(/\s+/).map((w) => w.replace(/^"(.*)"$/, '$1'));
    for (let i = 0; i + 1 < words.length; i++) {
      const key = words[i]!.toLowerCase();
      if (key !== 'address' && key !== 'host') continue;
      for (const raw of words[i + 1]!.split(',')) {
        const entry = raw.replace(/^!/, '');
        const addr = key === 'address' ? (inNetwork(entry) ?? matchingAddress(entry)) : matchingAddress(entry);
        if (addr) add({ match: criterion, host: addr, addr });
        else if (key === 'host' && usedns && entry !== '*' && /[a-z]/i.test(entry))
          add({ match: criterion, host: entry.replace(/[*?]/g, 'a'), addr: SAMPLE_CLIENT.addr });
      }
      i++;
    }
  }
  return out;
}

/** "10.0.0.0/8" → 10.0.0.1: the first host address of a network (the address itself for /32). */
function inNetwork(entry: string): string | undefined {
  const m = /^([^/]+)\/(\d+)$/.exec(entry);
  const net = m ? ipBytes(m[1]!) : undefined;
  if (!m || !net || Number(m[2]) > net.length * 8) return undefined;
  const b = [...net];
  if (Number(m[2]) < b.length * 8) b[b.length - 1]! |= 1;
  return b.length === 4
    ? b.join('.')
    : Array.from({ length: 8 }, (_, i) => ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16))
        .join(':')
        .replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** An address the pattern matches: "192.168.1.*" → 192.168.1.1, "10.*" → 10.1.1.1; "*" names none. */
function matchingAddress(entry: string): string | undefined {
  if (ipBytes(entry)) return entry;
  if (!/[*?]/.test(entry) || entry === '*') return undefined;
  let s = entry.replace(/\?/g, '1');
  if (s.includes(':')) s = s.replace(/\*/g, '1');
  else {
    const parts = s.split('.');
    while (parts.length < 4 && parts.at(-1)?.endsWith('*')) parts.push('*');
    s = parts.map((p) => (p === '*' ? '1' : p.replace(/\*/g, ''))).join('.');
  }
  return ipBytes(s) && matchPattern(s, entry) ? s : undefined;
}

/** The login settings whose values differ between two sshd -T outputs. */
export function loginDifferences(
  sample: Record<string, string[]>,
  there: Record<string, string[]>,
): AddressDependence['differs'][number]['settings'] {
  return LOGIN_SETTINGS.flatMap((key) => {
    const a = sample[key] ?? [];
    const b = there[key] ?? [];
    return a.join('\n') === b.join('\n') ? [] : [{ key, sample: a, there: b }];
  });
}

/** Run only when no client address is known. */
export async function probeAddressDependence(
  exec: Exec,
  sshd: string,
  user: string,
): Promise<Maybe<AddressDependence>> {
  const cmd = (c: { host: string; addr: string }, debug = false) => [
    sshd,
    '-T',
    ...(debug ? ['-ddd'] : []),
    '-C',
    `user=${user},host=${c.host},addr=${c.addr}`,
  ];
  const first = cmd(SAMPLE_CLIENT, true);
  const r = await exec(first);
  const why = failure(r, first) ?? (r.exitCode !== 0 ? `sshd -T -ddd exited ${r.exitCode}` : undefined);
  if (why) return { unknown: why };
  const sample = parseSshdT(r.stdout);
  const contexts = matchContexts(parseMatchCriteria(r.stderr), sample.usedns?.[0]?.toLowerCase() === 'yes');
  const asked = contexts.slice(0, MAX_CONTEXTS);
  const answers = await Promise.all(
    asked.map(async (c) => {
      const r2 = await exec(cmd(c));
      const failed = failure(r2, cmd(c)) ?? (r2.exitCode !== 0 ? `exit ${r2.exitCode}` : undefined);
      return { c, failed, config: failed ? undefined : parseSshdT(r2.stdout) };
    }),
  );
  const label = (c: MatchContext) => `Match ${c.match} (host=${c.host},addr=${c.addr})`;
  return {
    sample: SAMPLE_CLIENT,
    differs: answers.flatMap(({ c, config }) => {
      const settings = config ? loginDifferences(sample, config) : [];
      return config && settings.length ? [{ ...c, settings, config }] : [];
    }),
    unchecked: [
      ...answers.flatMap(({ c, failed }) => (failed ? [`${label(c)}: sshd -T failed: ${failed}`] : [])),
      ...contexts.slice(MAX_CONTEXTS).map((c) => `${label(c)}: not asked (more than ${MAX_CONTEXTS})`),
    ],
  };
}
