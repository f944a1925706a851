// The client flow beyond its verdict: what each probe is given, how long each is said to have
// taken, what a fix or a probe that fails leaves in the report, and which hosts are this machine.
// Expected values are written by hand from the probes' contracts (src/client/probes/types.ts).
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, waitFor } from 'xstate';
import { clientFlow, onThisMachine, type ClientInput } from '../../flows/client.js';
import * as fx from './client-fixtures.js';
import { run } from './helper.js';

const headless = fx.headlessInput;
const wizard: ClientInput = { ...headless, interactive: true };
const { healthy } = fx;
const keyIgnored = { ...healthy, keys: fx.keys.tooOpen, login: fx.login.keyIgnored };
const later =
  <T>(ms: number, out: T) =>
  () =>
    new Promise<T>((done) => setTimeout(() => done(out), ms));

describe('which hosts are this machine', () => {
  const table: [string | undefined, boolean][] = [
    ['localhost', true],
    ['LocalHost', true],
    ['web.localhost', true],
    ['localhost.example.com', false],
    ['mylocalhost', false],
    ['::1', true],
    ['[::1]', true],
    ['::2', false],
    ['127.0.0.1', true],
    ['127.10.20.30', true],
    ['127.0.0.1.example.com', false],
    ['10.127.0.0.1', false],
    ['127.0.0', false],
    ['128.0.0.1', false],
    ['web.example.net', false],
    ['', false],
    [undefined, false],
  ];
  for (const [host, here] of table)
    it(`${JSON.stringify(host)}: ${here ? 'here' : 'elsewhere'}`, () => expect(onThisMachine(host)).toBe(here));
});

describe('client flow: what each probe is given', () => {
  it('the run settings, the one deadline, known_hosts key types for the handshake', async () => {
    const given: Record<string, any> = {};
    const answer =
      (id: string, out: unknown, ms = 0) =>
      (input: unknown) => {
        given[id] = input;
        return later(ms, out)();
      };
    const input = { ...headless, sshFlags: ['-4'] };
    await run(clientFlow, input, {
      ...healthy,
      keys: answer('keys', fx.keys.good),
      // Slower than the network: the handshake still waits for the key types it holds.
      knownHosts: answer('knownHosts', fx.knownHosts.current, 50),
      dns: answer('dns', fx.dns.ok),
      tcp: answer('tcp', fx.tcp.ssh),
      handshake: answer('handshake', fx.handshake.newKey),
      login: answer('login', fx.login.ok),
    });
    const deadline = (ms: number, of: number) => ms > of - 2000 && ms <= of;
    expect(given.keys).toStrictEqual({ target: fx.target, sshFlags: ['-4'], timeoutMs: 5000 });
    expect(given.knownHosts).toStrictEqual({ target: fx.target, timeoutMs: 5000 });
    expect({ ...given.dns, timeoutMs: deadline(given.dns.timeoutMs, 5000) }).toStrictEqual({
      host: '127.0.0.1',
      family: 'any',
      timeoutMs: true,
    });
    expect({ ...given.tcp, timeoutMs: deadline(given.tcp.timeoutMs, 5000) }).toStrictEqual({
      addresses: ['127.0.0.1'],
      port: 22,
      timeoutMs: true,
    });
    expect({ ...given.handshake, timeoutMs: deadline(given.handshake.timeoutMs, 5000) }).toStrictEqual({
      address: '127.0.0.1',
      port: 22,
      user: 'alice',
      timeoutMs: true,
      preferredHostKeyTypes: ['ssh-ed25519'],
    });
    expect({
      ...given.login,
      timeoutMs: deadline(given.login.timeoutMs, 5000),
      ceilingMs: deadline(given.login.ceilingMs, 30_000),
    }).toStrictEqual({ destination: 'box', sshFlags: ['-4'], target: fx.target, timeoutMs: true, ceilingMs: true });
  });

  it('refused: the other ports get at most 2 s', async () => {
    const given: Record<string, any> = {};
    await run(
      clientFlow,
      { ...headless, timeoutMs: 10_000 },
      {
        ...healthy,
        tcp: fx.tcp.refused,
        otherPorts: (input: unknown) => ((given.otherPorts = input), fx.otherPorts.none),
      },
    );
    expect(given.otherPorts.timeoutMs).toBe(2000);
  });

  it('one address closes before a banner, the other answers SSH: the handshake goes to the one that answered', async () => {
    const given: Record<string, any> = {};
    const tcp = {
      attempts: [
        { address: '2001:db8::1', port: 22, outcome: 'connected', ms: 1, bannerOutcome: 'closed' },
        ...fx.tcp.ssh!.attempts,
      ],
    };
    const { context } = await run(clientFlow, headless, {
      ...healthy,
      tcp,
      handshake: (input: unknown) => ((given.handshake = input), fx.handshake.newKey),
    });
    expect([context.verdictId, given.handshake.address]).toEqual(['ok', '127.0.0.1']);
  });
});

describe('client flow: what the report says of each probe', () => {
  it('each probe took as long as it did, timed from its own start', async () => {
    const ms = 60;
    const { context } = await run(
      clientFlow,
      headless,
      Object.fromEntries(Object.entries(healthy).map(([id, out]) => [id, later(ms, out)])),
    );
    const took = Object.fromEntries(context.probes.map((p) => [p.id, p.durationMs >= ms - 10 && p.durationMs < 5000]));
    expect(took).toStrictEqual({
      config: true,
      keys: true,
      'known-hosts': true,
      dns: true,
      tcp: true,
      handshake: true,
      login: true,
    });
  });

  it('local probes not waited for: the time they had, until the network decided', async () => {
    const never = () => new Promise(() => {});
    const { context } = await run(clientFlow, headless, {
      ...healthy,
      keys: never,
      tcp: later(100, fx.tcp.refused),
    });
    const keys = context.probes.find((p) => p.id === 'keys')!;
    expect([keys.status, keys.durationMs >= 90 && keys.durationMs < 5000]).toEqual(['unknown', true]);
  });

  it('a probe that could not run: unknown, with its error', async () => {
    const { context } = await run(clientFlow, headless, { ...healthy, handshake: new Error('kex: connection reset') });
    expect(context.probes.find((p) => p.id === 'handshake')).toMatchObject({
      status: 'unknown',
      detail: 'could not run: kex: connection reset',
    });
  });
});

describe('client flow: fixes in the report', () => {
  // The key is too open and the host is new: two findings, only the first with a fix.
  const twoFindings = { ...keyIgnored, knownHosts: fx.knownHosts.empty };
  const fixIds = (findings: { fix?: { id: string } }[]) => findings.map((f) => f.fix?.id ?? '-');

  it('--yes: the one fix among the findings runs', async () => {
    const { context } = await run(
      clientFlow,
      { ...headless, autoApply: true },
      {
        ...twoFindings,
        applyFix: (input: { fix: { id: string } }) => ({ fixId: input.fix.id, status: 'applied', log: [] }),
      },
    );
    expect(context.fixOutcomes.map((o) => `${o.fixId}: ${o.status}`)).toEqual(['chmod-private-key: applied']);
  });

  it('the wizard: the fix chosen runs with the target, then leaves the menu; the other findings stay', async () => {
    const given: unknown[] = [];
    const { snapshot, context } = await run(
      clientFlow,
      wizard,
      {
        ...twoFindings,
        applyFix: (input: { fix: { id: string } }) => {
          given.push(input);
          return { fixId: input.fix.id, status: 'applied', log: [] };
        },
      },
      [{ type: 'FIX', fixId: 'chmod-private-key' }, { type: 'CONFIRM' }],
    );
    expect(given).toMatchObject([{ fix: { id: 'chmod-private-key' }, target: fx.target }]);
    expect([snapshot.value, context.findings.map((f) => f.id), fixIds(context.findings)]).toEqual([
      'report',
      ['private-key-permissions', 'host-key-unknown'],
      ['-', '-'],
    ]);
  });

  it('a fix that throws: failed, with the error as its log', async () => {
    const { snapshot, context } = await run(
      clientFlow,
      wizard,
      { ...keyIgnored, applyFix: new Error('chmod: Operation not permitted') },
      [{ type: 'FIX', fixId: 'chmod-private-key' }, { type: 'CONFIRM' }],
    );
    expect([snapshot.value, context.fixOutcomes]).toEqual([
      'report',
      [{ fixId: 'chmod-private-key', status: 'failed', log: ['Error: chmod: Operation not permitted'] }],
    ]);
  });

  it('q in the menu ends the run', async () => {
    const { snapshot } = await run(clientFlow, wizard, healthy, [{ type: 'QUIT' }]);
    expect(snapshot.status).toBe('done');
  });
});

describe('client flow: an actor the command forgot to provide', () => {
  const table: [string, Record<string, unknown>, string][] = [
    ['keys', healthy, 'keys'],
    ['knownHosts', healthy, 'known-hosts'],
    ['dns', healthy, 'dns'],
    ['tcp', healthy, 'tcp'],
    ['otherPorts', { ...healthy, tcp: fx.tcp.refused }, 'other-ports'],
    ['handshake', healthy, 'handshake'],
    ['login', healthy, 'login'],
  ];
  const without = (actor: string, answers: Record<string, unknown>) =>
    clientFlow.provide({
      actors: Object.fromEntries(
        Object.entries(answers)
          .filter(([id]) => id !== actor)
          .map(([id, out]) => [id, fromPromise(async () => out)]),
      ),
    } as never);

  for (const [actor, answers, probe] of table)
    it(`${actor}: its probe names it`, async () => {
      const flow = createActor(without(actor, answers), { input: headless }).start();
      const { context } = await waitFor(flow, (s) => s.status === 'done', { timeout: 2000 });
      expect(context.probes.find((p) => p.id === probe)?.detail).toBe(`could not run: actor ${actor} not provided`);
    });

  it('target: the run stops, saying so', async () => {
    const flow = createActor(without('target', healthy), { input: headless }).start();
    const { context } = await waitFor(flow, (s) => s.status === 'done', { timeout: 2000 });
    expect(context.error).toBe('actor target not provided');
  });

  it('applyFix and password: the fix fails and the attempt is not known, each saying which', async () => {
    const fix = createActor(without('applyFix', { ...keyIgnored }), {
      input: { ...headless, autoApply: true },
    }).start();
    const fixed = await waitFor(fix, (s) => s.status === 'done', { timeout: 2000 });
    expect(fixed.context.fixOutcomes[0]?.log).toEqual(['Error: actor applyFix not provided']);

    const password = createActor(without('password', { ...healthy, login: fx.login.passwordOnly }), {
      input: wizard,
    }).start();
    await waitFor(password, (s) => s.matches('offeringPassword'), { timeout: 2000 });
    password.send({ type: 'CONFIRM' });
    const asked = await waitFor(password, (s) => s.matches('report'), { timeout: 2000 });
    expect(asked.context.probes.find((p) => p.id === 'password-login')?.detail).toBe(
      'could not run: actor password not provided',
    );
  });
});
