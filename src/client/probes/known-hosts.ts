// What known_hosts says about a host, read through `ssh-keygen -F` so hashed entries, wildcards
// and markers match exactly as ssh matches them. Read-only: nothing here writes known_hosts.
import { access } from 'node:fs/promises';
import { run } from '../../run.js';
import type { KnownHostEntry, KnownHostsResult } from './types.js';

/** The name ssh looks up: HostKeyAlias as is, else the host, bracketed with the port unless 22. */
export function knownHostsName(host: string, port: number, hostKeyAlias?: string): string {
  if (hostKeyAlias) return hostKeyAlias;
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** `ssh-keygen -F` prints "# Host NAME found: line N [REVOKED|CA]" before each matching line. */
export function parseKeygenF(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^# Host .* found: line (\d+)/.exec(lines[i]!);
    if (!head) continue;
    const fields = (lines[i + 1] ?? '').trim().split(/\s+/);
    const marker = fields[0] === '@revoked' || fields[0] === '@cert-authority' ? fields.shift() : undefined;
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) continue;
    entries.push({
      file,
      line: Number(head[1]),
      keyType,
      key,
      ...(marker ? { marker: marker as KnownHostEntry['marker'] } : {}),
      hashed: hosts.startsWith('|1|'),
    });
    i++;
  }
  return entries;
}

export async function lookupKnownHosts(
  opts: {
    host: string;
    port: number;
    hostKeyAlias?: string;
    files: readonly string[];
    timeoutMs: number;
  },
  runner: typeof run = run,
): Promise<KnownHostsResult> {
  const lookupName = knownHostsName(opts.host, opts.port, opts.hostKeyAlias);
  const existing: string[] = [];
  for (const f of new Set(opts.files))
    if (
      await access(f).then(
        () => true,
        () => false,
      )
    )
      existing.push(f);
  const found = await Promise.all(
    existing.map(async (file) => {
      const r = await runner(['ssh-keygen', '-F', lookupName, '-f', file], { timeoutMs: opts.timeoutMs });
      // Exit 1 means "not found"; a missing ssh-keygen, a hang or endless output (a known_hosts
      // grown huge) leaves this file unsearched.
      return !r.truncated && (r.exitCode === 0 || r.exitCode === 1)
        ? { file, entries: parseKeygenF(r.stdout, file) }
        : undefined;
    }),
  );
  return {
    lookupName,
    entries: found.flatMap((f) => f?.entries ?? []),
    searched: found.flatMap((f) => (f ? [f.file] : [])),
  };
}
