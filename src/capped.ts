// Reading what someone else may have made huge (a user's 50 GB sparse file, a pasted block, a
// pipe that never ends): never more than a cap goes into memory, and the caller learns that the
// cap was hit instead of getting a prefix that looks like the whole thing.
import { open } from 'node:fs/promises';

export interface Capped {
  /** The first maxBytes at most, as raw bytes. */
  data: Buffer;
  /** `data` decoded as UTF-8. */
  text: string;
  /** There was more than maxBytes: `data` is only the beginning. */
  truncated: boolean;
  /** The file's size (fstat), or for a stream the bytes read before stopping. */
  bytes: number;
}

/** At most maxBytes of a stream; reading stops (and the stream is destroyed) past the cap. */
export async function readStreamCapped(stream: AsyncIterable<Buffer | string>, maxBytes: number): Promise<Capped> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    chunks.push(b);
    bytes += b.length;
    // Leaving the loop destroys the stream, so a writer that never stops gets EPIPE, not our memory.
    if (bytes > maxBytes) break;
  }
  const all = Buffer.concat(chunks);
  const data = bytes > maxBytes ? all.subarray(0, maxBytes) : all;
  return { data, text: data.toString('utf8'), truncated: bytes > maxBytes, bytes };
}

/**
 * At most maxBytes of a file (a sparse 50 GB file costs one read of maxBytes). Also for pipes and
 * devices a person names (`--decode /dev/stdin`): those end at the cap too. Throws as open(2) does.
 */
export async function readCapped(path: string, maxBytes: number): Promise<Capped> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    const r = await readStreamCapped(
      fh.createReadStream({ autoClose: false, highWaterMark: Math.min(maxBytes + 1, 64 * 1024) }),
      maxBytes,
    );
    return st.isFile() ? { ...r, truncated: r.truncated || st.size > maxBytes, bytes: Math.max(st.size, r.bytes) } : r;
  } finally {
    await fh.close();
  }
}
