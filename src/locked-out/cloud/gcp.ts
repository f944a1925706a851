// Google Cloud: VM status, VPC firewall rules that apply to it, serial-port-enable metadata.
// Shapes: Compute API instances.get and firewalls.list, as `gcloud ... --format=json` prints them.
import type { Command, Finding, ProbeRecord } from '../../report.js';
import { hostCidr, type IngressRule } from './cidr.js';
import { cliJson } from './cli.js';
import { fallback, firewallFinding, notRunningFinding, okCheck, probe, serialFinding } from './findings.js';
import type { CloudCheck, CloudTarget, Exec } from './types.js';

interface GcpInstance {
  status: string;
  networks: string[];
  tags: string[];
  serviceAccounts: string[];
  serialPort: boolean;
}

const lastSegment = (url: string) => url.split('/').pop() ?? url;

// Compute API Instance, as `gcloud compute instances describe --format=json` prints it.
interface ComputeInstance {
  status?: string;
  metadata?: { items?: { key?: string; value?: string }[] };
  networkInterfaces?: { network?: string }[];
  tags?: { items?: string[] };
  serviceAccounts?: { email?: string }[];
}

interface ComputeFirewallEntry {
  IPProtocol?: string;
  ports?: string[];
}

// Compute API Firewall, one element of `gcloud compute firewall-rules list --format=json`.
interface ComputeFirewall {
  name?: string;
  network?: string;
  direction?: string;
  disabled?: boolean;
  priority?: number;
  targetTags?: string[];
  targetServiceAccounts?: string[];
  sourceRanges?: string[];
  allowed?: ComputeFirewallEntry[];
  denied?: ComputeFirewallEntry[];
}

export function parseInstance(json: ComputeInstance): GcpInstance {
  const meta = json?.metadata?.items ?? [];
  const serial = meta.find((m) => m.key === 'serial-port-enable');
  return {
    status: String(json?.status ?? 'UNKNOWN'),
    networks: (json?.networkInterfaces ?? []).map((n) => lastSegment(String(n.network))),
    tags: json?.tags?.items ?? [],
    serviceAccounts: (json?.serviceAccounts ?? []).map((s) => String(s.email)),
    serialPort: /^(true|1)$/i.test(String(serial?.value ?? '')),
  };
}

/** Ingress rules on the VM's network that target it (all instances, one of its tags, or its service account). */
export function parseFirewallRules(json: ComputeFirewall[], vm: GcpInstance): IngressRule[] {
  const out: IngressRule[] = [];
  for (const r of Array.isArray(json) ? json : []) {
    if (r.direction !== 'INGRESS' || r.disabled === true) continue;
    if (!vm.networks.includes(lastSegment(String(r.network)))) continue;
    const tags: string[] = r.targetTags ?? [];
    const sas: string[] = r.targetServiceAccounts ?? [];
    if (tags.length && !tags.some((t) => vm.tags.includes(t))) continue;
    if (sas.length && !sas.some((s) => vm.serviceAccounts.includes(s))) continue;
    const sources: string[] = r.sourceRanges ?? [];
    if (sources.length === 0) continue; // source tags / service accounts: other VMs, never the user
    const entries = r.allowed ?? r.denied ?? [];
    for (const e of entries) {
      const proto = String(e.IPProtocol).toLowerCase();
      out.push({
        name: String(r.name),
        action: r.allowed ? 'allow' : 'deny',
        priority: Number(r.priority ?? 1000),
        protocol: proto === 'all' ? 'all' : proto,
        ports: (e.ports ?? []).map((p: string) => {
          const [a, b] = p.split('-');
          return [Number(a), Number(b ?? a)] as [number, number];
        }),
        sources,
      });
    }
  }
  return out;
}

function scoped(t: CloudTarget, cmd: string[]): Command {
  return [...cmd, ...(t.zone ? ['--zone', t.zone] : []), ...(t.project ? ['--project', t.project] : [])];
}

export function ruleName(t: CloudTarget): string {
  return `ssh-doctor-allow-${t.port}-${t.myIp.replace(/[.:]/g, '-')}`.toLowerCase().replace(/-+$/, '').slice(0, 63);
}

export async function checkGcp(t: CloudTarget, exec: Exec): Promise<CloudCheck> {
  const probes: ProbeRecord[] = [];
  const findings: Finding[] = [];
  const inst = await cliJson(
    exec,
    'gcloud',
    scoped(t, ['gcloud', 'compute', 'instances', 'describe', t.instance, '--format=json']),
  );
  if (!inst.ok) return fallback('gcloud', inst);
  const vm = parseInstance(inst.json as ComputeInstance);
  probes.push(probe('gcp-instance', inst, `${t.instance} is ${vm.status}`));
  if (vm.status !== 'RUNNING')
    findings.push(notRunningFinding(vm.status, scoped(t, ['gcloud', 'compute', 'instances', 'start', t.instance])));

  const fw = await cliJson(exec, 'gcloud', [
    ...['gcloud', 'compute', 'firewall-rules', 'list', '--format=json'],
    ...(t.project ? ['--project', t.project] : []),
  ]);
  if (fw.ok) {
    const rules = parseFirewallRules(fw.json as ComputeFirewall[], vm);
    // Beat any deny that matches: one below the lowest matching deny priority, else the default 1000.
    const denies = rules.filter((r) => r.action === 'deny').map((r) => r.priority!);
    const priority = Math.max(0, Math.min(1000, ...denies.map((p) => p - 1)));
    const name = ruleName(t);
    const open: Command = [
      'gcloud',
      'compute',
      'firewall-rules',
      'create',
      name,
      `--network=${vm.networks[0] ?? 'default'}`,
      '--direction=INGRESS',
      '--action=ALLOW',
      `--rules=tcp:${t.port}`,
      `--source-ranges=${hostCidr(t.myIp)}`,
      `--priority=${priority}`,
      ...(t.project ? ['--project', t.project] : []),
    ];
    const undo: Command[] = [
      [
        'gcloud',
        'compute',
        'firewall-rules',
        'delete',
        name,
        '--quiet',
        ...(t.project ? ['--project', t.project] : []),
      ],
    ];
    const r = firewallFinding(`VPC firewall of network ${vm.networks.join(', ')}`, rules, t.myIp, t.port, open, undo);
    probes.push(probe('gcp-firewall', fw, r.evidence));
    if (r.finding) findings.push(r.finding);
  } else probes.push(probe('gcp-firewall', fw, fw.detail));

  probes.push({
    id: 'gcp-serial-port',
    status: 'ok',
    durationMs: 0,
    detail: `serial-port-enable is ${vm.serialPort ? 'TRUE' : 'not set'}`,
  });
  if (!vm.serialPort) {
    findings.push(
      serialFinding(
        'Interactive serial console (serial-port-enable)',
        scoped(t, [
          'gcloud',
          'compute',
          'instances',
          'add-metadata',
          t.instance,
          '--metadata',
          'serial-port-enable=TRUE',
        ]),
        'Anyone with compute.instances.setMetadata-level access and the console can then reach the login prompt.',
        [scoped(t, ['gcloud', 'compute', 'instances', 'remove-metadata', t.instance, '--keys', 'serial-port-enable'])],
      ),
    );
  }
  return okCheck('gcloud', findings, probes);
}
