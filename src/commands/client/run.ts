// `ssh-doctor [ssh options] [user@]host`: run the client flow, headless or with the Ink wizard.
// Loaded only to run (command.ts is what start-up parses).
import { createActor, waitFor } from 'xstate';
import { UsageError } from '../../errors.js';
import { inertJson } from '../../inert.js';
import { exitCodeFor, renderText } from '../../report.js';
import { terminalLender } from '../../run.js';
import { clientFlow, type ClientContext, type ClientInput } from '../../../flows/client.js';
import { clientActors } from '../../client/actors.js';
import { toClientReport } from '../../client/report.js';
import { journalPath } from '../../fixes/journal.js';
import { hasTerminal, say, type Io } from '../mode.js';
import { parseClientArgs, type ClientOptions } from './command.js';

export async function run(args: ClientOptions, io: Io): Promise<number> {
  const tty = hasTerminal(io);
  if (!args.destination) {
    if (!tty || args.json || args.yes || args.redact)
      throw new UsageError('Name the host to diagnose, e.g. ssh-doctor user@host (see --help).');
    const { askTarget } = await import('../../ui/client/ask-target.js');
    const answer = await askTarget(io);
    if (answer === 'locked-out') {
      const { lockedOut } = await import('../locked-out/command.js');
      return lockedOut.run(lockedOut.parse([], io), io);
    }
    if (!answer) return 0;
    const withHost = parseClientArgs([...args.sshFlags, '--', answer]);
    args = { ...args, destination: withHost.destination, sshFlags: withHost.sshFlags };
  }
  const input: ClientInput = {
    destination: args.destination,
    sshFlags: args.sshFlags,
    setAside: args.setAside,
    command: args.command,
    timeoutMs: args.timeoutMs,
    // --yes never waits for a key, and --redact prints a report to share (the wizard's screens
    // show the real names): both run headless even on a terminal.
    interactive: tty && !args.json && !args.yes && !args.redact,
    autoApply: args.yes,
  };
  const startedAt = Date.now();
  const terminal = terminalLender();
  const machine = clientFlow.provide({
    actors: clientActors({
      uid: io.uid,
      journalFile: journalPath(io.env, io.uid),
      terminal,
      show: say(io).result,
    }),
  });
  let ctx: ClientContext;
  if (input.interactive) {
    const [{ runMachineUi }, { ClientApp }] = await Promise.all([
      import('../../ui/run-machine.js'),
      import('../../ui/client/ClientApp.js'),
    ]);
    ctx = await runMachineUi(io, machine, input, ClientApp, terminal);
  } else {
    ctx = (await waitFor(createActor(machine, { input }).start(), (s) => s.status === 'done', { timeout: Infinity }))
      .context;
  }
  // Only the "could not read the ssh settings" ending sets an error.
  if (ctx.error !== undefined) throw new UsageError(ctx.error);
  const made = toClientReport(ctx, Date.now() - startedAt);
  const report = args.redact ? (await import('../../redact.js')).redactReport(made) : made;
  if (args.json) say(io).result(inertJson(report));
  else if (!input.interactive) say(io).result(renderText(report));
  if (ctx.next === 'server') {
    const t = ctx.target;
    const { server } = await import('../server/command.js');
    return server.run(server.parse(t ? ['--user', t.user, '--port', String(t.port)] : [], io), io);
  }
  if (ctx.next === 'locked-out') {
    // The console kit should check the account and port this diagnosis was about.
    const t = ctx.target;
    const { lockedOut } = await import('../locked-out/command.js');
    return lockedOut.run(lockedOut.parse(t ? ['--user', t.user, '--port', String(t.port)] : [], io), io);
  }
  return exitCodeFor(report);
}
