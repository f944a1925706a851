// One line of typed text. A paste or a tmux send-keys arrives as one string, so input is taken
// per character, keeping printable ASCII only (host names, ids, addresses never need more).
import { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { inert } from '../../inert.js';
import { useInteractive } from './use-interactive.js';

export interface TextFieldProps {
  /** The question, shown with a trailing colon. */
  readonly label: string;
  /** Shown as "[value]"; Enter on an empty line takes it. */
  readonly defaultValue?: string;
  /**
   * One sentence saying why a value is refused (shown, the text stays for editing), or undefined
   * to accept it. Not called for an empty answer: what empty means is up to onSubmit.
   */
  readonly validate?: (value: string) => string | undefined;
  /** The trimmed text, else the default, else "". */
  readonly onSubmit: (value: string) => void;
  /** Esc. */
  readonly onCancel: () => void;
}

export function TextField({ label, defaultValue, validate, onSubmit, onCancel }: TextFieldProps) {
  // Keys that arrive together reach this handler before React re-renders it: Enter right after
  // the text must see that text, so the line lives in a ref and the state only redraws it.
  const line = useRef('');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const edit = (next: string) => {
    line.current = next;
    setText(next);
  };
  useInput(
    (input, key) => {
      if (key.escape) return onCancel();
      if (key.backspace || key.delete) return edit(line.current.slice(0, -1));
      if (!key.return) return edit(line.current + input.replace(/[^\x20-\x7e]/g, ''));
      const value = line.current.trim() || defaultValue || '';
      const refused = value ? validate?.(value) : undefined;
      setProblem(refused);
      if (!refused) onSubmit(value);
    },
    { isActive: useInteractive() },
  );
  return (
    <Box flexDirection="column">
      <Text>
        {label}
        {defaultValue ? ` [${inert(defaultValue)}]` : ''}:
      </Text>
      <Text color="cyan">› {text}</Text>
      {problem && <Text color="yellow">{inert(problem)}</Text>}
      {/* q is a letter here: only Esc leaves. */}
      <Text dimColor>Enter accept · Esc back</Text>
    </Box>
  );
}
