import { useEffect, useRef } from 'react';
import { useApp } from 'ink';
import { afterPrinting } from './print.js';

/** Ends the screen once its flow is done; called after usePrint, so the last lines are out first. */
export function useExitWhen(done: boolean): void {
  const { exit } = useApp();
  useEffect(() => {
    if (done) afterPrinting(() => exit());
  }, [done, exit]);
}

/**
 * How many times `active` has turned true: a key for what is printed on each visit to a state
 * (a fix previewed, declined, and previewed again is printed again).
 */
export function useVisits(active: boolean): number {
  const count = useRef(0);
  const was = useRef(false);
  if (active && !was.current) count.current++;
  was.current = active;
  return count.current;
}
