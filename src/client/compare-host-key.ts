// The server's host key against the known_hosts entries ssh-keygen -F found. Pure (the flow and
// --via's host-key check decide with it).
import type { HostKey, KnownHostEntry } from './probes/types.js';

/**
 * OpenSSH's verdict for a presented plain host key: a revoked key is refused; an identical entry
 * is a match; another key of the same type means the key changed; entries of other types only
 * leave the key unknown (ssh asks, or with StrictHostKeyChecking=yes refuses, but does not
 * shout "REMOTE HOST IDENTIFICATION HAS CHANGED").
 */
export function compareHostKey(
  entries: readonly KnownHostEntry[],
  hostKey: Pick<HostKey, 'type' | 'key'>,
): 'match' | 'changed' | 'unknown' | 'revoked' {
  if (entries.some((e) => e.marker === '@revoked' && e.key === hostKey.key)) return 'revoked';
  const plain = entries.filter((e) => e.marker === undefined);
  if (plain.some((e) => e.key === hostKey.key)) return 'match';
  if (plain.some((e) => e.keyType === hostKey.type)) return 'changed';
  return 'unknown';
}
