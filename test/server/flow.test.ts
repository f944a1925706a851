// Every path through flows/server.ts (from @xstate/graph), driven with fake actors.
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, toPromise } from 'xstate';
import { getSimplePaths } from '@xstate/graph';
import { serverFlow, type FixMode, type Gathered } from '../../flows/server.js';
import type { ServerFacts } from '../../src/server/facts.js';
import type { Fix } from '../../src/report.js';

const broken: ServerFacts = { target: { user: 'alice', port: 22 }, root: true, privsepDir: { path: '/run/sshd', exists: false } };
const healed: ServerFacts = { ...broken, privsepDir: { path: '/run/sshd', exists: true } };
const fix: Fix = { id: 'create-privsep-dir', title: 'Create /run/sshd', commands: [['install', '-d', '/run/sshd']], risk: 'none', undo: [['rmdir', '/run/sshd']] };
const proposeFix = (id: string) => (id === 'privsep-dir-missing' ? fix : undefined);
const g = (facts: ServerFacts): Gathered => ({ facts, probes: [] });

describe('server flow', () => {
  const modes: FixMode[] = ['report', 'ask', 'yes', 'dry-run'];
  for (const mode of modes) {
    it(`mode ${mode}: every simple path ends in a state the UI knows`, () => {
      const paths = getSimplePaths(serverFlow, {
        input: { mode, proposeFix },
        events: [
          { type: 'xstate.done.actor.gather', output: g(broken) } as any,
          { type: 'xstate.done.actor.applyFix', output: { ok: true, log: ['$ install -d /run/sshd'] } } as any,
          { type: 'xstate.done.actor.applyFix', output: { ok: false, log: ['failed'] } } as any,
          { type: 'xstate.done.actor.verify', output: g(healed) } as any,
          { type: 'xstate.done.actor.verify', output: g(broken) } as any,
          { type: 'xstate.error.actor.gather', error: new Error('boom') } as any,
          { type: 'CONFIRM' }, { type: 'DECLINE' }, { type: 'QUIT' },
        ],
      });
      const ends = new Set(paths.map((p) => String(p.state.value)));
      expect(paths.length).toBeGreaterThan(0);
      for (const e of ends) expect(['probing', 'asking', 'applying', 'verifying', 'done']).toContain(e);
      if (mode === 'ask') expect(ends).toContain('asking');
      if (mode === 'report' || mode === 'dry-run') expect([...ends].every((e) => e === 'probing' || e === 'done')).toBe(true);
    });
  }

  const run = async (mode: FixMode, answers: ('CONFIRM' | 'DECLINE')[], afterFix: ServerFacts, applyOk = true) => {
    let gathers = 0;
    const applied: Fix[] = [];
    const actor = createActor(
      serverFlow.provide({
        actors: {
          gather: fromPromise(async () => g(gathers++ === 0 ? broken : afterFix)),
          applyFix: fromPromise(async ({ input }: { input: { fix: Fix } }) => (applied.push(input.fix), { ok: applyOk, log: [applyOk ? 'ok' : 'failed'] })),
        },
      }),
      { input: { mode, proposeFix } },
    );
    actor.subscribe((s) => {
      if (s.matches('asking')) actor.send({ type: answers.shift()! });
    });
    actor.start();
    await toPromise(actor);
    return { ctx: actor.getSnapshot().context, applied };
  };

  it('report: findings only, nothing applied', async () => {
    const { ctx, applied } = await run('report', [], healed);
    expect(ctx.findings.map((f) => f.id)).toEqual(['privsep-dir-missing']);
    expect(ctx.findings[0]!.fix?.id).toBe('create-privsep-dir');
    expect(applied).toEqual([]);
  });
  it('ask + yes: applied, verified by a re-probe', async () => {
    const { ctx, applied } = await run('ask', ['CONFIRM'], healed);
    expect(applied.map((f) => f.id)).toEqual(['create-privsep-dir']);
    expect(ctx.outcomes.map((o) => o.status)).toEqual(['applied']);
    expect(ctx.findings).toEqual([]);
  });
  it('ask + no: declined, nothing applied', async () => {
    const { ctx, applied } = await run('ask', ['DECLINE'], healed);
    expect(applied).toEqual([]);
    expect(ctx.outcomes.map((o) => o.status)).toEqual(['declined']);
  });
  it('--yes: applied without asking; a fix that did not help is reported as not-resolved', async () => {
    const { ctx } = await run('yes', [], broken);
    expect(ctx.outcomes.map((o) => o.status)).toEqual(['not-resolved']);
  });
  it('--yes with a failing fix: failed, and not offered again', async () => {
    const { ctx } = await run('yes', [], healed, false);
    expect(ctx.outcomes.map((o) => o.status)).toEqual(['failed']);
  });
  it('--dry-run: shown, not applied', async () => {
    const { ctx, applied } = await run('dry-run', [], healed);
    expect(applied).toEqual([]);
    expect(ctx.outcomes.map((o) => o.status)).toEqual(['dry-run']);
  });

  describe('as a normal user: the rerun with sudo is offered last, in the wizard only', () => {
    // sshd -T could not run: root would see more.
    const asUser: ServerFacts = { ...broken, root: false, effective: { unknown: 'sshd must read its host keys', needsRoot: true } };
    const sudo = ['sudo', '--', '/usr/bin/node', '/opt/ssh-doctor.mjs', 'server', '--user', 'alice', '--port', '22'];
    const start = (mode: FixMode, answer: 'CONFIRM' | 'DECLINE', facts = asUser) => {
      const actor = createActor(
        serverFlow.provide({ actors: { gather: fromPromise(async () => g(facts)), applyFix: fromPromise(async () => ({ ok: true, log: [] as string[] }) as { ok: boolean; log: string[] }) } }),
        { input: { mode, proposeFix: () => undefined, sudo } },
      );
      const seen: string[] = [];
      actor.subscribe((s) => {
        seen.push(String(s.value));
        if (s.matches('offeringSudo')) actor.send({ type: answer });
      });
      actor.start();
      return toPromise(actor).then(() => ({ ctx: actor.getSnapshot().context, seen }));
    };
    it('yes: the flow ends asking for the rerun', async () => {
      const { ctx, seen } = await start('ask', 'CONFIRM');
      expect(seen).toContain('offeringSudo');
      expect(ctx.rerunWithSudo).toBe(true);
    });
    it('no: ends without it', async () => expect((await start('ask', 'DECLINE')).ctx.rerunWithSudo).toBeUndefined());
    it('--json or --yes never ask', async () => {
      for (const mode of ['report', 'yes', 'dry-run'] as const) expect((await start(mode, 'CONFIRM')).seen).not.toContain('offeringSudo');
    });
    it('as root, or when nothing needed root: not offered', async () => {
      expect((await start('ask', 'CONFIRM', { ...asUser, root: true, effective: { context: { user: 'alice', host: 'h', addr: '127.0.0.1' }, config: {} } })).seen).not.toContain('offeringSudo');
      expect((await start('ask', 'CONFIRM', { ...asUser, effective: { context: { user: 'alice', host: 'h', addr: '127.0.0.1' }, config: {} } })).seen).not.toContain('offeringSudo');
    });
    it('every simple path ends in a state the UI knows', () => {
      const paths = getSimplePaths(serverFlow, {
        input: { mode: 'ask', proposeFix: () => undefined, sudo },
        events: [{ type: 'xstate.done.actor.gather', output: g(asUser) } as any, { type: 'CONFIRM' }, { type: 'DECLINE' }, { type: 'QUIT' }],
      });
      expect(new Set(paths.map((p) => String(p.state.value)))).toEqual(new Set(['probing', 'offeringSudo', 'done']));
    });
  });
});

