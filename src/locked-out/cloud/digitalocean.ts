// DigitalOcean: droplet status and the cloud firewalls attached to it (no firewall = all open).
// Shapes: `doctl compute droplet get -o json` and `doctl compute firewall list-by-droplet -o json`
// print the API's droplet and firewall objects in a JSON array.
import type { Finding, ProbeRecord } from '../../report.js';
import { hostCidr, parsePortRange, type IngressRule } from './cidr.js';
import { cliJson } from './cli.js';
import { fallback, firewallFinding, notRunningFinding, okCheck, probe } from './findings.js';
import type { CloudCheck, CloudTarget, Exec } from './types.js';

// DigitalOcean API Droplet, one element of `doctl compute droplet get -o json`.
interface DoDroplet {
  status?: string;
}

// DigitalOcean API Firewall, one element of `doctl compute firewall list-by-droplet -o json`.
interface DoFirewall {
  id?: string;
  name?: string;
  inbound_rules?: { protocol?: string; ports?: string; sources?: { addresses?: string[] } }[];
}

export function parseFirewalls(json: DoFirewall[]): { ids: string[]; rules: IngressRule[] } {
  const list: DoFirewall[] = Array.isArray(json) ? json : [];
  const rules = list.flatMap((f) =>
    (f.inbound_rules ?? []).map(
      (r): IngressRule => ({
        name: `${f.name} (${f.id})`,
        action: 'allow',
        protocol: String(r.protocol).toLowerCase(),
        ports: r.ports === '0' ? [] : parsePortRange(String(r.ports ?? 'all')),
        sources: r.sources?.addresses ?? [],
      }),
    ),
  );
  return { ids: list.map((f) => String(f.id)), rules };
}

export async function checkDigitalOcean(t: CloudTarget, exec: Exec): Promise<CloudCheck> {
  const probes: ProbeRecord[] = [];
  const findings: Finding[] = [];
  const d = await cliJson(exec, 'doctl', ['doctl', 'compute', 'droplet', 'get', t.instance, '-o', 'json']);
  if (!d.ok) return fallback('doctl', d);
  const status = String((d.json as DoDroplet[])?.[0]?.status ?? 'unknown');
  probes.push(probe('do-droplet', d, `droplet ${t.instance} is ${status}`));
  if (status !== 'active')
    findings.push(notRunningFinding(status, ['doctl', 'compute', 'droplet-action', 'power-on', t.instance]));

  const fw = await cliJson(exec, 'doctl', [
    'doctl',
    'compute',
    'firewall',
    'list-by-droplet',
    t.instance,
    '-o',
    'json',
  ]);
  if (fw.ok) {
    const { ids, rules } = parseFirewalls(fw.json as DoFirewall[]);
    if (ids.length === 0)
      probes.push(probe('do-firewall', fw, 'no cloud firewall is attached: all ports reach the droplet'));
    else {
      const rule = `protocol:tcp,ports:${t.port},address:${hostCidr(t.myIp)}`;
      const r = firewallFinding(
        `cloud firewall ${ids.join(', ')}`,
        rules,
        t.myIp,
        t.port,
        ['doctl', 'compute', 'firewall', 'add-rules', ids[0]!, '--inbound-rules', rule],
        [['doctl', 'compute', 'firewall', 'remove-rules', ids[0]!, '--inbound-rules', rule]],
      );
      probes.push(probe('do-firewall', fw, r.evidence));
      if (r.finding) findings.push(r.finding);
    }
  } else probes.push(probe('do-firewall', fw, fw.detail));
  return okCheck('doctl', findings, probes);
}
