// The server wizard: probe everything, turn facts into findings, then walk through each proposed
// fix — ask (interactive), apply on yes, re-probe to verify; when checks needed root, offer the
// rerun with sudo last. Probes and fixes are actors that
// src/commands/server/run.ts provides (tests provide fakes); this file never touches the system.
import { assign, setup } from 'xstate';
import { errorText, notProvided } from './actors.js';
import type { Command, Finding, Fix, FixOutcome, ProbeRecord } from '../src/report.js';
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

export const serverFlow = setup({
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
    reportOnly: ({ context }) => context.input.mode === 'report',
    dryRun: ({ context }) => context.input.mode === 'dry-run',
    autoApply: ({ context }) => context.input.mode === 'yes',
    hasNextFix: ({ context }) => nextFixable(context) !== undefined,
    /** Checks were unknown for lack of root, and a person is there to accept the rerun. */
    rootWouldSeeMore: ({ context }) =>
      context.input.mode === 'ask' &&
      context.input.sudo !== undefined &&
      context.facts !== undefined &&
      !context.facts.root &&
      needsRoot(context.facts).length > 0,
    fixRan: (_, p: { result: { ok: boolean } }) => p.result.ok,
    /** The re-probe no longer finds what the fix was for. */
    resolved: ({ context }, p: { gathered: Gathered }) =>
      !serverFindings(p.gathered.facts).some((f) => f.id === context.current?.id),
  },
  actions: {
    record: assign(({ context }, params: { gathered: Gathered }) => ({
      facts: params.gathered.facts,
      probes: params.gathered.probes,
      findings: serverFindings(params.gathered.facts, {
        proposeFix: context.input.proposeFix,
        moreSteps: context.input.moreSteps,
      }),
    })),
    pick: assign(({ context }) => {
      const f = nextFixable(context)!;
      return { current: f, handled: [...context.handled, f.id] };
    }),
    outcome: assign(({ context }, params: { status: FixOutcome['status']; log?: string[] }) => ({
      outcomes: [
        ...context.outcomes,
        {
          findingId: context.current!.id,
          fixId: context.current!.fix!.id,
          status: params.status,
          log: params.log ?? [],
        },
      ],
    })),
    notResolved: assign(({ context }) => ({
      outcomes: context.outcomes.map((o, i) =>
        i === context.outcomes.length - 1 ? { ...o, status: 'not-resolved' as const } : o,
      ),
    })),
  },
}).createMachine({
  id: 'server',
  context: ({ input }) => ({ input, probes: [], findings: [], handled: [], outcomes: [] }),
  initial: 'probing',
  states: {
    probing: {
      description: 'Every check at once; the findings are drawn from the facts (serverFindings, SERVER_FINDINGS).',
      invoke: {
        id: 'gather',
        src: 'gather',
        onDone: {
          target: 'deciding',
          actions: { type: 'record', params: ({ event }) => ({ gathered: event.output }) },
        },
        onError: { target: 'done', actions: assign({ error: ({ event }) => errorText(event.error) }) },
      },
    },
    deciding: {
      description: "Each finding with a fix is offered once, in the findings' order; the rerun with sudo comes last.",
      always: [
        { guard: 'reportOnly', target: 'done' },
        { guard: 'hasNextFix', target: 'offering', actions: 'pick' },
        { guard: 'rootWouldSeeMore', target: 'offeringSudo' },
        { target: 'done' },
      ],
    },
    offeringSudo: {
      description: 'Rerun the same checks as root? sudo asks for the password itself; "No" is the default.',
      on: {
        CONFIRM: { target: 'done', actions: assign({ rerunWithSudo: true }) },
        DECLINE: 'done',
        QUIT: 'done',
      },
    },
    offering: {
      always: [
        { guard: 'dryRun', target: 'deciding', actions: { type: 'outcome', params: { status: 'dry-run' } } },
        { guard: 'autoApply', target: 'applying' },
        { target: 'asking' },
      ],
    },
    asking: {
      description: 'The fix, its commands, risk and undo; nothing runs without "yes".',
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
          {
            guard: { type: 'fixRan', params: ({ event }) => ({ result: event.output }) },
            target: 'verifying',
            actions: {
              type: 'outcome',
              params: ({ event }) => ({ status: 'applied' as const, log: event.output.log }),
            },
          },
          {
            target: 'deciding',
            actions: { type: 'outcome', params: ({ event }) => ({ status: 'failed' as const, log: event.output.log }) },
          },
        ],
        onError: {
          target: 'deciding',
          actions: {
            type: 'outcome',
            params: ({ event }) => ({ status: 'failed' as const, log: [errorText(event.error)] }),
          },
        },
      },
    },
    verifying: {
      description: 'The same checks again: a fix counts only if its finding is gone.',
      invoke: {
        id: 'verify',
        src: 'gather',
        onDone: [
          {
            guard: { type: 'resolved', params: ({ event }) => ({ gathered: event.output }) },
            target: 'deciding',
            actions: { type: 'record', params: ({ event }) => ({ gathered: event.output }) },
          },
          {
            target: 'deciding',
            actions: [{ type: 'record', params: ({ event }) => ({ gathered: event.output }) }, 'notResolved'],
          },
        ],
        onError: { target: 'deciding' },
      },
    },
    done: { type: 'final' },
  },
});
