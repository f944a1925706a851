// --via: the same probes on another host over SSH. The host key must already be in the user's
// known_hosts (never accepted silently); authentication uses the ssh agent only, because
// ssh-doctor never reads private key files.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ClientChannel } from 'ssh2';
import { UsageError } from '../errors.js';
import { DEFAULT_MAX_BYTES, type RunResult } from '../run.js';
import { hostKeyAlgorithmsFor } from '../client/probes/handshake.js';
import { compareHostKey } from '../client/compare-host-key.js';
import { lookupKnownHosts } from '../client/probes/known-hosts.js';
import { publicKeyFromBlob } from '../client/probes/ssh-key.js';
import { PROBE_TIMEOUT_MS, type Exec } from './exec.js';
import { remoteHost, viaName, type Host, type Via } from './host.js';
import { shellCommand } from '../shell-quote.js';

export interface Remote extends Host {
  close(): void;
}

export const NO_AGENT =
  'No ssh agent is running (SSH_AUTH_SOCK is unset): start one with eval "$(ssh-agent)", add your key with ssh-add, and rerun.';

/** Extra time the local timer gives a remote command beyond its own bound (network round trips). */
const LOCAL_GRACE_MS = 2000;

/**
 * A connection that dies silently (packets dropped: no RST, no FIN) is noticed by its keepalives:
 * after KEEPALIVE_COUNT_MAX unanswered ones, 10 to 15 s after the last answer. Without them every
 * remote command would wait out its own bound, one after another.
 */
export const KEEPALIVE_INTERVAL_MS = 5000;
export const KEEPALIVE_COUNT_MAX = 2;

/** The result of a command the lost connection to `host` did not run or did not answer. */
export function lostResult(host: string, durationMs: number): RunResult {
  return {
    exitCode: undefined,
    stdout: '',
    stderr: '',
    timedOut: false,
    missing: false,
    connectionLost: host,
    durationMs,
  };
}

/** The shell line run on the far side; without a `timeout` binary only the local timer bounds it. */
export function remoteLine(cmd: readonly string[], timeoutMs: number, hasTimeout: boolean): string {
  // Exit 127 from `command -v` means the tool is missing.
  const prefix = `LC_ALL=C; export LC_ALL; command -v ${shellCommand([cmd[0]!])} >/dev/null 2>&1 || exit 127; exec `;
  return prefix + (hasTimeout ? `timeout -k 1 ${Math.ceil(timeoutMs / 1000)} ` : '') + shellCommand([...cmd]);
}

/** The parts of an ssh2 channel collectChannel uses. */
export interface ChannelLike {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'exit', listener: (code: number | null) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown };
  close(): unknown;
}

/**
 * One remote command's output, capped per stream as run.ts caps a local one: the files read over
 * there are other people's just the same. Past a cap the channel is closed, so sshd drops the
 * command's pipes and it dies of SIGPIPE instead of streaming the rest of a 50 GB file to us.
 */
export function collectChannel(
  channel: ChannelLike,
  maxBytes: number,
): Promise<Pick<RunResult, 'exitCode' | 'stdout' | 'stderr' | 'truncated'>> {
  return new Promise((done) => {
    const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const seen = { stdout: 0, stderr: 0 };
    let truncated: RunResult['truncated'];
    let exitCode: number | undefined;
    const take = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (seen[stream] > maxBytes) return;
      seen[stream] += chunk.length;
      if (seen[stream] <= maxBytes) {
        chunks[stream].push(chunk);
        return;
      }
      chunks[stream].push(chunk.subarray(0, maxBytes - (seen[stream] - chunk.length)));
      truncated ??= { stream, maxBytes };
      channel.close();
    };
    channel.on('data', take('stdout'));
    channel.stderr.on('data', take('stderr'));
    channel.on('exit', (code) => (exitCode = code ?? undefined));
    // Decoded once at the end: a character split across two packets stays whole.
    channel.on('close', () =>
      done({
        exitCode,
        stdout: Buffer.concat(chunks.stdout).toString('utf8'),
        stderr: Buffer.concat(chunks.stderr).toString('utf8'),
        ...(truncated ? { truncated } : {}),
      }),
    );
  });
}

/** env: the process environment (the command's io.env), for the agent socket and the default user. */
export async function connectVia(via: Via, env: Readonly<Record<string, string | undefined>>): Promise<Remote> {
  const home = homedir();
  const known = await lookupKnownHosts({
    host: via.host,
    port: via.port,
    files: [join(home, '.ssh/known_hosts'), '/etc/ssh/ssh_known_hosts'],
    timeoutMs: 5000,
  });
  if (known.entries.length === 0) {
    throw new UsageError(
      `${known.lookupName} is not in your known_hosts: connect once with ssh and check its fingerprint first.`,
    );
  }
  const agent = env.SSH_AUTH_SOCK;
  if (!agent) throw new UsageError(NO_AGENT);
  // Ask first for the key types already known, as OpenSSH does, so the presented key can compare.
  const preferred = hostKeyAlgorithmsFor(known.entries.filter((e) => e.marker === undefined).map((e) => e.keyType)).map(
    (a) => new RegExp(`^${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
  );
  let verdict = 'unknown';
  const { NodeSSH } = await import('node-ssh');
  const ssh = new NodeSSH();
  try {
    await ssh.connect({
      host: via.host,
      port: via.port,
      username: via.user ?? env.USER ?? 'root',
      agent,
      readyTimeout: 10_000,
      keepaliveInterval: KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      // RegExps match only algorithms ssh2 implements (an exact list throws on any other); the
      // typings list names only.
      algorithms: { serverHostKey: { remove: preferred, prepend: preferred } as never },
      // Synchronous boolean only: ssh2 treats any truthy value (even a Promise) as "accept".
      hostVerifier: (key: Buffer): boolean => {
        verdict = compareHostKey(known.entries, publicKeyFromBlob(key));
        return verdict === 'match';
      },
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (verdict !== 'match' && /verification failed/i.test(msg)) {
      throw new UsageError(
        `The host key of ${known.lookupName} does not match your known_hosts (${verdict}): refusing to connect.`,
      );
    }
    throw new UsageError(`Cannot connect to ${via.host}:${via.port} over SSH: ${msg}.`);
  }
  // node-ssh forgets the connection once it ends: kept here, so a command after that is "lost".
  const connection = ssh.connection!;
  const name = viaName(via);
  let lost = false;
  let markLost!: () => void;
  const lostNow = new Promise<undefined>((r) => (markLost = () => r(undefined)));
  const gone = () => {
    lost = true;
    markLost();
  };
  // After 'ready' node-ssh no longer listens for 'error': a keepalive timeout would crash us.
  connection.on('error', gone).on('end', gone).on('close', gone);

  /** One command on the far side, cut off locally if it outlives its bound (a hung channel). */
  const runRemote = async (
    line: string,
    timeoutMs: number,
    input?: string,
    maxBytes = DEFAULT_MAX_BYTES,
  ): Promise<RunResult> => {
    const started = Date.now();
    if (lost) return lostResult(name, 0);
    let channel: ClientChannel | undefined;
    let timer: NodeJS.Timeout | undefined;
    // Untrimmed: files read this way must keep their exact bytes (sed line numbers, hashes).
    const running = new Promise<Awaited<ReturnType<typeof collectChannel>>>((resolve, reject) => {
      connection.exec(line, (err, ch) => {
        if (err) return reject(err);
        channel = ch;
        resolve(collectChannel(ch, maxBytes));
        ch.end(input);
      });
    });
    const expired = new Promise<undefined>((r) => (timer = setTimeout(r, timeoutMs + LOCAL_GRACE_MS, undefined)));
    const r = await Promise.race([running, expired, lostNow])
      .catch((e: unknown) => {
        if (!lost) throw e;
      })
      .finally(() => clearTimeout(timer));
    // Also a channel that just closed: ssh2 closes every open channel when the connection goes,
    // and that empty, exit-less result must not pass for an answer.
    if (lost) {
      running.catch(() => {});
      return lostResult(name, Date.now() - started);
    }
    if (!r) {
      running.catch(() => {}); // settles when the channel closes; nothing is waiting for it any more
      channel?.close();
      return {
        exitCode: undefined,
        stdout: '',
        stderr: '',
        timedOut: true,
        missing: false,
        durationMs: Date.now() - started,
      };
    }
    return { ...r, timedOut: r.exitCode === 124, missing: r.exitCode === 127, durationMs: Date.now() - started };
  };
  // Some hosts (minimal images) have no working `timeout`: asked once, shared by every probe. Run
  // rather than `command -v`, which in bash also names a file that is not executable.
  let hasTimeout: Promise<boolean> | undefined;
  const timeoutThere = () =>
    (hasTimeout ??= runRemote('timeout 5 true >/dev/null 2>&1', PROBE_TIMEOUT_MS).then((r) => r.exitCode === 0));

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
    const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
    const has = await timeoutThere();
    await slot();
    try {
      return await runRemote(remoteLine(cmd, timeoutMs, has), timeoutMs, opts.input, opts.maxBytes);
    } finally {
      release();
    }
  };
  return { ...remoteHost(exec, via), close: () => ssh.dispose() };
}
