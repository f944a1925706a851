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

/**
 * How long one firewall layer may take to list what the walk needs (the whole run aims at 3 s).
 * Past it the layer is "unknown", which makes the verdict checks-incomplete, never ok.
 */
export const FIREWALL_BUDGET_MS = 2000;

/** More chains than this at one level of the walk: list the table once instead of each chain. */
export const MAX_CHAIN_LISTINGS = 16;

/** Rules quoted in "allowed only for"; a blocklist host can have 50,000 of them. */
const MAX_QUOTED_RULES = 5;

/** "allowed only for: A; B; … (and N more)": the report stays small whatever the ruleset. */
export function allowedOnlyFor(rules: readonly string[]): string {
  const shown = rules.slice(0, MAX_QUOTED_RULES).join('; ');
  const more = rules.length - MAX_QUOTED_RULES;
  return `allowed only for: ${shown}${more > 0 ? ` (and ${more} more rule${more > 1 ? 's' : ''})` : ''}`;
}
