import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { createActor, fromPromise } from 'xstate';
import { lockedOutFlow, type LockedOutInput } from '../../flows/locked-out.js';
import type { CloudCheck } from '../../src/locked-out/cloud/types.js';
import { KIT_BEGIN, KIT_END } from '../../src/locked-out/kit/script.js';
import { LockedOutApp } from '../../src/ui/locked-out/LockedOutApp.js';

const DOWN = '\u001B[B';
const ENTER = '\r';
const settle = () => new Promise((r) => setTimeout(r, 100));
// Ink may draw slowly on a loaded machine: generous waits, and move the cursor until it is there.
const until = (check: () => void) => vi.waitFor(check, { timeout: 5000 });
async function select(frame: () => string | undefined, write: (s: string) => void, label: string) {
  for (let i = 0; i < 20 && !frame()?.includes(`❯ ${label}`); i++) {
    write(DOWN);
    await settle();
  }
  await until(() => expect(frame()).toContain(`❯ ${label}`));
  await settle();
  write(ENTER);
}

const input: LockedOutInput = {
  user: 'alice', port: 22, interactive: true, autoApply: false, backupKeyPath: '/root/.ssh/id_ed25519_rescue', backupKeyExists: false,
  checkable: ['aws', 'gcp', 'azure', 'digitalocean', 'hetzner'],
  installedClis: ['aws', 'gcloud', 'az', 'doctl', 'hcloud'],
};

const missing: CloudCheck = {
  cli: 'aws', status: 'missing', detail: 'The aws command is not installed here, so here are the console steps instead.',
  findings: [{ id: 'cloud-cli-missing', severity: 'info', summary: 's', evidence: [] }], probes: [],
};

function start(actors: Record<string, unknown> = {}, given: Partial<LockedOutInput> = {}) {
  const actor = createActor(lockedOutFlow.provide({ actors: actors as any }), { input: { ...input, ...given } }).start();
  return { actor, ...render(<LockedOutApp actor={actor} />) };
}

describe('locked-out wizard screen', () => {
  it('choosing "A physical server" shows its numbered ways in', async () => {
    const { lastFrame, stdin } = start();
    await until(() => expect(lastFrame()).toContain('Where does the host live?'));
    await select(lastFrame, (k) => stdin.write(k), 'A physical server');
    await until(() => expect(lastFrame()).toContain('Ways into A physical server without SSH:'));
    expect(lastFrame()).toContain('1. Local console or BMC');
    expect(lastFrame()).toContain('$ ipmitool -I lanplus -H <bmc-address> -U <bmc-user> -E sol activate');
    expect(lastFrame()).toContain('2. Live USB');
  });

  it('AWS: asks for the instance and address, says the CLI is missing in one sentence, then shows EC2 steps', async () => {
    const check = vi.fn(async () => missing);
    const { lastFrame, stdin } = start({ cloudCheck: fromPromise(check) });
    await until(() => expect(lastFrame()).toContain('Where does the host live?'));
    await settle();
    stdin.write(ENTER); // AWS EC2 is first
    await until(() => expect(lastFrame()).toContain('Instance id (i-…)'));
    await settle();
    stdin.write('i-0abc');
    await settle();
    stdin.write(ENTER);
    await until(() => expect(lastFrame()).toContain('Region'));
    await settle();
    stdin.write(ENTER); // default region
    await until(() => expect(lastFrame()).toContain('Your public IP address'));
    await settle();
    stdin.write('not-an-ip');
    await settle();
    stdin.write(ENTER);
    await until(() => expect(lastFrame()).toContain('"not-an-ip" is not an IPv4 or IPv6 address.'));
    for (let i = 0; i < 9; i++) stdin.write('\u007F');
    await settle();
    stdin.write('203.0.113.7');
    await settle();
    stdin.write(ENTER);
    await until(() => expect(lastFrame()).toContain('Ways into AWS EC2 without SSH:'));
    expect(check).toHaveBeenCalledWith(expect.objectContaining({ input: expect.objectContaining({ provider: 'aws', instance: 'i-0abc', myIp: '203.0.113.7', port: 22 }) }));
    expect(lastFrame()).toContain('The aws command is not installed here, so here are the console steps instead.');
    expect(lastFrame()).toContain('1. EC2 Serial Console');
    expect(lastFrame()).toContain('$ aws ec2 get-serial-console-access-status');
  });

  it('refuses an instance id starting with "-" (it would reach the CLI as an option)', async () => {
    const check = vi.fn(async () => missing);
    const { lastFrame, stdin } = start({ cloudCheck: fromPromise(check) }, { provider: 'aws' });
    await until(() => expect(lastFrame()).toContain('Instance id (i-…)'));
    await settle();
    stdin.write('--profile=x');
    await settle();
    stdin.write(ENTER);
    await until(() => expect(lastFrame()).toContain('"--profile=x" is not a valid instance id or name: it may not start with "-".'));
    expect(lastFrame()).toContain('Instance id (i-…)');
    expect(check).not.toHaveBeenCalled();
  });

  it('a user name the kit refuses is shown as one sentence, not thrown while drawing', async () => {
    const save = fromPromise(async () => '/root/ssh-doctor-kit.sh');
    const { lastFrame, actor } = start({ saveKit: save }, { provider: 'physical', user: 'alice@corp' });
    actor.send({ type: 'KIT' });
    await until(() => expect(lastFrame()).toContain('"alice@corp" is not a user name the console kit can check.'));
    expect(lastFrame()).toContain('Paste the block the kit printed');
  });

  it('a pasted kit block shows findings and the repair commands', async () => {
    const decode = vi.fn(async () => ({
      findings: [{ id: 'nologin-present', severity: 'error' as const, summary: '/etc/nologin exists: only root may log in.', evidence: [] }],
      repair: '# nologin-present: Move /etc/nologin aside\nmv /etc/nologin /etc/nologin.ssh-doctor-1\n',
    }));
    const { lastFrame, stdin } = start({ decodeKit: fromPromise(decode) });
    await until(() => expect(lastFrame()).toContain('Where does the host live?'));
    await select(lastFrame, (k) => stdin.write(k), 'A physical server');
    await until(() => expect(lastFrame()).toContain('I already have a kit result to paste'));
    await settle();
    await select(lastFrame, (k) => stdin.write(k), 'I already have a kit result to paste');
    await until(() => expect(lastFrame()).toContain('Paste the block the kit printed'));
    await settle();
    stdin.write(`${KIT_BEGIN}\rz\rH4sI\r`);
    await settle();
    stdin.write(`${KIT_END}\r`);
    await until(() => expect(lastFrame()).toContain('Paste these into the console (as root) to repair:'));
    expect(decode).toHaveBeenCalledWith(expect.objectContaining({ input: { text: `${KIT_BEGIN}\nz\nH4sI\n${KIT_END}\n` } }));
    expect(lastFrame()).toContain('mv /etc/nologin /etc/nologin.ssh-doctor-1');
  });

  it('the cloud fix defaults to "No": Enter right away runs nothing', async () => {
    const blocked: CloudCheck = {
      cli: 'aws', status: 'ok', detail: 'The security group does not let 203.0.113.7 reach port 22.',
      findings: [{
        id: 'cloud-firewall-blocks-ssh', severity: 'error', summary: 'The security group does not let 203.0.113.7 reach port 22.', evidence: [],
        fix: { id: 'cloud-allow-my-ip', title: 'Allow tcp/22 from 203.0.113.7 only', commands: [['aws', 'ec2', 'authorize-security-group-ingress']], risk: 'low', undo: 'remove it' },
      }],
      probes: [],
    };
    const apply = vi.fn(async () => ({ fixId: 'cloud-allow-my-ip', ok: true, log: [] }));
    const { lastFrame, stdin, actor } = start(
      { cloudCheck: fromPromise(async () => blocked), applyFix: fromPromise(apply) },
      { provider: 'aws', target: { instance: 'i-0abc', myIp: '203.0.113.7' } },
    );
    await until(() => expect(lastFrame()).toContain('Run this command now?'));
    expect(lastFrame()).toContain('❯ No, leave it');
    await settle();
    stdin.write(ENTER);
    await until(() => expect(lastFrame()).toContain('Ways into AWS EC2 without SSH:'));
    expect(apply).not.toHaveBeenCalled();
    expect(actor.getSnapshot().context.fixOutcomes).toEqual([]);
  });

  it('the prevention menu defaults to "Done", not to creating the backup key', async () => {
    const apply = vi.fn(async () => ({ fixId: 'create-backup-key', ok: true, log: [] }));
    const { lastFrame, stdin, actor } = start({ applyFix: fromPromise(apply) }, { provider: 'physical' });
    actor.send({ type: 'NEXT' });
    await until(() => expect(lastFrame()).toContain('Next time:'));
    expect(lastFrame()).toContain('❯ Done');
    await settle();
    stdin.write(ENTER);
    await until(() => expect(actor.getSnapshot().status).toBe('done'));
    expect(apply).not.toHaveBeenCalled();
  });
});
