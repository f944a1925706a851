// Every path of the client flow, enumerated from the machine itself and then driven for real
// with fake probes: each verdict must be reachable and must be what a run with those outputs says.
import { describe, expect, it } from 'vitest';
import { getSimplePaths } from '@xstate/graph';
import { createActor, fromPromise, waitFor, type AnyEventObject } from 'xstate';
import { clientFlow, type ClientInput } from '../../flows/client.js';
import { CLIENT_VERDICTS } from '../../src/client/findings.js';
import * as fx from './client-fixtures.js';

const samples: Record<string, Record<string, unknown>> = {
  target: { target: fx.target },
  keys: fx.keys,
  knownHosts: fx.knownHosts,
  dns: fx.dns,
  tcp: fx.tcp,
  otherPorts: fx.otherPorts,
  handshake: fx.handshake,
  login: fx.login,
  applyFix: { ok: { fixId: 'x', ok: true, log: ['$ chmod 0600 /root/.ssh/id_ed25519'] } },
};
const userEvents: Record<string, AnyEventObject[]> = {
  report: [{ type: 'QUIT' }, { type: 'LOCKED_OUT' }],
  confirming: [{ type: 'CONFIRM' }, { type: 'DECLINE' }],
};

function eventsFor(snapshot: any): AnyEventObject[] {
  const running = Object.keys(snapshot.children);
  // Local probes first: the parallel regions' order does not change the verdict, and fixing it
  // keeps the number of paths small.
  const local = running.filter((id) => id === 'keys' || id === 'knownHosts');
  const ids = local.length ? local : running;
  const out: AnyEventObject[] = ids.flatMap((id) => [
    ...Object.values(samples[id] ?? {}).map((output) => ({ type: `xstate.done.actor.${id}`, output })),
    { type: `xstate.error.actor.${id}`, error: new Error(`${id} broke`) },
  ]);
  for (const [state, evs] of Object.entries(userEvents)) if (snapshot.matches(state)) out.push(...evs);
  if (snapshot.matches('report')) {
    for (const f of snapshot.context.findings) if (f.fix) out.push({ type: 'FIX', fixId: f.fix.id });
  }
  return out;
}

// States are told apart by which sample each probe returned (cheap, unlike serialising facts).
const sampleName = new Map<unknown, string>(Object.entries(samples).flatMap(([id, outs]) => Object.entries(outs).map(([n, o]) => [o, `${id}.${n}`])));
const serializeState = (s: any) =>
  JSON.stringify({
    v: s.value,
    verdict: s.context.verdictId,
    facts: ['target', 'dns', 'tcp', 'otherPorts', 'keys', 'knownHosts', 'handshake', 'login'].map((k) => sampleName.get(s.context[k]) ?? null),
    probes: s.context.probes.length,
    fixes: s.context.findings.map((f: any) => f.fix?.id ?? '-'),
    outcomes: s.context.fixOutcomes.length,
    next: s.context.next,
  });

function pathsFor(input: ClientInput) {
  return getSimplePaths(clientFlow, {
    input,
    events: eventsFor as any,
    serializeState,
    toState: (s: any) => s.status === 'done',
  });
}

/** Runs the real machine with fakes that answer as the path's events did. */
async function drive(input: ClientInput, steps: { event: AnyEventObject }[]) {
  const outputs: Record<string, AnyEventObject> = {};
  const user: AnyEventObject[] = [];
  for (const { event } of steps) {
    const m = /^xstate\.(done|error)\.actor\.(.+)$/.exec(event.type);
    if (m) outputs[m[2]!] = event;
    else if (event.type !== 'xstate.init') user.push(event);
  }
  const fake = (id: string) =>
    fromPromise(async () => {
      const e = outputs[id];
      if (!e) throw new Error(`path never ran ${id}`);
      if (e.type.startsWith('xstate.error')) throw e.error;
      return e.output;
    });
  const actors = Object.fromEntries(Object.keys(samples).map((id) => [id, fake(id)]));
  const actor = createActor(clientFlow.provide({ actors: actors as any }), { input });
  actor.subscribe((s) => {
    if ((s.matches('report') || s.matches('confirming')) && Object.keys(s.children).length === 0 && user.length) {
      queueMicrotask(() => actor.send(user.shift() as any));
    }
  });
  actor.start();
  return (await waitFor(actor, (s) => s.status === 'done', { timeout: 2000 })).context;
}

const headless: ClientInput = { destination: 'box', sshFlags: [], timeoutMs: 5000, interactive: false, autoApply: false };

describe('client flow: every path', () => {

  const wizard: ClientInput = { ...headless, interactive: true };
  const auto: ClientInput = { ...headless, autoApply: true };

  it('reaches every verdict id, and nothing outside the documented list', () => {
    const reached = new Set(pathsFor(headless).map((p) => (p.state as any).context.verdictId));
    reached.delete(undefined); // the "could not read ssh settings" path ends before any verdict
    expect([...reached].sort()).toEqual(Object.keys(CLIENT_VERDICTS).sort());
  });

  for (const [name, input] of [
    ['headless (--json)', headless],
    ['interactive wizard', wizard],
    ['--yes', auto],
  ] as const) {
    it(`${name}: each enumerated path, run with fake probes, ends where the graph says`, async () => {
      const paths = pathsFor(input);
      expect(paths.length).toBeGreaterThan(20);
      // Headless: drive every path. Menus multiply paths without new probe logic, so the other
      // modes drive one path per distinct ending (verdict, menu choice, fixes run, probe failures).
      const seen = new Set<string>();
      for (const p of paths) {
        const key = JSON.stringify([
          (p.state as any).context.verdictId,
          (p.state as any).context.next,
          (p.state as any).context.fixOutcomes.length,
          p.steps.filter((s: any) => s.event.type.startsWith('xstate.error')).map((s: any) => s.event.type),
        ]);
        if (input !== headless && seen.has(key)) continue;
        seen.add(key);
        const expected = (p.state as any).context;
        const ctx = await drive(input, p.steps as any);
        expect({ verdict: ctx.verdictId, next: ctx.next, fixes: ctx.fixOutcomes.length }).toEqual({
          verdict: expected.verdictId,
          next: expected.next,
          fixes: expected.fixOutcomes.length,
        });
        expect(ctx.findings[0]?.id).toBe(expected.findings[0]?.id);
      }
    });
  }

  it('a declined fix runs nothing; a confirmed one runs once and then leaves the menu', async () => {
    let applied = 0;
    const actors = {
      ...Object.fromEntries(
        Object.entries({ target: fx.target, keys: fx.keys.tooOpen, knownHosts: fx.knownHosts.empty, dns: fx.dns.ok, tcp: fx.tcp.ssh, handshake: fx.handshake.newKey, login: fx.login.keyIgnored }).map(
          ([id, out]) => [id, fromPromise(async () => out)],
        ),
      ),
      applyFix: fromPromise(async ({ input }: any) => {
        applied++;
        return { fixId: input.fix.id, ok: true, log: [] };
      }),
    };
    const actor = createActor(clientFlow.provide({ actors: actors as any }), { input: wizard }).start();
    await waitFor(actor, (s) => s.matches('report'));
    expect(actor.getSnapshot().context.verdictId).toBe('private-key-permissions');
    actor.send({ type: 'FIX', fixId: 'chmod-private-key' });
    expect(actor.getSnapshot().context.pendingFix?.commands).toEqual([['chmod', '0600', '/root/.ssh/id_ed25519']]);
    actor.send({ type: 'DECLINE' });
    expect(actor.getSnapshot().matches('report')).toBe(true);
    expect(applied).toBe(0);
    actor.send({ type: 'FIX', fixId: 'chmod-private-key' });
    actor.send({ type: 'CONFIRM' });
    await waitFor(actor, (s) => s.matches('report'));
    expect(applied).toBe(1);
    actor.send({ type: 'FIX', fixId: 'chmod-private-key' }); // no longer offered: ignored
    expect(actor.getSnapshot().matches('report')).toBe(true);
    actor.send({ type: 'QUIT' });
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('through a jump host, probes go to the jump host and the target is reached only by ssh', async () => {
    const ran: string[] = [];
    const outputs: Record<string, unknown> = {
      target: { ...fx.target, proxyJump: 'bob@jump.lab:2200' },
      keys: fx.keys.good,
      knownHosts: fx.knownHosts.empty,
      dns: fx.dns.ok,
      tcp: fx.tcp.ssh,
      handshake: fx.handshake.newKey,
      login: fx.login.ok,
    };
    const inputs: Record<string, any> = {};
    const actors = Object.fromEntries(
      Object.entries(outputs).map(([id, out]) => [
        id,
        fromPromise(async ({ input }: any) => {
          ran.push(id);
          inputs[id] = input;
          return out;
        }),
      ]),
    );
    const actor = createActor(clientFlow.provide({ actors: actors as any }), { input: headless }).start();
    const ctx = (await waitFor(actor, (s) => s.status === 'done')).context;
    expect(inputs.dns.host).toBe('jump.lab');
    expect(inputs.tcp.port).toBe(2200);
    expect(ran).not.toContain('handshake');
    expect(ctx.verdictId).toBe('ok');
  });

  it('refused, SSH found on 2222: "diagnose port 2222" starts over there, with the same flags', async () => {
    const seen: any[] = [];
    const actors = {
      target: fromPromise(async ({ input }: any) => {
        seen.push(input.sshFlags);
        const p = input.sshFlags.indexOf('-p');
        return { ...fx.target, port: p >= 0 ? Number(input.sshFlags[p + 1]) : 22 };
      }),
      keys: fromPromise(async () => fx.keys.good),
      knownHosts: fromPromise(async () => fx.knownHosts.empty),
      dns: fromPromise(async () => fx.dns.ok),
      tcp: fromPromise(async ({ input }: any) => (input.port === 2222 ? fx.tcp.ssh : fx.tcp.refused)),
      otherPorts: fromPromise(async () => fx.otherPorts.found),
      handshake: fromPromise(async () => fx.handshake.newKey),
      login: fromPromise(async () => fx.login.ok),
    };
    const input = { ...headless, interactive: true, sshFlags: ['-p', '22', '-i', 'k'] };
    const actor = createActor(clientFlow.provide({ actors: actors as any }), { input }).start();
    await waitFor(actor, (s) => s.matches('report'));
    expect(actor.getSnapshot().context.verdictId).toBe('connection-refused');
    actor.send({ type: 'RETRY_PORT', port: 2200 }); // nothing SSH there: ignored
    expect(actor.getSnapshot().matches('report')).toBe(true);
    actor.send({ type: 'RETRY_PORT', port: 2222 });
    await waitFor(actor, (s) => s.matches('report'));
    const ctx = actor.getSnapshot().context;
    expect(seen).toEqual([['-p', '22', '-i', 'k'], ['-p', '2222', '-i', 'k']]);
    expect(ctx.verdictId).toBe('ok');
    expect(ctx.probes.filter((p) => p.id === 'tcp')).toHaveLength(1);
  });
});
