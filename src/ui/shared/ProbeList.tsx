// Probe details come from the network and the system: shown inert.
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import { inert } from '../../inert.js';
import type { ProbeRecord } from '../../report.js';

const icon: Record<ProbeRecord['status'], string> = { ok: '✔', fail: '✖', unknown: '?', skipped: '–' };
const probeColor: Record<ProbeRecord['status'], string> = {
  ok: 'green',
  fail: 'red',
  unknown: 'yellow',
  skipped: 'gray',
};

export interface ProbeListProps {
  readonly probes: readonly ProbeRecord[];
  /** Probes still running, each shown with a spinner. */
  readonly running?: readonly { id: string; label: string }[];
}

export function ProbeList({ probes, running = [] }: ProbeListProps) {
  return (
    <Box flexDirection="column">
      {probes.map((p, i) => (
        <Text key={`${p.id}-${i}`}>
          <Text color={probeColor[p.status]}>{icon[p.status]}</Text> {p.id.padEnd(11)}{' '}
          <Text dimColor>{`${p.durationMs} ms`.padStart(8)}</Text> {inert(p.detail)}
        </Text>
      ))}
      {running.map((r) => (
        <Text key={`running-${r.id}`}>
          <Text color="cyan">
            <Spinner type="dots" />
          </Text>{' '}
          {r.label}
        </Text>
      ))}
    </Box>
  );
}
