// Hetzner Cloud: server status and the firewalls applied to it (none applied = all open).
// Shapes: `hcloud server describe -o json` and `hcloud firewall describe -o json` print the API's
// server and firewall objects.
import type { Finding, ProbeRecord } from '../../report.js';
import { hostCidr, parsePortRange, type IngressRule } from './cidr.js';
import { cliJson } from './cli.js';
import { fallback, firewallFinding, notRunningFinding, okCheck, probe } from './findings.js';
import type { CloudCheck, CloudTarget, Exec } from './types.js';

// Hetzner Cloud API Server, as `hcloud server describe -o json` prints it.
interface HcloudServer {
  status?: string;
  public_net?: { firewalls?: { id?: number }[] };
}

// Hetzner Cloud API Firewall, as `hcloud firewall describe -o json` prints it.
interface HcloudFirewall {
  id?: number;
  name?: string;
  rules?: { direction?: string; protocol?: string; port?: string | null; source_ips?: string[] }[];
}

export function parseServer(json: HcloudServer): { status: string; firewallIds: string[] } {
  return {
    status: String(json?.status ?? 'unknown'),
    firewallIds: (json?.public_net?.firewalls ?? []).map((f) => String(f.id)),
  };
}

export function parseFirewall(json: HcloudFirewall): IngressRule[] {
  return (json?.rules ?? [])
    .filter((r) => r.direction === 'in')
    .map(
      (r): IngressRule => ({
        name: `${json.name} (${json.id})`,
        action: 'allow',
        protocol: String(r.protocol),
        ports: r.port ? parsePortRange(String(r.port).replace(/any/i, '*')) : [],
        sources: r.source_ips ?? [],
      }),
    );
}

export async function checkHetzner(t: CloudTarget, exec: Exec): Promise<CloudCheck> {
  const probes: ProbeRecord[] = [];
  const findings: Finding[] = [];
  const s = await cliJson(exec, 'hcloud', ['hcloud', 'server', 'describe', t.instance, '-o', 'json']);
  if (!s.ok) return fallback('hcloud', s);
  const server = parseServer(s.json as HcloudServer);
  probes.push(probe('hetzner-server', s, `${t.instance} is ${server.status}`));
  if (server.status !== 'running')
    findings.push(notRunningFinding(server.status, ['hcloud', 'server', 'poweron', t.instance]));

  if (server.firewallIds.length === 0) {
    probes.push({
      id: 'hetzner-firewall',
      status: 'ok',
      durationMs: 0,
      detail: 'no firewall is applied: all ports reach the server',
    });
    return okCheck('hcloud', findings, probes);
  }
  const rules: IngressRule[] = [];
  let ms = 0;
  for (const id of server.firewallIds) {
    const f = await cliJson(exec, 'hcloud', ['hcloud', 'firewall', 'describe', id, '-o', 'json']);
    ms += f.ms;
    if (!f.ok) {
      probes.push(probe('hetzner-firewall', f, f.detail));
      return okCheck('hcloud', findings, probes);
    }
    rules.push(...parseFirewall(f.json as HcloudFirewall));
  }
  const first = server.firewallIds[0]!;
  const args = ['--direction', 'in', '--protocol', 'tcp', '--port', String(t.port), '--source-ips', hostCidr(t.myIp)];
  const r = firewallFinding(
    `firewall ${server.firewallIds.join(', ')}`,
    rules,
    t.myIp,
    t.port,
    ['hcloud', 'firewall', 'add-rule', first, ...args],
    [['hcloud', 'firewall', 'delete-rule', first, ...args]],
  );
  probes.push(probe('hetzner-firewall', { ok: true, ms }, r.evidence));
  if (r.finding) findings.push(r.finding);
  return okCheck('hcloud', findings, probes);
}
