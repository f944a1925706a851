// Public key blobs as OpenSSH shows them: the type inside the blob, and the SHA256 fingerprint.
import { createHash } from 'node:crypto';

export interface PublicKey {
  /** The type named inside the blob (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ...). */
  type: string;
  /** base64 of the blob, as in known_hosts and .pub files. */
  key: string;
  /** SHA256:... without padding, as ssh-keygen -l prints it. */
  fingerprint: string;
}

export function publicKeyFromBlob(blob: Buffer): PublicKey {
  const typeLen = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  return {
    type: blob.subarray(4, 4 + typeLen).toString('latin1'),
    key: blob.toString('base64'),
    fingerprint: 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, ''),
  };
}

/** The label ssh-keygen -l and ssh-add -l print in parentheses for a key type. */
export function keyTypeLabel(type: string): string {
  if (type === 'ssh-ed25519') return 'ED25519';
  if (type === 'sk-ssh-ed25519@openssh.com') return 'ED25519-SK';
  if (type === 'ssh-rsa') return 'RSA';
  if (type === 'ssh-dss') return 'DSA';
  if (type.startsWith('ecdsa-sha2-')) return 'ECDSA';
  if (type.startsWith('sk-ecdsa-sha2-')) return 'ECDSA-SK';
  return type.toUpperCase();
}
