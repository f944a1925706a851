/** UTC timestamp for backup names (20261125T131500Z): sorts by time, safe for any shell or filesystem. */
export function backupStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
