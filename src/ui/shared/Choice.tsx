// A menu. Keys: ↑/↓ or k/j move, Enter chooses, q quits, Esc steps back (or quits where there is
// nothing to go back to). Labels may hold text from outside (fix titles, journal entries): they
// reach the terminal inert.
import { useReducer, useRef } from 'react';
import { Box, Text, useInput, useStdout } from 'ink';
// ink-select-input draws the rows (its pointer and highlight); the keys are handled here, because
// its own handler reads the index from its last render and so moves once for several arrows that
// arrive in one read.
import { Indicator, Item } from 'ink-select-input';
import { inert } from '../../inert.js';
import { KeyHint } from './KeyHint.js';
import { useInteractive } from './use-interactive.js';

export interface ChoiceItem<V extends string> {
  readonly label: string;
  readonly value: V;
}

export interface ChoiceProps<V extends string> {
  /** In the order shown; the cursor starts on the first, so Enter in haste picks it. */
  readonly items: readonly ChoiceItem<V>[];
  readonly onSelect: (value: V) => void;
  /** Esc: the previous question. Without it Esc quits. */
  readonly onBack?: () => void;
  /** q (and Esc without onBack). Without it both keys do nothing. */
  readonly onQuit?: () => void;
}

/** A menu; without a terminal it shows the options but cannot take a choice. */
export function Choice<V extends string>({ items, onSelect, onBack, onQuit }: ChoiceProps<V>) {
  // Keys that arrive together (three arrows in one read) reach the handler before React redraws:
  // the cursor lives in a ref so each of them moves it, and a redraw only shows it.
  const cursor = useRef(0);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  // Other items make a new menu, its cursor back on the first.
  const menu = items.map((i) => i.value).join('\n');
  const lastMenu = useRef(menu);
  if (lastMenu.current !== menu) {
    lastMenu.current = menu;
    cursor.current = 0;
  }
  const at = cursor.current;
  const move = (to: number) => {
    cursor.current = Math.max(0, Math.min(items.length - 1, to));
    redraw();
  };
  useInput(
    (input, key) => {
      if (key.upArrow) return move(cursor.current - 1);
      if (key.downArrow) return move(cursor.current + 1);
      if (key.return) {
        const item = items[cursor.current];
        return item && onSelect(item.value);
      }
      if (key.escape) return (onBack ?? onQuit)?.();
      // Typed letters that arrive together ("jjj" from a fast typist or tmux) come as one string.
      for (const c of input) {
        if (c === 'q') return onQuit?.();
        if (c === 'j' || c === 'k') move(cursor.current + (c === 'j' ? 1 : -1));
      }
    },
    { isActive: useInteractive() },
  );
  // A long menu (the undo journal) shows a window around the cursor: the live region must stay
  // shorter than the terminal.
  const limit = Math.max(3, (useStdout().stdout.rows || 24) - 8);
  const first = Math.max(0, Math.min(at - Math.floor(limit / 2), items.length - limit));
  const visible = items.slice(first, first + limit);
  return (
    <Box flexDirection="column" marginTop={1}>
      {first > 0 && <Text dimColor> ↑ {first} more</Text>}
      {visible.map((item, i) => (
        <Box key={item.value}>
          <Indicator isSelected={first + i === at} />
          <Item isSelected={first + i === at} label={inert(item.label)} />
        </Box>
      ))}
      {first + limit < items.length && <Text dimColor> ↓ {items.length - first - limit} more</Text>}
      <KeyHint back={onBack !== undefined} quit={onQuit !== undefined} />
    </Box>
  );
}
