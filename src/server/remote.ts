// --via: the same probes on another host over SSH. The host key must already be in the user's
// known_hosts (never accepted silently); authentication uses the agent or the default keys.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { compareHostKey, lookupKnownHosts } from '../probes/client/known-hosts.js';
import type { Exec } from './exec.js';
import { PROBE_TIMEOUT_MS } from './exec.js';
import { shellCommand } from './shell-quote.js';

export interface Remote {
  exec: Exec;
  close(): void;
}

/** The key type named inside an SSH public key blob (first length-prefixed string). */
export function blobKeyType(blob: Buffer): string {
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

export async function connectVia(via: { user?: string; host: string; port: number }): Promise<Remote> {
  const home = homedir();
  const known = await lookupKnownHosts({
    host: via.host, port: via.port, files: [join(home, '.ssh/known_hosts'), '/etc/ssh/ssh_known_hosts'], timeoutMs: 5000,
  });
  if (known.entries.length === 0) {
    throw new UsageError(`${known.lookupName} is not in your known_hosts: connect once with ssh and check its fingerprint first.`);
  }
  let verdict = 'unknown';
  const { NodeSSH } = await import('node-ssh');
  const ssh = new NodeSSH();
  const keys = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((k) => join(home, '.ssh', k)).filter(existsSync);
  try {
    await ssh.connect({
      host: via.host,
      port: via.port,
      username: via.user ?? process.env.USER ?? 'root',
      agent: process.env.SSH_AUTH_SOCK,
      ...(keys[0] ? { privateKey: readFileSync(keys[0], 'utf8') } : {}),
      readyTimeout: 10_000,
      // Synchronous boolean only: ssh2 treats any truthy value (even a Promise) as "accept".
      hostVerifier: (key: Buffer): boolean => {
        verdict = compareHostKey(known.entries, { type: blobKeyType(key), key: key.toString('base64') });
        return verdict === 'match';
      },
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (verdict !== 'match' && /verification failed/i.test(msg)) {
      throw new UsageError(`The host key of ${known.lookupName} does not match your known_hosts (${verdict}): refusing to connect.`);
    }
    throw new UsageError(`Cannot connect to ${via.host}:${via.port} over SSH: ${msg}.`);
  }
  // sshd allows MaxSessions (default 10) channels per connection; the probes run in parallel.
  let active = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    while (active >= 4) await new Promise<void>((r) => waiting.push(r));
    active++;
  };
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  const exec: Exec = async (cmd, opts = {}) => {
    await slot();
    try {
      return await execOne(cmd, opts);
    } finally {
      release();
    }
  };
  const execOne: Exec = async (cmd, opts = {}) => {
    const started = Date.now();
    const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
    // `timeout` on the far side bounds a hung tool there; exit 127 from `command -v` means missing.
    const line = `LC_ALL=C; export LC_ALL; command -v ${shellCommand([cmd[0]!])} >/dev/null 2>&1 || exit 127; exec timeout -k 1 ${Math.ceil(timeoutMs / 1000)} ${shellCommand(cmd)}`;
    const r = await ssh.execCommand(line, { stdin: opts.input });
    const exitCode = r.code ?? undefined;
    return {
      exitCode, stdout: r.stdout + (r.stdout ? '\n' : ''), stderr: r.stderr,
      timedOut: exitCode === 124, missing: exitCode === 127, durationMs: Date.now() - started,
    };
  };
  return { exec, close: () => ssh.dispose() };
}
