// Presentation only: these components render report pieces and forward choices. No diagnosis here.
// Text that may come from outside (servers, files, logs, a pasted kit) goes through inert() here.
import { Box, Text, useStdin } from 'ink';
import SelectInput from 'ink-select-input';
import Spinner from 'ink-spinner';
import { inert } from '../inert.js';
import { formatCommand, formatUndo, type Finding, type Fix, type ProbeRecord, type Severity, type Verdict } from '../report.js';

const color: Record<Severity, string> = { ok: 'green', info: 'blue', warning: 'yellow', error: 'red' };
const icon: Record<ProbeRecord['status'], string> = { ok: '✔', fail: '✖', unknown: '?', skipped: '–' };
const probeColor: Record<ProbeRecord['status'], string> = { ok: 'green', fail: 'red', unknown: 'yellow', skipped: 'gray' };

/** Keys can only be read from a real terminal; pipes make useInput throw. */
export function useInteractive(): boolean {
  return useStdin().isRawModeSupported === true;
}

export function ProbeList({ probes, running = [] }: { probes: readonly ProbeRecord[]; running?: readonly { id: string; label: string }[] }) {
  return (
    <Box flexDirection="column">
      {probes.map((p, i) => (
        <Text key={`${p.id}-${i}`}>
          <Text color={probeColor[p.status]}>{icon[p.status]}</Text> {p.id.padEnd(11)} <Text dimColor>{`${p.durationMs} ms`.padStart(8)}</Text>  {inert(p.detail)}
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

export function VerdictView({ verdict }: { verdict: Verdict }) {
  return (
    <Box marginTop={1}>
      <Text bold color={color[verdict.severity]}>
        {verdict.severity === 'ok' ? '✔' : '✖'} {inert(verdict.summary)}
      </Text>
      <Text dimColor> [{verdict.id}]</Text>
    </Box>
  );
}

export function FindingView({ finding }: { finding: Finding }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        <Text color={color[finding.severity]} bold>
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

export function FixPreview({ fix }: { fix: Fix }) {
  return (
    <Box flexDirection="column" marginTop={1} borderStyle="round" paddingX={1}>
      <Text bold>Proposed fix: {inert(fix.title)}</Text>
      {fix.commands.map((c, i) => (
        <Text key={i} color="cyan">
          $ {formatCommand(c)}
        </Text>
      ))}
      <Text>
        <Text bold>Risk:</Text> {inert(fix.risk)}
      </Text>
      {formatUndo(fix.undo).map((u, i) => (
        <Text key={i}>
          <Text bold>Undo:</Text> {inert(u)}
        </Text>
      ))}
    </Box>
  );
}

export interface ChoiceItem<V extends string> {
  label: string;
  value: V;
}

/** A menu; without a terminal it shows the options but cannot take a choice. */
export function Choice<V extends string>({ items, onSelect }: { items: ChoiceItem<V>[]; onSelect: (value: V) => void }) {
  const interactive = useInteractive();
  return (
    <Box marginTop={1}>
      <SelectInput items={items.map((i) => ({ ...i, label: inert(i.label) }))} isFocused={interactive} onSelect={(item) => onSelect(item.value)} />
    </Box>
  );
}
