// attemptLogin around ssh: the known_hosts copies, the argv for a jump host and a ProxyCommand,
// the deadline, and what the user's evidence names. ssh itself is played back from real captures
// of the lab's OpenSSH 9.2p1 (test/fixtures/client/ssh-v*, ssh-v-timed), through the injected runner.
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attemptLogin, jumpConfig } from '../../../src/client/probes/login.js';
import { PROXY_WRAPPER } from '../../../src/client/probes/proxy-command.js';
import type { RunOptions, RunResult } from '../../../src/run.js';
import type { Command } from '../../../src/report.js';
import { shellQuote } from '../../../src/shell-quote.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/client');
const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

const result = (over: Partial<RunResult>): RunResult => ({
  exitCode: 255,
  stdout: '',
  stderr: '',
  timedOut: false,
  missing: false,
  durationMs: 1,
  ...over,
});

/** What one call of the runner saw, kept for the assertions after attemptLogin returned. */
interface Call {
  argv: Command;
  opts: RunOptions;
  files: Record<string, string>;
  /** Permission bits of those files: ours, readable by us alone. */
  modes: Record<string, number>;
}

/** A runner that plays back one capture, first reading the files attemptLogin wrote for ssh. */
function playback(answer: (argv: Command, opts: RunOptions) => Promise<Partial<RunResult>> | Partial<RunResult>) {
  const calls: Call[] = [];
  const runSsh = async (argv: Command, opts: RunOptions): Promise<RunResult> => {
    const files: Record<string, string> = {};
    const modes: Record<string, number> = {};
    for (const f of filesNamed(argv)) {
      files[f] = await readFile(f, 'utf8');
      modes[f] = (await stat(f)).mode & 0o777;
    }
    calls.push({ argv, opts, files, modes });
    return result(await answer(argv, opts));
  };
  return { runSsh, calls };
}

/** The files our argv hands ssh: the known_hosts copies, a -F config, a ProxyCommand's wrapper and its command. */
function filesNamed(argv: Command): string[] {
  const kh = argv.find((a) => a.startsWith('UserKnownHostsFile='));
  const config = argv[2] === '-F' ? argv[3] : undefined;
  const proxy = argv.find((a) => a.startsWith('ProxyCommand='));
  const proxyDir = proxy ? dirname(proxy.replace(/^ProxyCommand=\/bin\/sh '(.*)'$/, '$1')) : undefined;
  return [
    ...(kh ? kh.slice('UserKnownHostsFile='.length).split(' ') : []),
    ...(config ? [config] : []),
    ...(proxyDir ? [join(proxyDir, 'proxy.sh'), join(proxyDir, 'proxy.cmd')] : []),
  ];
}

const copiesIn = (argv: Command) =>
  argv
    .find((a) => a.startsWith('UserKnownHostsFile='))!
    .slice('UserKnownHostsFile='.length)
    .split(' ');

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'login-run-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(home, { recursive: true, force: true });
});

describe('known_hosts: ssh only ever sees and writes our copies', () => {
  it('copies each file that exists, byte for byte, and names the user’s file in the evidence', async () => {
    const mine = join(home, 'known_hosts');
    const absent = join(home, 'known_hosts2');
    const global = join(home, 'ssh_known_hosts');
    await writeFile(mine, '[127.0.0.1]:2211 ssh-ed25519 AAAAmine\n');
    await writeFile(global, 'web ssh-ed25519 AAAAglobal\n');
    // The capture ran with UserKnownHostsFile=/root/kh-known; this ssh was given our copy instead.
    const { runSsh, calls } = playback(async (argv) => {
      const [copy] = copiesIn(argv);
      // accept-new writes into a copy: the user's file must stay as it was.
      await appendFile(copy!, '[127.0.0.1]:2211 ssh-ed25519 AAAAadded\n');
      return { stderr: fixture('ssh-v/host-key-changed.stderr').replaceAll('/root/kh-known', copy!) };
    });
    const r = await attemptLogin(
      { destination: 'web', sshFlags: ['-p', '2211'], knownHostsFiles: [mine, absent, global], timeoutMs: 2500 },
      runSsh,
    );

    const [call] = calls;
    const copies = copiesIn(call!.argv);
    expect(copies).toHaveLength(2);
    expect(copies.map((c) => call!.files[c])).toEqual([
      '[127.0.0.1]:2211 ssh-ed25519 AAAAmine\n',
      'web ssh-ed25519 AAAAglobal\n',
    ]);
    expect(copies.every((c) => c.startsWith(join(tmpdir(), 'ssh-doctor-kh-')))).toBe(true);
    expect(call!.argv.slice(-3)).toEqual(['--', 'web', 'true']);
    expect(call!.argv).toContain('-p');
    expect(readFileSync(mine, 'utf8')).toBe('[127.0.0.1]:2211 ssh-ed25519 AAAAmine\n');
    // Our temporary directory is gone once the attempt is over.
    expect(copies.some((c) => existsSync(c))).toBe(false);

    expect(r.debug.outcome).toBe('host-key-changed');
    expect(r.debug.offendingKey).toEqual({ file: mine, line: 33 });
    expect(r.debug.evidence).toContain(`Offending ED25519 key in ${mine}:33`);
    expect(r.debug.evidence.join('\n')).not.toContain('.copy');
    expect(r).toMatchObject({ exitCode: 255, timedOut: false });
    expect(r).not.toHaveProperty('proxy');
    expect(r).not.toHaveProperty('hopFailed');
    expect(r).not.toHaveProperty('followedPastDeadline');
  });

  it('with no known_hosts file at all, ssh gets one empty copy (and strict checking finds no key)', async () => {
    const absent = join(home, 'known_hosts');
    const { runSsh, calls } = playback(() => ({ stderr: fixture('ssh-v/unknown-host-strict.stderr') }));
    const r = await attemptLogin(
      { destination: 'web', sshFlags: [], knownHostsFiles: [absent], timeoutMs: 2500 },
      runSsh,
    );
    const copies = copiesIn(calls[0]!.argv);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(/\/known_hosts_0\.copy$/);
    expect(calls[0]!.files[copies[0]!]).toBe('');
    expect(existsSync(absent)).toBe(false);
    expect(r.debug.outcome).toBe('host-key-unknown');
  });
});

describe('how ssh is run', () => {
  it('the runner’s bound is the ceiling, or the deadline and its half second of grace when that is later', async () => {
    const { runSsh, calls } = playback(() => ({ exitCode: 0, stderr: fixture('ssh-v/ok.stderr') }));
    const base = { destination: 'web', sshFlags: [], knownHostsFiles: [], timeoutMs: 2500 };
    await attemptLogin({ ...base, ceilingMs: 9000 }, runSsh);
    await attemptLogin({ ...base, ceilingMs: 1000 }, runSsh);
    await attemptLogin(base, runSsh);
    expect(calls.map((c) => c.opts.timeoutMs)).toEqual([9000, 3000, 3000]);
    expect(calls.every((c) => c.opts.signal instanceof AbortSignal && !c.opts.signal.aborted)).toBe(true);
  });

  it('ssh not installed: that is the evidence, and nothing else is claimed', async () => {
    const { runSsh } = playback(() => ({ exitCode: undefined, missing: true }));
    const r = await attemptLogin({ destination: 'web', sshFlags: [], knownHostsFiles: [], timeoutMs: 2500 }, runSsh);
    expect(r).toEqual({
      exitCode: undefined,
      timedOut: false,
      debug: {
        outcome: 'other',
        keysOffered: [],
        keysIgnored: [],
        keysMissing: [],
        keysAccepted: [],
        keysSkipped: [],
        evidence: ['ssh is not installed'],
      },
      timeline: { phases: [], pastKeyExchange: false },
    });
  });

  it('output cut at the cap is said in the evidence, after what ssh said', async () => {
    const { runSsh } = playback(() => ({
      stderr: fixture('ssh-v/not-ssh-http.stderr'),
      truncated: { stream: 'stderr', maxBytes: 1024 * 1024 },
    }));
    const r = await attemptLogin({ destination: 'web', sshFlags: [], knownHostsFiles: [], timeoutMs: 2500 }, runSsh);
    expect(r.debug.outcome).toBe('banner-exchange-failed');
    expect(r.debug.evidence.at(-1)).toBe('ssh printed more than 1 MiB on stderr: ssh-doctor stopped it there');
    expect(r.debug.evidence[0]).toBe('server said: HTTP/1.1 400 Bad Request');
  });

  it('what the session printed on stdout reaches the verdict', async () => {
    const { runSsh } = playback(() => ({
      exitCode: 1,
      stdout: fixture('ssh-v-session/shell-nologin.stdout'),
      stderr: fixture('ssh-v-session/shell-nologin.stderr'),
    }));
    const r = await attemptLogin(
      { destination: 'carol@web', sshFlags: [], knownHostsFiles: [], timeoutMs: 2500 },
      runSsh,
    );
    expect(r.debug.outcome).toBe('login-shell-nologin');
    expect(r.debug.evidence[0]).toBe('This account is currently not available.');
  });
});

describe('through a jump host', () => {
  it('our options go in a config file that includes the user’s -F file; the flags keep the rest', async () => {
    const userConfig = join(home, 'my-config');
    const { runSsh, calls } = playback(() => ({ exitCode: 0, stderr: fixture('ssh-v-session/jump-ok.stderr') }));
    const r = await attemptLogin(
      {
        destination: 'web',
        sshFlags: ['-J', 'bastion', '-F', userConfig, '-p', '2201'],
        knownHostsFiles: [],
        timeoutMs: 2500,
        proxyJump: 'bastion',
      },
      runSsh,
    );
    const { argv, files, modes } = calls[0]!;
    expect(argv.slice(0, 3)).toEqual(['ssh', '-v', '-F']);
    expect(modes[argv[3]!]).toBe(0o600);
    expect(argv.slice(4)).toEqual(['-J', 'bastion', '-p', '2201', '--', 'web', 'true']);
    // No known_hosts file: the config names our one empty copy beside it.
    const knownHosts = [join(dirname(argv[3]!), 'known_hosts_0.copy')];
    expect(files[argv[3]!]).toBe(jumpConfig({ knownHosts, timeoutMs: 2500, userConfig }));
    expect(r.debug.outcome).toBe('ok');
    expect(r).not.toHaveProperty('hopFailed');
    expect(r).not.toHaveProperty('proxy');
  });

  it('a hop that cannot open the connection on: its reason and its lines', async () => {
    // ssh -J's stderr from the lab (OpenSSH 9.2p1), the jump host's target port closed.
    const stderr =
      'channel 0: open failed: connect failed: Connection refused\r\nstdio forwarding failed\r\nkex_exchange_identification: Connection closed by remote host\r\nConnection closed by UNKNOWN port 65535\r\n';
    const { runSsh } = playback(() => ({ stderr }));
    const r = await attemptLogin(
      { destination: 'web', sshFlags: ['-J', 'bastion'], knownHostsFiles: [], timeoutMs: 2500, proxyJump: 'bastion' },
      runSsh,
    );
    expect(r.hopFailed).toEqual({
      reason: 'connect failed: Connection refused',
      evidence: ['channel 0: open failed: connect failed: Connection refused', 'stdio forwarding failed'],
    });
    expect(r.debug.outcome).toBe('banner-exchange-failed');
  });
});

describe('through a ProxyCommand', () => {
  const proxyCommand = "no-such-proxy --host 'web'";

  it('runs it in our wrapper, first on the command line, and reads what the wrapper kept', async () => {
    const { runSsh, calls } = playback(async (argv) => {
      const dir = dirname(argv[3]!.replace(/^ProxyCommand=\/bin\/sh '(.*)'$/, '$1'));
      // What the wrapper leaves when bash cannot find the program (its status and stderr).
      await writeFile(join(dir, 'proxy.status'), '127\n');
      await writeFile(join(dir, 'proxy.err'), 'bash: line 1: exec: no-such-proxy: not found\n');
      return { stderr: fixture('ssh-v/banner-closed.stderr') };
    });
    const r = await attemptLogin(
      {
        destination: 'web',
        sshFlags: ['-o', 'ProxyCommand=ignored'],
        knownHostsFiles: [],
        timeoutMs: 2500,
        proxyCommand,
      },
      runSsh,
    );
    const { argv, files } = calls[0]!;
    const wrapper = join(dirname(copiesIn(argv)[0]!), 'proxy.sh');
    expect(argv.slice(0, 4)).toEqual(['ssh', '-v', '-o', `ProxyCommand=/bin/sh ${shellQuote(wrapper)}`]);
    expect(argv.indexOf(`ProxyCommand=/bin/sh ${shellQuote(wrapper)}`)).toBeLessThan(
      argv.indexOf('ProxyCommand=ignored'),
    );
    expect(files[wrapper]).toBe(PROXY_WRAPPER);
    expect([calls[0]!.modes[wrapper], calls[0]!.modes[join(dirname(wrapper), 'proxy.cmd')]]).toEqual([0o600, 0o600]);
    expect(files[join(dirname(wrapper), 'proxy.cmd')]).toBe(proxyCommand);
    expect(r.proxy).toEqual({
      command: proxyCommand,
      exitStatus: 127,
      stderr: ['bash: line 1: exec: no-such-proxy: not found'],
    });
  });

  it('a wrapper that left nothing (ssh ended it): no status, no stderr', async () => {
    const { runSsh } = playback(() => ({ stderr: fixture('ssh-v/banner-silent.stderr') }));
    const r = await attemptLogin(
      { destination: 'web', sshFlags: [], knownHostsFiles: [], timeoutMs: 2500, proxyCommand },
      runSsh,
    );
    expect(r.proxy).toEqual({ command: proxyCommand, stderr: [] });
  });

  it('with a jump host too, the jump host wins: no wrapper', async () => {
    const { runSsh, calls } = playback(() => ({ exitCode: 0, stderr: fixture('ssh-v-session/jump-ok.stderr') }));
    const r = await attemptLogin(
      { destination: 'web', sshFlags: [], knownHostsFiles: [], timeoutMs: 2500, proxyJump: 'b', proxyCommand },
      runSsh,
    );
    expect(calls[0]!.argv.some((a) => a.startsWith('ProxyCommand='))).toBe(false);
    expect(r).not.toHaveProperty('proxy');
  });
});

/** A timed capture (ssh-v-timed/README.md): each line with its milliseconds, the last row when ssh ended. */
function timed(name: string): { ms: number; line: string }[] {
  return fixture(`ssh-v-timed/${name}`)
    .split('\n')
    .filter(Boolean)
    .map((r) => ({ ms: Number(r.slice(0, r.indexOf('\t'))), line: r.slice(r.indexOf('\t') + 1) }));
}

/**
 * Plays a timed capture in fake time, each line when the capture had it; stops when our deadline
 * aborts it (execa ends ssh then), at the 50 ms step it happened in.
 */
function timedPlayback(name: string, exitCode: number) {
  const rows = timed(name);
  return playback(async (_argv, opts) => {
    const started = performance.now();
    const said: string[] = [];
    for (const [i, { ms, line }] of rows.entries()) {
      while (performance.now() - started < ms) {
        const elapsed = performance.now() - started;
        await vi.advanceTimersByTimeAsync(Math.min(50 - (elapsed % 50), ms - elapsed));
        if (opts.signal?.aborted) return { exitCode: undefined, timedOut: true, stderr: said.join('\n') };
      }
      if (i === rows.length - 1) break;
      said.push(line);
      opts.onStderrLine?.(line);
    }
    return { exitCode, stderr: said.join('\n') };
  });
}

describe('the deadline', () => {
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    // ssh starts well after this process did: times count from ssh's start, not the clock's zero.
    await vi.advanceTimersByTimeAsync(10_000);
  });

  it('a server stuck in key exchange is stopped at the deadline plus half a second', async () => {
    const { runSsh, calls } = timedPlayback('stall.tsv', 255);
    const r = await attemptLogin(
      { destination: 'web', sshFlags: [], knownHostsFiles: [], timeoutMs: 3000, ceilingMs: 20_000 },
      runSsh,
    );
    expect(calls[0]!.opts.signal?.aborted).toBe(true);
    expect(r.timedOut).toBe(true);
    expect(r).not.toHaveProperty('followedPastDeadline');
    expect(r.timeline?.pastKeyExchange).toBe(false);
    // Key exchange started at the banner and lasted until we stopped ssh at 3.5 s.
    const kex = r.timeline?.phases.at(-1);
    expect(kex?.phase).toBe('key exchange');
    expect(kex!.ms + timed('stall.tsv').find((l) => l.line.startsWith('debug1: Remote protocol'))!.ms).toBe(3500);
  });

  it('a slow server past key exchange is followed on, and the slow phase is timed', async () => {
    const { runSsh, calls } = timedPlayback('usedns.tsv', 0);
    const r = await attemptLogin(
      { destination: 'web', sshFlags: [], knownHostsFiles: [], timeoutMs: 2000, ceilingMs: 20_000 },
      runSsh,
    );
    expect(calls[0]!.opts.signal?.aborted).toBe(false);
    expect(r.followedPastDeadline).toBe(true);
    expect(r.timedOut).toBe(false);
    expect(r.debug.outcome).toBe('ok');
    const auth = r.timeline?.phases.find((p) => p.phase === 'authentication');
    // NEWKEYS received at 400 ms, "Authenticated to" at 3884 ms.
    expect(auth?.ms).toBe(3484);
    expect(r.timeline?.phases.at(-1)).toMatchObject({ phase: 'session start', ms: 3984 - 3884 });
  });

  it('a quick login clears the deadline: nothing fires after it returned', async () => {
    const { runSsh, calls } = timedPlayback('session.tsv', 0);
    const r = await attemptLogin({ destination: 'web', sshFlags: [], knownHostsFiles: [], timeoutMs: 8000 }, runSsh);
    expect(vi.getTimerCount()).toBe(0);
    expect(calls[0]!.opts.signal?.aborted).toBe(false);
    expect(r).not.toHaveProperty('followedPastDeadline');
  });
});
