// The server wizard: probe everything, turn facts into findings, then walk through each proposed
// fix — ask (interactive), apply on yes, re-probe to verify; when checks needed root, offer the
// rerun with sudo last. Probes and fixes are actors that
// src/commands/server.ts provides (tests provide fakes); this file never touches the system.
import { assign, setup } from 'xstate';
import { notProvided } from './actors.js';
import type { Command, Finding, Fix, ProbeRecord } from '../src/report.js';
import type { ServerFacts } from '../src/server/facts.js';
import { needsRoot, serverFindings, type FindingOptions } from '../src/server/findings.js';

/** report: --json without --yes; ask: the interactive wizard; yes: --yes; dry-run: show only. */
export type FixMode = 'report' | 'ask' | 'yes' | 'dry-run';

export interface ServerInput {
  mode: FixMode;
  /** The fixes side's proposer; absent means findings carry no fix. */
  proposeFix?: FindingOptions['proposeFix'];
  /** Steps left to a person, added to the findings' `next` (the chown over --via). */
  moreSteps?: FindingOptions['moreSteps'];
  /** The --via host ("root@db1:2200") the checks and fixes run on; absent for this machine. */
  via?: string;
  /** The rerun as root, offered at the end when checks needed root (sudo asks for the password itself). */
  sudo?: Command;
}

export interface Gathered {
  facts: ServerFacts;
  probes: ProbeRecord[];
}

export interface FixOutcome {
  findingId: string;
  fixId: string;
  status: 'applied' | 'declined' | 'failed' | 'not-resolved' | 'dry-run';
  log: string[];
}

export interface ServerContext {
  input: ServerInput;
  facts?: ServerFacts;
  probes: ProbeRecord[];
  findings: Finding[];
  /** Finding ids already offered (a re-probe recomputes findings; never offer one twice). */
  handled: string[];
  current?: Finding;
  outcomes: FixOutcome[];
  /** The user accepted the offer to rerun with input.sudo. */
  rerunWithSudo?: boolean;
  error?: string;
}

export type ServerEvent = { type: 'CONFIRM' } | { type: 'DECLINE' } | { type: 'QUIT' };

function nextFixable(ctx: ServerContext): Finding | undefined {
  return ctx.findings.find((f) => f.fix && !ctx.handled.includes(f.id));
}

export const serverMachine = setup({
  types: {
    context: {} as ServerContext,
    events: {} as ServerEvent,
    input: {} as ServerInput,
  },
  actors: {
    gather: notProvided<Gathered, void>('gather'),
    applyFix: notProvided<{ ok: boolean; log: string[] }, { fix: Fix }>('applyFix'),
  },
  guards: {
    hasNextFix: ({ context }) => nextFixable(context) !== undefined,
    rootWouldSeeMore: ({ context }) =>
      context.input.mode === 'ask' && context.input.sudo !== undefined && context.facts !== undefined && !context.facts.root && needsRoot(context.facts).length > 0,
    modeIs: ({ context }, params: { mode: FixMode }) => context.input.mode === params.mode,
    resolved: ({ context }, params: { gathered: Gathered }) => {
      const id = context.current?.id;
      return !serverFindings(params.gathered.facts).some((f) => f.id === id);
    },
  },
  actions: {
    record: assign(({ context }, params: { gathered: Gathered }) => ({
      facts: params.gathered.facts,
      probes: params.gathered.probes,
      findings: serverFindings(params.gathered.facts, { proposeFix: context.input.proposeFix, moreSteps: context.input.moreSteps }),
    })),
    pick: assign(({ context }) => {
      const f = nextFixable(context)!;
      return { current: f, handled: [...context.handled, f.id] };
    }),
    outcome: assign(({ context }, params: { status: FixOutcome['status']; log?: string[] }) => ({
      outcomes: [...context.outcomes, { findingId: context.current!.id, fixId: context.current!.fix!.id, status: params.status, log: params.log ?? [] }],
    })),
  },
}).createMachine({
  id: 'server',
  context: ({ input }) => ({ input, probes: [], findings: [], handled: [], outcomes: [] }),
  initial: 'probing',
  states: {
    probing: {
      invoke: {
        id: 'gather',
        src: 'gather',
        onDone: { target: 'deciding', actions: { type: 'record', params: ({ event }) => ({ gathered: event.output }) } },
        onError: { target: 'done', actions: assign({ error: ({ event }) => String((event.error as Error)?.message ?? event.error) }) },
      },
    },
    deciding: {
      always: [
        { guard: { type: 'modeIs', params: { mode: 'report' } }, target: 'done' },
        { guard: 'hasNextFix', target: 'offering', actions: 'pick' },
        { guard: 'rootWouldSeeMore', target: 'offeringSudo' },
        { target: 'done' },
      ],
    },
    offeringSudo: {
      on: {
        CONFIRM: { target: 'done', actions: assign({ rerunWithSudo: true }) },
        DECLINE: 'done',
        QUIT: 'done',
      },
    },
    offering: {
      always: [
        { guard: { type: 'modeIs', params: { mode: 'dry-run' } }, target: 'deciding', actions: { type: 'outcome', params: { status: 'dry-run' } } },
        { guard: { type: 'modeIs', params: { mode: 'yes' } }, target: 'applying' },
        { target: 'asking' },
      ],
    },
    asking: {
      on: {
        CONFIRM: 'applying',
        DECLINE: { target: 'deciding', actions: { type: 'outcome', params: { status: 'declined' } } },
        QUIT: 'done',
      },
    },
    applying: {
      invoke: {
        id: 'applyFix',
        src: 'applyFix',
        input: ({ context }) => ({ fix: context.current!.fix! }),
        onDone: [
          { guard: ({ event }) => event.output.ok, target: 'verifying', actions: { type: 'outcome', params: ({ event }) => ({ status: 'applied' as const, log: event.output.log }) } },
          { target: 'deciding', actions: { type: 'outcome', params: ({ event }) => ({ status: 'failed' as const, log: event.output.log }) } },
        ],
        onError: { target: 'deciding', actions: { type: 'outcome', params: ({ event }) => ({ status: 'failed' as const, log: [String((event.error as Error)?.message ?? event.error)] }) } },
      },
    },
    verifying: {
      invoke: {
        id: 'verify',
        src: 'gather',
        onDone: [
          { guard: { type: 'resolved', params: ({ event }) => ({ gathered: event.output }) }, target: 'deciding', actions: { type: 'record', params: ({ event }) => ({ gathered: event.output }) } },
          {
            target: 'deciding',
            actions: [
              { type: 'record', params: ({ event }) => ({ gathered: event.output }) },
              assign(({ context }) => ({
                outcomes: context.outcomes.map((o, i) => (i === context.outcomes.length - 1 ? { ...o, status: 'not-resolved' as const } : o)),
              })),
            ],
          },
        ],
        onError: { target: 'deciding' },
      },
    },
    done: { type: 'final' },
  },
});
