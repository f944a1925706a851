// Labels may hold text from outside (fix titles, journal entries): they reach the terminal inert.
import { Box } from 'ink';
import SelectInput from 'ink-select-input';
import { inert } from '../../inert.js';
import { useInteractive } from './use-interactive.js';

export interface ChoiceItem<V extends string> {
  readonly label: string;
  readonly value: V;
}

export interface ChoiceProps<V extends string> {
  /** In the order shown; the cursor starts on the first, so Enter in haste picks it. */
  readonly items: readonly ChoiceItem<V>[];
  readonly onSelect: (value: V) => void;
}

/** A menu; without a terminal it shows the options but cannot take a choice. */
export function Choice<V extends string>({ items, onSelect }: ChoiceProps<V>) {
  const interactive = useInteractive();
  return (
    <Box marginTop={1}>
      <SelectInput
        items={items.map((i) => ({ ...i, label: inert(i.label) }))}
        isFocused={interactive}
        onSelect={(item) => onSelect(item.value)}
      />
    </Box>
  );
}
