/**
 * UTC timestamp for backup names (20261125T131500.042Z): sorts by time, safe for any shell or
 * filesystem. Milliseconds included: two fixes to one file in the same second must not share a
 * backup, or undoing the older would restore the newer's starting point.
 */
export function backupStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '');
}
