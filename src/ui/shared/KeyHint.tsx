import { Text } from 'ink';

export interface KeyHintProps {
  /** Esc steps back to the previous question instead of quitting. */
  readonly back?: boolean;
  /** q and Esc do something here. */
  readonly quit?: boolean;
}

/** The one line under every menu that names its keys. */
export function KeyHint({ back = false, quit = true }: KeyHintProps) {
  const leave = [back ? 'Esc back' : quit ? 'Esc quit' : undefined, quit ? 'q quit' : undefined].filter(Boolean);
  return <Text dimColor>{['↑↓/jk move', 'Enter choose', ...leave].join(' · ')}</Text>;
}
