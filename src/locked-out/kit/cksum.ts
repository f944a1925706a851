// POSIX `cksum` (CRC-32, polynomial 0x04C11DB7, the length folded in), so a value the kit prints
// with the console's own cksum can be checked here. busybox and coreutils print the same number.
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** What `cksum` prints for these bytes on stdin: "CRC LENGTH". */
export function cksum(data: string | Uint8Array): string {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  let crc = 0;
  const step = (b: number) => {
    crc = ((crc << 8) ^ TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  };
  for (const b of buf) step(b);
  for (let n = buf.length; n > 0; n = Math.floor(n / 256)) step(n & 0xff);
  return `${~crc >>> 0} ${buf.length}`;
}
