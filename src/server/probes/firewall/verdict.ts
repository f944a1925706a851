// Shared reasoning for rule walkers: a new TCP connection to the SSH port from an unknown remote
// address either certainly matches a rule, certainly does not, or "maybe" (depends on the source).
export type Match = 'yes' | 'no' | 'maybe';

export function and(a: Match, b: Match): Match {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'maybe' || b === 'maybe' ? 'maybe' : 'yes';
}

export function not(a: Match): Match {
  return a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'maybe';
}

/** "22", "22:25" (iptables), "22-25" (nft/ufw), comma lists. */
export function portIn(spec: string, port: number): boolean {
  return spec.split(',').some((p) => {
    const [a, b] = p.split(/[:-]/).map(Number) as [number, number | undefined];
    return b === undefined ? a === port : port >= a && port <= b;
  });
}

export const TERMINAL_BLOCK = new Set(['DROP', 'REJECT', 'drop', 'reject']);
