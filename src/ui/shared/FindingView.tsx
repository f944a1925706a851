// Findings carry text from servers, files and logs: every piece goes through inert().
import { Box, Text } from 'ink';
import { inert } from '../../inert.js';
import type { Finding, Severity } from '../../report.js';
import { gap, plain, prose, type Part } from './print.js';

export const severityColor: Record<Severity, string> = { ok: 'green', info: 'blue', warning: 'yellow', error: 'red' };

export interface FindingViewProps {
  readonly finding: Finding;
  /** The verdict of the run: headed by ✔/✖ in bold instead of the severity word. */
  readonly verdict?: boolean;
}

/**
 * Summary and evidence, wrapped between words with a hanging indent: the summary and its id are
 * one Text, so the id is never split from it or in two.
 */
export function FindingView({ finding, verdict = false }: FindingViewProps) {
  const head = verdict ? (finding.severity === 'ok' ? '✔' : '✖') : finding.severity.toUpperCase();
  return (
    <Box flexDirection="column">
      <Box>
        <Box flexShrink={0}>
          <Text color={severityColor[finding.severity]} bold>
            {head}{' '}
          </Text>
        </Box>
        <Text>
          <Text bold={verdict}>{inert(finding.summary)}</Text> <Text dimColor>[{finding.id}]</Text>
        </Text>
      </Box>
      {finding.evidence.map((e, i) => (
        <Box key={i} paddingLeft={2}>
          <Text dimColor>{inert(e)}</Text>
        </Box>
      ))}
    </Box>
  );
}

/**
 * A finding as printed: its view, then its next steps as plain lines, since they end in commands
 * to copy.
 */
export function findingParts(finding: Finding, verdict = false): Part[] {
  return [
    gap,
    prose(<FindingView finding={finding} verdict={verdict} />),
    ...(finding.next ?? []).map((n) => plain(`  → ${inert(n)}`)),
  ];
}
