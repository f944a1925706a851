// The server flow. A decision table, written by hand, says what happens to each fix in each mode;
// then every path the machine has is enumerated and driven with fakes.
import { describe, expect, it } from 'vitest';
import type { AnyEventObject } from 'xstate';
import { serverFlow, type FixMode, type Gathered, type ServerInput } from '../../flows/server.js';
import type { ServerFacts, UserFacts } from '../../src/server/facts.js';
import type { Fix } from '../../src/report.js';
import { describePaths, drive, inTurn, pathsOf, run, type FlowModel } from './helper.js';

const alice: UserFacts = { name: 'alice', exists: true, uid: 1001, gid: 1001, home: '/home/alice' };
const healthy: ServerFacts = {
  target: { user: 'alice', port: 22 },
  root: true,
  privsepDir: { path: '/run/sshd', exists: true },
  user: alice,
  nologin: { exists: false, path: '/etc/nologin' },
};
const privsepMissing: ServerFacts = { ...healthy, privsepDir: { path: '/run/sshd', exists: false } };
const nologin: ServerFacts = { ...healthy, nologin: { exists: true, path: '/etc/nologin' } };
const both: ServerFacts = { ...privsepMissing, nologin: nologin.nologin };
/** sshd -T could not run: root would see more. */
const asUser: ServerFacts = {
  ...healthy,
  root: false,
  effective: { unknown: 'sshd must read its host keys', needsRoot: true },
};

const fix = (id: string): Fix => ({ id, title: id, commands: [['true']], risk: 'none', undo: [['true']] });
const proposeFix = (id: string) =>
  id === 'privsep-dir-missing' ? fix('create-privsep-dir') : id === 'nologin-present' ? fix('move-nologin') : undefined;
const sudo = ['sudo', '--', '/usr/bin/node', '/opt/ssh-doctor.mjs', 'server', '--user', 'alice', '--port', '22'];
const g = (facts: ServerFacts): Gathered => ({ facts, probes: [] });
const ok = { ok: true, log: ['ran'] };

type Row = [
  what: string,
  mode: FixMode,
  outputs: Record<string, unknown>,
  answers: ('CONFIRM' | 'DECLINE' | 'QUIT')[],
  outcomes: string[],
  rerunWithSudo: boolean | undefined,
];
// [what happens, mode, what gather/applyFix/verify answer, what the person answers, each fix
// offered as "finding fix status", whether the rerun with sudo was accepted]
const table: Row[] = [
  ['--json: findings only', 'report', { gather: g(privsepMissing) }, [], [], undefined],
  [
    '--dry-run: shown, not run',
    'dry-run',
    { gather: g(both) },
    [],
    ['privsep-dir-missing create-privsep-dir dry-run', 'nologin-present move-nologin dry-run'],
    undefined,
  ],
  [
    '--yes: run, and the re-probe finds it gone',
    'yes',
    { gather: g(privsepMissing), applyFix: ok, verify: g(healthy) },
    [],
    ['privsep-dir-missing create-privsep-dir applied'],
    undefined,
  ],
  [
    '--yes: run, but the re-probe still finds it',
    'yes',
    { gather: g(privsepMissing), applyFix: ok, verify: g(privsepMissing) },
    [],
    ['privsep-dir-missing create-privsep-dir not-resolved'],
    undefined,
  ],
  [
    '--yes: the fix reports failure',
    'yes',
    { gather: g(privsepMissing), applyFix: { ok: false, log: ['denied'] } },
    [],
    ['privsep-dir-missing create-privsep-dir failed'],
    undefined,
  ],
  [
    '--yes: the fix runner throws',
    'yes',
    { gather: g(privsepMissing), applyFix: new Error('gone') },
    [],
    ['privsep-dir-missing create-privsep-dir failed'],
    undefined,
  ],
  [
    '--yes: the re-probe fails; the fix stays applied',
    'yes',
    { gather: g(privsepMissing), applyFix: ok, verify: new Error('gone') },
    [],
    ['privsep-dir-missing create-privsep-dir applied'],
    undefined,
  ],
  [
    "--yes: each fix in the findings' order",
    'yes',
    { gather: g(both), applyFix: ok, verify: inTurn(g(nologin), g(healthy)) },
    [],
    ['privsep-dir-missing create-privsep-dir applied', 'nologin-present move-nologin applied'],
    undefined,
  ],
  [
    'wizard: yes',
    'ask',
    { gather: g(privsepMissing), applyFix: ok, verify: g(healthy) },
    ['CONFIRM'],
    ['privsep-dir-missing create-privsep-dir applied'],
    undefined,
  ],
  [
    'wizard: no',
    'ask',
    { gather: g(privsepMissing) },
    ['DECLINE'],
    ['privsep-dir-missing create-privsep-dir declined'],
    undefined,
  ],
  ['wizard: quit at the first fix', 'ask', { gather: g(both) }, ['QUIT'], [], undefined],
  [
    'wizard: yes, then no',
    'ask',
    { gather: g(both), applyFix: ok, verify: g(nologin) },
    ['CONFIRM', 'DECLINE'],
    ['privsep-dir-missing create-privsep-dir applied', 'nologin-present move-nologin declined'],
    undefined,
  ],
  ['wizard as a user: the rerun with sudo, accepted', 'ask', { gather: g(asUser) }, ['CONFIRM'], [], true],
  ['wizard as a user: the rerun with sudo, declined', 'ask', { gather: g(asUser) }, ['DECLINE'], [], undefined],
  [
    'wizard as a user: fixes first, the rerun last',
    'ask',
    { gather: g({ ...asUser, nologin: nologin.nologin }), applyFix: ok, verify: g(asUser) },
    ['CONFIRM', 'CONFIRM'],
    ['nologin-present move-nologin applied'],
    true,
  ],
  ['--yes as a user: no question about sudo', 'yes', { gather: g(asUser) }, [], [], undefined],
  ['as root: no rerun to offer', 'ask', { gather: g(healthy) }, [], [], undefined],
];

describe('server flow: the decision table', () => {
  for (const [what, mode, outputs, answers, outcomes, rerun] of table) {
    it(what, async () => {
      const { snapshot, context } = await run(
        serverFlow,
        { mode, proposeFix, sudo },
        outputs,
        answers.map((type) => ({ type })),
      );
      expect(snapshot.status).toBe('done');
      expect(context.outcomes.map((o) => `${o.findingId} ${o.fixId} ${o.status}`)).toEqual(outcomes);
      expect(context.rerunWithSudo).toBe(rerun);
    });
  }

  it('probing fails: the error is kept, nothing is offered', async () => {
    const { snapshot, context, calls } = await run(
      serverFlow,
      { mode: 'ask', proposeFix, sudo },
      { gather: new Error('ss: not found') },
    );
    expect([snapshot.status, context.error, calls]).toEqual(['done', 'ss: not found', ['gather']]);
  });
});

describePaths('server flow: every path', () => {
  const model: FlowModel<typeof serverFlow> = {
    machine: serverFlow,
    outputs: {
      gather: { both: g(both), asUser: g({ ...asUser, nologin: nologin.nologin }) },
      applyFix: { ok, failed: { ok: false, log: ['failed'] } },
      verify: { healed: g(healthy), nologin: g(nologin), still: g(both) },
    },
    answers: {
      asking: [{ type: 'CONFIRM' }, { type: 'DECLINE' }, { type: 'QUIT' }],
      offeringSudo: [{ type: 'CONFIRM' }, { type: 'DECLINE' }, { type: 'QUIT' }],
    },
  };
  // The states a screen shows; the flow passes the others (deciding, offering) without stopping.
  const shown = ['probing', 'asking', 'applying', 'verifying', 'offeringSudo', 'done'];

  for (const mode of ['report', 'ask', 'yes', 'dry-run'] as const) {
    it(`${mode}: each path stops only where the screen has something to show, and runs as the graph says`, async () => {
      const input: ServerInput = { mode, proposeFix, sudo };
      const paths = pathsOf(model, input);
      expect(paths.length).toBeGreaterThan(mode === 'ask' ? 20 : 1);
      for (const p of paths) {
        for (const s of p.steps) expect(shown).toContain(s.state.value);
        const { context } = await drive(serverFlow, input, p.steps as { event: AnyEventObject }[]);
        expect({ outcomes: context.outcomes.map((o) => o.status), rerun: context.rerunWithSudo }).toEqual({
          outcomes: p.state.context.outcomes.map((o) => o.status),
          rerun: p.state.context.rerunWithSudo,
        });
      }
    });
  }
});
