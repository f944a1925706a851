// `ssh-doctor [ssh options] [user@]host`: run the client flow, headless or with the Ink wizard.
import { createActor, waitFor } from 'xstate';
import type { ClientArgs } from '../args.js';
import { UsageError } from '../errors.js';
import { exitCodeFor, renderText } from '../report.js';
import { clientFlow, type ClientInput } from '../../flows/client.js';
import { clientActors } from '../client/actors.js';
import { toClientReport } from '../client/report.js';

export async function main(args: ClientArgs): Promise<number> {
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (!args.destination) {
    if (!tty || args.json) throw new UsageError('Name the host to diagnose, e.g. ssh-doctor user@host (see --help).');
    const { askTarget } = await import('../ui/client/ask-target.js');
    const answer = await askTarget();
    if (answer === 'locked-out') return (await import('./locked-out.js')).main([]);
    if (!answer) return 2;
    const { parseClientArgs } = await import('../args.js');
    const withHost = parseClientArgs([...args.sshFlags, answer]);
    args = { ...args, destination: withHost.destination, sshFlags: withHost.sshFlags };
  }
  const input: ClientInput = {
    destination: args.destination,
    sshFlags: args.sshFlags,
    timeoutMs: args.timeoutMs,
    interactive: tty && !args.json,
    autoApply: args.yes,
  };
  const startedAt = Date.now();
  const actor = createActor(clientFlow.provide({ actors: clientActors() }), { input });

  if (input.interactive) {
    const { runClientUi } = await import('../ui/client/run.js');
    await runClientUi(actor);
  } else {
    actor.start();
  }
  const final = await waitFor(actor, (s) => s.status === 'done', { timeout: Infinity });
  const ctx = final.context;
  if (final.value === 'failed') throw new UsageError(ctx.error ?? 'could not resolve the ssh settings.');
  const report = toClientReport(ctx, Date.now() - startedAt);
  if (args.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else if (!input.interactive) process.stdout.write(renderText(report));
  if (ctx.next === 'locked-out') {
    // The console kit should check the account and port this diagnosis was about.
    const t = ctx.target;
    return (await import('./locked-out.js')).main(t ? ['--user', t.user, '--port', String(t.port)] : []);
  }
  return exitCodeFor(report);
}
