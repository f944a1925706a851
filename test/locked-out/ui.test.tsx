import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { createActor, fromPromise } from 'xstate';
import { lockedOutFlow, type KitResult, type LockedOutInput } from '../../flows/locked-out.js';
import type { FixOutcome } from '../../src/report.js';
import { everything, choose, KEY, sendAndWait, waitForFrame } from '../helpers/ink.js';
import type { CloudCheck } from '../../src/locked-out/cloud/types.js';
import { KIT_BEGIN, KIT_END } from '../../src/locked-out/kit/script.js';
import { LockedOutApp } from '../../src/ui/locked-out/LockedOutApp.js';

const input: LockedOutInput = {
  user: 'alice',
  port: 22,
  interactive: true,
  autoApply: false,
  backupKeyPath: '/root/.ssh/id_ed25519_rescue',
  backupKeyExists: false,
  checkable: ['aws', 'gcp', 'azure', 'digitalocean', 'hetzner'],
  installedClis: ['aws', 'gcloud', 'az', 'doctl', 'hcloud'],
};

const missing: CloudCheck = {
  cli: 'aws',
  status: 'missing',
  detail: 'The aws command is not installed here, so here are the console steps instead.',
  findings: [{ id: 'cloud-cli-missing', severity: 'info', summary: 's', evidence: [] }],
  probes: [],
};

type Fakes = NonNullable<Parameters<typeof lockedOutFlow.provide>[0]['actors']>;

function start(actors: Fakes = {}, given: Partial<LockedOutInput> = {}) {
  const actor = createActor(lockedOutFlow.provide({ actors }), { input: { ...input, ...given } }).start();
  return { actor, ui: render(<LockedOutApp actor={actor} />) };
}

describe('locked-out wizard screen', () => {
  it('choosing "A physical server" shows its numbered ways in', async () => {
    const { ui } = start();
    await waitForFrame(everything(ui), 'Where does the host live?');
    await choose(ui, 'A physical server');
    const frame = await waitForFrame(everything(ui), 'Ways into A physical server without SSH:');
    expect(frame).toContain('1. Local console or BMC');
    expect(frame).toMatch(/^ipmitool -I lanplus -H <bmc-address> -U <bmc-user> -E sol activate$/m);
    expect(frame).toContain('2. Live USB');
  });

  it('AWS: asks for the instance and address, says the CLI is missing in one sentence, then shows EC2 steps', async () => {
    const check = vi.fn(async () => missing);
    const { ui } = start({ cloudCheck: fromPromise(check) });
    await waitForFrame(everything(ui), 'Where does the host live?');
    await sendAndWait(ui, KEY.enter, 'Instance id (i-…)'); // AWS EC2 is first
    await sendAndWait(ui, ['i-0abc', KEY.enter], 'Region');
    await sendAndWait(ui, KEY.enter, 'Your public IP address'); // default region
    await sendAndWait(ui, ['not-an-ip', KEY.enter], '"not-an-ip" is not an IPv4 or IPv6 address.');
    await sendAndWait(ui, Array<string>(9).fill(KEY.backspace), /^› ?$/m);
    const frame = await sendAndWait(ui, ['203.0.113.7', KEY.enter], 'Ways into AWS EC2 without SSH:');
    expect(check).toHaveBeenCalledWith(
      expect.objectContaining({
        input: expect.objectContaining({ provider: 'aws', instance: 'i-0abc', myIp: '203.0.113.7', port: 22 }),
      }),
    );
    expect(frame).toContain('The aws command is not installed here, so here are the console steps instead.');
    expect(frame).toContain('1. EC2 Serial Console');
    expect(frame).toMatch(/^aws ec2 get-serial-console-access-status/m);
  });

  it('refuses an instance id starting with "-" (it would reach the CLI as an option)', async () => {
    const check = vi.fn(async () => missing);
    const { ui } = start({ cloudCheck: fromPromise(check) }, { provider: 'aws' });
    await waitForFrame(everything(ui), 'Instance id (i-…)');
    const frame = await sendAndWait(
      ui,
      ['--profile=x', KEY.enter],
      '"--profile=x" is not a valid instance id or name: it may not start with "-".',
    );
    expect(frame).toContain('Instance id (i-…)');
    expect(check).not.toHaveBeenCalled();
  });

  it('a user name the kit refuses is shown as one sentence, not thrown while drawing', async () => {
    const { ui, actor } = start(
      { saveKit: fromPromise(async () => '/root/ssh-doctor-kit.sh') },
      { provider: 'physical', user: 'alice@corp' },
    );
    actor.send({ type: 'KIT' });
    const frame = await waitForFrame(everything(ui), '"alice@corp" is not a user name the console kit can check.');
    expect(frame).toContain('Paste the block the kit printed');
  });

  it('a pasted kit block shows findings and the repair commands', async () => {
    const decode = vi.fn(
      async (): Promise<KitResult> => ({
        findings: [
          {
            id: 'nologin-present',
            severity: 'error',
            summary: '/etc/nologin exists: only root may log in.',
            evidence: [],
          },
        ],
        repair: '# nologin-present: Move /etc/nologin aside\nmv /etc/nologin /etc/nologin.ssh-doctor-1\n',
      }),
    );
    const { ui } = start({ decodeKit: fromPromise(decode) });
    await waitForFrame(everything(ui), 'Where does the host live?');
    await choose(ui, 'A physical server');
    await waitForFrame(everything(ui), 'I already have a kit result to paste');
    await choose(ui, 'I already have a kit result to paste');
    await waitForFrame(everything(ui), 'Paste the block the kit printed');
    await sendAndWait(ui, `${KIT_BEGIN}\rz\rH4sI\r`, '3 lines received');
    const frame = await sendAndWait(ui, `${KIT_END}\r`, 'Paste these into the console (as root) to repair:');
    expect(decode).toHaveBeenCalledWith(
      expect.objectContaining({ input: { text: `${KIT_BEGIN}\nz\nH4sI\n${KIT_END}\n` } }),
    );
    expect(frame).toContain('mv /etc/nologin /etc/nologin.ssh-doctor-1');
  });

  it('a paste read in pieces before a redraw: every piece reaches the decoder', async () => {
    const decode = vi.fn(async (): Promise<KitResult> => ({ findings: [], repair: '' }));
    const { ui } = start({ decodeKit: fromPromise(decode) });
    await waitForFrame(everything(ui), 'Where does the host live?');
    await choose(ui, 'A physical server');
    await waitForFrame(everything(ui), 'I already have a kit result to paste');
    await choose(ui, 'I already have a kit result to paste');
    await waitForFrame(everything(ui), 'Paste the block the kit printed');
    // As a terminal delivers a big paste: several reads, no redraw between them.
    for (const piece of [`${KIT_BEGIN}\rz\r`, 'H4sI\r', 'AAAA\r', `${KIT_END}\r`]) ui.stdin.write(piece);
    await vi.waitFor(() => expect(decode).toHaveBeenCalled());
    expect(decode).toHaveBeenCalledWith(
      expect.objectContaining({ input: { text: `${KIT_BEGIN}\nz\nH4sI\nAAAA\n${KIT_END}\n` } }),
    );
  });

  it('the cloud fix defaults to "No": Enter right away runs nothing', async () => {
    const blocked: CloudCheck = {
      cli: 'aws',
      status: 'ok',
      detail: 'The security group does not let 203.0.113.7 reach port 22.',
      findings: [
        {
          id: 'cloud-firewall-blocks-ssh',
          severity: 'error',
          summary: 'The security group does not let 203.0.113.7 reach port 22.',
          evidence: [],
          fix: {
            id: 'cloud-allow-my-ip',
            title: 'Allow tcp/22 from 203.0.113.7 only',
            commands: [['aws', 'ec2', 'authorize-security-group-ingress']],
            risk: 'low',
            undo: 'remove it',
          },
        },
      ],
      probes: [],
    };
    const apply = vi.fn(async (): Promise<FixOutcome> => ({ fixId: 'cloud-allow-my-ip', status: 'applied', log: [] }));
    const { ui, actor } = start(
      { cloudCheck: fromPromise(async () => blocked), applyFix: fromPromise(apply) },
      { provider: 'aws', target: { instance: 'i-0abc', myIp: '203.0.113.7' } },
    );
    expect(await waitForFrame(everything(ui), 'Run this command now?')).toContain('❯ No, leave it');
    await sendAndWait(ui, KEY.enter, 'Ways into AWS EC2 without SSH:');
    expect(apply).not.toHaveBeenCalled();
    expect(actor.getSnapshot().context.fixOutcomes).toEqual([]);
  });

  it('the prevention menu defaults to "Done", not to creating the backup key', async () => {
    const apply = vi.fn(async (): Promise<FixOutcome> => ({ fixId: 'create-backup-key', status: 'applied', log: [] }));
    const { ui, actor } = start({ applyFix: fromPromise(apply) }, { provider: 'physical' });
    actor.send({ type: 'NEXT' });
    expect(await waitForFrame(everything(ui), 'Next time:')).toContain('❯ Done');
    ui.stdin.write(KEY.enter);
    await vi.waitFor(() => expect(actor.getSnapshot().status).toBe('done'));
    expect(apply).not.toHaveBeenCalled();
  });
});
