// The client decision tree: from "ssh won't connect" to one verdict with evidence, then the
// user's choice of next step. Probes and fixes are actors provided by src/commands/client.ts
// (tests provide fakes); this file never touches the system.
import { assign, setup } from 'xstate';
import { notProvided } from './actors.js';
import type { Finding, Fix, ProbeRecord, ProbeStatus } from '../src/report.js';
import type {
  OtherPortResult,
  DnsResult,
  HandshakeResult,
  KeyFilesResult,
  KnownHostsResult,
  LoginResult,
  ResolvedTarget,
  TcpAttempt,
  TcpResult,
} from '../src/probes/client/types.js';
import { compareHostKey } from '../src/probes/client/known-hosts.js';
import { otherPortCandidates } from '../src/probes/client/tcp.js';
import { clientFindings, type ClientFacts, type ClientVerdictId } from '../src/client/findings.js';
import { CLIENT_PROBES } from '../src/client/probe-details.js';
import { networkEndpoint } from '../src/client/endpoint.js';

export interface ClientInput {
  destination: string;
  sshFlags: string[];
  timeoutMs: number;
  /** A person can answer menus (TTY and not --json). */
  interactive: boolean;
  /** --yes: apply the proposed fix without asking. */
  autoApply: boolean;
}

export interface FixOutcome {
  fixId: string;
  ok: boolean;
  log: string[];
  /** What a local re-check says after the change. */
  verified?: string;
}

export interface ClientContext extends ClientFacts {
  input: ClientInput;
  probes: ProbeRecord[];
  started: Record<string, number>;
  verdictId?: ClientVerdictId;
  findings: Finding[];
  pendingFix?: Fix;
  fixOutcomes: FixOutcome[];
  /** Set when the user chose to leave for another wizard. */
  next?: 'locked-out';
  error?: string;
}

export type ClientEvent =
  | { type: 'FIX'; fixId: string }
  | { type: 'CONFIRM' }
  | { type: 'DECLINE' }
  | { type: 'LOCKED_OUT' }
  /** Diagnose again on the port where SSH was found answering. */
  | { type: 'RETRY_PORT'; port: number }
  | { type: 'QUIT' };

const FACT_KEYS = ['target', 'dns', 'tcp', 'otherPorts', 'keys', 'knownHosts', 'handshake', 'login'] as const satisfies readonly (keyof ClientFacts)[];

/** The same ssh flags with the port replaced. */
function withPort(sshFlags: readonly string[], port: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < sshFlags.length; i++) {
    if (sshFlags[i] === '-p') i++;
    else out.push(sshFlags[i]!);
  }
  return ['-p', String(port), ...out];
}

function connected(tcp: TcpResult | undefined): TcpAttempt | undefined {
  return tcp?.attempts.find((a) => a.outcome === 'connected' && a.bannerOutcome === 'ssh') ?? tcp?.attempts.find((a) => a.outcome === 'connected');
}

function tcpVerdict(tcp: TcpResult): ClientVerdictId | 'ssh' | 'refused' {
  const first = connected(tcp);
  if (first) {
    if (first.bannerOutcome === 'ssh') return 'ssh';
    return first.bannerOutcome === 'other' ? 'not-ssh-service' : 'banner-exchange-failed';
  }
  const outcomes = new Set(tcp.attempts.map((a) => a.outcome));
  if (outcomes.has('refused')) return 'refused';
  if (outcomes.has('timeout')) return 'connection-timeout';
  return 'no-route';
}

function loginVerdict(ctx: ClientContext, login: LoginResult): ClientVerdictId {
  const d = login.debug;
  switch (d.outcome) {
    case 'ok':
      return 'ok';
    case 'auth-denied': {
      const tooOpen = ctx.keys?.files.some((f) => f.exists && f.tooOpen) ?? false;
      if (d.keysIgnored.length > 0 || tooOpen) return 'private-key-permissions';
      const methods = d.methodsLeft ?? ctx.handshake?.authMethods ?? [];
      if (!methods.includes('publickey') && methods.some((m) => m === 'password' || m === 'keyboard-interactive')) {
        return 'auth-password-denied';
      }
      return 'auth-publickey-denied';
    }
    case 'connection-refused':
    case 'connection-timeout':
    case 'host-key-changed':
    case 'algorithm-mismatch':
    case 'too-many-auth-failures':
    case 'banner-exchange-failed':
    case 'dns-unresolved':
    case 'no-route':
      return d.outcome;
    default:
      return 'login-failed';
  }
}

function record(ctx: ClientContext, id: string, status: ProbeStatus, detail: string): ProbeRecord[] {
  return [...ctx.probes, { id, status, durationMs: Math.max(0, Date.now() - (ctx.started[id] ?? Date.now())), detail }];
}

export const clientFlow = setup({
  types: {
    context: {} as ClientContext,
    events: {} as ClientEvent,
    input: {} as ClientInput,
  },
  actors: {
    sshConfig: notProvided<ResolvedTarget, { destination: string; sshFlags: string[]; timeoutMs: number }>('sshConfig'),
    dns: notProvided<DnsResult, { host: string; family: ResolvedTarget['addressFamily']; timeoutMs: number }>('dns'),
    tcp: notProvided<TcpResult, { addresses: string[]; port: number; timeoutMs: number }>('tcp'),
    otherPorts: notProvided<OtherPortResult[], { address: string; ports: number[]; timeoutMs: number }>('otherPorts'),
    keyFiles: notProvided<KeyFilesResult, { target: ResolvedTarget; sshFlags: string[]; timeoutMs: number }>('keyFiles'),
    knownHosts: notProvided<KnownHostsResult, { target: ResolvedTarget; timeoutMs: number }>('knownHosts'),
    handshake: notProvided<HandshakeResult, { address: string; port: number; user: string; timeoutMs: number; preferredHostKeyTypes: string[] }>('handshake'),
    login: notProvided<LoginResult, { destination: string; sshFlags: string[]; target: ResolvedTarget; timeoutMs: number }>('login'),
    applyFix: notProvided<FixOutcome, { fix: Fix; target?: ResolvedTarget }>('applyFix'),
  },
  guards: {
    noAddresses: (_, p: { dns: DnsResult }) => p.dns.addresses.length === 0,
    tcpIs: (_, p: { tcp: TcpResult; is: ReturnType<typeof tcpVerdict> }) => tcpVerdict(p.tcp) === p.is,
    networkDecided: ({ context }) => context.verdictId !== undefined,
    viaJumpHost: ({ context }) => !!context.target?.proxyJump,
    hostKeyChanged: ({ context }, p: { handshake: HandshakeResult }) =>
      !!p.handshake.hostKey && !!context.knownHosts && compareHostKey(context.knownHosts.entries, p.handshake.hostKey) === 'changed',
    canAutoApply: ({ context }) => context.input.autoApply && context.findings.some((f) => f.fix),
    interactive: ({ context }) => context.input.interactive,
    hasFix: ({ context }, p: { fixId: string }) => context.findings.some((f) => f.fix?.id === p.fixId),
    sshFoundOn: ({ context }, p: { port: number }) => (context.otherPorts ?? []).some((a) => a.port === p.port && a.bannerOutcome === 'ssh'),
  },
  actions: {
    startProbe: assign(({ context }, p: { id: string }) => ({ started: { ...context.started, [p.id]: Date.now() } })),
    recordProbe: assign(({ context, event }, p: { id: string; key: keyof ClientFacts }) => {
      const output = (event as unknown as { output: unknown }).output;
      const { status, detail } = (CLIENT_PROBES[p.key].describe as (o: unknown) => { status: ProbeStatus; detail: string })(output);
      return { [p.key]: output, probes: record(context, p.id, status, detail) };
    }),
    recordFailure: assign(({ context, event }, p: { id: string }) => {
      const err = (event as unknown as { error?: unknown }).error;
      return { probes: record(context, p.id, 'unknown', `could not run: ${err instanceof Error ? err.message : String(err)}`) };
    }),
    decide: assign((_, p: { verdictId: ClientVerdictId }) => ({ verdictId: p.verdictId })),
    conclude: assign(({ context }) => ({ findings: clientFindings(context, context.verdictId ?? 'login-failed') })),
  },
}).createMachine({
  id: 'client',
  context: ({ input }) => ({ input, probes: [], started: {}, findings: [], fixOutcomes: [] }),
  initial: 'resolving',
  states: {
    resolving: {
      entry: { type: 'startProbe', params: { id: 'config' } },
      invoke: {
        id: 'sshConfig',
        src: 'sshConfig',
        input: ({ context }) => ({ destination: context.input.destination, sshFlags: context.input.sshFlags, timeoutMs: context.input.timeoutMs }),
        onDone: { target: 'probing', actions: { type: 'recordProbe', params: { id: 'config', key: 'target' } } },
        onError: { target: 'failed', actions: assign({ error: ({ event }) => (event.error instanceof Error ? event.error.message : String(event.error)) }) },
      },
    },
    // Local files and the network are independent: look at both at once.
    probing: {
      type: 'parallel',
      onDone: 'routing',
      states: {
        local: {
          initial: 'keyFiles',
          states: {
            keyFiles: {
              entry: { type: 'startProbe', params: { id: 'keys' } },
              invoke: {
                id: 'keyFiles',
                src: 'keyFiles',
                input: ({ context }) => ({ target: context.target!, sshFlags: context.input.sshFlags, timeoutMs: context.input.timeoutMs }),
                onDone: { target: 'knownHosts', actions: { type: 'recordProbe', params: { id: 'keys', key: 'keys' } } },
                onError: { target: 'knownHosts', actions: { type: 'recordFailure', params: { id: 'keys' } } },
              },
            },
            knownHosts: {
              entry: { type: 'startProbe', params: { id: 'known-hosts' } },
              invoke: {
                id: 'knownHosts',
                src: 'knownHosts',
                input: ({ context }) => ({ target: context.target!, timeoutMs: context.input.timeoutMs }),
                onDone: { target: 'done', actions: { type: 'recordProbe', params: { id: 'known-hosts', key: 'knownHosts' } } },
                onError: { target: 'done', actions: { type: 'recordFailure', params: { id: 'known-hosts' } } },
              },
            },
            done: { type: 'final' },
          },
        },
        network: {
          initial: 'dns',
          states: {
            dns: {
              entry: { type: 'startProbe', params: { id: 'dns' } },
              invoke: {
                id: 'dns',
                src: 'dns',
                input: ({ context }) => ({ host: networkEndpoint(context.target!).host, family: context.target!.addressFamily, timeoutMs: context.input.timeoutMs }),
                onDone: [
                  {
                    guard: { type: 'noAddresses', params: ({ event }) => ({ dns: event.output }) },
                    target: 'done',
                    actions: [{ type: 'recordProbe', params: { id: 'dns', key: 'dns' } }, { type: 'decide', params: { verdictId: 'dns-unresolved' } }],
                  },
                  { target: 'tcp', actions: { type: 'recordProbe', params: { id: 'dns', key: 'dns' } } },
                ],
                onError: { target: 'done', actions: [{ type: 'recordFailure', params: { id: 'dns' } }, { type: 'decide', params: { verdictId: 'dns-unresolved' } }] },
              },
            },
            tcp: {
              entry: { type: 'startProbe', params: { id: 'tcp' } },
              invoke: {
                id: 'tcp',
                src: 'tcp',
                input: ({ context }) => ({ addresses: context.dns!.addresses.map((a) => a.address), port: networkEndpoint(context.target!).port, timeoutMs: context.input.timeoutMs }),
                onDone: [
                  { guard: { type: 'tcpIs', params: ({ event }) => ({ tcp: event.output, is: 'ssh' }) }, target: 'done', actions: { type: 'recordProbe', params: { id: 'tcp', key: 'tcp' } } },
                  { guard: { type: 'tcpIs', params: ({ event }) => ({ tcp: event.output, is: 'refused' }) }, target: 'otherPorts', actions: { type: 'recordProbe', params: { id: 'tcp', key: 'tcp' } } },
                  {
                    guard: { type: 'tcpIs', params: ({ event }) => ({ tcp: event.output, is: 'not-ssh-service' }) },
                    target: 'done',
                    actions: [{ type: 'recordProbe', params: { id: 'tcp', key: 'tcp' } }, { type: 'decide', params: { verdictId: 'not-ssh-service' } }],
                  },
                  {
                    guard: { type: 'tcpIs', params: ({ event }) => ({ tcp: event.output, is: 'banner-exchange-failed' }) },
                    target: 'done',
                    actions: [{ type: 'recordProbe', params: { id: 'tcp', key: 'tcp' } }, { type: 'decide', params: { verdictId: 'banner-exchange-failed' } }],
                  },
                  {
                    guard: { type: 'tcpIs', params: ({ event }) => ({ tcp: event.output, is: 'connection-timeout' }) },
                    target: 'done',
                    actions: [{ type: 'recordProbe', params: { id: 'tcp', key: 'tcp' } }, { type: 'decide', params: { verdictId: 'connection-timeout' } }],
                  },
                  { target: 'done', actions: [{ type: 'recordProbe', params: { id: 'tcp', key: 'tcp' } }, { type: 'decide', params: { verdictId: 'no-route' } }] },
                ],
                onError: { target: 'done', actions: [{ type: 'recordFailure', params: { id: 'tcp' } }, { type: 'decide', params: { verdictId: 'no-route' } }] },
              },
            },
            // Refused: is sshd simply on another port? Only the few usual ones, never a sweep.
            otherPorts: {
              entry: [{ type: 'startProbe', params: { id: 'other-ports' } }, { type: 'decide', params: { verdictId: 'connection-refused' } }],
              invoke: {
                id: 'otherPorts',
                src: 'otherPorts',
                input: ({ context }) => ({
                  address: context.tcp!.attempts[0]!.address,
                  ports: otherPortCandidates(networkEndpoint(context.target!).port, context.target!.configPorts),
                  timeoutMs: Math.min(context.input.timeoutMs, 2000),
                }),
                onDone: { target: 'done', actions: { type: 'recordProbe', params: { id: 'other-ports', key: 'otherPorts' } } },
                onError: { target: 'done', actions: { type: 'recordFailure', params: { id: 'other-ports' } } },
              },
            },
            done: { type: 'final' },
          },
        },
      },
    },
    routing: {
      // Through a jump host, only ssh itself can reach the target: no direct handshake.
      always: [{ guard: 'networkDecided', target: 'concluding' }, { guard: 'viaJumpHost', target: 'login' }, { target: 'handshake' }],
    },
    handshake: {
      entry: { type: 'startProbe', params: { id: 'handshake' } },
      invoke: {
        id: 'handshake',
        src: 'handshake',
        input: ({ context }) => ({
          address: connected(context.tcp)!.address,
          port: context.target!.port,
          user: context.target!.user,
          timeoutMs: context.input.timeoutMs,
          preferredHostKeyTypes: [...new Set((context.knownHosts?.entries ?? []).map((e) => e.keyType))],
        }),
        onDone: [
          {
            guard: { type: 'hostKeyChanged', params: ({ event }) => ({ handshake: event.output }) },
            target: 'concluding',
            actions: [{ type: 'recordProbe', params: { id: 'handshake', key: 'handshake' } }, { type: 'decide', params: { verdictId: 'host-key-changed' } }],
          },
          { target: 'login', actions: { type: 'recordProbe', params: { id: 'handshake', key: 'handshake' } } },
        ],
        onError: { target: 'login', actions: { type: 'recordFailure', params: { id: 'handshake' } } },
      },
    },
    // The one real login attempt of the run.
    login: {
      entry: { type: 'startProbe', params: { id: 'login' } },
      invoke: {
        id: 'login',
        src: 'login',
        input: ({ context }) => ({ destination: context.input.destination, sshFlags: context.input.sshFlags, target: context.target!, timeoutMs: context.input.timeoutMs }),
        onDone: {
          target: 'concluding',
          actions: [{ type: 'recordProbe', params: { id: 'login', key: 'login' } }, assign({ verdictId: ({ context, event }) => loginVerdict(context, event.output) })],
        },
        onError: { target: 'concluding', actions: [{ type: 'recordFailure', params: { id: 'login' } }, { type: 'decide', params: { verdictId: 'login-failed' } }] },
      },
    },
    concluding: {
      entry: 'conclude',
      always: [
        { guard: 'canAutoApply', target: 'applying', actions: assign({ pendingFix: ({ context }) => context.findings.find((f) => f.fix)!.fix }) },
        { guard: 'interactive', target: 'report' },
        { target: 'done' },
      ],
    },
    // Decision point: the user picks the next step.
    report: {
      on: {
        FIX: {
          guard: { type: 'hasFix', params: ({ event }) => ({ fixId: event.fixId }) },
          target: 'confirming',
          actions: assign({ pendingFix: ({ context, event }) => context.findings.find((f) => f.fix?.id === event.fixId)!.fix }),
        },
        LOCKED_OUT: { target: 'done', actions: assign({ next: 'locked-out' as const }) },
        RETRY_PORT: {
          guard: { type: 'sshFoundOn', params: ({ event }) => ({ port: event.port }) },
          target: 'resolving',
          actions: assign(({ context, event }) => ({
            input: { ...context.input, sshFlags: withPort(context.input.sshFlags, event.port) },
            probes: [],
            started: {},
            findings: [],
            fixOutcomes: [],
            verdictId: undefined,
            ...Object.fromEntries(FACT_KEYS.map((k) => [k, undefined])),
          })),
        },
        QUIT: 'done',
      },
    },
    confirming: {
      on: {
        CONFIRM: 'applying',
        DECLINE: { target: 'report', actions: assign({ pendingFix: undefined }) },
      },
    },
    applying: {
      invoke: {
        id: 'applyFix',
        src: 'applyFix',
        input: ({ context }) => ({ fix: context.pendingFix!, target: context.target }),
        onDone: { target: 'applied', actions: assign({ fixOutcomes: ({ context, event }) => [...context.fixOutcomes, event.output] }) },
        onError: {
          target: 'applied',
          actions: assign({
            fixOutcomes: ({ context, event }) => [...context.fixOutcomes, { fixId: context.pendingFix!.id, ok: false, log: [String(event.error)] }],
          }),
        },
      },
    },
    // A fix is offered once: after it ran (or failed), it leaves the menu.
    applied: {
      entry: assign({
        findings: ({ context }) => context.findings.map((f) => (f.fix?.id === context.pendingFix!.id ? { ...f, fix: undefined } : f)),
        pendingFix: undefined,
      }),
      always: [{ guard: 'interactive', target: 'report' }, { target: 'done' }],
    },
    failed: { type: 'final' },
    done: { type: 'final' },
  },
});

export type ClientFlow = typeof clientFlow;
