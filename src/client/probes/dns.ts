// Name resolution as the system resolver does it (getaddrinfo, so /etc/hosts and nsswitch apply),
// with where the answer came from so the report can say "from /etc/hosts".
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { MiB } from '../../bytes.js';
import { readCapped } from '../../capped.js';
import type { DnsResult } from './types.js';

/** Names listed in an /etc/hosts text, lower-cased, mapped to their addresses. */
export function parseEtcHosts(text: string): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const [address, ...aliases] = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (!address || !isIP(address)) continue;
    for (const name of aliases.map((a) => a.toLowerCase())) names.set(name, [...(names.get(name) ?? []), address]);
  }
  return names;
}

/** getaddrinfo, every address (dns.promises.lookup with all: true). */
export type LookupAll = (
  host: string,
  options: { all: true; family: 0 | 4 | 6; verbatim: boolean },
) => Promise<{ address: string; family: number }[]>;

export async function resolveHost(
  opts: {
    host: string;
    family: 'any' | 'inet' | 'inet6';
    timeoutMs: number;
    hostsFile?: string;
  },
  lookupAll: LookupAll = lookup,
): Promise<DnsResult> {
  const literal = isIP(opts.host);
  if (literal) return { addresses: [{ address: opts.host, family: literal as 4 | 6 }], source: 'literal' };
  const family = opts.family === 'inet' ? 4 : opts.family === 'inet6' ? 6 : 0;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DnsResult>((done) => {
    timer = setTimeout(() => done({ addresses: [], error: 'ETIMEOUT' }), opts.timeoutMs);
  });
  const query = (async (): Promise<DnsResult> => {
    try {
      const found = await lookupAll(opts.host, { all: true, family, verbatim: true });
      const addresses = found.map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
      // Blocklist hosts files run to tens of MB; past the cap a name is only looked for that far.
      const hosts = parseEtcHosts(
        await readCapped(opts.hostsFile ?? '/etc/hosts', 64 * MiB).then(
          (r) => r.text,
          () => '',
        ),
      );
      const listed = hosts.get(opts.host.toLowerCase()) ?? [];
      const source = addresses.some((a) => listed.includes(a.address)) ? 'hosts' : 'dns';
      return { addresses, source };
    } catch (e) {
      return { addresses: [], error: (e as NodeJS.ErrnoException).code ?? String(e) };
    }
  })();
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
