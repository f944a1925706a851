// "I'm locked out": where the host lives → cloud checks where a CLI can answer → the ways in that
// bypass SSH → the console kit and its pasted-back result → repair commands → prevention.
// Everything that touches the system is an actor provided by src/commands/locked-out/run.ts.
import { assertEvent, assign, setup } from 'xstate';
import { errorText, notProvided } from './actors.js';
import type { Answering } from './mode.js';
import type { Finding, Fix, FixOutcome, ProbeRecord } from '../src/report.js';
import type { CloudCheck, CloudTarget } from '../src/locked-out/cloud/types.js';
import { providerById, type CliName, type ProviderId } from '../src/locked-out/providers.js';
import { fallback } from '../src/locked-out/cloud/findings.js';
import { preventionAdvice } from '../src/locked-out/prevention.js';

export interface LockedOutInput extends Answering {
  /** Chosen on the command line (--provider); else asked. */
  provider?: ProviderId;
  /** Identifiers from the command line; with instance and myIp the cloud check starts at once. */
  target?: Partial<CloudTarget>;
  user: string;
  port: number;
  backupKeyPath: string;
  backupKeyExists: boolean;
  /** The providers a CLI check exists for (from src/locked-out/cloud/check.ts). */
  checkable: ProviderId[];
  /** Provider CLIs found on PATH: without one, no questions for a check that cannot run. */
  installedClis: CliName[];
}

export interface KitResult {
  findings: Finding[];
  /** The commands to paste back into the console. */
  repair: string;
  /** Said with the findings: the block could not be checked for changes made in copying. */
  warning?: string;
}

export interface LockedOutContext {
  input: LockedOutInput;
  provider?: ProviderId;
  target?: CloudTarget;
  check?: CloudCheck;
  findings: Finding[];
  probes: ProbeRecord[];
  /** Fixes still to offer, in order; the first is the one being asked about. */
  queue: Fix[];
  fixOutcomes: FixOutcome[];
  kitPath?: string;
  kit?: KitResult;
  prevention: Finding[];
  error?: string;
}

export type LockedOutEvent =
  | { type: 'CHOOSE'; provider: ProviderId }
  | { type: 'TARGET'; target: Omit<CloudTarget, 'provider' | 'port'> }
  | { type: 'SKIP' }
  | { type: 'CONFIRM' }
  | { type: 'DECLINE' }
  | { type: 'KIT' }
  | { type: 'PASTE'; text: string }
  | { type: 'NEXT' }
  | { type: 'APPLY'; fixId: string }
  | { type: 'DONE' }
  | { type: 'QUIT' };

export const lockedOutFlow = setup({
  types: {} as { context: LockedOutContext; events: LockedOutEvent; input: LockedOutInput },
  actors: {
    cloudCheck: notProvided<CloudCheck, CloudTarget>('cloudCheck'),
    applyFix: notProvided<FixOutcome, { fix: Fix }>('applyFix'),
    saveKit: notProvided<string, { user: string; port: number }>('saveKit'),
    decodeKit: notProvided<KitResult, { text: string }>('decodeKit'),
  },
  guards: {
    hasProvider: ({ context }) => context.provider !== undefined,
    checkable: ({ context }) => context.provider !== undefined && context.input.checkable.includes(context.provider),
    /** A check exists for this provider, but its CLI is not on PATH. */
    cliMissing: ({ context }) => {
      const cli =
        context.provider && context.input.checkable.includes(context.provider)
          ? providerById(context.provider)?.cli
          : undefined;
      return cli !== undefined && !context.input.installedClis.includes(cli);
    },
    targetGiven: ({ context }) =>
      context.input.target?.instance !== undefined && context.input.target.myIp !== undefined,
    fixPending: ({ context }) => context.queue.length > 0,
    autoApply: ({ context }) => context.input.autoApply,
    headless: ({ context }) => !context.input.interactive,
    preventionFix: ({ context }, p: { fixId: string }) => context.prevention.some((f) => f.fix?.id === p.fixId),
  },
  actions: {
    chooseProvider: assign({ provider: (_, p: { provider: ProviderId }) => p.provider }),
    setTarget: assign({
      target: ({ context }, p: { target: Omit<CloudTarget, 'provider' | 'port'> }) => ({
        ...p.target,
        provider: context.provider!,
        port: context.input.port,
      }),
    }),
    targetFromInput: assign({
      target: ({ context }) => ({
        ...(context.input.target as Omit<CloudTarget, 'provider' | 'port'>),
        provider: context.provider!,
        port: context.input.port,
      }),
    }),
    recordCheck: assign(({ context }, p: { check: CloudCheck }) => ({
      check: p.check,
      findings: [...context.findings, ...p.check.findings],
      probes: [...context.probes, ...p.check.probes],
      queue: p.check.findings.flatMap((f) => (f.fix ? [f.fix] : [])),
    })),
    recordMissingCli: assign(({ context }) => {
      const cli = providerById(context.provider!)!.cli!;
      const check = fallback(cli, {
        ok: false,
        status: 'missing',
        detail: `${cli} is not installed (not on PATH)`,
        ms: 0,
      });
      return {
        check,
        findings: [...context.findings, ...check.findings],
        probes: [...context.probes, ...check.probes],
      };
    }),
    recordError: assign({ error: (_, p: { error: unknown }) => errorText(p.error) }),
    dropFix: assign({ queue: ({ context }) => context.queue.slice(1) }),
    recordOutcome: assign({
      fixOutcomes: ({ context }, p: { outcome: FixOutcome }) => [...context.fixOutcomes, p.outcome],
    }),
    recordKitPath: assign({ kitPath: (_, p: { path: string }) => p.path }),
    recordKit: assign({ kit: (_, p: { kit: KitResult }) => p.kit, error: undefined }),
    setPrevention: assign({
      prevention: ({ context }) =>
        preventionAdvice({
          user: context.input.user,
          port: context.input.port,
          backupKeyPath: context.input.backupKeyPath,
          backupKeyExists: context.input.backupKeyExists,
        }),
    }),
    /** Only a key that was really made turns the advice into "You have a backup key". */
    backupKeyMade: assign({
      prevention: ({ context }, p: { ok: boolean }) =>
        p.ok
          ? preventionAdvice({
              user: context.input.user,
              port: context.input.port,
              backupKeyPath: context.input.backupKeyPath,
              backupKeyExists: true,
            })
          : context.prevention,
    }),
  },
}).createMachine({
  id: 'lockedOut',
  context: ({ input }) => ({
    input,
    provider: input.provider,
    findings: [],
    probes: [],
    queue: [],
    fixOutcomes: [],
    prevention: [],
  }),
  initial: 'start',
  // q or Esc on any question: stop where the user is.
  on: { QUIT: '.done' },
  states: {
    start: {
      always: [{ guard: 'hasProvider', target: 'routing' }, { target: 'chooseProvider' }],
    },
    chooseProvider: {
      description:
        'Where the host lives. Headless runs name it with --provider (the command refuses to start without).',
      on: {
        CHOOSE: {
          target: 'routing',
          actions: { type: 'chooseProvider', params: ({ event }) => ({ provider: event.provider }) },
        },
      },
    },
    routing: {
      always: [
        { guard: 'cliMissing', target: 'steps', actions: 'recordMissingCli' },
        { guard: 'checkable', target: 'askTarget' },
        { target: 'steps' },
      ],
    },
    askTarget: {
      description:
        'Which instance, and your address: the cloud check needs both. Headless, without them on the command line, the check is skipped.',
      always: [
        { guard: 'targetGiven', target: 'checking', actions: 'targetFromInput' },
        { guard: 'headless', target: 'steps' },
      ],
      on: {
        TARGET: {
          target: 'checking',
          actions: { type: 'setTarget', params: ({ event }) => ({ target: event.target }) },
        },
        SKIP: 'steps',
      },
    },
    checking: {
      invoke: {
        id: 'cloudCheck',
        src: 'cloudCheck',
        input: ({ context }) => context.target!,
        onDone: {
          target: 'reviewFixes',
          actions: { type: 'recordCheck', params: ({ event }) => ({ check: event.output }) },
        },
        onError: { target: 'steps', actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) } },
      },
    },
    reviewFixes: {
      always: [{ guard: { type: 'fixPending' }, target: 'offerFix' }, { target: 'steps' }],
    },
    offerFix: {
      description:
        'Each cloud fix is the exact CLI command; it runs after "yes" or with --yes. Headless without --yes, it is declined.',
      always: [
        { guard: 'autoApply', target: 'applying' },
        { guard: 'headless', target: 'reviewFixes', actions: 'dropFix' },
      ],
      on: { CONFIRM: 'applying', DECLINE: { target: 'reviewFixes', actions: 'dropFix' } },
    },
    applying: {
      invoke: {
        id: 'applyFix',
        src: 'applyFix',
        input: ({ context }) => ({ fix: context.queue[0]! }),
        onDone: {
          target: 'reviewFixes',
          actions: [{ type: 'recordOutcome', params: ({ event }) => ({ outcome: event.output }) }, 'dropFix'],
        },
        onError: {
          target: 'reviewFixes',
          actions: [{ type: 'recordError', params: ({ event }) => ({ error: event.error }) }, 'dropFix'],
        },
      },
    },
    steps: {
      description:
        'The ways in that bypass SSH. PASTE: a kit block the user already has (from --kit earlier). Headless: the steps are printed, no kit is made.',
      always: { guard: 'headless', target: 'prevention' },
      on: { KIT: 'savingKit', PASTE: 'decoding', NEXT: 'prevention' },
    },
    savingKit: {
      invoke: {
        id: 'saveKit',
        src: 'saveKit',
        input: ({ context }) => ({ user: context.input.user, port: context.input.port }),
        onDone: {
          target: 'awaitResult',
          actions: { type: 'recordKitPath', params: ({ event }) => ({ path: event.output }) },
        },
        onError: {
          target: 'awaitResult',
          actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    awaitResult: {
      on: { PASTE: 'decoding', SKIP: 'prevention' },
    },
    decoding: {
      invoke: {
        id: 'decodeKit',
        src: 'decodeKit',
        input: ({ event }) => {
          assertEvent(event, 'PASTE');
          return { text: event.text };
        },
        onDone: { target: 'repair', actions: { type: 'recordKit', params: ({ event }) => ({ kit: event.output }) } },
        onError: {
          target: 'awaitResult',
          actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    repair: {
      on: { NEXT: 'prevention' },
    },
    prevention: {
      description:
        'Advice against the next lockout; a backup key is made only after "yes". Headless: listed, nothing made.',
      entry: 'setPrevention',
      always: { guard: 'headless', target: 'done' },
      on: {
        APPLY: {
          guard: { type: 'preventionFix', params: ({ event }) => ({ fixId: event.fixId }) },
          target: 'applyingPrevention',
        },
        DONE: 'done',
      },
    },
    applyingPrevention: {
      invoke: {
        id: 'applyPrevention',
        src: 'applyFix',
        input: ({ context }) => ({ fix: context.prevention.find((f) => f.fix)!.fix! }),
        onDone: {
          target: 'preventionShown',
          actions: [
            { type: 'recordOutcome', params: ({ event }) => ({ outcome: event.output }) },
            { type: 'backupKeyMade', params: ({ event }) => ({ ok: event.output.status === 'applied' }) },
          ],
        },
        onError: {
          target: 'preventionShown',
          actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    preventionShown: {
      on: { DONE: 'done' },
    },
    done: { type: 'final' },
  },
});
