// Presentation only: probe list while probing, findings, then one fix at a time with yes/no.
import { Box, Text } from 'ink';
import { useSelector } from '@xstate/react';
import type { Actor } from 'xstate';
import type { serverFlow } from '../../../flows/server.js';
import { inert } from '../../inert.js';
import { formatCommand } from '../../report.js';
import { Choice, FindingView, FixPreview, ProbeList } from '../components.js';

export function ServerWizard({ actor }: { actor: Actor<typeof serverFlow> }) {
  const state = useSelector(actor, (s) => s);
  const { probes, findings, current, outcomes, input } = state.context;
  const probing = state.matches('probing');
  return (
    <Box flexDirection="column">
      <Text bold>ssh-doctor server{input.via ? ` on ${inert(input.via)} (over SSH)` : ''}</Text>
      <ProbeList probes={probes} running={probing ? [{ id: 'gather', label: 'checking sshd, firewall, account and files…' }] : []} />
      {!probing && findings.length === 0 && <Text color="green">✔ Nothing on this server stops a key login.</Text>}
      {!probing && findings.filter((f) => f.id !== current?.id || !state.matches('asking')).map((f) => <FindingView key={f.id} finding={f} />)}
      {outcomes.map((o, i) => (
        <Text key={i} color={o.status === 'applied' ? 'green' : o.status === 'declined' ? 'gray' : 'yellow'}>
          {o.findingId}: {o.status}
          {o.log.length ? ` — ${inert(o.log.at(-1)!)}` : ''}
        </Text>
      ))}
      {state.matches('asking') && current?.fix && (
        <Box flexDirection="column">
          <FindingView finding={current} />
          <FixPreview fix={current.fix} />
          <Text>{input.via ? `Apply this fix on ${inert(input.via)}?` : 'Apply this fix?'}</Text>
          {/* "No" first: Enter pressed in haste changes nothing. A new key per fix resets the cursor. */}
          <Choice
            key={current.id}
            items={[{ label: 'No, leave it', value: 'no' }, { label: 'Yes, apply it', value: 'yes' }, { label: 'Quit', value: 'quit' }]}
            onSelect={(v) => actor.send({ type: v === 'yes' ? 'CONFIRM' : v === 'no' ? 'DECLINE' : 'QUIT' })}
          />
        </Box>
      )}
      {state.matches('offeringSudo') && input.sudo && (
        <Box flexDirection="column">
          <Text>Rerun the checks that need root with sudo? sudo asks for your password itself; ssh-doctor never sees or keeps it.</Text>
          <Text color="cyan">$ {formatCommand(input.sudo)}</Text>
          <Choice
            items={[{ label: 'No, stop here', value: 'no' }, { label: 'Yes, rerun with sudo', value: 'yes' }]}
            onSelect={(v) => actor.send({ type: v === 'yes' ? 'CONFIRM' : 'DECLINE' })}
          />
        </Box>
      )}
      {(state.matches('applying') || state.matches('verifying')) && <Text color="cyan">{state.matches('applying') ? 'Applying…' : 'Checking again…'}</Text>}
    </Box>
  );
}
