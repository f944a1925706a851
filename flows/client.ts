// The client decision tree: from "ssh won't connect" to one verdict with evidence, then the
// user's choice of next step. Probes and fixes are actors provided by src/commands/client/run.ts
// (tests provide fakes); this file never touches the system.
//
// Each probe has one name: its actor, its invoke and state, and the context field its result is
// recorded under (CLIENT_PROBES holds its public id). A probe only records; the states after it
// decide, by named guards read in order.
import { assign, not, setup } from 'xstate';
import { errorText, notProvided } from './actors.js';
import type { Answering } from './mode.js';
import type { Finding, Fix, ProbeRecord } from '../src/report.js';
import type {
  DnsResult,
  HandshakeResult,
  KeyFilesResult,
  KnownHostsResult,
  LoginOutcome,
  LoginResult,
  OtherPortResult,
  ResolvedTarget,
  TcpAttempt,
  TcpOutcome,
  TcpResult,
} from '../src/client/probes/types.js';
import { compareHostKey } from '../src/client/compare-host-key.js';
import { otherPortCandidates } from '../src/client/other-ports.js';
import { clientFindings, isUnreachable, type ClientFacts, type ClientVerdictId } from '../src/client/findings.js';
import { CLIENT_PROBES, describeProbe, type ClientProbe } from '../src/client/probe-details.js';
import { networkEndpoint } from '../src/client/endpoint.js';

export interface ClientInput extends Answering {
  destination: string;
  sshFlags: string[];
  timeoutMs: number;
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
  started: Partial<Record<ClientProbe, number>>;
  verdictId?: ClientVerdictId;
  findings: Finding[];
  pendingFix?: Fix;
  fixOutcomes: FixOutcome[];
  /** Set when the user chose to leave for another wizard. */
  next?: 'locked-out' | 'server';
  error?: string;
}

export type ClientEvent =
  | { type: 'FIX'; fixId: string }
  | { type: 'CONFIRM' }
  | { type: 'DECLINE' }
  | { type: 'LOCKED_OUT' }
  /** The host is this machine: check its sshd (ssh-doctor server) instead of a way in. */
  | { type: 'CHECK_SERVER' }
  /** Diagnose again on the port where SSH was found answering. */
  | { type: 'RETRY_PORT'; port: number }
  | { type: 'QUIT' };

/** A probe's result, under the probe's name. */
type Recorded = { [K in ClientProbe]: { probe: K; output: NonNullable<ClientFacts[K]> } }[ClientProbe];

/** The same ssh flags with the port replaced. */
function withPort(sshFlags: readonly string[], port: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < sshFlags.length; i++) {
    if (sshFlags[i] === '-p') i++;
    else out.push(sshFlags[i]!);
  }
  return ['-p', String(port), ...out];
}

/** The address the rest of the run talks to: one that answered SSH, else the first that connected. */
function connected(tcp: TcpResult | undefined): TcpAttempt | undefined {
  return (
    tcp?.attempts.find((a) => a.outcome === 'connected' && a.bannerOutcome === 'ssh') ??
    tcp?.attempts.find((a) => a.outcome === 'connected')
  );
}

const tcpSaw = (tcp: TcpResult | undefined, outcome: TcpOutcome) =>
  tcp?.attempts.some((a) => a.outcome === outcome) ?? false;
/** What ssh's own attempt ended with: through a jump host, the only word on the target. */
const sshSaid = (ctx: ClientContext, outcome: LoginOutcome) => ctx.login?.debug.outcome === outcome;

function probeRecord(
  ctx: ClientContext,
  probe: ClientProbe,
  status: ProbeRecord['status'],
  detail: string,
): ProbeRecord[] {
  const started = ctx.started[probe] ?? Date.now();
  return [
    ...ctx.probes,
    { id: CLIENT_PROBES[probe].id, status, durationMs: Math.max(0, Date.now() - started), detail },
  ];
}

/** A loopback name or address: the machine ssh-doctor runs on. */
export function onThisMachine(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

export const clientFlow = setup({
  types: {
    context: {} as ClientContext,
    events: {} as ClientEvent,
    input: {} as ClientInput,
  },
  actors: {
    target: notProvided<ResolvedTarget, { destination: string; sshFlags: string[]; timeoutMs: number }>('target'),
    keys: notProvided<KeyFilesResult, { target: ResolvedTarget; sshFlags: string[]; timeoutMs: number }>('keys'),
    knownHosts: notProvided<KnownHostsResult, { target: ResolvedTarget; timeoutMs: number }>('knownHosts'),
    dns: notProvided<DnsResult, { host: string; family: ResolvedTarget['addressFamily']; timeoutMs: number }>('dns'),
    tcp: notProvided<TcpResult, { addresses: string[]; port: number; timeoutMs: number }>('tcp'),
    otherPorts: notProvided<OtherPortResult[], { address: string; ports: number[]; timeoutMs: number }>('otherPorts'),
    handshake: notProvided<
      HandshakeResult,
      { address: string; port: number; user: string; timeoutMs: number; preferredHostKeyTypes: string[] }
    >('handshake'),
    login: notProvided<
      LoginResult,
      { destination: string; sshFlags: string[]; target: ResolvedTarget; timeoutMs: number }
    >('login'),
    applyFix: notProvided<FixOutcome, { fix: Fix; target?: ResolvedTarget }>('applyFix'),
  },
  guards: {
    sshAnswers: ({ context }) =>
      context.tcp?.attempts.some((a) => a.outcome === 'connected' && a.bannerOutcome === 'ssh') ?? false,
    viaJumpHost: ({ context }) => !!context.target?.proxyJump,

    // One guard per verdict, read in the order `classifying` lists them. Each names a root
    // cause, whichever probe saw it: our own TCP probe, or ssh's attempt through a jump host.
    dnsUnresolved: ({ context }) => !context.dns?.addresses.length || sshSaid(context, 'dns-unresolved'),
    refused: ({ context }) =>
      (!connected(context.tcp) && tcpSaw(context.tcp, 'refused')) || sshSaid(context, 'connection-refused'),
    notSsh: ({ context }) => connected(context.tcp)?.bannerOutcome === 'other',
    /** Connected, then closed, reset or silent before any identification. */
    bannerFailed: ({ context }) => {
      const c = connected(context.tcp);
      return (
        (c !== undefined && c.bannerOutcome !== 'ssh' && c.bannerOutcome !== 'other') ||
        sshSaid(context, 'banner-exchange-failed')
      );
    },
    timedOut: ({ context }) =>
      (!connected(context.tcp) && !tcpSaw(context.tcp, 'refused') && tcpSaw(context.tcp, 'timeout')) ||
      sshSaid(context, 'connection-timeout'),
    /** Nothing connected, refused or timed out: unreachable, a socket error, or no TCP probe at all. */
    noRoute: ({ context }) =>
      !context.tcp ||
      context.tcp.attempts.every((a) => a.outcome === 'unreachable' || a.outcome === 'error') ||
      sshSaid(context, 'no-route'),
    hostKeyChanged: ({ context }) =>
      (!!context.handshake?.hostKey &&
        !!context.knownHosts &&
        compareHostKey(context.knownHosts.entries, context.handshake.hostKey) === 'changed') ||
      sshSaid(context, 'host-key-changed'),
    algorithmMismatch: ({ context }) => sshSaid(context, 'algorithm-mismatch'),
    tooManyAuthFailures: ({ context }) => sshSaid(context, 'too-many-auth-failures'),
    loginWorks: ({ context }) => sshSaid(context, 'ok'),
    /** Denied, and ssh skipped a key for its modes (or one on disk is too open to be offered). */
    privateKeyIgnored: ({ context }) =>
      sshSaid(context, 'auth-denied') &&
      ((context.login?.debug.keysIgnored.length ?? 0) > 0 ||
        (context.keys?.files.some((f) => f.exists && f.tooOpen) ?? false)),
    /** Denied, and the server takes no key, only what a person types. */
    passwordOnly: ({ context }) => {
      const methods = context.login?.debug.methodsLeft ?? context.handshake?.authMethods ?? [];
      return (
        sshSaid(context, 'auth-denied') &&
        !methods.includes('publickey') &&
        methods.some((m) => m === 'password' || m === 'keyboard-interactive')
      );
    },
    publickeyDenied: ({ context }) => sshSaid(context, 'auth-denied'),

    canAutoApply: ({ context }) => context.input.autoApply && context.findings.some((f) => f.fix),
    interactive: ({ context }) => context.input.interactive,
    hasFix: ({ context }, p: { fixId: string }) => context.findings.some((f) => f.fix?.id === p.fixId),
    /** Unreachable, and elsewhere: the ways in that bypass SSH apply. */
    unreachableRemote: ({ context }) =>
      context.verdictId !== undefined && isUnreachable(context.verdictId) && !onThisMachine(context.target?.host),
    /** Unreachable, and here: no one is locked out of the machine they sit at; its sshd is what to check. */
    unreachableHere: ({ context }) =>
      context.verdictId !== undefined && isUnreachable(context.verdictId) && onThisMachine(context.target?.host),
    sshFoundOn: ({ context }, p: { port: number }) =>
      (context.otherPorts ?? []).some((a) => a.port === p.port && a.bannerOutcome === 'ssh'),
  },
  actions: {
    start: assign(({ context }, p: { probe: ClientProbe }) => ({
      started: { ...context.started, [p.probe]: Date.now() },
    })),
    record: assign(({ context }, p: Recorded) => {
      const { status, detail } = describeProbe(p.probe, p.output);
      return { [p.probe]: p.output, probes: probeRecord(context, p.probe, status, detail) };
    }),
    recordFailure: assign(({ context }, p: { probe: ClientProbe; error: unknown }) => ({
      probes: probeRecord(context, p.probe, 'unknown', `could not run: ${errorText(p.error)}`),
    })),
    decide: assign((_, p: { verdict: ClientVerdictId }) => ({ verdictId: p.verdict })),
    conclude: assign(({ context }) => ({ findings: clientFindings(context, context.verdictId!) })),
  },
}).createMachine({
  id: 'client',
  context: ({ input }) => ({ input, probes: [], started: {}, findings: [], fixOutcomes: [] }),
  initial: 'target',
  states: {
    target: {
      description: "ssh -G with the user's flags: the host, port, user, keys and jump host ssh would use.",
      entry: { type: 'start', params: { probe: 'target' } },
      invoke: {
        id: 'target',
        src: 'target',
        input: ({ context }) => ({
          destination: context.input.destination,
          sshFlags: context.input.sshFlags,
          timeoutMs: context.input.timeoutMs,
        }),
        onDone: {
          target: 'probing',
          actions: { type: 'record', params: ({ event }) => ({ probe: 'target', output: event.output }) },
        },
        onError: { target: 'failed', actions: assign({ error: ({ event }) => errorText(event.error) }) },
      },
    },
    probing: {
      description: 'Local files and the network are independent: both are looked at at once.',
      type: 'parallel',
      onDone: 'routing',
      states: {
        local: {
          initial: 'keys',
          states: {
            keys: {
              entry: { type: 'start', params: { probe: 'keys' } },
              invoke: {
                id: 'keys',
                src: 'keys',
                input: ({ context }) => ({
                  target: context.target!,
                  sshFlags: context.input.sshFlags,
                  timeoutMs: context.input.timeoutMs,
                }),
                onDone: {
                  target: 'knownHosts',
                  actions: { type: 'record', params: ({ event }) => ({ probe: 'keys', output: event.output }) },
                },
                onError: {
                  target: 'knownHosts',
                  actions: { type: 'recordFailure', params: ({ event }) => ({ probe: 'keys', error: event.error }) },
                },
              },
            },
            knownHosts: {
              entry: { type: 'start', params: { probe: 'knownHosts' } },
              invoke: {
                id: 'knownHosts',
                src: 'knownHosts',
                input: ({ context }) => ({ target: context.target!, timeoutMs: context.input.timeoutMs }),
                onDone: {
                  target: 'done',
                  actions: { type: 'record', params: ({ event }) => ({ probe: 'knownHosts', output: event.output }) },
                },
                onError: {
                  target: 'done',
                  actions: {
                    type: 'recordFailure',
                    params: ({ event }) => ({ probe: 'knownHosts', error: event.error }),
                  },
                },
              },
            },
            done: { type: 'final' },
          },
        },
        network: {
          initial: 'dns',
          states: {
            dns: {
              entry: { type: 'start', params: { probe: 'dns' } },
              invoke: {
                id: 'dns',
                src: 'dns',
                input: ({ context }) => ({
                  host: networkEndpoint(context.target!).host,
                  family: context.target!.addressFamily,
                  timeoutMs: context.input.timeoutMs,
                }),
                onDone: {
                  target: 'resolved',
                  actions: { type: 'record', params: ({ event }) => ({ probe: 'dns', output: event.output }) },
                },
                onError: {
                  target: 'resolved',
                  actions: { type: 'recordFailure', params: ({ event }) => ({ probe: 'dns', error: event.error }) },
                },
              },
            },
            resolved: {
              description: 'Without an address there is nothing to connect to.',
              always: [{ guard: 'dnsUnresolved', target: 'done' }, { target: 'tcp' }],
            },
            tcp: {
              entry: { type: 'start', params: { probe: 'tcp' } },
              invoke: {
                id: 'tcp',
                src: 'tcp',
                input: ({ context }) => ({
                  addresses: context.dns!.addresses.map((a) => a.address),
                  port: networkEndpoint(context.target!).port,
                  timeoutMs: context.input.timeoutMs,
                }),
                onDone: {
                  target: 'connected',
                  actions: { type: 'record', params: ({ event }) => ({ probe: 'tcp', output: event.output }) },
                },
                onError: {
                  target: 'connected',
                  actions: { type: 'recordFailure', params: ({ event }) => ({ probe: 'tcp', error: event.error }) },
                },
              },
            },
            connected: {
              description: 'Refused: is sshd simply on another port? Only the few usual ones, never a sweep.',
              always: [{ guard: 'refused', target: 'otherPorts' }, { target: 'done' }],
            },
            otherPorts: {
              entry: { type: 'start', params: { probe: 'otherPorts' } },
              invoke: {
                id: 'otherPorts',
                src: 'otherPorts',
                input: ({ context }) => ({
                  address: context.tcp!.attempts[0]!.address,
                  ports: otherPortCandidates(networkEndpoint(context.target!).port, context.target!.configPorts),
                  timeoutMs: Math.min(context.input.timeoutMs, 2000),
                }),
                onDone: {
                  target: 'done',
                  actions: { type: 'record', params: ({ event }) => ({ probe: 'otherPorts', output: event.output }) },
                },
                onError: {
                  target: 'done',
                  actions: {
                    type: 'recordFailure',
                    params: ({ event }) => ({ probe: 'otherPorts', error: event.error }),
                  },
                },
              },
            },
            done: { type: 'final' },
          },
        },
      },
    },
    routing: {
      description:
        'Only an SSH server is worth a handshake and a login; through a jump host only ssh itself reaches the target.',
      always: [
        { guard: not('sshAnswers'), target: 'classifying' },
        { guard: 'viaJumpHost', target: 'login' },
        { target: 'handshake' },
      ],
    },
    handshake: {
      entry: { type: 'start', params: { probe: 'handshake' } },
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
        onDone: {
          target: 'hostKeyChecked',
          actions: { type: 'record', params: ({ event }) => ({ probe: 'handshake', output: event.output }) },
        },
        onError: {
          target: 'login',
          actions: { type: 'recordFailure', params: ({ event }) => ({ probe: 'handshake', error: event.error }) },
        },
      },
    },
    hostKeyChecked: {
      description: 'A changed host key may be an attack: no login is tried against it.',
      always: [{ guard: 'hostKeyChanged', target: 'classifying' }, { target: 'login' }],
    },
    login: {
      description: 'The one real login attempt of the run.',
      entry: { type: 'start', params: { probe: 'login' } },
      invoke: {
        id: 'login',
        src: 'login',
        input: ({ context }) => ({
          destination: context.input.destination,
          sshFlags: context.input.sshFlags,
          target: context.target!,
          timeoutMs: context.input.timeoutMs,
        }),
        onDone: {
          target: 'classifying',
          actions: { type: 'record', params: ({ event }) => ({ probe: 'login', output: event.output }) },
        },
        onError: {
          target: 'classifying',
          actions: { type: 'recordFailure', params: ({ event }) => ({ probe: 'login', error: event.error }) },
        },
      },
    },
    classifying: {
      description:
        'The verdict: the first root cause whose guard holds, network first, then the host key, then the login.',
      always: [
        {
          guard: 'dnsUnresolved',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'dns-unresolved' } },
        },
        {
          guard: 'refused',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'connection-refused' } },
        },
        { guard: 'notSsh', target: 'concluding', actions: { type: 'decide', params: { verdict: 'not-ssh-service' } } },
        {
          guard: 'bannerFailed',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'banner-exchange-failed' } },
        },
        {
          guard: 'timedOut',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'connection-timeout' } },
        },
        { guard: 'noRoute', target: 'concluding', actions: { type: 'decide', params: { verdict: 'no-route' } } },
        {
          guard: 'hostKeyChanged',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'host-key-changed' } },
        },
        {
          guard: 'algorithmMismatch',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'algorithm-mismatch' } },
        },
        {
          guard: 'tooManyAuthFailures',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'too-many-auth-failures' } },
        },
        { guard: 'loginWorks', target: 'concluding', actions: { type: 'decide', params: { verdict: 'ok' } } },
        {
          guard: 'privateKeyIgnored',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'private-key-permissions' } },
        },
        {
          guard: 'passwordOnly',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'auth-password-denied' } },
        },
        {
          guard: 'publickeyDenied',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'auth-publickey-denied' } },
        },
        {
          description: 'ssh failed in a way none of the above names (or the login probe could not run).',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'login-failed' } },
        },
      ],
    },
    concluding: {
      entry: 'conclude',
      always: [
        {
          guard: 'canAutoApply',
          target: 'applying',
          actions: assign({ pendingFix: ({ context }) => context.findings.find((f) => f.fix)!.fix }),
        },
        { guard: 'interactive', target: 'report' },
        { target: 'done' },
      ],
    },
    report: {
      description: 'The user picks the next step.',
      on: {
        FIX: {
          guard: { type: 'hasFix', params: ({ event }) => ({ fixId: event.fixId }) },
          target: 'confirming',
          actions: assign({
            pendingFix: ({ context, event }) => context.findings.find((f) => f.fix?.id === event.fixId)!.fix,
          }),
        },
        LOCKED_OUT: { guard: 'unreachableRemote', target: 'done', actions: assign({ next: 'locked-out' as const }) },
        CHECK_SERVER: { guard: 'unreachableHere', target: 'done', actions: assign({ next: 'server' as const }) },
        RETRY_PORT: {
          guard: { type: 'sshFoundOn', params: ({ event }) => ({ port: event.port }) },
          target: 'target',
          actions: assign(({ context, event }) => ({
            input: { ...context.input, sshFlags: withPort(context.input.sshFlags, event.port) },
            probes: [],
            started: {},
            findings: [],
            fixOutcomes: [],
            verdictId: undefined,
            ...Object.fromEntries(Object.keys(CLIENT_PROBES).map((k) => [k, undefined])),
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
        onDone: {
          target: 'applied',
          actions: assign({ fixOutcomes: ({ context, event }) => [...context.fixOutcomes, event.output] }),
        },
        onError: {
          target: 'applied',
          actions: assign({
            fixOutcomes: ({ context, event }) => [
              ...context.fixOutcomes,
              { fixId: context.pendingFix!.id, ok: false, log: [String(event.error)] },
            ],
          }),
        },
      },
    },
    applied: {
      description: 'A fix is offered once: after it ran (or failed), it leaves the menu.',
      entry: assign({
        findings: ({ context }) =>
          context.findings.map((f) => (f.fix?.id === context.pendingFix!.id ? { ...f, fix: undefined } : f)),
        pendingFix: undefined,
      }),
      always: [{ guard: 'interactive', target: 'report' }, { target: 'done' }],
    },
    failed: { description: 'The ssh settings could not be read: nothing to diagnose.', type: 'final' },
    done: { type: 'final' },
  },
});

export type ClientFlow = typeof clientFlow;
