// Where the direct probes go, from where, and with which address family: the target, or through
// ProxyJump the first hop as its own ssh -G resolved it (as written when that could not be read).
import { describe, expect, it } from 'vitest';
import { describeEndpoint, endpointBind, endpointFamily, networkEndpoint } from '../../src/client/endpoint.js';
import type { ResolvedTarget } from '../../src/client/probes/types.js';

const target: ResolvedTarget = {
  alias: 'web',
  host: '192.0.2.10',
  user: 'alice',
  port: 2222,
  identityFiles: [],
  userKnownHostsFiles: [],
  globalKnownHostsFiles: [],
  addressFamily: 'inet6',
  bind: { address: '192.0.2.1' },
  configPorts: [],
};
const hop = { host: '10.0.0.9', port: 2200, addressFamily: 'inet' as const, bind: { interface: 'eth1' } };

describe('the direct probes’ endpoint', () => {
  it.each<[string, ResolvedTarget, ReturnType<typeof networkEndpoint>, string]>([
    ['no jump host: the target', target, { host: '192.0.2.10', port: 2222 }, '192.0.2.10:2222'],
    [
      'a jump host as written (its ssh -G unread)',
      { ...target, proxyJump: 'ops@bastion:2201,second' },
      { host: 'bastion', port: 2201, jump: 'ops@bastion:2201' },
      'jump host bastion:2201',
    ],
    [
      'an IPv6 jump host in an ssh:// URI, no port',
      { ...target, proxyJump: 'ssh://ops@[2001:db8::1]' },
      { host: '2001:db8::1', port: 22, jump: 'ops@[2001:db8::1]' },
      'jump host [2001:db8::1]:22',
    ],
    [
      'a jump host resolved by its own ssh -G: its HostName and Port',
      { ...target, proxyJump: 'bastion', firstHop: hop },
      { host: '10.0.0.9', port: 2200, jump: 'bastion' },
      'jump host 10.0.0.9:2200',
    ],
  ])('%s', (_, t, endpoint, described) => {
    expect(networkEndpoint(t)).toEqual(endpoint);
    expect(describeEndpoint(networkEndpoint(t))).toBe(described);
  });

  it("the source address and family: the target's own, or through a jump host the hop's (none known: none)", () => {
    expect([endpointBind(target), endpointFamily(target)]).toEqual([{ address: '192.0.2.1' }, 'inet6']);
    const unread = { ...target, proxyJump: 'bastion' };
    expect([endpointBind(unread), endpointFamily(unread)]).toEqual([undefined, 'any']);
    const read = { ...unread, firstHop: hop };
    expect([endpointBind(read), endpointFamily(read)]).toEqual([{ interface: 'eth1' }, 'inet']);
  });
});
