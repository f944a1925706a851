// Findings carry text from servers, files and logs: every piece goes through inert().
import { Box, Text } from 'ink';
import { inert } from '../../inert.js';
import type { Finding, Severity } from '../../report.js';

export const severityColor: Record<Severity, string> = { ok: 'green', info: 'blue', warning: 'yellow', error: 'red' };

export function FindingView({ finding }: { readonly finding: Finding }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        <Text color={severityColor[finding.severity]} bold>
          {finding.severity.toUpperCase()}
        </Text>{' '}
        {inert(finding.summary)} <Text dimColor>[{finding.id}]</Text>
      </Text>
      {finding.evidence.map((e, i) => (
        <Text key={i} dimColor>
          {'  '}
          {inert(e)}
        </Text>
      ))}
      {(finding.next ?? []).map((n, i) => (
        <Text key={`next-${i}`}>
          {'  → '}
          {inert(n)}
        </Text>
      ))}
    </Box>
  );
}
