// `ssh-doctor server`: probes this host (or --via another), reports findings, and applies the
// fixes the user confirms on that same host. Loaded only to run (command.ts is what start-up parses).
import { hostname } from 'node:os';
import { createActor, fromPromise, toPromise } from 'xstate';
import { UsageError } from '../../errors.js';
import { redactReport } from '../../redact.js';
import { inertJson } from '../../inert.js';
import { formatCommand, renderText, type Report } from '../../report.js';
import { serverArgv, sudoCommand, type ServerOptions } from './command.js';
import { collectFacts } from '../../server/collect.js';
import { needsRoot, uncheckedParts, type ServerFindingId } from '../../server/findings.js';
import type { ServerFacts } from '../../server/facts.js';
import type { ConfigSource } from '../../server/fixes/sshd-config.js';
import { journalPath } from '../../fixes/journal.js';
import { localHost, viaName, type Host, type Via } from '../../server/host.js';
import {
  buildServerReport,
  checksIncompleteFinding,
  needsRootFinding,
  needsRootViaFinding,
  serverExitCode,
} from '../../server/server-report.js';
import { serverFlow, type FixMode, type ServerContext } from '../../../flows/server.js';
import { hasTerminal, say, type Io } from '../mode.js';

export async function run(args: ServerOptions, io: Io): Promise<number> {
  const started = Date.now();
  const remote = args.via ? await (await import('../../server/remote.js')).connectVia(args.via, io.env) : undefined;
  const host: Host = remote ?? localHost;
  try {
    // --yes and --dry-run never wait for a key, and --redact prints a report to share (the
    // wizard's screens show the real names): they run headless even on a terminal.
    const interactive = !args.json && !args.yes && !args.dryRun && !args.redact && hasTerminal(io);
    if (!args.userGiven && !remote && io.uid === 0) {
      const user = await whoseLogins(host, io, interactive);
      if (user === undefined) return 0;
      args = { ...args, user };
    }
    const mode: FixMode = args.dryRun ? 'dry-run' : args.yes ? 'yes' : interactive ? 'ask' : 'report';
    const { machine, proposeFix, moreSteps } = await provide(host, args, io);
    const input = { mode, proposeFix, ...(args.via ? { via: viaName(args.via), moreSteps } : {}) };
    if (interactive) {
      const [{ runMachineUi }, { ServerWizard }] = await Promise.all([
        import('../../ui/run-machine.js'),
        import('../../ui/server/ServerWizard.js'),
      ]);
      // This very program again, as root: sudo's secure_path may not hold ssh-doctor.
      const sudo = args.via ? undefined : ['sudo', '--', ...io.self, ...serverArgv(args)];
      const ctx = await runMachineUi(io, machine, { ...input, ...(sudo ? { sudo } : {}) }, ServerWizard);
      const code = finish(ctx, args, started, 'tail', io);
      return ctx.rerunWithSudo && sudo ? rerun(sudo, io) : code;
    }
    const actor = createActor(machine, { input });
    if (mode === 'yes' || mode === 'dry-run') {
      // --yes still prints each fix as it goes.
      const { progress } = say(io);
      let shown = 0;
      actor.subscribe((s) => {
        for (const o of s.context.outcomes.slice(shown)) {
          const f = s.context.findings.find((x) => x.id === o.findingId) ?? s.context.current;
          progress(
            `${o.status === 'dry-run' ? 'Would apply' : 'Fix'} for ${o.findingId}: ${f?.fix?.title ?? o.fixId} [${o.status}]`,
          );
          for (const c of f?.fix?.commands ?? []) if (o.status === 'dry-run') progress(`  $ ${formatCommand(c)}`);
          for (const l of o.log) progress(`  ${l}`);
        }
        shown = s.context.outcomes.length;
      });
    }
    actor.start();
    const ctx = (await toPromise(actor), actor.getSnapshot().context);
    return finish(ctx, args, started, args.json ? 'json' : 'text', io);
  } finally {
    remote?.close();
  }
}

/**
 * Root without --user: checking root's own logins is rarely what was meant. The wizard asks;
 * headless takes the user who ran sudo, else the account sshd refused last, else stops.
 * Undefined: the user chose to quit.
 */
async function whoseLogins(host: Host, io: Io, interactive: boolean): Promise<string | undefined> {
  const sudoUser = io.env.SUDO_USER;
  const { recentlyRefused, usersWithKeys } = await import('../../server/probes/login-users.js');
  const refused = await recentlyRefused(host.exec);
  if (!interactive) {
    const user = sudoUser || refused.at(-1);
    if (!user)
      throw new UsageError(
        'Running as root without --user, and sshd refused no one lately: say whose logins to check, e.g. ssh-doctor server --user alice.',
      );
    return user;
  }
  const withKeys = await usersWithKeys(host.exec);
  const choices = [
    ...(sudoUser ? [{ name: sudoUser, why: 'ran sudo' }] : []),
    ...[...refused].reverse().map((name) => ({ name, why: 'refused by sshd lately' })),
    ...withKeys.map((name) => ({ name, why: 'has authorized_keys' })),
    { name: 'root', why: 'you' },
  ].filter((c, i, all) => all.findIndex((x) => x.name === c.name) === i);
  const { askUser } = await import('../../ui/server/ask-user.js');
  return askUser(choices);
}

/** The same checks as root; sudo talks to the terminal itself (ssh-doctor never sees the password). */
async function rerun(sudo: string[], io: Io): Promise<number> {
  say(io).result(`\n$ ${formatCommand(sudo)}\n`);
  const r = await (await import('../../run.js')).runOnTerminal(sudo);
  if (r.missing)
    throw new UsageError(
      'sudo is not installed here: run ssh-doctor server as root (for example from a root console).',
    );
  return r.exitCode ?? 1;
}

/** The flow with its actors, all working on `host`; fixes are drawn from the config as last read there. */
async function provide(host: Host, args: ServerOptions, io: Io) {
  const target = { user: args.user, port: args.port, ...(args.from ? { from: args.from } : {}) };
  const [{ runFix }, { proposeFix, ownershipSteps }, { readConfigSources }] = await Promise.all([
    import('../../server/fixes/run-fixes.js'),
    import('../../server/fixes/propose.js'),
    import('../../server/fixes/config-sources.js'),
  ]);
  const via = args.via;
  const reconnect = via ? async () => (await import('../../server/remote.js')).connectVia(via, io.env) : undefined;
  let sources: ConfigSource[] = [];
  const machine = serverFlow.provide({
    actors: {
      gather: fromPromise(async () => {
        const [gathered, read] = await Promise.all([collectFacts(host.exec, target), readConfigSources(host)]);
        sources = read;
        return gathered;
      }),
      applyFix: fromPromise(({ input }) =>
        runFix(input.fix, {
          host,
          reconnect,
          rollbackSeconds: args.rollbackSeconds,
          env: io.env,
          self: io.self,
          journalFile: journalPath(io.env, io.uid),
        }),
      ),
    },
  });
  return {
    machine,
    proposeFix: (id: ServerFindingId, facts: ServerFacts) =>
      proposeFix(id, facts, sources, new Date(), { remote: via !== undefined }),
    moreSteps: ownershipSteps,
  };
}

export function reportFor(ctx: ServerContext, args: ServerOptions, started: number): Report {
  if (ctx.error) throw new Error(ctx.error);
  const findings = [...ctx.findings];
  const parts = ctx.facts && !ctx.facts.root ? needsRoot(ctx.facts) : [];
  if (parts.length > 0)
    findings.push(
      args.via
        ? needsRootViaFinding(parts, args.via.host, sudoCommand(args), viaRootCommand(args, args.via))
        : needsRootFinding(parts, sudoCommand(args)),
    );
  // It stands in for server-ok; beside an error it would only repeat what the probes say, unless
  // the connection was lost: then the report must say so, and that more may have been missed.
  const lostTo = ctx.facts?.connectionLost;
  const unchecked =
    ctx.facts && (lostTo || !findings.some((f) => f.severity === 'error')) ? uncheckedParts(ctx.facts) : [];
  if (unchecked.length > 0)
    findings.push(
      checksIncompleteFinding(
        unchecked,
        args.via ? formatCommand(viaRootCommand(args, args.via)) : formatCommand(sudoCommand(args)),
        lostTo,
      ),
    );
  return buildServerReport({
    findings,
    probes: ctx.probes,
    target: { user: args.user, host: args.via?.host ?? hostname(), port: args.port },
    durationMs: Date.now() - started,
    outcomes: ctx.outcomes,
    ...(ctx.facts?.client ? { client: ctx.facts.client } : {}),
  });
}

/** The same run, connecting as root to the --via host. */
function viaRootCommand(args: ServerOptions, via: Via): string[] {
  return ['ssh-doctor', ...serverArgv(args), '--via', viaName({ ...via, user: 'root' })];
}

/** tail: after the wizard, which printed the probes and findings, only what it did not show. */
function finish(
  ctx: ServerContext,
  args: ServerOptions,
  started: number,
  as: 'json' | 'text' | 'tail',
  io: Io,
): number {
  const made = reportFor(ctx, args, started);
  const report = args.redact ? redactReport(made) : made;
  if (as === 'json') say(io).result(inertJson(report));
  else if (as === 'text') say(io).result(renderText(report));
  else {
    const shown = new Set(ctx.findings.map((f) => f.id));
    const rest = report.findings.filter((f) => !shown.has(f.id));
    say(io).result(renderText({ ...report, target: undefined, probes: [], findings: rest }));
  }
  return serverExitCode(report);
}
