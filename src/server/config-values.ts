// What sshd accepts for a keyword whose value it rejected, and the nearest accepted value. Pure:
// the lists that come from sshd itself (`ssh -Q …`, same OpenSSH build) are passed in.

/** Keywords whose values are algorithm lists, and the `ssh -Q` query that lists this build's. */
export const QUERY_FOR: Record<string, string> = {
  ciphers: 'cipher',
  macs: 'mac',
  kexalgorithms: 'kex',
  hostkeyalgorithms: 'key-sig',
  pubkeyacceptedalgorithms: 'key-sig',
  pubkeyacceptedkeytypes: 'key-sig',
  hostbasedacceptedalgorithms: 'key-sig',
  casignaturealgorithms: 'key-sig',
};

const YES_NO = ['yes', 'no'];

/** servconf.c's multistate tables and flag options (OpenSSH 9.x), for "unsupported option" errors. */
const FIXED: Record<string, string[]> = {
  permitrootlogin: ['yes', 'prohibit-password', 'forced-commands-only', 'no'],
  allowtcpforwarding: ['yes', 'all', 'no', 'local', 'remote'],
  allowstreamlocalforwarding: ['yes', 'all', 'no', 'local', 'remote'],
  gatewayports: ['yes', 'no', 'clientspecified'],
  compression: ['yes', 'delayed', 'no'],
  addressfamily: ['any', 'inet', 'inet6'],
  permittunnel: ['yes', 'point-to-point', 'ethernet', 'no'],
  ignorerhosts: ['yes', 'shosts-only', 'no'],
  fingerprinthash: ['md5', 'sha256'],
  loglevel: ['QUIET', 'FATAL', 'ERROR', 'INFO', 'VERBOSE', 'DEBUG', 'DEBUG1', 'DEBUG2', 'DEBUG3'],
  syslogfacility: [
    'DAEMON',
    'USER',
    'AUTH',
    'AUTHPRIV',
    'LOCAL0',
    'LOCAL1',
    'LOCAL2',
    'LOCAL3',
    'LOCAL4',
    'LOCAL5',
    'LOCAL6',
    'LOCAL7',
  ],
};

/** sshd's own words for a value it does not accept ("unsupported option", "Bad SSH2 cipher spec"…). */
export function badValue(message: string): string | undefined {
  return (
    /unsupported (?:option|log level|log facility) ["']([^"']+)["']/.exec(message)?.[1] ??
    /Bad (?:SSH2 \S+(?: spec)?|key types) '([^']+)'/.exec(message)?.[1]
  );
}

/** The values sshd accepts for a keyword, when known: the `ssh -Q` list or the fixed table. */
export function acceptedValues(keyword: string, queried: Record<string, string[]>): string[] | undefined {
  const k = keyword.toLowerCase();
  const q = QUERY_FOR[k];
  if (q) return queried[q];
  return FIXED[k] ?? (k.endsWith('authentication') || k === 'usepam' || k === 'usedns' ? YES_NO : undefined);
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/**
 * The one accepted value a typo most likely meant: at most 2 edits away (case aside), and no
 * other value as close. Undefined when it is not clear.
 */
export function nearest(value: string, accepted: readonly string[]): string | undefined {
  const scored = accepted.map((a) => ({ a, d: distance(value.toLowerCase(), a.toLowerCase()) }));
  const best = Math.min(...scored.map((s) => s.d));
  const winners = scored.filter((s) => s.d === best);
  return best <= 2 && winners.length === 1 ? winners[0]!.a : undefined;
}

/** A list shown in evidence: the first dozen, then a count. */
export function shortList(values: readonly string[], max = 12): string {
  const more = values.length - max;
  return `${values.slice(0, max).join(', ')}${more > 0 ? ` (and ${more} more)` : ''}`;
}
