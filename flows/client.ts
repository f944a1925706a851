// The client decision tree: from "ssh won't connect" to one verdict with evidence, then the
// user's choice of next step. Probes and fixes are actors provided by src/commands/client/run.ts
// (tests provide fakes); this file never touches the system.
//
// Each probe has one name: its actor, its invoke and state, and the context field its result is
// recorded under (CLIENT_PROBES holds its public id). A probe only records; the states after it
// decide, by named guards read in order.
import { and, assign, not, setup } from 'xstate';
import { errorText, notProvided } from './actors.js';
import type { Answering } from './mode.js';
import type { Finding, Fix, FixOutcome, ProbeRecord } from '../src/report.js';
import type {
  DnsResult,
  HandshakeInput,
  HandshakeResult,
  KeyFilesResult,
  KnownHostsResult,
  LoginOutcome,
  LocalBind,
  LoginResult,
  OtherPortResult,
  PasswordAttempt,
  ResolvedTarget,
  TcpAttempt,
  TcpOutcome,
  TcpResult,
} from '../src/client/probes/types.js';
import { compareHostKey } from '../src/client/compare-host-key.js';
import { hostKeyRevoked } from '../src/client/host-key-revoked.js';
import { userCertificateRefused } from '../src/client/user-certificate.js';
import { passwordCommand, passwordOutcome, passwordWanted } from '../src/client/password-attempt.js';
import { otherPortCandidates } from '../src/client/other-ports.js';
import {
  clientFindings,
  encryptedUnusable,
  isUnreachable,
  type ClientFacts,
  type ClientVerdictId,
} from '../src/client/findings.js';
import { CLIENT_PROBES, describeProbe, type ClientProbe } from '../src/client/probe-details.js';
import { endpointBind, endpointFamily, networkEndpoint } from '../src/client/endpoint.js';

export interface ClientInput extends Answering {
  destination: string;
  sshFlags: string[];
  /** The user's other ssh flags and remote command: not used, only reported (src/ssh-args.ts). */
  setAside?: string[];
  command?: string[];
  timeoutMs: number;
}

export interface ClientContext extends ClientFacts {
  input: ClientInput;
  /** When the run (or the retry on another port) started: the one deadline counts from here. */
  startedAt: number;
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

/**
 * A login still past key exchange at the deadline is followed up to this long after the start
 * (issue 10: slow reverse DNS or shell start-up takes 10–20 s and is slowness, not failure).
 */
export const LOGIN_CEILING_MS = 30_000;
/** Below this, a network probe could not even start: it gets this much instead. */
const MIN_PROBE_MS = 250;

/** The probes of the local region (files on this machine), in the order they run. */
const LOCAL_PROBES = ['keys', 'knownHosts'] as const;

/** What is left of the run's one deadline (--timeout), for the next network probe. */
const remaining = (ctx: ClientContext) => Math.max(MIN_PROBE_MS, ctx.startedAt + ctx.input.timeoutMs - Date.now());

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
/**
 * ssh hands the connection to a program: where it goes is the program's business, so no direct
 * probe of HostName would test the path ssh takes. (A jump host is different: ssh connects to
 * the first hop itself, and the network probes go there.)
 */
const viaProxyCommand = (ctx: ClientContext) => !!ctx.target?.proxyCommand && !ctx.target.proxyJump;
/** The jump host could not reach the target, for this reason (its own words). */
const hopSaid = (ctx: ClientContext, reason: RegExp) => reason.test(ctx.login?.hopFailed?.reason ?? '');
const HOP_REFUSED = /Connection refused/;
const HOP_TIMEOUT = /timed out/i;
const HOP_NO_ROUTE = /No route to host|Network is unreachable/;
const HOP_UNRESOLVED = /Name or service not known|name resolution|No address associated|nodename nor servname/;
/** What the server accepts: ssh's final list, else what the handshake heard. */
const methodsLeft = (ctx: ClientContext) => ctx.login?.debug.methodsLeft ?? ctx.handshake?.authMethods ?? [];
/** Denied by a server that does not list publickey: no key was even tried. */
const pubkeyNotListed = (ctx: ClientContext) =>
  sshSaid(ctx, 'auth-denied') && methodsLeft(ctx).length > 0 && !methodsLeft(ctx).includes('publickey');

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
    tcp: notProvided<TcpResult, { addresses: string[]; port: number; timeoutMs: number; bind?: LocalBind }>('tcp'),
    otherPorts: notProvided<
      OtherPortResult[],
      { address: string; ports: number[]; timeoutMs: number; bind?: LocalBind }
    >('otherPorts'),
    handshake: notProvided<HandshakeResult, HandshakeInput>('handshake'),
    login: notProvided<
      LoginResult,
      { destination: string; sshFlags: string[]; target: ResolvedTarget; timeoutMs: number; ceilingMs: number }
    >('login'),
    applyFix: notProvided<FixOutcome, { fix: Fix; target?: ResolvedTarget }>('applyFix'),
    /** ssh on the person's terminal: they type the password to ssh itself. */
    password: notProvided<PasswordAttempt, { command: string[] }>('password'),
  },
  guards: {
    sshAnswers: ({ context }) =>
      context.tcp?.attempts.some((a) => a.outcome === 'connected' && a.bannerOutcome === 'ssh') ?? false,
    viaJumpHost: ({ context }) => !!context.target?.proxyJump,
    viaProxyCommand: ({ context }) => viaProxyCommand(context),
    knownHostsSettled: ({ context }) => context.probes.some((p) => p.id === CLIENT_PROBES.knownHosts.id),

    /**
     * Through a ProxyCommand, ssh saw no SSH server: the proxy is what failed (missing, exited,
     * or connected to nothing that speaks SSH). Its stderr and exit status are the evidence.
     */
    proxyCommandFailed: ({ context }) =>
      (viaProxyCommand(context) && !!context.login && !context.login.debug.serverVersion) ||
      (!!context.login?.hopFailed &&
        ![HOP_REFUSED, HOP_TIMEOUT, HOP_NO_ROUTE, HOP_UNRESOLVED].some((re) => hopSaid(context, re))),

    // One guard per verdict, read in the order `classifying` lists them. Each names a root
    // cause, whichever probe saw it: our own TCP probe, or ssh's attempt through a jump host.
    dnsUnresolved: ({ context }) =>
      (!viaProxyCommand(context) && !context.dns?.addresses.length) ||
      !!context.target?.canonicalizeFailed ||
      hopSaid(context, HOP_UNRESOLVED) ||
      sshSaid(context, 'dns-unresolved'),
    /** Every address failed before leaving this machine: BindAddress / BindInterface is unusable here. */
    bindUnavailable: ({ context }) =>
      !!context.tcp?.attempts.length && context.tcp.attempts.every((a) => a.outcome === 'bind-failed'),
    refused: ({ context }) =>
      (!connected(context.tcp) && tcpSaw(context.tcp, 'refused')) ||
      hopSaid(context, HOP_REFUSED) ||
      sshSaid(context, 'connection-refused'),
    notSsh: ({ context }) => connected(context.tcp)?.bannerOutcome === 'other',
    /** Connected, then closed, reset or silent before any identification. */
    bannerFailed: ({ context }) => {
      const c = connected(context.tcp);
      return (
        (c !== undefined && c.bannerOutcome !== 'ssh' && c.bannerOutcome !== 'other') ||
        // After a failed hop ssh only sees its pipe close: the hop's reason decides, below.
        (sshSaid(context, 'banner-exchange-failed') && !context.login?.hopFailed)
      );
    },
    timedOut: ({ context }) =>
      (!connected(context.tcp) && !tcpSaw(context.tcp, 'refused') && tcpSaw(context.tcp, 'timeout')) ||
      hopSaid(context, HOP_TIMEOUT) ||
      sshSaid(context, 'connection-timeout'),
    /** Nothing connected, refused or timed out: unreachable, a socket error, or no TCP probe at all. */
    noRoute: ({ context }) =>
      (!viaProxyCommand(context) &&
        (!context.tcp || context.tcp.attempts.every((a) => a.outcome === 'unreachable' || a.outcome === 'error'))) ||
      hopSaid(context, HOP_NO_ROUTE) ||
      sshSaid(context, 'no-route'),
    hostKeyRevoked: ({ context }) => hostKeyRevoked(context),
    hostKeyChanged: ({ context }) =>
      (!!context.handshake?.hostKey &&
        !!context.knownHosts &&
        compareHostKey(context.knownHosts.entries, context.handshake.hostKey) === 'changed') ||
      sshSaid(context, 'host-key-changed'),
    algorithmMismatch: ({ context }) => sshSaid(context, 'algorithm-mismatch'),
    tooManyAuthFailures: ({ context }) => sshSaid(context, 'too-many-auth-failures'),
    // Authenticated (or turned away right after the key): the account or its session is the problem.
    accountLocked: ({ context }) => sshSaid(context, 'account-locked'),
    passwordChangeRequired: ({ context }) => sshSaid(context, 'password-change-required'),
    loginShellNologin: ({ context }) => sshSaid(context, 'login-shell-nologin'),
    forcedCommandFailed: ({ context }) => sshSaid(context, 'forced-command-failed'),
    sessionClosedAfterAuth: ({ context }) => sshSaid(context, 'session-closed-after-auth'),
    /** Authenticated, and a session started (its own exit status is a side finding). */
    loginWorks: ({ context }) => sshSaid(context, 'ok'),
    /** Denied, and ssh skipped a key for its modes (or one on disk is too open to be offered). */
    privateKeyIgnored: ({ context }) =>
      sshSaid(context, 'auth-denied') &&
      ((context.login?.debug.keysIgnored.length ?? 0) > 0 ||
        (context.keys?.files.some((f) => f.exists && f.tooOpen) ?? false)),
    secondFactorRequired: ({ context }) => sshSaid(context, 'auth-second-factor-required'),
    /** Denied, no key is listed, and the server takes what a person types. */
    passwordOnly: ({ context }) =>
      pubkeyNotListed(context) &&
      context.keys !== undefined &&
      !context.keys.files.some((f) => f.exists && !f.tooOpen && !f.encrypted) &&
      context.keys.agent.fingerprints.length === 0 &&
      methodsLeft(context).some((m) => m === 'password' || m === 'keyboard-interactive'),
    /** The same, and the user has a key the server would not even look at. */
    pubkeyAuthDisabled: ({ context }) => pubkeyNotListed(context),
    /** Denied, and a key ssh needed is locked by a passphrase that batch mode cannot ask for. */
    keyEncryptedNoAgent: ({ context }) => sshSaid(context, 'auth-denied') && encryptedUnusable(context).length > 0,
    /** Denied, nothing accepted, and ssh skipped a key whose type it no longer offers. */
    keyTypeDisabled: ({ context }) =>
      sshSaid(context, 'auth-denied') &&
      (context.login?.debug.keysSkipped.length ?? 0) > 0 &&
      context.login?.debug.keysAccepted.length === 0,
    /** Denied, and ssh had offered a user certificate. */
    userCertificateInvalid: ({ context }) => userCertificateRefused(context),
    publickeyDenied: ({ context }) => sshSaid(context, 'auth-denied'),

    passwordWanted: ({ context }) => passwordWanted(context),
    passwordAccepted: ({ context }) => !!context.password && passwordOutcome(context.password) === 'ok',
    passwordDenied: ({ context }) => !!context.password && passwordOutcome(context.password) === 'denied',
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
    /** Local probes the network did not wait for: recorded as not known, never as fine. */
    abandonLocal: assign(({ context }) => ({
      probes: [
        ...context.probes,
        ...LOCAL_PROBES.filter((k) => !context.probes.some((p) => p.id === CLIENT_PROBES[k].id)).map((k) => ({
          id: CLIENT_PROBES[k].id,
          status: 'unknown' as const,
          durationMs: Math.max(0, Date.now() - (context.started[k] ?? Date.now())),
          detail: 'not waited for: the network had already decided',
        })),
      ],
    })),
    decide: assign((_, p: { verdict: ClientVerdictId }) => ({ verdictId: p.verdict })),
    conclude: assign(({ context }) => ({ findings: clientFindings(context, context.verdictId!) })),
  },
}).createMachine({
  id: 'client',
  context: ({ input }) => ({ input, startedAt: Date.now(), probes: [], started: {}, findings: [], fixOutcomes: [] }),
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
      description:
        'Local files and the network are independent: both are looked at at once. Once the network has decided without a login (refused, not SSH, …), the local probes still running are not waited for.',
      type: 'parallel',
      onDone: 'classifying',
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
          initial: 'direct',
          states: {
            direct: {
              description: 'Through a ProxyCommand no direct probe reaches the server ssh reaches.',
              always: [{ guard: 'viaProxyCommand', target: 'connecting' }, { target: 'dns' }],
            },
            dns: {
              entry: { type: 'start', params: { probe: 'dns' } },
              invoke: {
                id: 'dns',
                src: 'dns',
                input: ({ context }) => ({
                  host: networkEndpoint(context.target!).host,
                  family: endpointFamily(context.target!),
                  timeoutMs: remaining(context),
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
              always: [{ guard: 'dnsUnresolved', target: 'settled' }, { target: 'tcp' }],
            },
            tcp: {
              entry: { type: 'start', params: { probe: 'tcp' } },
              invoke: {
                id: 'tcp',
                src: 'tcp',
                input: ({ context }) => {
                  const bind = endpointBind(context.target!);
                  return {
                    addresses: context.dns!.addresses.map((a) => a.address),
                    port: networkEndpoint(context.target!).port,
                    timeoutMs: remaining(context),
                    ...(bind ? { bind } : {}),
                  };
                },
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
              always: [{ guard: 'refused', target: 'otherPorts' }, { target: 'settled' }],
            },
            otherPorts: {
              entry: { type: 'start', params: { probe: 'otherPorts' } },
              invoke: {
                id: 'otherPorts',
                src: 'otherPorts',
                input: ({ context }) => {
                  const bind = endpointBind(context.target!);
                  return {
                    // The address that refused (another may not even have been bound to).
                    address: (context.tcp!.attempts.find((a) => a.outcome === 'refused') ?? context.tcp!.attempts[0]!)
                      .address,
                    ports: otherPortCandidates(networkEndpoint(context.target!).port, context.target!.configPorts),
                    timeoutMs: Math.min(remaining(context), 2000),
                    ...(bind ? { bind } : {}),
                  };
                },
                onDone: {
                  target: 'settled',
                  actions: { type: 'record', params: ({ event }) => ({ probe: 'otherPorts', output: event.output }) },
                },
                onError: {
                  target: 'settled',
                  actions: {
                    type: 'recordFailure',
                    params: ({ event }) => ({ probe: 'otherPorts', error: event.error }),
                  },
                },
              },
            },
            settled: {
              description:
                'Only an SSH server is worth a handshake and a login; without one the network has decided, and local probes still running are not waited for.',
              always: [
                { guard: not('sshAnswers'), target: '#client.classifying', actions: 'abandonLocal' },
                { target: 'connecting' },
              ],
            },
            connecting: {
              description:
                'The handshake and the one real login attempt run at once. ssh checks the host key itself before it offers any key (strict checking on our copy of known_hosts refuses a changed key), so nothing reaches a server whose key changed.',
              type: 'parallel',
              onDone: 'done',
              states: {
                handshake: {
                  initial: 'direct',
                  states: {
                    direct: {
                      description:
                        'Through a jump host or a ProxyCommand, a handshake from here would not reach the target.',
                      always: [
                        { guard: 'viaJumpHost', target: 'done' },
                        { guard: 'viaProxyCommand', target: 'done' },
                        { target: 'knownHosts' },
                      ],
                    },
                    knownHosts: {
                      description:
                        'The handshake asks for the key types known_hosts holds (else a second key of the host would look like a changed one).',
                      always: [{ guard: 'knownHostsSettled', target: 'running' }],
                    },
                    running: {
                      entry: { type: 'start', params: { probe: 'handshake' } },
                      invoke: {
                        id: 'handshake',
                        src: 'handshake',
                        input: ({ context }) => ({
                          address: connected(context.tcp)!.address,
                          ...(connected(context.tcp)!.localAddress
                            ? { localAddress: connected(context.tcp)!.localAddress }
                            : {}),
                          port: context.target!.port,
                          user: context.target!.user,
                          timeoutMs: remaining(context),
                          preferredHostKeyTypes: [
                            ...new Set((context.knownHosts?.entries ?? []).map((e) => e.keyType)),
                          ],
                        }),
                        onDone: {
                          target: 'done',
                          actions: {
                            type: 'record',
                            params: ({ event }) => ({ probe: 'handshake', output: event.output }),
                          },
                        },
                        onError: {
                          target: 'done',
                          actions: {
                            type: 'recordFailure',
                            params: ({ event }) => ({ probe: 'handshake', error: event.error }),
                          },
                        },
                      },
                    },
                    done: { type: 'final' },
                  },
                },
                login: {
                  initial: 'running',
                  states: {
                    running: {
                      entry: { type: 'start', params: { probe: 'login' } },
                      invoke: {
                        id: 'login',
                        src: 'login',
                        input: ({ context }) => ({
                          destination: context.input.destination,
                          sshFlags: context.input.sshFlags,
                          target: context.target!,
                          timeoutMs: remaining(context),
                          ceilingMs: Math.max(0, context.startedAt + LOGIN_CEILING_MS - Date.now()),
                        }),
                        onDone: {
                          target: 'done',
                          actions: {
                            type: 'record',
                            params: ({ event }) => ({ probe: 'login', output: event.output }),
                          },
                        },
                        onError: {
                          target: 'done',
                          actions: {
                            type: 'recordFailure',
                            params: ({ event }) => ({ probe: 'login', error: event.error }),
                          },
                        },
                      },
                    },
                    done: { type: 'final' },
                  },
                },
              },
            },
            done: { type: 'final' },
          },
        },
      },
    },
    classifying: {
      description:
        'The verdict: the first root cause whose guard holds, network first, then the host key, then the login.',
      always: [
        {
          guard: 'proxyCommandFailed',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'proxy-command-failed' } },
        },
        {
          guard: 'dnsUnresolved',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'dns-unresolved' } },
        },
        {
          guard: 'bindUnavailable',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'bind-address-unavailable' } },
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
          guard: 'hostKeyRevoked',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'host-key-revoked' } },
        },
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
        {
          guard: 'accountLocked',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'account-locked' } },
        },
        {
          guard: 'passwordChangeRequired',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'password-change-required' } },
        },
        {
          guard: 'loginShellNologin',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'login-shell-nologin' } },
        },
        {
          guard: 'forcedCommandFailed',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'forced-command-failed' } },
        },
        {
          guard: 'sessionClosedAfterAuth',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'session-closed-after-auth' } },
        },
        { guard: 'loginWorks', target: 'concluding', actions: { type: 'decide', params: { verdict: 'ok' } } },
        {
          guard: 'privateKeyIgnored',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'private-key-permissions' } },
        },
        {
          guard: 'secondFactorRequired',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'auth-second-factor-required' } },
        },
        {
          guard: 'userCertificateInvalid',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'user-certificate-invalid' } },
        },
        {
          guard: 'passwordOnly',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'auth-password-denied' } },
        },
        {
          guard: 'pubkeyAuthDisabled',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'pubkey-auth-disabled' } },
        },
        {
          guard: 'keyEncryptedNoAgent',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'key-encrypted-no-agent' } },
        },
        {
          guard: 'keyTypeDisabled',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'key-type-disabled' } },
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
        { guard: and(['interactive', 'passwordWanted']), target: 'offeringPassword' },
        { guard: 'interactive', target: 'report' },
        { target: 'done' },
      ],
    },
    offeringPassword: {
      description:
        'Keys failed and the server takes a password: try once, typed into ssh itself? "No" is the default; never offered for an unverified host key.',
      on: { CONFIRM: 'password', DECLINE: 'report' },
    },
    password: {
      description: 'A second login attempt: ssh owns the terminal, ssh-doctor only learns the exit status.',
      entry: { type: 'start', params: { probe: 'password' } },
      invoke: {
        id: 'password',
        src: 'password',
        input: ({ context }) => ({ command: passwordCommand(context.input.destination, context.input.sshFlags) }),
        onDone: {
          target: 'passwordJudged',
          actions: { type: 'record', params: ({ event }) => ({ probe: 'password', output: event.output }) },
        },
        onError: {
          target: 'report',
          actions: { type: 'recordFailure', params: ({ event }) => ({ probe: 'password', error: event.error }) },
        },
      },
    },
    passwordJudged: {
      description: "The attempt's exit status is the verdict now.",
      always: [
        { guard: 'passwordAccepted', target: 'concluding', actions: { type: 'decide', params: { verdict: 'ok' } } },
        {
          guard: 'passwordDenied',
          target: 'concluding',
          actions: { type: 'decide', params: { verdict: 'auth-password-denied' } },
        },
        { target: 'concluding', actions: { type: 'decide', params: { verdict: 'login-failed' } } },
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
            startedAt: Date.now(),
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
              { fixId: context.pendingFix!.id, status: 'failed', log: [String(event.error)] },
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
