// Presentation only: the checks run, their findings are printed, then one fix at a time is
// previewed and asked about; only the question stays on screen.
import { Box, Text } from 'ink';
import { useSelector } from '@xstate/react';
import type { Actor } from 'xstate';
import type { serverFlow } from '../../../flows/server.js';
import { inert } from '../../inert.js';
import { Confirm } from '../shared/Confirm.js';
import { findingParts } from '../shared/FindingView.js';
import { fixParts } from '../shared/FixPreview.js';
import { ProbeLine, Running } from '../shared/ProbeList.js';
import { gap, pasteable, prose, useColumns, usePrint } from '../shared/print.js';
import { useExitWhen } from '../shared/use-flow-screen.js';

const outcomeColor = { applied: 'green', declined: 'gray' } as const;

export function ServerWizard({ actor }: { actor: Actor<typeof serverFlow> }) {
  const state = useSelector(actor, (s) => s);
  const { probes, findings, current, outcomes, input } = state.context;
  const columns = useColumns();
  const probing = state.matches('probing');
  const asking = state.matches('asking') && current?.fix !== undefined;
  const sudo = state.matches('offeringSudo') ? input.sudo : undefined;

  usePrint([
    {
      key: 'title',
      parts: [prose(<Text bold>ssh-doctor server{input.via ? ` on ${inert(input.via)} (over SSH)` : ''}</Text>)],
    },
    // The probes of the first round; the rounds that verify a fix are summed up in its outcome.
    ...(probing ? [] : probes.map((p, i) => ({ key: `probe-${i}`, parts: [prose(<ProbeLine probe={p} />)] }))),
    ...findings.map((f) => ({ key: `finding-${f.id}`, parts: findingParts(f) })),
    ...(asking ? [{ key: `fix-${current.id}`, parts: fixParts(current.fix!, columns) }] : []),
    ...outcomes.map((o, i) => ({
      key: `outcome-${i}`,
      parts: [
        prose(
          <Text color={o.status in outcomeColor ? outcomeColor[o.status as keyof typeof outcomeColor] : 'yellow'}>
            {o.findingId}: {o.status}
            {o.log.length ? ` — ${inert(o.log.at(-1)!)}` : ''}
          </Text>,
        ),
      ],
    })),
    ...(sudo
      ? [
          {
            key: 'sudo',
            parts: [
              gap,
              prose(<Text bold>The checks that need root, again with sudo:</Text>),
              pasteable(sudo, columns),
            ],
          },
        ]
      : []),
  ]);
  useExitWhen(state.status === 'done');
  const quit = () => actor.send({ type: 'QUIT' });

  return (
    <Box flexDirection="column">
      {probing && <Running running={[{ id: 'gather', label: 'checking sshd, firewall, account and files…' }]} />}
      {asking && (
        <Box marginTop={1}>
          {/* A new key per fix puts the cursor back on "No". */}
          <Confirm
            key={current.id}
            message={input.via ? `Apply this fix on ${input.via}?` : 'Apply this fix?'}
            labels={{ no: 'No, leave it', yes: 'Yes, apply it' }}
            onAnswer={(yes) => actor.send({ type: yes ? 'CONFIRM' : 'DECLINE' })}
            onQuit={quit}
          />
        </Box>
      )}
      {sudo && (
        <Box marginTop={1}>
          <Confirm
            message="Rerun the checks that need root with sudo? sudo asks for your password itself; ssh-doctor never sees or keeps it."
            labels={{ no: 'No, stop here', yes: 'Yes, rerun with sudo' }}
            onAnswer={(yes) => actor.send({ type: yes ? 'CONFIRM' : 'DECLINE' })}
            onQuit={quit}
          />
        </Box>
      )}
      {(state.matches('applying') || state.matches('verifying')) && (
        <Running running={[{ id: 'fix', label: state.matches('applying') ? 'Applying…' : 'Checking again…' }]} />
      )}
    </Box>
  );
}
