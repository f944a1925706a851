// The locked-out flow. A decision table, written by hand, says what each kind of run checks, runs
// and ends with, headless and in the wizard; then every path is enumerated and driven with fakes.
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, waitFor, type AnyEventObject } from 'xstate';
import { lockedOutFlow, type LockedOutInput } from '../../flows/locked-out.js';
import type { CloudCheck } from '../../src/locked-out/cloud/types.js';
import { PROVIDERS } from '../../src/locked-out/providers.js';
import { describePaths, drive, pathsOf, run, type FlowModel } from './helper.js';

const fix = (id: string) => ({ id, title: id, commands: [['true']], risk: 'none', undo: 'nothing' });
const checks: Record<string, CloudCheck> = {
  blocked: {
    cli: 'aws',
    status: 'ok',
    detail: 'blocked',
    findings: [
      { id: 'cloud-firewall-blocks-ssh', severity: 'error', summary: 's', evidence: [], fix: fix('cloud-allow-my-ip') },
      {
        id: 'cloud-serial-console-disabled',
        severity: 'warning',
        summary: 's',
        evidence: [],
        fix: fix('cloud-enable-serial-console'),
      },
    ],
    probes: [{ id: 'aws-instance', status: 'ok', durationMs: 1, detail: 'running' }],
  },
  missing: {
    cli: 'aws',
    status: 'missing',
    detail: 'missing',
    findings: [{ id: 'cloud-cli-missing', severity: 'info', summary: 's', evidence: [] }],
    probes: [],
  },
};
const kit = {
  findings: [{ id: 'nologin-present', severity: 'error' as const, summary: 's', evidence: [] }],
  repair: 'mv /etc/nologin /etc/nologin.bak\n',
};
const outputs = {
  cloudCheck: checks.blocked!,
  applyFix: ({ fix: f }: { fix: { id: string } }) => ({ fixId: f.id, status: 'applied', log: [] }),
  applyPrevention: { fixId: 'create-backup-key', status: 'applied', log: [] },
  saveKit: '/tmp/ssh-doctor-kit.sh',
  decodeKit: kit,
};

const wizard: LockedOutInput = {
  user: 'alice',
  port: 22,
  interactive: true,
  autoApply: false,
  backupKeyPath: '/root/.ssh/id_ed25519_rescue',
  backupKeyExists: false,
  checkable: ['aws', 'gcp', 'azure', 'digitalocean', 'hetzner'],
  installedClis: ['aws', 'gcloud', 'az', 'doctl', 'hcloud'],
};
const headless: LockedOutInput = { ...wizard, interactive: false };
const awsTarget = { provider: 'aws' as const, target: { instance: 'i-1', myIp: '203.0.113.7' } };
const prevention = ['prevent-second-sshd', 'prevent-backup-key', 'prevent-keep-session'];
const ran = (calls: string[]) => calls.filter((c) => c !== 'cloudCheck').join(' ');

// [what happens, input, answers that differ, what the person sends, the findings (cloud, then the
// kit's), the actors that ran besides the check, where it ends]
const table: [string, LockedOutInput, Record<string, unknown>, AnyEventObject[], string[], string, string][] = [
  [
    'headless, instance and address given: checked, fixes declined',
    { ...headless, ...awsTarget },
    {},
    [],
    ['cloud-firewall-blocks-ssh', 'cloud-serial-console-disabled'],
    '',
    'done',
  ],
  [
    'headless with --yes: each cloud fix runs',
    { ...headless, ...awsTarget, autoApply: true },
    {},
    [],
    ['cloud-firewall-blocks-ssh', 'cloud-serial-console-disabled'],
    'applyFix applyFix',
    'done',
  ],
  ['headless without an instance: no check', { ...headless, provider: 'aws' }, {}, [], [], '', 'done'],
  [
    'headless, the CLI is not installed: said so, no check',
    { ...headless, ...awsTarget, installedClis: [] },
    {},
    [],
    ['cloud-cli-missing'],
    '',
    'done',
  ],
  ['headless, a provider without a CLI check', { ...headless, provider: 'physical' }, {}, [], [], '', 'done'],
  [
    'headless, the check fails',
    { ...headless, ...awsTarget },
    { cloudCheck: new Error('aws: throttled') },
    [],
    [],
    '',
    'done',
  ],
  [
    'wizard: the provider, the instance, both fixes declined, then done',
    { ...wizard },
    {},
    [
      { type: 'CHOOSE', provider: 'gcp' },
      { type: 'TARGET', target: { instance: 'web-1', myIp: '203.0.113.7' } },
      { type: 'DECLINE' },
      { type: 'DECLINE' },
      { type: 'NEXT' },
      { type: 'DONE' },
    ],
    ['cloud-firewall-blocks-ssh', 'cloud-serial-console-disabled'],
    '',
    'done',
  ],
  [
    'wizard: the first fix confirmed, the second declined; the steps wait',
    { ...wizard, provider: 'gcp' },
    {},
    [{ type: 'TARGET', target: { instance: 'web-1', myIp: '203.0.113.7' } }, { type: 'CONFIRM' }, { type: 'DECLINE' }],
    ['cloud-firewall-blocks-ssh', 'cloud-serial-console-disabled'],
    'applyFix',
    'steps',
  ],
  [
    'wizard with --yes: the fixes run, the steps wait',
    { ...wizard, ...awsTarget, autoApply: true },
    {},
    [],
    ['cloud-firewall-blocks-ssh', 'cloud-serial-console-disabled'],
    'applyFix applyFix',
    'steps',
  ],
  ['wizard: no instance given, skipped', { ...wizard, provider: 'aws' }, {}, [{ type: 'SKIP' }], [], '', 'steps'],
  [
    'wizard: the kit, its block pasted back, prevention, a backup key',
    { ...wizard, provider: 'physical' },
    {},
    [
      { type: 'KIT' },
      { type: 'PASTE', text: 'block' },
      { type: 'NEXT' },
      { type: 'APPLY', fixId: 'create-backup-key' },
      { type: 'DONE' },
    ],
    ['nologin-present'],
    'saveKit decodeKit applyPrevention',
    'done',
  ],
  [
    'wizard: a block the user already has',
    { ...wizard, provider: 'physical' },
    {},
    [{ type: 'PASTE', text: 'block' }],
    ['nologin-present'],
    'decodeKit',
    'repair',
  ],
  [
    'wizard: a block that does not decode: asked again',
    { ...wizard, provider: 'physical' },
    { decodeKit: new Error('not a kit block') },
    [{ type: 'PASTE', text: 'x' }],
    [],
    'decodeKit',
    'awaitResult',
  ],
  [
    'wizard: the kit skipped',
    { ...wizard, provider: 'physical' },
    {},
    [{ type: 'KIT' }, { type: 'SKIP' }, { type: 'DONE' }],
    [],
    'saveKit',
    'done',
  ],
];

describe('locked-out flow: the decision table', () => {
  for (const [what, input, answers, sent, findings, actors, end] of table) {
    it(what, async () => {
      const { snapshot, context, calls } = await run(lockedOutFlow, input, { ...outputs, ...answers }, sent);
      expect([...context.findings, ...(context.kit?.findings ?? [])].map((f) => f.id)).toEqual(findings);
      expect(ran(calls)).toBe(actors);
      expect(snapshot.value).toBe(end);
      if (end === 'done') expect(context.prevention.map((f) => f.id)).toEqual(prevention);
    });
  }

  it('the check runs on what the command line gave', async () => {
    const { context } = await run(lockedOutFlow, { ...headless, ...awsTarget }, outputs);
    expect(context.target).toMatchObject({ provider: 'aws', instance: 'i-1', myIp: '203.0.113.7', port: 22 });
  });

  it('a backup key that failed to be made is still advised; one that was made is not offered again', async () => {
    for (const ok of [false, true]) {
      const { context } = await run(
        lockedOutFlow,
        { ...wizard, provider: 'physical' },
        { ...outputs, applyPrevention: { fixId: 'create-backup-key', status: ok ? 'applied' : 'failed', log: [] } },
        [{ type: 'NEXT' }, { type: 'APPLY', fixId: 'create-backup-key' }],
      );
      const advice = context.prevention.find((f) => f.id === 'prevent-backup-key')!;
      expect(advice.summary.startsWith('You have a backup key')).toBe(ok);
      expect(advice.fix?.id).toBe(ok ? undefined : 'create-backup-key');
    }
  });
});

// What each kind of run keeps for the report, written by hand: [what happens, input, answers that
// differ, what the person sends, where it ends, the error said, the probes listed, the fixes run
// (id: status), the kit saved]
const records: [
  string,
  LockedOutInput,
  Record<string, unknown>,
  AnyEventObject[],
  string,
  string | undefined,
  string[],
  string[],
  string | undefined,
][] = [
  [
    'headless, the check fails: its error is said',
    { ...headless, ...awsTarget },
    { cloudCheck: new Error('aws: throttled') },
    [],
    'done',
    'aws: throttled',
    [],
    [],
    undefined,
  ],
  [
    'headless, the check ran: its probes are listed',
    { ...headless, ...awsTarget },
    {},
    [],
    'done',
    undefined,
    ['aws-instance'],
    [],
    undefined,
  ],
  [
    'headless, the CLI is not installed: listed as a probe that could not run',
    { ...headless, ...awsTarget, installedClis: ['gcloud'] },
    {},
    [],
    'done',
    undefined,
    ['aws-cli'],
    [],
    undefined,
  ],
  [
    'headless, a provider with a CLI but no check for it: nothing said about the CLI',
    { ...headless, ...awsTarget, checkable: ['gcp'], installedClis: [] },
    {},
    [],
    'done',
    undefined,
    [],
    [],
    undefined,
  ],
  [
    'headless, an instance but not your address: no check',
    { ...headless, provider: 'aws', target: { instance: 'i-1' } },
    {},
    [],
    'done',
    undefined,
    [],
    [],
    undefined,
  ],
  [
    'headless, your address but no instance: no check',
    { ...headless, provider: 'aws', target: { myIp: '203.0.113.7' } },
    {},
    [],
    'done',
    undefined,
    [],
    [],
    undefined,
  ],
  [
    '--yes: each fix runs once, in the order found',
    { ...headless, ...awsTarget, autoApply: true },
    {},
    [],
    'done',
    undefined,
    ['aws-instance'],
    ['cloud-allow-my-ip: applied', 'cloud-enable-serial-console: applied'],
    undefined,
  ],
  [
    '--yes, the first fix cannot run: said, and the second still runs',
    { ...headless, ...awsTarget, autoApply: true },
    {
      applyFix: ({ fix: f }: { fix: { id: string } }) =>
        f.id === 'cloud-allow-my-ip' ? new Error('aws: AccessDenied') : { fixId: f.id, status: 'applied', log: [] },
    },
    [],
    'done',
    'aws: AccessDenied',
    ['aws-instance'],
    ['cloud-enable-serial-console: applied'],
    undefined,
  ],
  [
    'wizard: the first fix declined, the second confirmed',
    { ...wizard, ...awsTarget },
    {},
    [{ type: 'DECLINE' }, { type: 'CONFIRM' }],
    'steps',
    undefined,
    ['aws-instance'],
    ['cloud-enable-serial-console: applied'],
    undefined,
  ],
  [
    'wizard: q while a fix is offered stops there, nothing runs',
    { ...wizard, ...awsTarget },
    {},
    [{ type: 'QUIT' }],
    'done',
    undefined,
    ['aws-instance'],
    [],
    undefined,
  ],
  [
    'wizard: the kit is saved, its path kept',
    { ...wizard, provider: 'physical' },
    {},
    [{ type: 'KIT' }],
    'awaitResult',
    undefined,
    [],
    [],
    '/tmp/ssh-doctor-kit.sh',
  ],
  [
    'wizard: the kit cannot be saved: said, and a block is still asked for',
    { ...wizard, provider: 'physical' },
    { saveKit: new Error('EACCES: permission denied') },
    [{ type: 'KIT' }],
    'awaitResult',
    'EACCES: permission denied',
    [],
    [],
    undefined,
  ],
  [
    'wizard: a block that does not decode, then one that does: the error is gone',
    { ...wizard, provider: 'physical' },
    { decodeKit: (given: { text: string }) => (given.text === 'block' ? kit : new Error('not a kit block')) },
    [
      { type: 'PASTE', text: 'x' },
      { type: 'PASTE', text: 'block' },
    ],
    'repair',
    undefined,
    [],
    [],
    undefined,
  ],
  [
    'wizard: a block that does not decode is said',
    { ...wizard, provider: 'physical' },
    { decodeKit: new Error('not a kit block') },
    [{ type: 'PASTE', text: 'x' }],
    'awaitResult',
    'not a kit block',
    [],
    [],
    undefined,
  ],
  [
    'wizard: a fix id that prevention does not offer is ignored',
    { ...wizard, provider: 'physical' },
    {},
    [{ type: 'NEXT' }, { type: 'APPLY', fixId: 'cloud-allow-my-ip' }],
    'prevention',
    undefined,
    [],
    [],
    undefined,
  ],
  [
    'wizard: the backup key cannot be made: said',
    { ...wizard, provider: 'physical' },
    { applyPrevention: new Error('ssh-keygen: exit 1') },
    [{ type: 'NEXT' }, { type: 'APPLY', fixId: 'create-backup-key' }],
    'preventionShown',
    'ssh-keygen: exit 1',
    [],
    [],
    undefined,
  ],
  [
    'wizard: the backup key is made',
    { ...wizard, provider: 'physical' },
    {},
    [{ type: 'NEXT' }, { type: 'APPLY', fixId: 'create-backup-key' }, { type: 'DONE' }],
    'done',
    undefined,
    [],
    ['create-backup-key: applied'],
    undefined,
  ],
];

describe('locked-out flow: what the report keeps', () => {
  for (const [what, input, answers, sent, end, error, probes, outcomes, kitPath] of records) {
    it(what, async () => {
      const { snapshot, context } = await run(lockedOutFlow, input, { ...outputs, ...answers }, sent);
      expect({
        end: snapshot.value,
        finished: snapshot.status === 'done',
        error: context.error,
        probes: context.probes.map((p) => p.id),
        outcomes: context.fixOutcomes.map((o) => `${o.fixId}: ${o.status}`),
        kitPath: context.kitPath,
      }).toStrictEqual({ end, finished: end === 'done', error, probes, outcomes, kitPath });
    });
  }

  it('the CLI is not installed: what the user reads', async () => {
    const { context } = await run(lockedOutFlow, { ...headless, ...awsTarget, installedClis: [] }, outputs);
    const said = 'The aws command is not installed here, so here are the console steps instead.';
    expect(context.check).toStrictEqual({
      cli: 'aws',
      status: 'missing',
      detail: said,
      findings: [
        { id: 'cloud-cli-missing', severity: 'info', summary: said, evidence: ['aws is not installed (not on PATH)'] },
      ],
      probes: [{ id: 'aws-cli', status: 'unknown', durationMs: 0, detail: 'aws is not installed (not on PATH)' }],
    });
  });
});

describe('locked-out flow: an actor the command forgot to provide', () => {
  const table: [string, LockedOutInput, AnyEventObject[]][] = [
    ['cloudCheck', { ...headless, ...awsTarget }, []],
    ['applyFix', { ...headless, ...awsTarget, autoApply: true }, []],
    ['saveKit', { ...wizard, provider: 'physical' }, [{ type: 'KIT' }]],
    ['decodeKit', { ...wizard, provider: 'physical' }, [{ type: 'PASTE', text: 'block' }]],
  ];
  for (const [actor, input, sent] of table)
    it(`${actor}: the error names it`, async () => {
      const actors = Object.fromEntries(
        Object.entries(outputs)
          .filter(([id]) => id !== actor && id !== 'applyPrevention')
          .map(([id, out]) => [
            id,
            fromPromise(async ({ input: given }) => (typeof out === 'function' ? out(given as never) : out)),
          ]),
      );
      const flow = createActor(lockedOutFlow.provide({ actors } as never), { input }).start();
      for (const event of sent) flow.send(event as never);
      const { context } = await waitFor(flow, (s) => s.context.error !== undefined, { timeout: 2000 });
      expect(context.error).toBe(`actor ${actor} not provided`);
    });
});

describe('locked-out flow: what the actors are given', () => {
  const given: Record<string, unknown[]> = {};
  const answer = (id: string) => (input: unknown) => {
    (given[id] ??= []).push(input);
    const o = outputs[id as keyof typeof outputs];
    return typeof o === 'function' ? o(input as never) : o;
  };
  const recording = Object.fromEntries(Object.keys(outputs).map((id) => [id, answer(id)]));

  it('the wizard: the instance typed in, on the port of the run, for the provider chosen', async () => {
    await run(lockedOutFlow, { ...wizard, port: 2200 }, recording, [
      { type: 'CHOOSE', provider: 'gcp' },
      { type: 'TARGET', target: { instance: 'web-1', myIp: '203.0.113.7' } },
    ]);
    expect(given.cloudCheck).toStrictEqual([{ instance: 'web-1', myIp: '203.0.113.7', provider: 'gcp', port: 2200 }]);
  });

  it('each fix as found, the kit for the user and port, the pasted block, the backup key', async () => {
    for (const k of Object.keys(given)) delete given[k];
    await run(lockedOutFlow, { ...wizard, ...awsTarget, autoApply: true, port: 2200 }, recording, [
      { type: 'KIT' },
      { type: 'PASTE', text: 'block' },
      { type: 'NEXT' },
      { type: 'APPLY', fixId: 'create-backup-key' },
    ]);
    expect((given.applyFix as { fix: { id: string } }[]).map((g) => g.fix.id)).toEqual([
      'cloud-allow-my-ip',
      'cloud-enable-serial-console',
    ]);
    expect(given.saveKit).toStrictEqual([{ user: 'alice', port: 2200 }]);
    expect(given.decodeKit).toStrictEqual([{ text: 'block' }]);
    expect((given.applyPrevention as { fix: { id: string } }[]).map((g) => g.fix.id)).toEqual(['create-backup-key']);
  });
});

describePaths('locked-out flow: every path', () => {
  const model: FlowModel<typeof lockedOutFlow> = {
    machine: lockedOutFlow,
    outputs: {
      cloudCheck: checks,
      applyFix: { ok: { fixId: 'x', status: 'applied', log: [] } },
      applyPrevention: {
        ok: { fixId: 'create-backup-key', status: 'applied', log: [] },
        failed: { fixId: 'create-backup-key', status: 'failed', log: ['ssh-keygen: exit 1'] },
      },
      saveKit: { saved: '/tmp/ssh-doctor-kit.sh' },
      decodeKit: { nologin: kit },
    },
    answers: {
      chooseProvider: PROVIDERS.map((p) => ({ type: 'CHOOSE', provider: p.id })),
      askTarget: [{ type: 'TARGET', target: { instance: 'i-1', myIp: '203.0.113.7' } }, { type: 'SKIP' }],
      offerFix: [{ type: 'CONFIRM' }, { type: 'DECLINE' }],
      steps: [{ type: 'KIT' }, { type: 'PASTE', text: 'block' }, { type: 'NEXT' }],
      awaitResult: [{ type: 'PASTE', text: 'block' }, { type: 'SKIP' }],
      repair: [{ type: 'NEXT' }],
      prevention: [{ type: 'APPLY', fixId: 'create-backup-key' }, { type: 'DONE' }],
      preventionShown: [{ type: 'DONE' }],
    },
    serialize: (s) => ({
      v: s.value,
      p: s.context.provider,
      q: s.context.queue.length,
      o: s.context.fixOutcomes.length,
      f: s.context.findings.length,
      k: s.context.kitPath,
      r: s.context.kit?.repair,
      e: s.context.error,
      pv: s.context.prevention.map((f: any) => f.fix?.id ?? '-'),
    }),
  };
  const summary = (ctx: any) => ({
    provider: ctx.provider,
    findings: ctx.findings.map((f: any) => f.id),
    outcomes: ctx.fixOutcomes.length,
    kitPath: ctx.kitPath,
    kit: ctx.kit?.findings.map((f: any) => f.id),
    error: ctx.error,
    prevention: ctx.prevention.map((f: any) => f.id),
  });

  // Enumerated on first use, not while the file is collected: a skipped describe still runs its
  // body, and under `npm run mutate` this enumeration cost every mutant minutes. Within a test it
  // needs the longer timeout (two minutes on the loaded 2-core machine).
  let enumerated: ReturnType<typeof pathsOf<typeof lockedOutFlow>> | undefined;
  const wizardPaths = () => (enumerated ??= pathsOf(model, wizard));

  it('walks every provider, and the cloud check only for providers with a CLI check', () => {
    const paths = wizardPaths();
    const chosen = new Set(paths.map((p) => p.state.context.provider));
    expect([...chosen].sort()).toEqual(PROVIDERS.map((p) => p.id).sort());
    for (const p of paths) {
      if (p.steps.some((s) => s.event.type.startsWith('xstate.done.actor.cloudCheck')))
        expect(wizard.checkable).toContain(p.state.context.provider);
    }
    for (const id of wizard.checkable)
      expect(paths.some((p) => p.state.context.provider === id && p.state.context.check)).toBe(true);
  }, 300_000);

  it('the wizard: each enumerated path, driven with fake actors, ends where the graph says', async () => {
    const paths = wizardPaths();
    expect(paths.length).toBeGreaterThan(100);
    for (const p of paths)
      expect(summary((await drive(lockedOutFlow, wizard, p.steps as { event: AnyEventObject }[])).context)).toEqual(
        summary(p.state.context),
      );
  }, 300_000);

  it('headless: every path asks nothing and ends', async () => {
    for (const input of [headless, { ...headless, autoApply: true }]) {
      for (const provider of PROVIDERS.map((p) => p.id)) {
        const given = { ...input, provider, target: { instance: 'i-1', myIp: '203.0.113.7' } };
        const headlessPaths = pathsOf(model, given);
        expect(headlessPaths.length).toBeGreaterThan(0);
        for (const p of headlessPaths) {
          expect(p.steps.every((s) => s.event.type.startsWith('xstate.'))).toBe(true);
          expect(summary((await drive(lockedOutFlow, given, p.steps as { event: AnyEventObject }[])).context)).toEqual(
            summary(p.state.context),
          );
        }
      }
    }
  });

  it('a provider whose CLI is not installed asks nothing and says so before the steps', () => {
    const aws = pathsOf(model, { ...wizard, provider: 'aws', installedClis: ['gcloud', 'az', 'doctl', 'hcloud'] });
    expect(aws.length).toBeGreaterThan(0);
    for (const p of aws) {
      expect(p.steps.some((s) => s.event.type === 'TARGET' || s.event.type.includes('cloudCheck'))).toBe(false);
      expect(p.state.context.check).toMatchObject({
        status: 'missing',
        detail: 'The aws command is not installed here, so here are the console steps instead.',
      });
      expect(p.state.context.findings[0]!.id).toBe('cloud-cli-missing');
    }
  });
});
