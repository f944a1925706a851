// Azure: VM power state, the NSG on its NIC, boot diagnostics (the serial console needs it).
// Shapes: `az vm get-instance-view`, `az network nic show`, `az network nsg rule list --include-default`.
import type { Command, Finding, ProbeRecord } from '../../report.js';
import { hostCidr, parsePortRange, type IngressRule } from './cidr.js';
import { cliJson } from './cli.js';
import { fallback, firewallFinding, notRunningFinding, okCheck, probe, serialFinding } from './findings.js';
import type { CloudCheck, CloudTarget, Exec } from './types.js';

// Compute API VirtualMachine with its instance view, as `az vm get-instance-view -o json` prints it.
interface AzVirtualMachine {
  instanceView?: { statuses?: { code?: string }[] };
  networkProfile?: { networkInterfaces?: { id?: string }[] };
  diagnosticsProfile?: { bootDiagnostics?: { enabled?: boolean } };
}

// Network API NetworkInterface, as `az network nic show -o json` prints it.
interface AzNetworkInterface {
  networkSecurityGroup?: { id?: string };
}

// Network API SecurityRule, one element of `az network nsg rule list -o json` (flattened properties).
interface AzSecurityRule {
  name?: string;
  direction?: string;
  access?: string;
  priority?: number;
  protocol?: string;
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  destinationPortRange?: string;
  destinationPortRanges?: string[];
}

export function parseInstanceView(json: AzVirtualMachine): {
  power: string;
  nicIds: string[];
  bootDiagnostics: boolean;
} {
  const statuses = json?.instanceView?.statuses ?? [];
  const power =
    statuses
      .map((s) => String(s.code))
      .find((c) => c.startsWith('PowerState/'))
      ?.slice('PowerState/'.length) ?? 'unknown';
  return {
    power,
    nicIds: (json?.networkProfile?.networkInterfaces ?? []).map((n) => String(n.id)),
    bootDiagnostics: json?.diagnosticsProfile?.bootDiagnostics?.enabled === true,
  };
}

/** Service tags that stand for "anywhere on the internet" as far as a user's address goes. */
const ANY = new Set(['*', 'Internet', 'Any']);

const present = (s: string | undefined): s is string => Boolean(s);

export function parseNsgRules(json: AzSecurityRule[]): IngressRule[] {
  const list: AzSecurityRule[] = Array.isArray(json) ? json : [];
  return list
    .filter((r) => r.direction === 'Inbound')
    .map((r) => {
      const src: string[] = [r.sourceAddressPrefix, ...(r.sourceAddressPrefixes ?? [])].filter(present);
      const ports: string[] = [r.destinationPortRange, ...(r.destinationPortRanges ?? [])].filter(present);
      const protocol = String(r.protocol).toLowerCase();
      return {
        name: String(r.name),
        action: r.access === 'Deny' ? 'deny' : 'allow',
        priority: Number(r.priority),
        protocol: protocol === '*' ? 'all' : protocol,
        ports: ports.some((p) => p === '*') ? [] : ports.flatMap(parsePortRange),
        // Other service tags (VirtualNetwork, AzureLoadBalancer) never hold the user's address.
        sources: src.filter((s) => ANY.has(s) || /[\d:]/.test(s)).map((s) => (ANY.has(s) ? '*' : s)),
      } satisfies IngressRule;
    });
}

/** /subscriptions/.../resourceGroups/RG/providers/Microsoft.Network/networkSecurityGroups/NAME */
export function splitResourceId(id: string): { group: string; name: string } | undefined {
  const m = /\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)$/i.exec(id);
  return m ? { group: m[1]!, name: m[2]! } : undefined;
}

export async function checkAzure(t: CloudTarget, exec: Exec): Promise<CloudCheck> {
  const rg = t.resourceGroup ?? '';
  const probes: ProbeRecord[] = [];
  const findings: Finding[] = [];
  const view = await cliJson(exec, 'az', ['az', 'vm', 'get-instance-view', '-g', rg, '-n', t.instance, '-o', 'json']);
  if (!view.ok) return fallback('az', view);
  const vm = parseInstanceView(view.json as AzVirtualMachine);
  probes.push(probe('azure-vm', view, `${t.instance} is ${vm.power}`));
  if (vm.power !== 'running')
    findings.push(notRunningFinding(vm.power, ['az', 'vm', 'start', '-g', rg, '-n', t.instance]));

  const nic = vm.nicIds[0]
    ? await cliJson(exec, 'az', ['az', 'network', 'nic', 'show', '--ids', vm.nicIds[0], '-o', 'json'])
    : undefined;
  const nsgId: string | undefined = nic?.ok ? (nic.json as AzNetworkInterface)?.networkSecurityGroup?.id : undefined;
  const nsg = nsgId ? splitResourceId(nsgId) : undefined;
  if (nic && !nic.ok) probes.push(probe('azure-nsg', nic, nic.detail));
  else if (!nsg)
    probes.push({
      id: 'azure-nsg',
      status: 'unknown',
      durationMs: nic?.ms ?? 0,
      detail: 'no NSG on the network interface (a subnet NSG is not checked)',
    });
  else {
    const rules = await cliJson(exec, 'az', [
      'az',
      'network',
      'nsg',
      'rule',
      'list',
      '-g',
      nsg.group,
      '--nsg-name',
      nsg.name,
      '--include-default',
      '-o',
      'json',
    ]);
    if (rules.ok) {
      const parsed = parseNsgRules(rules.json as AzSecurityRule[]);
      const denies = parsed.filter((r) => r.action === 'deny' && r.priority! < 4096).map((r) => r.priority!);
      const used = new Set(parsed.map((r) => r.priority));
      let priority = Math.min(1000, ...denies.map((p) => p - 1));
      while (used.has(priority) && priority > 100) priority--;
      const name = `ssh-doctor-allow-${t.port}`;
      const open: Command = [
        'az',
        'network',
        'nsg',
        'rule',
        'create',
        '-g',
        nsg.group,
        '--nsg-name',
        nsg.name,
        '-n',
        name,
        '--priority',
        String(Math.max(100, priority)),
        '--direction',
        'Inbound',
        '--access',
        'Allow',
        '--protocol',
        'Tcp',
        '--source-address-prefixes',
        hostCidr(t.myIp),
        '--destination-port-ranges',
        String(t.port),
      ];
      const r = firewallFinding(`network security group ${nsg.name}`, parsed, t.myIp, t.port, open, [
        ['az', 'network', 'nsg', 'rule', 'delete', '-g', nsg.group, '--nsg-name', nsg.name, '-n', name],
      ]);
      probes.push(probe('azure-nsg', rules, r.evidence));
      if (r.finding) findings.push(r.finding);
    } else probes.push(probe('azure-nsg', rules, rules.detail));
  }

  probes.push({
    id: 'azure-boot-diagnostics',
    status: 'ok',
    durationMs: 0,
    detail: `boot diagnostics ${vm.bootDiagnostics ? 'enabled' : 'disabled'}`,
  });
  if (!vm.bootDiagnostics) {
    findings.push(
      serialFinding(
        'Boot diagnostics (needed by the Azure serial console)',
        ['az', 'vm', 'boot-diagnostics', 'enable', '-g', rg, '-n', t.instance],
        'Stores screenshots and serial log in managed storage; small cost.',
        [['az', 'vm', 'boot-diagnostics', 'disable', '-g', rg, '-n', t.instance]],
      ),
    );
  }
  return okCheck('az', findings, probes);
}
