// The client wizard: renders the flow's state and turns key presses into flow events. What it
// offers is what the flow accepts now (snapshot.can), never a rule of its own.
import { Box, Text } from 'ink';
import { useSelector } from '@xstate/react';
import type { Actor } from 'xstate';
import type { ClientContext, ClientEvent, ClientFlow } from '../../../flows/client.js';
import { inert } from '../../inert.js';
import { Choice } from '../shared/Choice.js';
import { Confirm } from '../shared/Confirm.js';
import { findingParts } from '../shared/FindingView.js';
import { fixParts } from '../shared/FixPreview.js';
import { ProbeLine, Running } from '../shared/ProbeList.js';
import { gap, pasteable, prose, useColumns, usePrint, type Printable } from '../shared/print.js';
import { useExitWhen, useVisits } from '../shared/use-flow-screen.js';
import { passwordCommand } from '../../client/password-attempt.js';
import { setAsideLine } from '../../report.js';

const LABELS: Record<string, string> = {
  target: 'Reading your ssh settings (ssh -G)',
  keys: 'Checking your key files',
  knownHosts: 'Looking up known_hosts',
  dns: 'Resolving the host name',
  tcp: 'Connecting and reading the SSH banner',
  otherPorts: 'Looking for SSH on the usual other ports',
  handshake: 'SSH handshake: host key, algorithms, accepted methods',
  login: 'One real login attempt (ssh -v, BatchMode)',
  applyFix: 'Applying the fix',
  password: 'Your password, typed into ssh itself',
};

/** Every next step a report can name; the flow's guards decide which it takes now. */
function nextSteps(ctx: ClientContext): { label: string; event: ClientEvent }[] {
  return [
    ...ctx.findings.flatMap((f) =>
      f.fix ? [{ label: `Fix: ${f.fix.title}`, event: { type: 'FIX' as const, fixId: f.fix.id } }] : [],
    ),
    ...(ctx.otherPorts ?? []).map((a) => ({
      label: `Diagnose port ${a.port} instead (SSH answers there)`,
      event: { type: 'RETRY_PORT' as const, port: a.port },
    })),
    { label: "I'm locked out: show the ways in that bypass SSH", event: { type: 'LOCKED_OUT' } },
    { label: "Check this machine's sshd (ssh-doctor server)", event: { type: 'CHECK_SERVER' } },
    { label: 'Quit', event: { type: 'QUIT' } },
  ];
}

export function ClientApp({ actor }: { actor: Actor<ClientFlow> }) {
  const snapshot = useSelector(actor, (s) => s);
  const ctx = snapshot.context;
  const columns = useColumns();
  const confirming = snapshot.can({ type: 'CONFIRM' }) && ctx.pendingFix !== undefined;
  const previews = useVisits(confirming);
  const offeringPassword = snapshot.matches('offeringPassword');
  const t = ctx.target;
  // "Diagnose port N instead" starts the probes over on another port: a new run to print.
  const run = t ? String(t.port) : '';

  usePrint([
    ...(t
      ? [
          {
            key: `title-${run}`,
            parts: [
              gap,
              prose(<Text bold>{`ssh-doctor → ${inert(`${t.user}@${t.host}:${t.port}`)}`}</Text>),
              ...(ctx.input.setAside?.length || ctx.input.command?.length
                ? [
                    prose(
                      <Text dimColor>
                        {inert(setAsideLine({ flags: ctx.input.setAside ?? [], command: ctx.input.command ?? [] }))}
                      </Text>,
                    ),
                  ]
                : []),
            ],
          },
        ]
      : []),
    ...ctx.probes.map((p, i) => ({ key: `probe-${run}-${i}`, parts: [prose(<ProbeLine probe={p} />)] })),
    // The first finding is the verdict: printed once, as the verdict.
    ...ctx.findings.map((f, i) => ({ key: `finding-${run}-${f.id}`, parts: findingParts(f, i === 0) })),
    ...(confirming ? [{ key: `preview-${previews}`, parts: fixParts(ctx.pendingFix!, columns) }] : []),
    ...(offeringPassword
      ? [
          {
            key: 'password-offer',
            parts: [
              gap,
              prose(<Text>It would run:</Text>),
              pasteable(passwordCommand(ctx.input.destination, ctx.input.sshFlags), columns),
            ],
          },
        ]
      : []),
    ...ctx.fixOutcomes.map(
      (o, i): Printable => ({
        key: `outcome-${run}-${i}`,
        parts: [
          gap,
          ...o.log.map((l) => prose(<Text dimColor>{inert(l)}</Text>)),
          prose(
            <Text color={o.status === 'applied' ? 'green' : 'red'}>
              {o.status === 'applied'
                ? `✔ ${inert(o.verified ?? 'Done.')}`
                : '✖ The fix did not complete; nothing after the failed step ran.'}
            </Text>,
          ),
        ],
      }),
    ),
  ]);
  useExitWhen(snapshot.status === 'done');

  const running = Object.keys(snapshot.children).map((id) => ({ id, label: LABELS[id] ?? id }));
  // An event as the item's value: a menu with other steps is a new menu, its cursor back on top.
  const menu = nextSteps(ctx)
    .filter((step) => snapshot.can(step.event))
    .map((step) => ({ label: step.label, value: JSON.stringify(step.event), event: step.event }));
  const quit = () => actor.send({ type: 'QUIT' });

  return (
    <Box flexDirection="column">
      <Running running={running} />
      {menu.length > 0 && (
        <Choice items={menu} onSelect={(v) => actor.send(menu.find((m) => m.value === v)!.event)} onQuit={quit} />
      )}
      {offeringPassword && (
        <Box marginTop={1}>
          <Confirm
            message="The server takes a password. Try it once? ssh asks you for it itself: ssh-doctor never sees it. This is a second login attempt (fail2ban counts failed ones)."
            labels={{ no: 'No, keep the report as it is', yes: 'Yes, run ssh and let me type the password' }}
            onAnswer={(yes) => actor.send({ type: yes ? 'CONFIRM' : 'DECLINE' })}
            onBack={() => actor.send({ type: 'DECLINE' })}
            onQuit={() => actor.send({ type: 'DECLINE' })}
          />
        </Box>
      )}
      {confirming && (
        <Box marginTop={1}>
          <Confirm
            message="Run these commands now?"
            labels={{ no: 'No, leave everything as it is', yes: 'Yes, run them' }}
            onAnswer={(yes) => actor.send({ type: yes ? 'CONFIRM' : 'DECLINE' })}
            onBack={() => actor.send({ type: 'DECLINE' })}
            onQuit={() => {
              actor.send({ type: 'DECLINE' });
              quit();
            }}
          />
        </Box>
      )}
    </Box>
  );
}
