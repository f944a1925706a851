// The exact commands a fix would run, its risk and its undo: what a person says yes or no to.
// The commands are plain lines (no border, no indent, broken only between arguments), so the
// preview is also what a person copies to run them by hand.
import { Text } from 'ink';
import { inert } from '../../inert.js';
import type { Fix } from '../../report.js';
import { gap, pasteable, plain, prose, type Part } from './print.js';

export function fixParts(fix: Fix, columns: number): Part[] {
  return [
    gap,
    prose(<Text bold>Proposed fix: {inert(fix.title)}</Text>),
    prose(
      <Text>
        <Text bold>Risk:</Text> {inert(fix.risk)}
      </Text>,
    ),
    prose(<Text bold>It runs:</Text>),
    ...fix.commands.map((c) => pasteable(c, columns)),
    prose(<Text bold>Undo:</Text>),
    ...(typeof fix.undo === 'string' ? [plain(inert(fix.undo))] : fix.undo.map((c) => pasteable(c, columns))),
  ];
}
