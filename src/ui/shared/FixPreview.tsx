// The exact commands a fix would run, its risk and its undo: what a person says yes or no to.
import { Box, Text } from 'ink';
import { inert } from '../../inert.js';
import { formatCommand, formatUndo, type Fix } from '../../report.js';

export function FixPreview({ fix }: { readonly fix: Fix }) {
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
