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

/** One finished probe, as printed. */
export function ProbeLine({ probe: p }: { readonly probe: ProbeRecord }) {
  return (
    <Box>
      <Box flexShrink={0}>
        <Text>
          <Text color={probeColor[p.status]}>{icon[p.status]}</Text> {p.id.padEnd(11)}{' '}
          <Text dimColor>{`${p.durationMs} ms`.padStart(8)}</Text>{' '}
        </Text>
      </Box>
      <Text>{inert(p.detail)}</Text>
    </Box>
  );
}

/** What is still running, each with a spinner: the live part of a probe list. */
export function Running({ running }: { readonly running: readonly { id: string; label: string }[] }) {
  return (
    <Box flexDirection="column">
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
