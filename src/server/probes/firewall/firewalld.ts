// firewalld: the default zone's services/ports (`firewall-cmd --list-all`); its target decides
// what is not listed (default = reject).
import type { FirewallLayer } from '../../facts.js';
import { failure, lines, RULESET_MAX_BYTES, type Exec } from '../../exec.js';
import { portIn } from './verdict.js';

export function firewalldLayer(stdout: string, port: number): FirewallLayer {
  const ls = lines(stdout);
  const zone = /^(\S+)/.exec(ls[0] ?? '')?.[1] ?? 'public';
  const field = (k: string) =>
    ls
      .find((l) => l.trim().startsWith(`${k}:`))
      ?.trim()
      .slice(k.length + 1)
      .trim() ?? '';
  const services = field('services').split(/\s+/).filter(Boolean);
  const ports = field('ports').split(/\s+/).filter(Boolean);
  const target = field('target') || 'default';
  const where = { zone, chain: 'INPUT' };
  if (
    (port === 22 && services.includes('ssh')) ||
    ports.some((p) => p.endsWith('/tcp') && portIn(p.replace('/tcp', ''), port))
  ) {
    return {
      name: 'firewalld',
      state: 'accepts',
      rule: services.includes('ssh') && port === 22 ? 'service ssh' : `port ${port}/tcp`,
      verdict: 'accept',
      where,
    };
  }
  if (target === 'ACCEPT')
    return { name: 'firewalld', state: 'accepts', rule: 'target: ACCEPT', verdict: 'accept', where };
  const rich = field('rich rules');
  return {
    name: 'firewalld',
    state: 'blocks',
    rule: `zone ${zone}: neither service ssh nor port ${port}/tcp is allowed (target: ${target})`,
    verdict: target === 'DROP' ? 'drop' : 'reject',
    where,
    ...(rich ? { detail: `rich rules (not evaluated): ${rich}` } : {}),
  };
}

export async function probeFirewalld(exec: Exec, port: number): Promise<FirewallLayer> {
  const state = await exec(['firewall-cmd', '--state']);
  if (state.missing) return { name: 'firewalld', state: 'absent', detail: 'firewalld is not installed' };
  const why = failure(state, ['firewall-cmd', '--state']);
  if (why) return { name: 'firewalld', state: 'unknown', detail: why };
  if (state.exitCode !== 0)
    return { name: 'firewalld', state: 'inactive', detail: (state.stdout + state.stderr).trim() || 'not running' };
  const cmd = ['firewall-cmd', '--list-all'];
  const r = await exec(cmd, { maxBytes: RULESET_MAX_BYTES });
  const why2 = failure(r, cmd);
  if (why2 || r.exitCode !== 0) return { name: 'firewalld', state: 'unknown', detail: why2 ?? r.stderr.trim() };
  return firewalldLayer(r.stdout, port);
}
