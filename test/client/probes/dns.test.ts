// resolveHost with a fake getaddrinfo (what it asks for, what it answers) and the captured
// /etc/hosts of the lab (test/fixtures/client/tools/etc-hosts.stdout): where an answer came from,
// literals, failures and a resolver that never answers.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LookupAll, resolveHost } from '../../../src/client/probes/dns.js';

const HOSTS = join(import.meta.dirname, '../../fixtures/client/tools/etc-hosts.stdout');

function fakeLookup(answer: (host: string) => Promise<{ address: string; family: number }[]>) {
  const calls: Parameters<LookupAll>[] = [];
  const lookupAll: LookupAll = (host, options) => {
    calls.push([host, options]);
    return answer(host);
  };
  return { lookupAll, calls };
}

/** What getaddrinfo fails with for a name nobody knows (node's dns.lookup, captured). */
const enotfound = (host: string) =>
  Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), {
    code: 'ENOTFOUND',
    syscall: 'getaddrinfo',
    hostname: host,
  });

describe('resolveHost', () => {
  it.each([
    ['any', 0],
    ['inet', 4],
    ['inet6', 6],
  ] as const)('asks getaddrinfo for every address of family %s (%i), in its order', async (family, number) => {
    const { lookupAll, calls } = fakeLookup(async () => [
      { address: '192.0.2.10', family: 4 },
      { address: '2001:db8::10', family: 6 },
    ]);
    const r = await resolveHost({ host: 'web1.example', family, timeoutMs: 1000, hostsFile: HOSTS }, lookupAll);
    expect(calls).toEqual([['web1.example', { all: true, family: number, verbatim: true }]]);
    expect(r).toEqual({
      addresses: [
        { address: '192.0.2.10', family: 4 },
        { address: '2001:db8::10', family: 6 },
      ],
      source: 'dns',
    });
  });

  it('an answer /etc/hosts gives for that name (any case, any alias) is from the hosts file', async () => {
    const { lookupAll } = fakeLookup(async () => [{ address: '10.0.0.5', family: 4 }]);
    for (const host of ['db', 'DB.Internal'])
      expect(await resolveHost({ host, family: 'any', timeoutMs: 1000, hostsFile: HOSTS }, lookupAll)).toEqual({
        addresses: [{ address: '10.0.0.5', family: 4 }],
        source: 'hosts',
      });
  });

  it('a name in /etc/hosts answered with another address came from DNS', async () => {
    const { lookupAll } = fakeLookup(async () => [{ address: '10.0.0.6', family: 4 }]);
    expect(
      (await resolveHost({ host: 'db', family: 'any', timeoutMs: 1000, hostsFile: HOSTS }, lookupAll)).source,
    ).toBe('dns');
  });

  it('no hosts file to read: from DNS', async () => {
    const { lookupAll } = fakeLookup(async () => [{ address: '10.0.0.5', family: 4 }]);
    expect(
      (await resolveHost({ host: 'db', family: 'any', timeoutMs: 1000, hostsFile: '/nonexistent/hosts' }, lookupAll))
        .source,
    ).toBe('dns');
  });

  it.each([
    ['127.0.0.1', 4],
    ['::1', 6],
  ] as const)('a literal %s is its own answer, nothing looked up', async (host, family) => {
    const { lookupAll, calls } = fakeLookup(async () => []);
    expect(await resolveHost({ host, family: 'any', timeoutMs: 1000 }, lookupAll)).toEqual({
      addresses: [{ address: host, family }],
      source: 'literal',
    });
    expect(calls).toEqual([]);
  });

  it('a name nobody knows: no address, the errno', async () => {
    const { lookupAll } = fakeLookup(async (h) => Promise.reject(enotfound(h)));
    expect(await resolveHost({ host: 'no-such-host.invalid', family: 'any', timeoutMs: 1000 }, lookupAll)).toEqual({
      addresses: [],
      error: 'ENOTFOUND',
    });
  });

  it('a failure without an errno is said as it is', async () => {
    const { lookupAll } = fakeLookup(async () => Promise.reject(new Error('resolver gone')));
    expect(await resolveHost({ host: 'web1.example', family: 'any', timeoutMs: 1000 }, lookupAll)).toEqual({
      addresses: [],
      error: 'Error: resolver gone',
    });
  });

  it('a resolver that never answers: ETIMEOUT at timeoutMs, not later', async () => {
    const { lookupAll } = fakeLookup(() => new Promise(() => {}));
    const started = Date.now();
    expect(await resolveHost({ host: 'web1.example', family: 'any', timeoutMs: 300 }, lookupAll)).toEqual({
      addresses: [],
      error: 'ETIMEOUT',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
