// The one question asked before anything changes. "No" comes first and holds the cursor, so Enter
// pressed in haste changes nothing (cli-kit's renderConfirmationPrompt with defaultValue false).
// There is deliberately no prop that makes "Yes" the default: every confirmation here is for a
// change.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { inert } from '../../inert.js';
import { Choice } from './Choice.js';

export interface ConfirmProps {
  /** The question; may name a host from the command line, so it is shown inert. */
  readonly message: string;
  /** What each answer does, in words ("No, leave it" / "Yes, apply it"), not a bare yes/no. */
  readonly labels: { readonly no: string; readonly yes: string };
  readonly onAnswer: (yes: boolean) => void;
  /** Adds a last choice, "Quit", for a question asked once per item in a list; also the q key. */
  readonly onQuit?: () => void;
  /** Esc: back to the previous question. Without it Esc quits (onQuit), else it does nothing. */
  readonly onBack?: () => void;
  /** Shown between the question and the choices (the command a "Yes" would run). */
  readonly children?: ReactNode;
}

type Answer = 'no' | 'yes' | 'quit';

export function Confirm({ message, labels, onAnswer, onQuit, onBack, children }: ConfirmProps) {
  return (
    <Box flexDirection="column">
      <Text>{inert(message)}</Text>
      {children}
      <Choice<Answer>
        items={[
          { label: labels.no, value: 'no' },
          { label: labels.yes, value: 'yes' },
          ...(onQuit ? [{ label: 'Quit', value: 'quit' as const }] : []),
        ]}
        onSelect={(v) => (v === 'quit' ? onQuit?.() : onAnswer(v === 'yes'))}
        onBack={onBack}
        onQuit={onQuit}
      />
    </Box>
  );
}
