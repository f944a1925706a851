// Shadow's day numbers (days since 1970-01-01, UTC) as dates people and chage(1) read. Pure.

export function isoDay(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}
