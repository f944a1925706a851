// A word one or two typos away from a mode name: start-up checks it on every run, so it is pure.

/** The mode a word is one or two typos away from (swaps count as one), if any. */
export function nearMode(word: string, modes: readonly string[]): string | undefined {
  if (word.length < 3 || modes.includes(word)) return undefined;
  return modes.find((m) => typos(word.toLowerCase(), m) <= (m.length > 5 ? 2 : 1));
}

/** Optimal string alignment distance. */
function typos(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}
