// What `ssh-doctor server` reports beyond findings: the fixes that ran (--yes --json), and where
// to rerun as root when the checks ran on another host (--via).
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, toPromise } from 'xstate';
import { serverMachine, type Gathered, type ServerContext } from '../../flows/server.js';
import { reportFor } from '../../src/commands/server.js';
import { parseServerArgs } from '../../src/server/args.js';
import type { ServerFacts } from '../../src/server/facts.js';
import { renderText, type Fix } from '../../src/report.js';
import { buildServerReport } from '../../src/server/server-report.js';

const broken: ServerFacts = { target: { user: 'alice', port: 22 }, root: true, privsepDir: { path: '/run/sshd', exists: false } };
const healed: ServerFacts = { ...broken, privsepDir: { path: '/run/sshd', exists: true } };
const fix: Fix = { id: 'create-privsep-dir', title: 'Create /run/sshd', commands: [['install', '-d', '/run/sshd']], risk: 'none', undo: [['rmdir', '/run/sshd']] };

/** Run the real flow in --yes mode with fake probes and a fake fix runner. */
async function runYes(applied: { ok: boolean; log: string[] }, after: ServerFacts): Promise<ServerContext> {
  let gathers = 0;
  const machine = serverMachine.provide({
    actors: {
      gather: fromPromise(async (): Promise<Gathered> => ({ facts: gathers++ === 0 ? broken : after, probes: [] })),
      applyFix: fromPromise(async () => applied),
    },
  });
  const actor = createActor(machine, { input: { mode: 'yes', proposeFix: (id: string) => (id === 'privsep-dir-missing' ? fix : undefined) } }).start();
  await toPromise(actor);
  return actor.getSnapshot().context;
}

describe('server report: applied fixes', () => {
  const args = parseServerArgs(['--yes', '--json', '--user', 'alice'], {});

  it('--yes --json lists a fix that ran and worked', async () => {
    const report = reportFor(await runYes({ ok: true, log: ['$ install -d /run/sshd'] }, healed), args, Date.now());
    expect(report.applied).toEqual([{ fixId: 'create-privsep-dir', ok: true, log: ['$ install -d /run/sshd'] }]);
    expect(report.findings.map((f) => f.id)).not.toContain('privsep-dir-missing');
  });

  it('a fix that failed is listed as not ok, with its log', async () => {
    const report = reportFor(await runYes({ ok: false, log: ['install: permission denied'] }, broken), args, Date.now());
    expect(report.applied).toEqual([{ fixId: 'create-privsep-dir', ok: false, log: ['install: permission denied'] }]);
  });

  it('a fix that ran but left the problem in place is not ok', async () => {
    const report = reportFor(await runYes({ ok: true, log: ['$ install -d /run/sshd'] }, broken), args, Date.now());
    expect(report.applied).toEqual([{ fixId: 'create-privsep-dir', ok: false, log: ['$ install -d /run/sshd', 'privsep-dir-missing is still there after the fix'] }]);
  });

  it('no fix ran: no applied array', async () => {
    const ctx = await runYes({ ok: true, log: [] }, healed);
    const report = reportFor({ ...ctx, outcomes: [{ ...ctx.outcomes[0]!, status: 'declined' }] }, args, Date.now());
    expect(report).not.toHaveProperty('applied');
  });
});

describe('server report: needs root', () => {
  const notRoot = (): ServerContext => ({
    input: { mode: 'report' }, probes: [], findings: [], handled: [], outcomes: [],
    facts: { target: { user: 'alice', port: 2201 }, root: false, effective: { unknown: 'sshd must read its host keys: run as root', needsRoot: true } },
  });

  it('locally: the exact sudo command', () => {
    const report = reportFor(notRoot(), parseServerArgs(['--json', '--user', 'alice', '--port', '2201'], {}), Date.now());
    const f = report.findings.find((x) => x.id === 'needs-root')!;
    expect(f.evidence).toEqual(['rerun: sudo ssh-doctor server --user alice --port 2201 --json']);
  });

  it('--via: run it on the remote host, or connect as root (a local sudo would check this machine)', () => {
    const report = reportFor(notRoot(), parseServerArgs(['--json', '--via', 'bob@db1.example:2222', '--user', 'alice', '--port', '2201'], {}), Date.now());
    const f = report.findings.find((x) => x.id === 'needs-root')!;
    expect(f.summary).toBe('Some checks need root on db1.example (sshd -T); run ssh-doctor there as root, or connect as root with --via.');
    expect(f.evidence).toEqual([
      'on db1.example: sudo ssh-doctor server --user alice --port 2201 --json',
      'or here: ssh-doctor server --user alice --port 2201 --json --via root@db1.example:2222',
    ]);
  });
});

describe('text report', () => {
  it('shows the steps for a person under their finding', () => {
    const report = buildServerReport({
      findings: [{ id: 'authorized-keys-missing', severity: 'error', summary: 'alice has no authorized key.', evidence: ['/home/alice/.ssh/authorized_keys does not exist'], next: ['as root, with the key:', 'install -d -m 700 /home/alice/.ssh'] }],
      probes: [], target: { user: 'alice', host: 'web1', port: 22 }, durationMs: 5,
    });
    expect(renderText(report)).toContain('ERROR authorized-keys-missing: alice has no authorized key.\n    /home/alice/.ssh/authorized_keys does not exist\n  → as root, with the key:\n  → install -d -m 700 /home/alice/.ssh\n');
  });
});
