// The only place that starts processes. Argument arrays only: no shell, ever.
import { spawn } from 'node:child_process';
import { finished } from 'node:stream/promises';
import { MiB } from './bytes.js';
import type { Command } from './report.js';

/**
 * What one stream of one command may print unless its caller says more. A user can make many of
 * the things we read huge (a sparse file, a process title, a log line): past the cap the command
 * is killed, so it costs neither our memory nor the rest of its timeout.
 */
export const DEFAULT_MAX_BYTES = MiB;

export interface RunResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The program is not installed (ENOENT): callers degrade to "unknown". */
  missing: boolean;
  durationMs: number;
  /**
   * A stream went past maxBytes: the command was killed (if still running) and `stdout`/`stderr`
   * hold only what came first. Never an answer: callers say "unknown" (server/exec.ts failure()).
   */
  truncated?: { stream: 'stdout' | 'stderr'; maxBytes: number };
  /**
   * Over --via: the connection to this host (as viaName() writes it) was lost, so the command did
   * not run or its answer never came back. Never an answer (server/exec.ts failure()).
   */
  connectionLost?: string;
}

export interface RunOptions {
  timeoutMs: number;
  input?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Cap on each of stdout and stderr, in bytes (DEFAULT_MAX_BYTES when absent). */
  maxBytes?: number;
  /** Each complete stderr line as it arrives (within the cap), for callers that time what a command prints. */
  onStderrLine?: (line: string) => void;
  /** Ends the command early (the caller decided); the result says `timedOut`. */
  signal?: AbortSignal;
}

export async function run(cmd: Command, opts: RunOptions): Promise<RunResult> {
  const [file, ...args] = cmd;
  if (!file) throw new Error('run: empty command');
  const { execa } = await import('execa');
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const started = Date.now();
  let truncated: RunResult['truncated'];
  // Both streams read here, not by execa: its maxBuffer stops reading past the cap, then waits for
  // the process without its timeout (a command that overflowed and kept a pipe open held a
  // 1.5 s-timeout run for 8 s), and its transforms cost ~1.5 ms of our CPU per command (the
  // server probes run some 45 commands).
  const subprocess = execa(file, args, {
    reject: false,
    buffer: false,
    timeout: opts.timeoutMs,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : undefined,
    env: opts.env,
    cwd: opts.cwd,
    forceKillAfterDelay: 500,
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
  });
  const capped = (stream: 'stdout' | 'stderr', onLine?: (line: string) => void) => {
    const chunks: Buffer[] = [];
    let seen = 0;
    let partial = '';
    const lines = (bytes: Buffer) => {
      if (!onLine) return;
      const parts = (partial + bytes.toString('utf8')).split('\n');
      partial = parts.pop()!;
      for (const l of parts) onLine(l.replace(/\r$/, ''));
    };
    subprocess[stream]?.on('data', (bytes: Buffer) => {
      if (seen > maxBytes) return;
      seen += bytes.length;
      if (seen <= maxBytes) {
        lines(bytes);
        chunks.push(bytes);
        return;
      }
      chunks.push(bytes.subarray(0, maxBytes - (seen - bytes.length)));
      truncated ??= { stream, maxBytes };
      subprocess.kill('SIGKILL');
      // Whatever still holds the pipe (a child of the command) is not waited for.
      subprocess[stream]?.destroy();
    });
    return () => Buffer.concat(chunks).toString('utf8');
  };
  const stdout = capped('stdout');
  const stderr = capped('stderr', opts.onStderrLine);
  // With `buffer: false` execa settles at the exit, maybe before the pipes are drained: the
  // result waits for both, as execa's own buffering did.
  const drained = (stream: NodeJS.ReadableStream | null) =>
    stream
      ? finished(stream).then(
          () => {},
          () => {},
        )
      : undefined;
  const [r] = await Promise.all([subprocess, drained(subprocess.stdout), drained(subprocess.stderr)]);
  const code = (r as { code?: string }).code;
  return {
    exitCode: r.exitCode,
    stdout: stdout(),
    stderr: stderr(),
    timedOut: r.timedOut === true || r.isCanceled === true,
    missing: code === 'ENOENT',
    durationMs: Date.now() - started,
    ...(truncated ? { truncated } : {}),
  };
}

/**
 * Starts a process that must outlive us and our terminal (its own session, no pipes): the timer
 * that rolls back a firewall change made over SSH if that SSH session dies. Returns its pid.
 */
export async function spawnDetached(cmd: Command): Promise<number | undefined> {
  const [file, ...args] = cmd;
  if (!file) throw new Error('spawnDetached: empty command');
  const child = spawn(file, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => {});
  child.unref();
  return child.pid;
}

/**
 * Hands this terminal to a program (sudo, ssh asking a password: they prompt on the terminal
 * themselves) until it exits. Synchronous on purpose: nothing else runs meanwhile, and with an
 * asynchronous wait the exited sudo was sometimes never reaped after an Ink screen (seen in 2 of
 * 3 lab runs under tmux), leaving ssh-doctor waiting forever. Without `timeoutMs` it is the one
 * command with no bound: a person is typing a password. `keepStderr`: what the program writes
 * on stderr is also kept (capped at 64 KiB); being synchronous, that copy reaches the terminal
 * when the program ends.
 */
export async function runOnTerminal(
  cmd: Command,
  opts: { timeoutMs?: number; keepStderr?: boolean } = {},
): Promise<{ exitCode: number | undefined; missing: boolean; stderr: string }> {
  const [file, ...args] = cmd;
  if (!file) throw new Error('runOnTerminal: empty command');
  const { execaSync } = await import('execa');
  const r = execaSync(file, args, {
    stdin: 'inherit',
    stdout: 'inherit',
    stderr: opts.keepStderr ? ['pipe', 'inherit'] : 'inherit',
    reject: false,
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
    maxBuffer: 64 * 1024,
  });
  return { exitCode: r.exitCode, missing: (r as { code?: string }).code === 'ENOENT', stderr: String(r.stderr ?? '') };
}

/**
 * Runs a program with an open descriptor as its stdin, so it acts on /proc/self/fd/0: exactly the
 * object that descriptor was opened on, whatever its path names by now. (execa takes only fds 3–9
 * for its stdio, so node's spawn is used directly.) Bounded like every command.
 */
export async function runOnDescriptor(
  cmd: Command,
  fd: number,
  timeoutMs: number,
): Promise<Pick<RunResult, 'exitCode' | 'stderr' | 'missing'>> {
  const [file, ...args] = cmd;
  if (!file) throw new Error('runOnDescriptor: empty command');
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: [fd, 'ignore', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString();
    });
    child.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ exitCode: undefined, stderr: e.message, missing: e.code === 'ENOENT' }),
    );
    child.on('close', (code) => resolve({ exitCode: code ?? undefined, stderr, missing: false }));
  });
}

/** Lets a screen step aside (Ink unmounts, then draws again) while a program owns the terminal. */
export function terminalLender() {
  let stepAside: (<T>(use: () => Promise<T>) => Promise<T>) | undefined;
  return {
    /** The screen says how it steps aside. */
    onLend(fn: <T>(use: () => Promise<T>) => Promise<T>) {
      stepAside = fn;
    },
    lend<T>(use: () => Promise<T>): Promise<T> {
      return stepAside ? stepAside(use) : use();
    },
  };
}
export type TerminalLender = ReturnType<typeof terminalLender>;
