// Every path of the locked-out flow, enumerated from the machine and driven with fake actors.
import { getSimplePaths } from '@xstate/graph';
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, waitFor, type AnyEventObject } from 'xstate';
import { lockedOutFlow, type LockedOutInput } from '../../flows/locked-out.js';
import type { CloudCheck } from '../../src/locked-out/cloud/types.js';
import { PROVIDERS } from '../../src/locked-out/providers.js';

const fix = (id: string) => ({ id, title: id, commands: [['true']], risk: 'none', undo: 'nothing' });
const checks: Record<string, CloudCheck> = {
  blocked: {
    cli: 'aws', status: 'ok', detail: 'blocked',
    findings: [
      { id: 'cloud-firewall-blocks-ssh', severity: 'error', summary: 's', evidence: [], fix: fix('cloud-allow-my-ip') },
      { id: 'cloud-serial-console-disabled', severity: 'warning', summary: 's', evidence: [], fix: fix('cloud-enable-serial-console') },
    ],
    probes: [{ id: 'aws-instance', status: 'ok', durationMs: 1, detail: 'running' }],
  },
  missing: { cli: 'aws', status: 'missing', detail: 'missing', findings: [{ id: 'cloud-cli-missing', severity: 'info', summary: 's', evidence: [] }], probes: [] },
};
const samples: Record<string, Record<string, unknown>> = {
  cloudCheck: checks,
  applyFix: { ok: { fixId: 'x', ok: true, log: [] } },
  applyPrevention: { ok: { fixId: 'create-backup-key', ok: true, log: [] }, failed: { fixId: 'create-backup-key', ok: false, log: ['ssh-keygen: exit 1'] } },
  saveKit: { saved: '/tmp/ssh-doctor-kit.sh' },
  decodeKit: { nologin: { findings: [{ id: 'nologin-present', severity: 'error', summary: 's', evidence: [] }], repair: 'mv /etc/nologin /etc/nologin.bak\n' } },
};
const userEvents: Record<string, AnyEventObject[]> = {
  chooseProvider: PROVIDERS.map((p) => ({ type: 'CHOOSE', provider: p.id })),
  askTarget: [{ type: 'TARGET', target: { instance: 'i-1', myIp: '203.0.113.7' } }, { type: 'SKIP' }],
  offerFix: [{ type: 'CONFIRM' }, { type: 'DECLINE' }],
  steps: [{ type: 'KIT' }, { type: 'PASTE', text: 'block' }, { type: 'NEXT' }],
  awaitResult: [{ type: 'PASTE', text: 'block' }, { type: 'SKIP' }],
  repair: [{ type: 'NEXT' }],
  prevention: [{ type: 'APPLY', fixId: 'create-backup-key' }, { type: 'DONE' }],
  preventionShown: [{ type: 'DONE' }],
};

function eventsFor(s: any): AnyEventObject[] {
  const out: AnyEventObject[] = Object.keys(s.children).flatMap((id) => [
    ...Object.values(samples[id] ?? {}).map((output) => ({ type: `xstate.done.actor.${id}`, output })),
    { type: `xstate.error.actor.${id}`, error: new Error(`${id} broke`) },
  ]);
  for (const [state, evs] of Object.entries(userEvents)) if (s.matches(state)) out.push(...evs);
  return out;
}

const serializeState = (s: any) =>
  JSON.stringify({
    v: s.value, p: s.context.provider, q: s.context.queue.length, o: s.context.fixOutcomes.length, f: s.context.findings.length,
    k: s.context.kitPath, r: s.context.kit?.repair, e: s.context.error, pv: s.context.prevention.map((f: any) => f.fix?.id ?? '-'),
  });

const base: LockedOutInput = {
  user: 'alice', port: 22, interactive: true, autoApply: false, backupKeyPath: '/root/.ssh/id_ed25519_rescue', backupKeyExists: false,
  checkable: ['aws', 'gcp', 'azure', 'digitalocean', 'hetzner'],
  installedClis: ['aws', 'gcloud', 'az', 'doctl', 'hcloud'],
};

const pathsFor = (input: LockedOutInput) =>
  getSimplePaths(lockedOutFlow, { input, events: eventsFor as any, serializeState, toState: (s: any) => s.status === 'done' });

/** Runs the real machine; each fake actor answers, in order, as the path's events did. */
async function drive(input: LockedOutInput, steps: { event: AnyEventObject }[]) {
  const answers: Record<string, AnyEventObject[]> = {};
  const user: AnyEventObject[] = [];
  for (const { event } of steps) {
    const m = /^xstate\.(done|error)\.actor\.(.+)$/.exec(event.type);
    if (m) (answers[m[2]!] ??= []).push(event);
    else if (event.type !== 'xstate.init') user.push(event);
  }
  const calls: string[] = [];
  const fake = (src: string) =>
    fromPromise(async ({ input: i }: any) => {
      // applyFix serves two invokes; which one is running tells which answers to use.
      const id = src === 'applyFix' && i.fix.id === 'create-backup-key' ? 'applyPrevention' : src;
      calls.push(id);
      const e = answers[id]?.shift();
      if (!e) throw new Error(`path never ran ${id}`);
      if (e.type.startsWith('xstate.error')) throw e.error;
      return e.output;
    });
  const actor = createActor(lockedOutFlow.provide({ actors: { cloudCheck: fake('cloudCheck'), applyFix: fake('applyFix'), saveKit: fake('saveKit'), decodeKit: fake('decodeKit') } as any }), { input });
  actor.subscribe((s) => {
    if (s.status === 'active' && Object.keys(s.children).length === 0 && user.length) queueMicrotask(() => actor.send(user.shift() as any));
  });
  actor.start();
  const end = await waitFor(actor, (s) => s.status === 'done', { timeout: 2000 });
  return { ctx: end.context, calls };
}

describe('locked-out flow: every path', () => {
  const paths = pathsFor(base);

  it('walks every provider, and the cloud check only for providers with a CLI check', () => {
    const chosen = new Set(paths.map((p) => (p.state as any).context.provider));
    expect([...chosen].sort()).toEqual(PROVIDERS.map((p) => p.id).sort());
    for (const p of paths) {
      const checked = p.steps.some((s: any) => s.event.type.startsWith('xstate.done.actor.cloudCheck'));
      if (checked) expect(base.checkable).toContain((p.state as any).context.provider);
    }
    for (const id of base.checkable) {
      expect(paths.some((p) => (p.state as any).context.provider === id && (p.state as any).context.check)).toBe(true);
    }
  });

  it('each enumerated path, driven with fake actors, ends where the graph says', async () => {
    expect(paths.length).toBeGreaterThan(100);
    for (const p of paths) {
      const want = (p.state as any).context;
      const { ctx } = await drive(base, p.steps as any);
      expect({
        provider: ctx.provider, findings: ctx.findings.map((f) => f.id), outcomes: ctx.fixOutcomes.length, kitPath: ctx.kitPath,
        kit: ctx.kit?.findings.map((f) => f.id), error: ctx.error, prevention: ctx.prevention.map((f) => f.id),
      }).toEqual({
        provider: want.provider, findings: want.findings.map((f: any) => f.id), outcomes: want.fixOutcomes.length, kitPath: want.kitPath,
        kit: want.kit?.findings.map((f: any) => f.id), error: want.error, prevention: want.prevention.map((f: any) => f.id),
      });
    }
  });

  it('--provider, instance and address on the command line start the check without questions; --yes applies each fix', async () => {
    const input: LockedOutInput = { ...base, provider: 'aws', target: { instance: 'i-1', myIp: '203.0.113.7' }, autoApply: true };
    const applied: string[] = [];
    const actor = createActor(
      lockedOutFlow.provide({
        actors: {
          cloudCheck: fromPromise(async () => checks.blocked!),
          applyFix: fromPromise(async ({ input: i }: any) => (applied.push(i.fix.id), { fixId: i.fix.id, ok: true, log: [] })),
        } as any,
      }),
      { input },
    ).start();
    await waitFor(actor, (s) => s.matches('steps'));
    expect(applied).toEqual(['cloud-allow-my-ip', 'cloud-enable-serial-console']);
    expect(actor.getSnapshot().context.target).toMatchObject({ provider: 'aws', instance: 'i-1', myIp: '203.0.113.7', port: 22 });
  });

  it('a provider whose CLI is not installed asks nothing and says so before the steps', () => {
    const aws = pathsFor({ ...base, provider: 'aws', installedClis: ['gcloud', 'az', 'doctl', 'hcloud'] });
    expect(aws.length).toBeGreaterThan(0);
    for (const p of aws) {
      expect(p.steps.some((s: any) => s.event.type === 'TARGET' || s.event.type.includes('cloudCheck'))).toBe(false);
      expect((p.state as any).context.check).toMatchObject({ status: 'missing', detail: 'The aws command is not installed here, so here are the console steps instead.' });
      expect((p.state as any).context.findings[0].id).toBe('cloud-cli-missing');
    }
  });

  it('a backup key that failed to be made is still advised; one that was made is not offered again', async () => {
    for (const ok of [false, true]) {
      const actor = createActor(
        lockedOutFlow.provide({ actors: { applyFix: fromPromise(async () => ({ fixId: 'create-backup-key', ok, log: [] })) } as any }),
        { input: { ...base, provider: 'physical' } },
      ).start();
      actor.send({ type: 'NEXT' });
      actor.send({ type: 'APPLY', fixId: 'create-backup-key' });
      await waitFor(actor, (s) => s.matches('preventionShown'));
      const advice = actor.getSnapshot().context.prevention.find((f) => f.id === 'prevent-backup-key')!;
      expect(advice.summary.startsWith('You have a backup key')).toBe(ok);
      expect(advice.fix?.id).toBe(ok ? undefined : 'create-backup-key');
    }
  });

  it('a declined fix runs nothing', async () => {
    let applied = 0;
    const actor = createActor(
      lockedOutFlow.provide({ actors: { cloudCheck: fromPromise(async () => checks.blocked!), applyFix: fromPromise(async () => (applied++, { fixId: 'x', ok: true, log: [] })) } as any }),
      { input: { ...base, provider: 'gcp' } },
    ).start();
    actor.send({ type: 'TARGET', target: { instance: 'web-1', myIp: '203.0.113.7' } });
    await waitFor(actor, (s) => s.matches('offerFix'));
    expect(actor.getSnapshot().context.queue[0]!.id).toBe('cloud-allow-my-ip');
    actor.send({ type: 'DECLINE' });
    actor.send({ type: 'DECLINE' });
    expect(actor.getSnapshot().matches('steps')).toBe(true);
    expect(applied).toBe(0);
  });
});
