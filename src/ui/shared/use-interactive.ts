import { useStdin } from 'ink';

/** Keys can only be read from a real terminal; pipes make useInput throw. */
export function useInteractive(): boolean {
  return useStdin().isRawModeSupported === true;
}
