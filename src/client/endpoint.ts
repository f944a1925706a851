// Where the network probes go: the host itself, or the first jump host when ProxyJump is set
// (ssh connects there first; the target is reached from the jump host, not from here).
import type { LocalBind, ResolvedTarget } from './probes/types.js';

export interface Endpoint {
  host: string;
  port: number;
  /** Set when the endpoint is a jump host rather than the target. */
  jump?: string;
}

/** The first hop of a ProxyJump list (`[user@]host[:port]`, `ssh://` URIs too), as written. */
export function firstJump(proxyJump: string): { spec: string; user?: string; host: string; port?: string } {
  const spec = proxyJump.split(',')[0]!.replace(/^ssh:\/\//, '');
  const at = spec.lastIndexOf('@');
  const hostPort = spec.slice(at + 1);
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  const [host, port] = v6 ? [v6[1]!, v6[2]] : (hostPort.split(':') as [string, string | undefined]);
  return { spec, ...(at >= 0 ? { user: spec.slice(0, at) } : {}), host, ...(port ? { port } : {}) };
}

export function networkEndpoint(t: ResolvedTarget): Endpoint {
  if (!t.proxyJump) return { host: t.host, port: t.port };
  const first = firstJump(t.proxyJump);
  // Where ssh really goes: the hop's own HostName and Port (a Host alias is no DNS name).
  if (t.firstHop) return { host: t.firstHop.host, port: t.firstHop.port, jump: first.spec };
  return { host: first.host, port: first.port ? Number(first.port) : 22, jump: first.spec };
}

/**
 * The source address settings for the direct probes. Through a jump host they are the first
 * hop's own: ssh runs `ssh -W` for it without -b/-B, and that ssh reads its own config.
 */
export function endpointBind(t: ResolvedTarget): LocalBind | undefined {
  return t.proxyJump ? t.firstHop?.bind : t.bind;
}

/** The address family the direct probes resolve the endpoint with (the hop's own, through one). */
export function endpointFamily(t: ResolvedTarget): ResolvedTarget['addressFamily'] {
  return t.proxyJump ? (t.firstHop?.addressFamily ?? 'any') : t.addressFamily;
}

export function describeEndpoint(e: Endpoint): string {
  const hp = `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
  return e.jump ? `jump host ${hp}` : hp;
}
