// Presentation only: probe list while probing, findings, then one fix at a time with yes/no.
import { Box, Text } from 'ink';
import { useSelector } from '@xstate/react';
import type { Actor } from 'xstate';
import type { serverFlow } from '../../../flows/server.js';
import { inert } from '../../inert.js';
import { formatCommand } from '../../report.js';
import { Confirm } from '../shared/Confirm.js';
import { FindingView } from '../shared/FindingView.js';
import { FixPreview } from '../shared/FixPreview.js';
import { ProbeList } from '../shared/ProbeList.js';

export function ServerWizard({ actor }: { actor: Actor<typeof serverFlow> }) {
  const state = useSelector(actor, (s) => s);
  const { probes, findings, current, outcomes, input } = state.context;
  const probing = state.matches('probing');
  return (
    <Box flexDirection="column">
      <Text bold>ssh-doctor server{input.via ? ` on ${inert(input.via)} (over SSH)` : ''}</Text>
      <ProbeList
        probes={probes}
        running={probing ? [{ id: 'gather', label: 'checking sshd, firewall, account and files…' }] : []}
      />
      {!probing && findings.length === 0 && <Text color="green">✔ Nothing on this server stops a key login.</Text>}
      {!probing &&
        findings
          .filter((f) => f.id !== current?.id || !state.matches('asking'))
          .map((f) => <FindingView key={f.id} finding={f} />)}
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
          {/* A new key per fix puts the cursor back on "No". */}
          <Confirm
            key={current.id}
            message={input.via ? `Apply this fix on ${input.via}?` : 'Apply this fix?'}
            labels={{ no: 'No, leave it', yes: 'Yes, apply it' }}
            onAnswer={(yes) => actor.send({ type: yes ? 'CONFIRM' : 'DECLINE' })}
            onQuit={() => actor.send({ type: 'QUIT' })}
          />
        </Box>
      )}
      {state.matches('offeringSudo') && input.sudo && (
        <Confirm
          message="Rerun the checks that need root with sudo? sudo asks for your password itself; ssh-doctor never sees or keeps it."
          labels={{ no: 'No, stop here', yes: 'Yes, rerun with sudo' }}
          onAnswer={(yes) => actor.send({ type: yes ? 'CONFIRM' : 'DECLINE' })}
        >
          <Text color="cyan">$ {formatCommand(input.sudo)}</Text>
        </Confirm>
      )}
      {(state.matches('applying') || state.matches('verifying')) && (
        <Text color="cyan">{state.matches('applying') ? 'Applying…' : 'Checking again…'}</Text>
      )}
    </Box>
  );
}
