// Where the network probes go: the host itself, or the first jump host when ProxyJump is set
// (ssh connects there first; the target is reached from the jump host, not from here).
import type { LocalBind, ResolvedTarget } from './probes/types.js';

export interface Endpoint {
  host: string;
  port: number;
  /** Set when the endpoint is a jump host rather than the target. */
  jump?: string;
}

export function networkEndpoint(t: ResolvedTarget): Endpoint {
  if (!t.proxyJump) return { host: t.host, port: t.port };
  const first = t.proxyJump.split(',')[0]!.replace(/^ssh:\/\//, '');
  const hostPort = first.slice(first.lastIndexOf('@') + 1);
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  const [host, port] = v6 ? [v6[1]!, v6[2]] : (hostPort.split(':') as [string, string | undefined]);
  return { host, port: port ? Number(port) : 22, jump: first };
}

/**
 * The source address settings for the direct probes. Through a jump host they are not the first
 * hop's: ssh runs `ssh -W` for it without -b/-B (that ssh reads its own config), so nothing is bound.
 */
export function endpointBind(t: ResolvedTarget): LocalBind | undefined {
  return t.proxyJump ? undefined : t.bind;
}

export function describeEndpoint(e: Endpoint): string {
  const hp = `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
  return e.jump ? `jump host ${hp}` : hp;
}
