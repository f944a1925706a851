import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { admits, cidrContains, parseAddress, type IngressRule } from '../../src/locked-out/cloud/cidr.js';
import { checkCloud } from '../../src/locked-out/cloud/check.js';
import type { CloudTarget, Exec } from '../../src/locked-out/cloud/types.js';
import { formatCommand } from '../../src/report.js';
import { run } from '../../src/run.js';

const FIX = resolve(import.meta.dirname, '../fixtures/cloud');
const ME = '203.0.113.7';

function execIn(scenario: string, log?: string, path = join(FIX, 'bin')): Exec {
  return (cmd) =>
    run(cmd, {
      timeoutMs: 5000,
      env: { PATH: path, CLOUD_FIXTURE: join(FIX, 'scenarios', scenario), CLOUD_FIXTURE_LOG: log ?? '' },
    });
}

describe('cidr', () => {
  it.each([
    ['10.0.0.0/8', '10.200.1.1', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['203.0.113.7/32', '203.0.113.7', true],
    ['203.0.113.7', '203.0.113.8', false],
    ['0.0.0.0/0', '1.2.3.4', true],
    ['::/0', '1.2.3.4', false],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::ffff:0:0/96', '::ffff:1.2.3.4', true],
  ])('%s contains %s: %s', (cidr, addr, yes) => {
    expect(cidrContains(cidr, parseAddress(addr)!)).toBe(yes);
  });

  const r = (x: Partial<IngressRule>): IngressRule => ({
    name: 'r',
    action: 'allow',
    protocol: 'tcp',
    ports: [[22, 22]],
    sources: ['0.0.0.0/0'],
    ...x,
  });
  it('first match by priority decides; a deny wins a tie; nothing matching denies', () => {
    expect(admits([r({})], ME, 22).admitted).toBe(true);
    expect(admits([r({})], ME, 2222).admitted).toBe(false);
    expect(admits([r({ priority: 10, action: 'deny' }), r({ priority: 5 })], ME, 22).admitted).toBe(true);
    expect(
      admits([r({ priority: 5, name: 'allow' }), r({ priority: 5, action: 'deny', name: 'deny' })], ME, 22).rule?.name,
    ).toBe('deny');
    expect(admits([r({ protocol: 'udp' })], ME, 22).admitted).toBe(false);
    expect(admits([r({ protocol: 'all', ports: [] })], ME, 22).admitted).toBe(true);
    expect(admits([], ME, 22)).toEqual({ admitted: false });
  });
});

interface Case {
  scenario: string;
  target: Partial<CloudTarget> & Pick<CloudTarget, 'provider' | 'instance'>;
  status: string;
  ids: string[];
  fix?: string;
}

const cases: Case[] = [
  {
    scenario: 'aws-blocked',
    target: { provider: 'aws', instance: 'i-1234567890abcdef0', region: 'us-east-2' },
    status: 'ok',
    ids: ['cloud-firewall-blocks-ssh', 'cloud-serial-console-disabled', 'cloud-session-manager-ready'],
    fix: `aws ec2 authorize-security-group-ingress --group-id sg-0abc1234def567890 --protocol tcp --port 22 --cidr ${ME}/32 --region us-east-2`,
  },
  { scenario: 'aws-open', target: { provider: 'aws', instance: 'i-1234567890abcdef0' }, status: 'ok', ids: [] },
  {
    scenario: 'aws-stopped',
    target: { provider: 'aws', instance: 'i-1234567890abcdef0' },
    status: 'ok',
    ids: ['cloud-instance-not-running'],
    fix: 'aws ec2 start-instances --instance-ids i-1234567890abcdef0',
  },
  {
    scenario: 'aws-not-logged-in',
    target: { provider: 'aws', instance: 'i-1' },
    status: 'not-logged-in',
    ids: ['cloud-cli-not-logged-in'],
  },
  {
    scenario: 'gcp-blocked',
    target: { provider: 'gcp', instance: 'web-1', zone: 'europe-west1-b' },
    status: 'ok',
    ids: ['cloud-firewall-blocks-ssh', 'cloud-serial-console-disabled'],
    // The deny at priority 1000 targets tag "web": the new rule must come before it.
    fix: `gcloud compute firewall-rules create ssh-doctor-allow-22-203-0-113-7 --network=default --direction=INGRESS --action=ALLOW --rules=tcp:22 --source-ranges=${ME}/32 --priority=999`,
  },
  {
    scenario: 'gcp-not-logged-in',
    target: { provider: 'gcp', instance: 'web-1' },
    status: 'not-logged-in',
    ids: ['cloud-cli-not-logged-in'],
  },
  {
    scenario: 'azure-blocked',
    target: { provider: 'azure', instance: 'myVM', resourceGroup: 'myRG' },
    status: 'ok',
    ids: ['cloud-firewall-blocks-ssh', 'cloud-serial-console-disabled'],
    fix: `az network nsg rule create -g myRG --nsg-name myVMNSG -n ssh-doctor-allow-22 --priority 999 --direction Inbound --access Allow --protocol Tcp --source-address-prefixes ${ME}/32 --destination-port-ranges 22`,
  },
  {
    scenario: 'azure-not-logged-in',
    target: { provider: 'azure', instance: 'myVM', resourceGroup: 'myRG' },
    status: 'not-logged-in',
    ids: ['cloud-cli-not-logged-in'],
  },
  {
    scenario: 'do-blocked',
    target: { provider: 'digitalocean', instance: '386734086' },
    status: 'ok',
    ids: ['cloud-firewall-blocks-ssh'],
    fix: `doctl compute firewall add-rules bb4b2611-3d72-467b-8602-280330ecd65c --inbound-rules protocol:tcp,ports:22,address:${ME}/32`,
  },
  {
    scenario: 'do-not-logged-in',
    target: { provider: 'digitalocean', instance: '1' },
    status: 'not-logged-in',
    ids: ['cloud-cli-not-logged-in'],
  },
  { scenario: 'hetzner-open', target: { provider: 'hetzner', instance: 'my-server' }, status: 'ok', ids: [] },
  {
    scenario: 'hetzner-not-logged-in',
    target: { provider: 'hetzner', instance: 'my-server' },
    status: 'not-logged-in',
    ids: ['cloud-cli-not-logged-in'],
  },
];

describe('cloud checks against stand-in CLIs', () => {
  it.each(cases)('$scenario', async (c) => {
    const dir = await mkdtemp(join(tmpdir(), 'cloud-'));
    const log = join(dir, 'calls');
    const r = await checkCloud({ myIp: ME, port: 22, ...c.target }, execIn(c.scenario, log));
    expect(r.status).toBe(c.status);
    expect(r.findings.map((f) => f.id).sort()).toEqual([...c.ids].sort());
    if (c.fix) expect(r.findings.flatMap((f) => f.fix?.commands ?? []).map(formatCommand)).toContain(c.fix);
    // Only reads ran: describe/get/list/show.
    const calls = (await readFile(log, 'utf8')).trim().split('\n');
    for (const call of calls) expect(call).toMatch(/ (describe|get|list|show)|get-instance-view|list-by-droplet/);
    for (const call of calls) expect(call).not.toMatch(/authorize|create|add-rules|add-rule|enable|start/);
  });

  it('says "not logged in" in one sentence, with the CLI\'s own words as evidence', async () => {
    const r = await checkCloud({ provider: 'gcp', instance: 'web-1', myIp: ME, port: 22 }, execIn('gcp-not-logged-in'));
    expect(r.detail).toBe('gcloud is installed but not logged in, so here are the console steps instead.');
    expect(r.findings[0]!.evidence[0]).toContain('You do not currently have an active account selected');
  });

  it('a missing CLI degrades to console steps', async () => {
    const r = await checkCloud(
      { provider: 'aws', instance: 'i-1', myIp: ME, port: 22 },
      execIn('aws-open', undefined, '/nonexistent'),
    );
    expect(r.status).toBe('missing');
    expect(r.findings.map((f) => f.id)).toEqual(['cloud-cli-missing']);
    expect(r.detail).toBe('The aws command is not installed here, so here are the console steps instead.');
  });

  it('an IPv6 address gets a /128 rule through --ip-permissions', async () => {
    const r = await checkCloud(
      { provider: 'aws', instance: 'i-1', myIp: '2001:db8::5', port: 22 },
      execIn('aws-blocked'),
    );
    const cmd = r.findings.find((f) => f.id === 'cloud-firewall-blocks-ssh')!.fix!.commands[0]!;
    expect(formatCommand(cmd)).toContain(
      "--ip-permissions 'IpProtocol=tcp,FromPort=22,ToPort=22,Ipv6Ranges=[{CidrIpv6=2001:db8::5/128}]'",
    );
  });

  it('a port other than the open one is blocked even from the admitted network', async () => {
    const r = await checkCloud({ provider: 'aws', instance: 'i-1', myIp: ME, port: 2222 }, execIn('aws-open'));
    expect(r.findings.map((f) => f.id)).toEqual(['cloud-firewall-blocks-ssh']);
  });
});
