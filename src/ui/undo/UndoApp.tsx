// Pick a journaled change, see exactly what its undo runs, confirm, watch it run. The revert
// itself is passed in (revertEntry in the command; a fake in tests).
import { Box, Text, useApp } from 'ink';
import { useEffect, useState } from 'react';
import { inert } from '../../inert.js';
import { formatUndo } from '../../report.js';
import type { JournalEntry } from '../../fixes/journal.js';
import type { RevertResult } from '../../fixes/revert.js';
import { undoWarning } from '../../fixes/undo-warning.js';
import { viaName } from '../../server/host.js';
import { Choice } from '../shared/Choice.js';
import { Confirm } from '../shared/Confirm.js';

type Screen =
  | { at: 'pick' }
  | { at: 'confirm'; entry: JournalEntry }
  | { at: 'running'; entry: JournalEntry }
  | { at: 'done'; entry?: JournalEntry; result?: RevertResult };

export function UndoApp({
  entries,
  revert,
  onExit,
}: {
  entries: JournalEntry[];
  revert: (e: JournalEntry) => Promise<RevertResult>;
  onExit: (code: number) => void;
}) {
  const { exit } = useApp();
  const [screen, setScreen] = useState<Screen>(
    entries.length === 1 ? { at: 'confirm', entry: entries[0]! } : { at: 'pick' },
  );
  const finish = (code: number, s: Screen) => {
    onExit(code);
    setScreen(s);
  };
  // Exit only after the last screen has been drawn.
  useEffect(() => {
    if (screen.at === 'done') exit();
  }, [screen, exit]);
  if (screen.at === 'pick') {
    return (
      <Box flexDirection="column">
        <Text bold>Which change should be undone?</Text>
        <Choice
          key="pick"
          items={[
            // Newest first, and on the cursor: undoing an older change first is refused while later ones stand.
            ...[...entries].reverse().map((e) => ({
              label: `${e.id}  ${e.at.slice(0, 19).replace('T', ' ')}  ${e.title}${e.via ? `  (on ${viaName(e.via)})` : ''}`,
              value: e.id,
            })),
            { label: 'Cancel', value: '' },
          ]}
          onSelect={(v) => {
            const entry = entries.find((e) => e.id === v);
            if (entry) setScreen({ at: 'confirm', entry });
            else finish(0, { at: 'done' });
          }}
        />
      </Box>
    );
  }
  if (screen.at === 'confirm' || screen.at === 'running') {
    const e = screen.entry;
    return (
      <Box flexDirection="column">
        <Box flexDirection="column" borderStyle="round" paddingX={1}>
          <Text bold>
            Undo {e.id}: {inert(e.title)}
          </Text>
          <Text dimColor>
            applied {inert(`${e.at}${e.via ? ` on ${viaName(e.via)}, where the undo runs (over SSH)` : ''}`)}
          </Text>
          {formatUndo(e.undo).map((u, i) => (
            <Text key={i} color="cyan">
              $ {inert(u)}
            </Text>
          ))}
          {e.backups.length > 0 && <Text>Backup: {inert(e.backups.join(', '))}</Text>}
        </Box>
        {undoWarning(e) && <Text color="yellow">⚠ {undoWarning(e)}</Text>}
        {screen.at === 'running' ? (
          <Text>Undoing…</Text>
        ) : (
          // A key of its own: otherwise React reuses the picker's menu and its cursor position.
          <Confirm
            key={`confirm-${e.id}`}
            message="Undo this change?"
            labels={{ no: 'No, leave it', yes: 'Yes, undo it' }}
            onAnswer={(yes) => {
              if (!yes) return finish(0, { at: 'done', entry: e });
              setScreen({ at: 'running', entry: e });
              void revert(e).then((result) => finish(result.ok ? 0 : 1, { at: 'done', entry: e, result }));
            }}
          />
        )}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {screen.result?.log.map((l, i) => (
        <Text key={i}>{inert(l)}</Text>
      ))}
      <Text>
        {!screen.result
          ? 'Nothing was changed.'
          : screen.result.ok
            ? `Undone: ${inert(screen.entry?.title ?? '')}`
            : 'The undo did not complete; see above.'}
      </Text>
    </Box>
  );
}
