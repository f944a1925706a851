// The user's identity files as ssh will see them: present, modes ssh accepts, a .pub that belongs
// to the key, and what the agent holds. Private key contents are only ever read by ssh-keygen.
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { MiB } from '../../bytes.js';
import { readCapped } from '../../capped.js';
import { run } from '../../run.js';
import { expandHome } from './ssh-config.js';
import { keyTypeLabel, publicKeyFromBlob } from './ssh-key.js';
import type { KeyFile, KeyFilesResult } from './types.js';

/**
 * OpenSSH (sshkey_perm_ok in authfile.c) ignores a private key owned by the user that group or
 * others may access in any way; a key owned by someone else is not checked there.
 */
export function isTooOpen(mode: number, ownerUid: number, uid: number): boolean {
  return ownerUid === uid && (mode & 0o077) !== 0;
}

/** The identity files ssh tries when none is configured (ssh -G lists them all, existing or not). */
const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'];

/** Which of ssh -G's identity files the user named (-i or IdentityFile) rather than ssh's defaults. */
export function explicitIdentityFiles(
  identityFiles: readonly string[],
  sshFlags: readonly string[],
  home = homedir(),
): string[] {
  const fromFlags = sshFlags.flatMap((f, i) =>
    f === '-i' && sshFlags[i + 1] !== undefined ? [expandHome(sshFlags[i + 1]!, home)] : [],
  );
  const defaults = new Set(DEFAULT_IDENTITIES.map((n) => `${home}/.ssh/${n}`));
  return [...new Set([...fromFlags, ...identityFiles.filter((p) => !defaults.has(p))])];
}

/** `ssh-keygen -l` / `ssh-add -l` lines: "256 SHA256:xxx comment (ED25519)". */
export function parseFingerprintLines(text: string): { fingerprint: string; type: string }[] {
  return text
    .split('\n')
    .map((l) => /^\d+ (\S+) .*\((\S+)\)\s*$/.exec(l.trim()))
    .flatMap((m) => (m ? [{ fingerprint: m[1]!, type: m[2]! }] : []));
}

/** The base64 blob of a one-line public key ("type blob [comment]"). */
export function publicKeyBlob(text: string): string | undefined {
  return text.trim().split(/\s+/)[1];
}

/** What `ssh-keygen -y -P '' -f key` reveals: the public key, or why it would not load. */
export function classifyKeygenY(r: { exitCode: number | undefined; stdout: string; stderr: string }): {
  blob?: string;
  encrypted?: boolean;
} {
  if (r.exitCode === 0) return { blob: publicKeyBlob(r.stdout) };
  // An empty passphrase does not open it: the key is encrypted; we never prompt for the real one.
  if (/incorrect passphrase/.test(r.stderr)) return { encrypted: true };
  return {};
}

async function inspectOne(
  path: string,
  explicit: boolean,
  timeoutMs: number,
  uid: number | undefined,
  runner: typeof run,
): Promise<KeyFile> {
  const pubPath = `${path}.pub`;
  // A .pub is one line; a bigger file is not one, and its prefix must not pass for the key.
  const pub = readCapped(pubPath, MiB).then(
    (r) => (r.truncated ? undefined : r.text),
    () => undefined,
  );
  const [st, pubText] = await Promise.all([stat(path).catch(() => undefined), pub]);
  const base: KeyFile = { path, exists: !!st, pubPath, pubExists: pubText !== undefined, explicit };
  if (!st) return base;
  const mode = st.mode & 0o777;
  const loaded = classifyKeygenY(await runner(['ssh-keygen', '-y', '-P', '', '-f', path], { timeoutMs }));
  const theirBlob = pubText !== undefined ? publicKeyBlob(pubText) : undefined;
  // Fingerprint the key ssh will use; ask ssh-keygen -l only when neither -y nor a .pub gave it.
  const blob = loaded.blob ?? theirBlob;
  const print = blob
    ? (({ type, fingerprint }) => ({ type: keyTypeLabel(type), fingerprint }))(
        publicKeyFromBlob(Buffer.from(blob, 'base64')),
      )
    : parseFingerprintLines((await runner(['ssh-keygen', '-l', '-f', path], { timeoutMs })).stdout)[0];
  return {
    ...base,
    mode,
    ownerUid: st.uid,
    tooOpen: isTooOpen(mode, st.uid, uid ?? st.uid),
    ...(loaded.blob && theirBlob ? { pubMatches: loaded.blob === theirBlob } : {}),
    ...(loaded.encrypted ? { encrypted: true } : {}),
    ...(print ? { type: print.type, fingerprint: print.fingerprint } : {}),
  };
}

export async function inspectKeyFiles(
  opts: {
    identityFiles: readonly string[];
    /** Paths named with -i or IdentityFile (as opposed to ssh's defaults). */
    explicit: readonly string[];
    timeoutMs: number;
    /** Who runs ssh (the command's io.uid): a key is too open by ssh's rule for that user. */
    uid: number | undefined;
  },
  runner: typeof run = run,
): Promise<KeyFilesResult> {
  const explicit = new Set(opts.explicit.map((p) => expandHome(p)));
  const paths = [...new Set(opts.identityFiles.map((p) => expandHome(p)))];
  const [files, agent] = await Promise.all([
    Promise.all(paths.map((p) => inspectOne(p, explicit.has(p), opts.timeoutMs, opts.uid, runner))),
    runner(['ssh-add', '-l'], { timeoutMs: opts.timeoutMs }),
  ]);
  // ssh-add -l: 0 lists keys, 1 = agent with no identities, 2 = no agent to talk to.
  const available = agent.exitCode === 0 || agent.exitCode === 1;
  return {
    files,
    agent: {
      available,
      fingerprints: agent.exitCode === 0 ? parseFingerprintLines(agent.stdout).map((k) => k.fingerprint) : [],
    },
  };
}
