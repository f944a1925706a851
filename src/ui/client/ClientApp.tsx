// The client wizard: renders the flow's state and turns key presses into flow events. What it
// offers is what the flow accepts now (snapshot.can), never a rule of its own.
import { useEffect } from 'react';
import { Box, Text, useApp } from 'ink';
import { useSelector } from '@xstate/react';
import type { Actor } from 'xstate';
import type { ClientContext, ClientEvent, ClientFlow } from '../../../flows/client.js';
import { inert } from '../../inert.js';
import { Choice } from '../shared/Choice.js';
import { Confirm } from '../shared/Confirm.js';
import { FindingView } from '../shared/FindingView.js';
import { FixPreview } from '../shared/FixPreview.js';
import { ProbeList } from '../shared/ProbeList.js';
import { VerdictView } from '../shared/VerdictView.js';
import { clientVerdict } from '../../client/findings.js';

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
  const { exit } = useApp();
  const snapshot = useSelector(actor, (s) => s);
  const ctx = snapshot.context;
  const done = snapshot.status === 'done';
  useEffect(() => {
    if (done) exit();
  }, [done, exit]);

  const running = Object.keys(snapshot.children).map((id) => ({ id, label: LABELS[id] ?? id }));
  const concluded = ctx.findings.length > 0;
  const t = ctx.target;

  // An event as the item's value: a menu with other steps is a new menu, its cursor back on top.
  const menu = nextSteps(ctx)
    .filter((step) => snapshot.can(step.event))
    .map((step) => ({ label: step.label, value: JSON.stringify(step.event), event: step.event }));

  return (
    <Box flexDirection="column">
      <Text bold>ssh-doctor → {inert(t ? `${t.user}@${t.host}:${t.port}` : ctx.input.destination)}</Text>
      <ProbeList probes={ctx.probes} running={running} />
      {concluded && <VerdictView verdict={clientVerdict(ctx.findings)} />}
      {concluded && ctx.findings.map((f, i) => <FindingView key={`${f.id}-${i}`} finding={f} />)}
      {ctx.fixOutcomes.map((o, i) => (
        <Box key={`fix-${i}`} flexDirection="column" marginTop={1}>
          {o.log.map((l, j) => (
            <Text key={j} dimColor>
              {inert(l)}
            </Text>
          ))}
          <Text color={o.ok ? 'green' : 'red'}>
            {o.ok
              ? `✔ ${inert(o.verified ?? 'Done.')}`
              : '✖ The fix did not complete; nothing after the failed step ran.'}
          </Text>
        </Box>
      ))}
      {menu.length > 0 && <Choice items={menu} onSelect={(v) => actor.send(menu.find((m) => m.value === v)!.event)} />}
      {snapshot.can({ type: 'CONFIRM' }) && ctx.pendingFix && (
        <Box flexDirection="column">
          <FixPreview fix={ctx.pendingFix} />
          <Confirm
            message="Run these commands now?"
            labels={{ no: 'No, leave everything as it is', yes: 'Yes, run them' }}
            onAnswer={(yes) => actor.send({ type: yes ? 'CONFIRM' : 'DECLINE' })}
          />
        </Box>
      )}
    </Box>
  );
}
