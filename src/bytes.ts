// Sizes, shared by the readers that cap them and the findings that report them. Pure.
export const MiB = 1024 * 1024;

/** "50 GiB", "1.5 MiB", "812 bytes": sizes as a person reads them in evidence. */
export function formatBytes(n: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  if (n < 1024) return `${n} bytes`;
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 ? Math.round(v) : Math.round(v * 10) / 10} ${units[i]}`;
}
