// Pick a journaled change, see exactly what its undo runs, confirm, watch it run. The revert
// itself is passed in (revertEntry in the command; a fake in tests).
import { Box, Text, useApp } from 'ink';
import { useEffect, useState } from 'react';
import { inert } from '../../inert.js';
import type { JournalEntry } from '../../fixes/journal.js';
import type { RevertResult } from '../../fixes/revert.js';
import { undoWarning } from '../../fixes/undo-warning.js';
import { viaName } from '../../server/host.js';
import { Choice } from '../shared/Choice.js';
import { Confirm } from '../shared/Confirm.js';
import {
  afterPrinting,
  gap,
  pasteable,
  plain,
  prose,
  useColumns,
  usePrint,
  type Part,
  type Printable,
} from '../shared/print.js';
import { useVisits } from '../shared/use-flow-screen.js';

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
  const columns = useColumns();
  const [screen, setScreen] = useState<Screen>(
    entries.length === 1 ? { at: 'confirm', entry: entries[0]! } : { at: 'pick' },
  );
  const finish = (code: number, s: Screen) => {
    onExit(code);
    setScreen(s);
  };
  const visit = useVisits(screen.at === 'confirm');
  const printed: Printable[] = [];
  if (screen.at === 'confirm') printed.push({ key: `entry-${visit}`, parts: entryParts(screen.entry, columns) });
  if (screen.at === 'done')
    printed.push({
      key: 'done',
      parts: [
        ...(screen.result?.log ?? []).map((l) => prose(<Text>{inert(l)}</Text>)),
        prose(
          <Text>
            {!screen.result
              ? 'Nothing was changed.'
              : screen.result.ok
                ? `Undone: ${inert(screen.entry?.title ?? '')}`
                : 'The undo did not complete; see above.'}
          </Text>,
        ),
      ],
    });
  usePrint(printed);
  // Exit only after the last lines have been printed.
  useEffect(() => {
    if (screen.at === 'done') afterPrinting(() => exit());
  }, [screen, exit]);
  const cancel = () => finish(0, { at: 'done' });

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
            else cancel();
          }}
          onQuit={cancel}
        />
      </Box>
    );
  }
  if (screen.at === 'running') return <Text>Undoing…</Text>;
  if (screen.at === 'confirm') {
    const e = screen.entry;
    return (
      <Box marginTop={1}>
        {/* A key of its own: otherwise React reuses the picker's menu and its cursor position. */}
        <Confirm
          key={`confirm-${e.id}`}
          message="Undo this change?"
          labels={{ no: 'No, leave it', yes: 'Yes, undo it' }}
          onAnswer={(yes) => {
            if (!yes) return finish(0, { at: 'done', entry: e });
            setScreen({ at: 'running', entry: e });
            void revert(e).then((result) => finish(result.ok ? 0 : 1, { at: 'done', entry: e, result }));
          }}
          onBack={entries.length > 1 ? () => setScreen({ at: 'pick' }) : undefined}
          onQuit={cancel}
        />
      </Box>
    );
  }
  return null;
}

/** What undoing an entry runs, printed plain so it can be copied. */
function entryParts(e: JournalEntry, columns: number): Part[] {
  return [
    gap,
    prose(
      <Text bold>
        Undo {e.id}: {inert(e.title)}
      </Text>,
    ),
    prose(
      <Text dimColor>
        applied {inert(`${e.at}${e.via ? ` on ${viaName(e.via)}, where the undo runs (over SSH)` : ''}`)}
      </Text>,
    ),
    prose(<Text bold>It runs:</Text>),
    ...(typeof e.undo === 'string' ? [plain(inert(e.undo))] : e.undo.map((c) => pasteable(c, columns))),
    ...(e.backups.length > 0 ? [prose(<Text>Backup: {inert(e.backups.join(', '))}</Text>)] : []),
    ...(undoWarning(e) ? [prose(<Text color="yellow">⚠ {inert(undoWarning(e) ?? '')}</Text>)] : []),
  ];
}
