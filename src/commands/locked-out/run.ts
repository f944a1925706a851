// `ssh-doctor locked-out`: the way back in when SSH itself is gone. The flow
// (flows/locked-out.ts) decides, the actors below touch the system. Loaded only to run.
import { accessSync, constants, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { createActor, fromPromise, toPromise } from 'xstate';
import { lockedOutFlow, type LockedOutContext, type LockedOutInput } from '../../../flows/locked-out.js';
import { readCapped, readStreamCapped, type Capped } from '../../capped.js';
import { UsageError } from '../../errors.js';
import { applyFix } from '../../fixes/apply.js';
import { journalPath } from '../../fixes/journal.js';
import { homeOf, type LockedOutOptions } from './command.js';
import { checkCloud, hasCloudCheck } from '../../locked-out/cloud/check.js';
import { decodeKitChecked, KIT_INPUT_MAX_BYTES, KIT_TOO_LARGE } from '../../locked-out/kit/decode.js';
import { kitFindings, repairScript } from '../../locked-out/kit/repair.js';
import { kitOneLiner } from '../../locked-out/kit/one-liner.js';
import { kitScript } from '../../locked-out/kit/script.js';
import { PROVIDERS, providerById, renderSteps } from '../../locked-out/providers.js';
import { inertJson } from '../../inert.js';
import { redactReport } from '../../redact.js';
import {
  appliedField,
  exitCodeFor,
  formatCommand,
  renderText,
  SCHEMA,
  type Finding,
  type FixOutcome,
  type Report,
  type Verdict,
} from '../../report.js';
import { needsRoot } from '../../server/findings.js';
import { needsRootFinding, serverVerdict } from '../../server/server-report.js';
import { hasTerminal, say, type Io } from '../mode.js';

export async function run(args: LockedOutOptions, io: Io): Promise<number> {
  const started = Date.now();
  if (args.decode !== undefined) return decodeMode(args, started, io);
  if (args.kit !== undefined) return kitMode(args, io);

  // --yes never waits for a key, and --redact prints a report to share (the wizard's screens
  // show the real names): both run headless even on a terminal.
  const interactive = !args.json && !args.yes && !args.redact && hasTerminal(io);
  if (!interactive && !args.provider)
    throw new UsageError(
      `${!hasTerminal(io) ? 'Without a terminal' : args.json ? 'With --json' : args.yes ? 'With --yes' : 'With --redact'}, say where the host lives with --provider (see ssh-doctor locked-out --help).`,
    );
  const home = homeOf(io.env);
  const backupKeyPath = join(home, '.ssh', 'id_ed25519_rescue');
  const input: LockedOutInput = {
    provider: args.provider,
    target:
      args.instance || args.myIp
        ? {
            instance: args.instance,
            myIp: args.myIp,
            region: args.region,
            zone: args.zone,
            project: args.project,
            resourceGroup: args.resourceGroup,
          }
        : undefined,
    user: args.user,
    port: args.port,
    interactive,
    autoApply: args.yes,
    backupKeyPath,
    backupKeyExists: existsSync(backupKeyPath),
    checkable: PROVIDERS.map((p) => p.id).filter(hasCloudCheck),
    installedClis: (['aws', 'gcloud', 'az', 'doctl', 'hcloud'] as const).filter((cli) => onPath(cli, io.env.PATH)),
  };
  const machine = provide(home, journalPath(io.env, io.uid));
  if (interactive) {
    const [{ runMachineUi }, { LockedOutApp }] = await Promise.all([
      import('../../ui/run-machine.js'),
      import('../../ui/locked-out/LockedOutApp.js'),
    ]);
    const ctx = await runMachineUi(io, machine, input, LockedOutApp);
    return exitCodeFor(reportFor(ctx, started));
  }
  const out = say(io);
  const actor = createActor(machine, { input });
  // Headless, the flow answers its own questions; --yes fixes are printed as they run.
  let shown = 0;
  actor.subscribe((s) => {
    for (const o of s.context.fixOutcomes.slice(shown)) {
      out.progress(`Applied ${o.fixId}: ${o.status === 'applied' ? 'ok' : 'failed'}`);
      for (const l of o.log) out.progress(`  ${l}`);
    }
    shown = s.context.fixOutcomes.length;
  });
  actor.start();
  await toPromise(actor);
  const ctx = actor.getSnapshot().context;
  const made = reportFor(ctx, started);
  const report = args.redact ? redactReport(made) : made;
  if (args.json) out.result(inertJson(report));
  else {
    out.result(renderText(report));
    const p = providerById(ctx.provider!);
    if (p) out.result('\n' + renderSteps(p));
  }
  return exitCodeFor(report);
}

/** journalFile: where fixes are journaled (journalPath, from io). */
function provide(home: string, journalFile: string) {
  return lockedOutFlow.provide({
    actors: {
      cloudCheck: fromPromise(({ input }) => checkCloud(input)),
      applyFix: fromPromise(async ({ input }) => {
        const r = await applyFix(input.fix, { journalFile });
        return { fixId: input.fix.id, status: r.ok ? 'applied' : 'failed', log: r.log } satisfies FixOutcome;
      }),
      saveKit: fromPromise(async ({ input }) => {
        const path = join(home, 'ssh-doctor-kit.sh');
        await writeFile(path, kitScript(input.user, input.port), { mode: 0o644 });
        return path;
      }),
      decodeKit: fromPromise(async ({ input }) => {
        const { facts, sources, warning } = decodeKitChecked(input.text);
        const findings = kitFindings(facts, new Date(), sources);
        return { findings, repair: repairScript(findings), ...(warning ? { warning } : {}) };
      }),
    },
  });
}

function verdictOf(findings: readonly Finding[], fallback: string): Verdict {
  const worst = findings.find((f) => f.severity === 'error');
  if (worst) return { id: worst.id, severity: 'error', summary: worst.summary };
  return { id: 'console-route', severity: 'info', summary: fallback };
}

export function reportFor(ctx: LockedOutContext, started: number): Report {
  const findings = [...ctx.findings, ...(ctx.kit?.findings ?? []), ...ctx.prevention];
  const fallback =
    ctx.check && ctx.check.status !== 'ok'
      ? ctx.check.detail
      : 'Get in through a console route that bypasses SSH (the steps for your provider), then run the console kit.';
  const routes = ctx.provider ? providerById(ctx.provider)?.routes : undefined;
  return {
    schema: SCHEMA,
    mode: 'locked-out',
    verdict: verdictOf(findings, fallback),
    findings,
    probes: ctx.probes,
    ...appliedField(ctx.fixOutcomes),
    ...(routes ? { routes } : {}),
    durationMs: Date.now() - started,
  };
}

async function decodeMode(args: LockedOutOptions, started: number, io: Io): Promise<number> {
  let input: Capped;
  try {
    input =
      args.decode === '-'
        ? await readStreamCapped(io.stdin, KIT_INPUT_MAX_BYTES)
        : await readCapped(args.decode!, KIT_INPUT_MAX_BYTES);
  } catch {
    throw new UsageError(`Cannot read ${args.decode}.`);
  }
  if (input.truncated) throw new UsageError(KIT_TOO_LARGE);
  const text = input.text;
  const { facts, sources, warning } = decodeKitChecked(text);
  const findings = kitFindings(facts, new Date(), sources);
  // The same verdict and "needs root" note as ssh-doctor server, worded for the kit.
  const missing = needsRoot(facts);
  if (missing.length) findings.push(needsRootFinding(missing, ['sudo', 'sh', 'ssh-doctor-kit.sh']));
  const made: Report = {
    schema: SCHEMA,
    mode: 'locked-out',
    verdict: serverVerdict(findings),
    findings,
    probes: [],
    durationMs: Date.now() - started,
  };
  const report = args.redact ? redactReport(made) : made;
  const out = say(io);
  if (warning) out.progress(`Warning: ${warning}`);
  if (args.json) {
    out.result(inertJson(report));
    return exitCodeFor(report);
  }
  out.result(renderText(report));
  const repair = repairScript(findings);
  // Commands to run on the server would be of no use with placeholders in them.
  if (args.redact) {
    if (repair)
      out.result('\nThe repair commands are left out of a redacted report: --decode without --redact prints them.');
    return exitCodeFor(report);
  }
  if (repair) out.result(`\nPaste these commands into the console (as root) to repair:\n\n${repair}`);
  for (const f of findings)
    for (const u of f.fix ? [f.fix.undo] : [])
      if (typeof u !== 'string' && u.length) out.result(`# undo ${f.id}: ${u.map(formatCommand).join(' && ')}\n`);
  return exitCodeFor(report);
}

async function kitMode(args: LockedOutOptions, io: Io): Promise<number> {
  const script = kitScript(args.user, args.port);
  const path = resolve(args.kit!);
  await writeFile(path, script, { mode: 0o644 });
  const out = say(io);
  out.result(script);
  out.progress('');
  out.progress(
    `Saved to ${path} (${Buffer.byteLength(script)} bytes). Paste it into the console as root, then paste the block it prints into: ssh-doctor locked-out --decode -`,
  );
  const one = kitOneLiner(script);
  out.progress('');
  out.progress(`Or paste this one line instead (it runs the kit only if its cksum is ${one.sum}):`);
  out.progress(one.command);
  return 0;
}

/** Is this program on PATH? (A lookup only: nothing is run.) */
function onPath(name: string, path = ''): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir || '.', name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
