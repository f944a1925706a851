// The kit as one line to paste: gzip+base64 survives consoles that mangle tabs, "!" or long
// pastes, and the line checks itself with cksum before running, so a kit changed in copying
// never runs half (a broken kit prints a block that decodes to wrong verdicts).
import { gzipSync } from 'node:zlib';
import { cksum } from './cksum.js';

/** A terminal in canonical mode passes at most this many bytes per line (4,096 with the newline). */
export const CANON_LINE_MAX = 4095;

/** Where the base64 is broken with a backslash-newline: well under CANON_LINE_MAX. */
const CHUNK = 3000;

export const ONE_LINER_DAMAGED = 'The kit was changed in copying: copy the line again, whole.';

export interface OneLiner {
  /** What to paste: one line unless the kit outgrows CHUNK, then lines joined by "\". */
  command: string;
  /** What `cksum` prints for the kit, which the command checks. */
  sum: string;
}

/** body: the kit's checks (kitBody), which the line checks and runs as the pasted kit does. */
export function kitOneLiner(script: string): OneLiner {
  const sum = cksum(script);
  const b64 = gzipSync(script, { level: 9 }).toString('base64');
  const chunks = b64.match(new RegExp(`.{1,${CHUNK}}`, 'g')) ?? [];
  // $(...) drops the script's final newline; printf puts it back, so cksum sees the script as written.
  const command = `K=$(echo ${chunks.join('\\\n')}|base64 -d|gunzip);if [ "$(printf '%s\\n' "$K"|cksum)" = "${sum}" ];then printf '%s\\n' "$K"|sh;else echo '${ONE_LINER_DAMAGED}';fi`;
  return { command, sum };
}
