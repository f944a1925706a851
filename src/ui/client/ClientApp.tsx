// The client wizard: renders the flow's state and turns key presses into flow events.
import { useEffect } from 'react';
import { Box, Text, useApp } from 'ink';
import { useSelector } from '@xstate/react';
import type { Actor } from 'xstate';
import type { ClientFlow } from '../../../flows/client.js';
import { inert } from '../../inert.js';
import { Choice, FindingView, FixPreview, ProbeList, VerdictView } from '../components.js';
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

const NETWORK_TROUBLE = new Set(['connection-refused', 'connection-timeout', 'no-route', 'banner-exchange-failed']);

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

  type Action = 'quit' | 'locked-out' | `fix:${string}` | `port:${number}`;
  const menu: { label: string; value: Action }[] = [
    ...ctx.findings.flatMap((f) => (f.fix ? [{ label: `Fix: ${f.fix.title}`, value: `fix:${f.fix.id}` as Action }] : [])),
    ...(ctx.otherPorts ?? [])
      .filter((a) => a.bannerOutcome === 'ssh')
      .map((a) => ({ label: `Diagnose port ${a.port} instead (SSH answers there)`, value: `port:${a.port}` as Action })),
    ...(NETWORK_TROUBLE.has(ctx.verdictId ?? '') ? [{ label: "I'm locked out: show the ways in that bypass SSH", value: 'locked-out' as Action }] : []),
    { label: 'Quit', value: 'quit' },
  ];

  return (
    <Box flexDirection="column">
      <Text bold>
        ssh-doctor → {inert(t ? `${t.user}@${t.host}:${t.port}` : ctx.input.destination)}
      </Text>
      <ProbeList probes={ctx.probes} running={running} />
      {concluded && <VerdictView verdict={clientVerdict(ctx.findings)} />}
      {concluded &&
        ctx.findings.map((f, i) => <FindingView key={`${f.id}-${i}`} finding={f} />)}
      {ctx.fixOutcomes.map((o, i) => (
        <Box key={`fix-${i}`} flexDirection="column" marginTop={1}>
          {o.log.map((l, j) => (
            <Text key={j} dimColor>
              {inert(l)}
            </Text>
          ))}
          <Text color={o.ok ? 'green' : 'red'}>{o.ok ? `✔ ${inert(o.verified ?? 'Done.')}` : '✖ The fix did not complete; nothing after the failed step ran.'}</Text>
        </Box>
      ))}
      {snapshot.matches('report') && (
        <Choice<Action>
          items={menu}
          onSelect={(v) => {
            if (v === 'quit') actor.send({ type: 'QUIT' });
            else if (v === 'locked-out') actor.send({ type: 'LOCKED_OUT' });
            else if (v.startsWith('port:')) actor.send({ type: 'RETRY_PORT', port: Number(v.slice(5)) });
            else actor.send({ type: 'FIX', fixId: v.slice(4) });
          }}
        />
      )}
      {snapshot.matches('confirming') && ctx.pendingFix && (
        <Box flexDirection="column">
          <FixPreview fix={ctx.pendingFix} />
          <Text>Run these commands now?</Text>
          <Choice<'yes' | 'no'>
            items={[
              { label: 'No, leave everything as it is', value: 'no' },
              { label: 'Yes, run them', value: 'yes' },
            ]}
            onSelect={(v) => actor.send({ type: v === 'yes' ? 'CONFIRM' : 'DECLINE' })}
          />
        </Box>
      )}
    </Box>
  );
}
