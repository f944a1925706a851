// AWS: instance state, its security groups for the SSH port, Session Manager, serial-console access.
// Response shapes: EC2 API DescribeInstances / DescribeSecurityGroups / GetSerialConsoleAccessStatus,
// SSM API DescribeInstanceInformation.
import type { Command, Finding, ProbeRecord } from '../../report.js';
import { hostCidr, parseAddress, type IngressRule } from './cidr.js';
import { cliJson } from './cli.js';
import { fallback, firewallFinding, notRunningFinding, okCheck, probe, serialFinding } from './findings.js';
import type { CloudCheck, CloudTarget, Exec } from './types.js';
import { pasteStep } from '../../shell-quote.js';

interface AwsInstance {
  state: string;
  groupIds: string[];
  publicIp?: string;
}

// EC2 DescribeInstances, as `aws ec2 describe-instances --output json` prints it.
interface DescribeInstancesOutput {
  Reservations?: {
    Instances?: { State?: { Name?: string }; SecurityGroups?: { GroupId?: string }[]; PublicIpAddress?: string }[];
  }[];
}

// EC2 DescribeSecurityGroups, as `aws ec2 describe-security-groups --output json` prints it.
interface DescribeSecurityGroupsOutput {
  SecurityGroups?: {
    GroupId?: string;
    GroupName?: string;
    IpPermissions?: {
      IpProtocol?: string;
      FromPort?: number;
      ToPort?: number;
      IpRanges?: { CidrIp?: string }[];
      Ipv6Ranges?: { CidrIpv6?: string }[];
    }[];
  }[];
}

// SSM DescribeInstanceInformation, as `aws ssm describe-instance-information --output json` prints it.
interface DescribeInstanceInformationOutput {
  InstanceInformationList?: { PingStatus?: string }[];
}

// EC2 GetSerialConsoleAccessStatus, as `aws ec2 get-serial-console-access-status --output json` prints it.
interface GetSerialConsoleAccessStatusOutput {
  SerialConsoleAccessEnabled?: boolean;
}

export function parseDescribeInstances(json: DescribeInstancesOutput): AwsInstance | undefined {
  const i = json?.Reservations?.[0]?.Instances?.[0];
  if (!i) return undefined;
  return {
    state: String(i.State?.Name ?? 'unknown'),
    groupIds: (i.SecurityGroups ?? []).map((g) => String(g.GroupId)),
    publicIp: i.PublicIpAddress,
  };
}

/** Security groups only allow; every matching permission admits. */
export function parseSecurityGroups(json: DescribeSecurityGroupsOutput): IngressRule[] {
  const rules: IngressRule[] = [];
  for (const g of json?.SecurityGroups ?? []) {
    for (const p of g.IpPermissions ?? []) {
      const all = p.IpProtocol === '-1';
      const sources = [
        ...(p.IpRanges ?? []).map((r) => String(r.CidrIp)),
        ...(p.Ipv6Ranges ?? []).map((r) => String(r.CidrIpv6)),
      ];
      if (sources.length === 0) continue; // group or prefix-list sources cannot be matched to an address here
      rules.push({
        name: `${g.GroupId} (${g.GroupName})`,
        action: 'allow',
        protocol: all ? 'all' : String(p.IpProtocol).toLowerCase(),
        ports: all || p.FromPort === undefined ? [] : [[Number(p.FromPort), Number(p.ToPort)]],
        sources,
      });
    }
  }
  return rules;
}

function withRegion(t: CloudTarget, cmd: string[]): Command {
  return t.region ? [...cmd, '--region', t.region] : cmd;
}

export function ingressCommand(t: CloudTarget, groupId: string): Command {
  const cidr = hostCidr(t.myIp);
  if (parseAddress(t.myIp)!.family === 4) {
    return withRegion(t, [
      'aws',
      'ec2',
      'authorize-security-group-ingress',
      '--group-id',
      groupId,
      '--protocol',
      'tcp',
      '--port',
      String(t.port),
      '--cidr',
      cidr,
    ]);
  }
  return withRegion(t, [
    'aws',
    'ec2',
    'authorize-security-group-ingress',
    '--group-id',
    groupId,
    '--ip-permissions',
    `IpProtocol=tcp,FromPort=${t.port},ToPort=${t.port},Ipv6Ranges=[{CidrIpv6=${cidr}}]`,
  ]);
}

export async function checkAws(t: CloudTarget, exec: Exec): Promise<CloudCheck> {
  const probes: ProbeRecord[] = [];
  const findings: Finding[] = [];
  const inst = await cliJson(
    exec,
    'aws',
    withRegion(t, ['aws', 'ec2', 'describe-instances', '--instance-ids', t.instance, '--output', 'json']),
  );
  if (!inst.ok) return fallback('aws', inst);
  const i = parseDescribeInstances(inst.json as DescribeInstancesOutput);
  if (!i)
    return fallback('aws', {
      ok: false,
      status: 'error',
      detail: `no instance ${t.instance} in the answer`,
      ms: inst.ms,
    });
  probes.push(probe('aws-instance', inst, `${t.instance} is ${i.state}`));
  if (i.state !== 'running')
    findings.push(
      notRunningFinding(i.state, withRegion(t, ['aws', 'ec2', 'start-instances', '--instance-ids', t.instance])),
    );

  const sg = await cliJson(
    exec,
    'aws',
    withRegion(t, ['aws', 'ec2', 'describe-security-groups', '--group-ids', ...i.groupIds, '--output', 'json']),
  );
  if (sg.ok) {
    const open = i.groupIds[0] ? ingressCommand(t, i.groupIds[0]) : undefined;
    const undo = open
      ? [['aws', 'ec2', 'revoke-security-group-ingress', ...open.slice(3)]]
      : 'Remove the rule in the console.';
    const fw = firewallFinding(
      `security group${i.groupIds.length > 1 ? 's' : ''} ${i.groupIds.join(', ')}`,
      parseSecurityGroups(sg.json as DescribeSecurityGroupsOutput),
      t.myIp,
      t.port,
      open,
      undo,
    );
    probes.push(probe('aws-security-groups', sg, fw.evidence));
    if (fw.finding) findings.push(fw.finding);
  } else probes.push(probe('aws-security-groups', sg, sg.detail));

  // Session Manager needs no open port: an Online agent is a way in right now.
  const ssm = await cliJson(
    exec,
    'aws',
    withRegion(t, [
      'aws',
      'ssm',
      'describe-instance-information',
      '--filters',
      `Key=InstanceIds,Values=${t.instance}`,
      '--output',
      'json',
    ]),
  );
  if (ssm.ok) {
    const ping = (ssm.json as DescribeInstanceInformationOutput)?.InstanceInformationList?.[0]?.PingStatus;
    probes.push(
      probe(
        'aws-ssm',
        ssm,
        ping ? `Systems Manager agent ${ping}` : 'not managed by Systems Manager (no agent registered)',
      ),
    );
    if (ping === 'Online') {
      findings.push({
        id: 'cloud-session-manager-ready',
        severity: 'info',
        summary: 'Session Manager can open a shell on this instance now, without SSH.',
        evidence: [
          `Systems Manager agent: ${ping}`,
          pasteStep(
            '',
            withRegion(t, ['aws', 'ssm', 'start-session', '--target', t.instance]),
            ' (needs the session-manager-plugin)',
          ),
        ],
      });
    }
  } else probes.push(probe('aws-ssm', ssm, ssm.detail));

  const sc = await cliJson(
    exec,
    'aws',
    withRegion(t, ['aws', 'ec2', 'get-serial-console-access-status', '--output', 'json']),
  );
  if (sc.ok) {
    const on = (sc.json as GetSerialConsoleAccessStatusOutput)?.SerialConsoleAccessEnabled === true;
    probes.push(probe('aws-serial-console', sc, `account serial console access ${on ? 'enabled' : 'disabled'}`));
    if (!on) {
      findings.push(
        serialFinding(
          'EC2 Serial Console access for this account and Region',
          withRegion(t, ['aws', 'ec2', 'enable-serial-console-access']),
          'Account-wide for this Region: anyone with ec2-instance-connect:SendSerialConsoleSSHPublicKey can then reach any instance console.',
          [withRegion(t, ['aws', 'ec2', 'disable-serial-console-access'])],
        ),
      );
    }
  } else probes.push(probe('aws-serial-console', sc, sc.detail));
  return okCheck('aws', findings, probes);
}
