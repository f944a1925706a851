import { Box, Text } from 'ink';
import { inert } from '../../inert.js';
import type { Verdict } from '../../report.js';
import { severityColor } from './FindingView.js';

export function VerdictView({ verdict }: { readonly verdict: Verdict }) {
  return (
    <Box marginTop={1}>
      <Text bold color={severityColor[verdict.severity]}>
        {verdict.severity === 'ok' ? '✔' : '✖'} {inert(verdict.summary)}
      </Text>
      <Text dimColor> [{verdict.id}]</Text>
    </Box>
  );
}
