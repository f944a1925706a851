// The real probes and fixes behind the client flow's actor names.
import { fromPromise } from 'xstate';
import { formatCommand, formatMode, type Fix, type FixOutcome } from '../report.js';
import { rewrittenFiles, type ClientFixId } from './fixes.js';
import { resolveTarget } from './probes/ssh-config.js';
import { resolveHost } from './probes/dns.js';
import { probeOtherPorts, probeTcp } from './probes/tcp.js';
import { explicitIdentityFiles, inspectKeyFiles } from './probes/key-files.js';
import { lookupKnownHosts } from './probes/known-hosts.js';
import { probeHandshake } from './probes/handshake.js';
import { attemptLogin } from './probes/login.js';
import { expandProxyTokens } from './probes/proxy-command.js';
import { certificateCandidates, inspectCertificates } from './probes/user-cert.js';
import type { HandshakeInput, LocalBind, PasswordAttempt, ResolvedTarget } from './probes/types.js';
import { runOnTerminal, type TerminalLender } from '../run.js';

/**
 * The client fixes (README "Client fixes") and what a local re-check says after each one ran: the
 * wizard shows it beside the fix's log.
 */
export const CLIENT_FIXES = {
  'chmod-private-key': {
    verify: async (fix, _target, { timeoutMs, uid }) => {
      const path = fix.commands[0]![2]!;
      const r = await inspectKeyFiles({ identityFiles: [path], explicit: [path], timeoutMs, uid });
      const k = r.files[0];
      return k?.tooOpen === false
        ? `${path} is now ${formatMode(k.mode ?? 0)}: ssh will offer it.`
        : `${path} is still too open.`;
    },
  },
  'remove-stale-host-key': {
    verify: async (_fix, target, { timeoutMs }) => {
      if (!target) return undefined;
      const r = await lookupKnownHosts({
        host: target.host,
        port: target.port,
        hostKeyAlias: target.hostKeyAlias,
        files: target.userKnownHostsFiles,
        timeoutMs,
      });
      return r.entries.length === 0
        ? `No stored key for ${r.lookupName} remains; the next ssh asks you to accept the new one.`
        : `${r.entries.length} entries remain for ${r.lookupName}.`;
    },
  },
} as const satisfies Record<
  ClientFixId,
  {
    verify: (
      fix: Fix,
      target: ResolvedTarget | undefined,
      how: { timeoutMs: number; uid: number | undefined },
    ) => Promise<string | undefined>;
  }
>;

const isClientFix = (id: string): id is ClientFixId => Object.hasOwn(CLIENT_FIXES, id);

/**
 * uid: who runs ssh (the command's io.uid); journalFile: where fixes are journaled (journalPath);
 * `terminal`: how the wizard's screen lends the terminal to ssh for the password attempt; `show`
 * writes to it meanwhile (the command about to run).
 */
export function clientActors({
  uid,
  journalFile,
  terminal,
  show = () => {},
}: {
  uid: number | undefined;
  journalFile: string;
  terminal?: TerminalLender;
  show?: (text: string) => void;
}) {
  return {
    target: fromPromise(({ input }: { input: { destination: string; sshFlags: string[]; timeoutMs: number } }) =>
      resolveTarget(input),
    ),
    dns: fromPromise(
      ({ input }: { input: { host: string; family: ResolvedTarget['addressFamily']; timeoutMs: number } }) =>
        resolveHost(input),
    ),
    tcp: fromPromise(
      ({ input }: { input: { addresses: string[]; port: number; timeoutMs: number; bind?: LocalBind } }) =>
        probeTcp(input),
    ),
    otherPorts: fromPromise(
      ({ input }: { input: { address: string; ports: number[]; timeoutMs: number; bind?: LocalBind } }) =>
        probeOtherPorts(input),
    ),
    keys: fromPromise(
      async ({ input }: { input: { target: ResolvedTarget; sshFlags: string[]; timeoutMs: number } }) => {
        const [keys, certificates] = await Promise.all([
          inspectKeyFiles({
            identityFiles: input.target.identityFiles,
            explicit: explicitIdentityFiles(input.target.identityFiles, input.sshFlags),
            timeoutMs: input.timeoutMs,
            uid,
          }),
          inspectCertificates({
            paths: certificateCandidates(input.target.identityFiles, input.target.certificateFiles ?? []),
            timeoutMs: input.timeoutMs,
          }),
        ]);
        return certificates.length ? { ...keys, certificates } : keys;
      },
    ),
    knownHosts: fromPromise(({ input }: { input: { target: ResolvedTarget; timeoutMs: number } }) =>
      lookupKnownHosts({
        host: input.target.host,
        port: input.target.port,
        hostKeyAlias: input.target.hostKeyAlias,
        // ssh trusts both: a key in the global file is as known as one in the user's.
        files: [...input.target.userKnownHostsFiles, ...input.target.globalKnownHostsFiles],
        timeoutMs: input.timeoutMs,
      }),
    ),
    handshake: fromPromise(({ input }: { input: HandshakeInput }) => probeHandshake(input)),
    login: fromPromise(
      ({
        input,
      }: {
        input: {
          destination: string;
          sshFlags: string[];
          target: ResolvedTarget;
          timeoutMs: number;
          ceilingMs: number;
        };
      }) =>
        attemptLogin({
          ceilingMs: input.ceilingMs,
          destination: input.destination,
          sshFlags: input.sshFlags,
          knownHostsFiles: input.target.userKnownHostsFiles,
          timeoutMs: input.timeoutMs,
          proxyJump: input.target.proxyJump,
          ...(input.target.proxyCommand
            ? { proxyCommand: expandProxyTokens(input.target.proxyCommand, input.target) }
            : {}),
        }),
    ),
    password: fromPromise(({ input }: { input: { command: string[] } }) =>
      (terminal?.lend ?? ((use: () => Promise<PasswordAttempt>) => use()))(async (): Promise<PasswordAttempt> => {
        show(`\n$ ${formatCommand(input.command)}\n`);
        const r = await runOnTerminal(input.command, { timeoutMs: 5 * 60_000, keepStderr: true });
        if (r.missing) throw new Error('ssh is not installed');
        return { command: input.command, exitCode: r.exitCode, stderr: r.stderr.split(/\r?\n/).filter(Boolean) };
      }),
    ),
    applyFix: fromPromise(async ({ input }: { input: { fix: Fix; target?: ResolvedTarget } }): Promise<FixOutcome> => {
      // Loaded only when a fix runs: a diagnosis never applies one, and these modules (journal,
      // revert, the server's file helpers) would cost every run's start-up.
      const [{ applyFix }, { resultsOf }] = await Promise.all([
        import('../fixes/apply.js'),
        import('../fixes/revert.js'),
      ]);
      const r = await applyFix(input.fix, {
        journalFile,
        // What the fix left in each file it rewrote: undo then refuses to clobber later changes.
        journalAfter: () => resultsOf(rewrittenFiles(input.fix)),
      });
      const verified =
        r.ok && isClientFix(input.fix.id)
          ? await CLIENT_FIXES[input.fix.id].verify(input.fix, input.target, { timeoutMs: 5000, uid })
          : undefined;
      return {
        fixId: input.fix.id,
        status: r.ok ? 'applied' : 'failed',
        log: r.log,
        ...(verified ? { verified } : {}),
      };
    }),
  };
}
