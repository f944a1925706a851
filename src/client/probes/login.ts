// One real `ssh -v` login attempt, in batch mode, and what its debug output says. The user's
// known_hosts files are copied first: ssh only ever writes to our copies.
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBytes } from '../../bytes.js';
import { readCapped } from '../../capped.js';
import { run } from '../../run.js';
import { shellQuote } from '../../shell-quote.js';
import { hopFailure, parseProxyFiles, PROXY_WRAPPER } from './proxy-command.js';
import { loginTimeline, type TimedLine } from './login-phases.js';
import { ownAuthenticated, ownAuthLines, sessionOutcome, sessionOutput, sessionStart } from './login-session.js';
import type { LoginOutcome, LoginResult, SshDebug } from './types.js';
import { certificateOffers } from './user-cert.js';

/** Lines of `ssh -v` stderr, in priority order: the first outcome whose pattern matches wins. */
const OUTCOMES: [LoginOutcome, RegExp][] = [
  ['dns-unresolved', /^ssh: Could not resolve hostname /],
  ['connection-refused', /^ssh: connect to host .* port \d+: Connection refused$/],
  ['connection-timeout', /^ssh: connect to host .* port \d+: (Connection|Operation) timed out$/],
  ['no-route', /^ssh: connect to host .* port \d+: (No route to host|Network is unreachable)$/],
  // TCP was accepted, then closed, reset or silent before an SSH identification came back.
  [
    'banner-exchange-failed',
    /^(debug1: )?(kex_exchange_identification|ssh_exchange_identification): (?!banner line)|^Connection timed out during banner exchange$|^ssh: connect to host .* port \d+: Connection reset by peer$|^Connection reset by .* port -?\d+$/,
  ],
  ['algorithm-mismatch', /^Unable to negotiate with .*: no matching .* found\. Their offer: /],
  [
    'host-key-changed',
    /REMOTE HOST IDENTIFICATION HAS CHANGED|^Offending .* key in |^Host key for .* has changed and you have requested strict checking\.$/,
  ],
  ['host-key-unknown', /^No \S+ host key is known for .* and you have requested strict checking\.$/],
  ['too-many-auth-failures', /: Too many authentication failures$/],
  // PAM's account check, sent to the client before sshd closes (pam_unix, pam_faillock, pam_tally2).
  [
    'account-locked',
    /^Your account has expired|^The account is locked due to \d+ failed logins|^Account locked due to \d+ failed logins/,
  ],
  [
    'password-change-required',
    /^Password change required but no TTY available\.?$|^WARNING: Your password has expired\.$|^You are required to change your password immediately/,
  ],
  // "s" here and below: ssh's log leaves a CR from the server's method names unencoded.
  ['auth-denied', /: Permission denied \(.*\)\.$/s],
  ['ok', /^Authenticated to /],
];

/** Reduce `ssh -v` stderr to the facts the client flow decides on. Pure. */
export function parseSshDebug(stderr: string, exitCode: number | undefined, stdout = ''): SshDebug {
  const lines = stderr.split(/\r?\n/).map((l) => l.trimEnd());
  const debug: SshDebug = {
    outcome: 'other',
    keysOffered: [],
    keysIgnored: [],
    keysMissing: [],
    keysAccepted: [],
    keysSkipped: [],
    evidence: [],
  };
  let partialSuccess: string | undefined;
  const preBanner: string[] = [];
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if ((m = /^debug1: Remote protocol version ([\d.]+), remote software version (.+)$/.exec(line)))
      debug.serverVersion = `SSH-${m[1]}-${m[2]}`;
    else if ((m = /^debug1: Exit status (-?\d+)$/.exec(line))) debug.exitStatus = Number(m[1]);
    else if ((m = /^debug1: kex_exchange_identification: banner line \d+: (.*)$/.exec(line))) preBanner.push(m[1]!);
    // Not evidence: it names our temporary copy, never the user's known_hosts, and must not read as a failure.
    else if (/^Warning: Permanently added '.+' \(\S+\) to the list of known hosts\.$/.test(line))
      debug.hostKeyAdded = true;
    // Local files: the same for a hop's ssh as for ours.
    else if ((m = /^Permissions (0[0-7]+) for '(.+)' are too open\.$/.exec(line)))
      debug.keysIgnored.push({ path: m[2]!, mode: m[1]! });
    else if (
      (m =
        /^Warning: Identity file (.+) not accessible: No such file or directory\.$|no such identity: (.+?): No such file or directory/.exec(
          line,
        ))
    ) {
      const path = m[1] ?? m[2]!;
      if (!debug.keysMissing.includes(path)) debug.keysMissing.push(path);
    }
  }
  const own = ownAuthLines(lines);
  for (const line of own) {
    let m: RegExpExecArray | null;
    if ((m = /^debug1: Authentications that can continue: (.*)$/s.exec(line)))
      debug.methodsLeft = m[1]!.split(',').filter(Boolean);
    else if ((m = /^debug1: Offering public key: (.+?) \S+ SHA256:\S+/.exec(line))) debug.keysOffered.push(m[1]!);
    else if ((m = /^debug1: Server accepts key: (.+?) \S+ SHA256:\S+/.exec(line))) debug.keysAccepted.push(m[1]!);
    // OpenSSH 8.5+: "algo"; before, "key type" and PubkeyAcceptedKeyTypes.
    else if ((m = /^debug1: Skipping (\S+) key (.+?) - (.+)$/.exec(line)))
      debug.keysSkipped.push({ path: m[2]!, type: m[1]!, reason: m[3]! });
    // OpenSSH 8.8+, for the key it just offered: no RSA signature both sides accept (ssh-rsa/SHA-1 only).
    else if (/^debug1: send_pubkey_test: no mutual signature algorithm$/.test(line) && debug.keysOffered.length)
      debug.keysSkipped.push({ path: debug.keysOffered.at(-1)!, reason: 'no mutual signature algorithm' });
    else if (/^Authenticated using ".+" with partial success\.$/.test(line)) partialSuccess = line;
    else if (/^Authenticated to /.test(line)) debug.authenticated = true;
  }
  if (preBanner.length) debug.preBanner = preBanner;
  const certificates = certificateOffers(own);
  if (certificates.length) debug.certificatesOffered = certificates;

  // Once the session runs, stderr carries the remote's lines too: a bastion's own ssh saying
  // "Permission denied" is the session's output, not our login's outcome. PAM's password-change
  // demand is the one verdict that arrives after the command was sent.
  const sessionAt = sessionStart(lines);
  const scope = (o: LoginOutcome) =>
    sessionAt < 0 || o === 'password-change-required' ? lines : lines.slice(0, sessionAt);
  const found = OUTCOMES.find(([o, re]) => scope(o).some((l) => re.test(l)));
  if (found) {
    debug.outcome = found[0];
    debug.evidence.push(...scope(found[0]).filter((l) => found[1].test(l)));
  } else if (exitCode === 0) debug.outcome = 'ok';

  if (debug.outcome === 'ok') {
    const output = sessionOutput(lines, stdout);
    if (output.length) debug.sessionOutput = output;
    debug.outcome = sessionOutcome({ exitCode, exitStatus: debug.exitStatus, output });
    if (debug.outcome === 'session-closed-after-auth') {
      // After our own "Authenticated to" (through a jump host, the hop's comes first).
      const after = lines.slice(ownAuthenticated(lines) + 1);
      // What the session said comes first (the probe's line shows it); "Authenticated to" after.
      debug.evidence.unshift(
        ...after.filter((l) => l && !/^(debug\d|Transferred|Bytes per second): /.test(l)),
        `ssh exited with ${exitCode} and no exit status from the server`,
      );
    } else if (debug.outcome !== 'ok') {
      debug.evidence.unshift(
        ...output,
        `exit status ${debug.exitStatus}${output.length ? '' : ', and the session printed nothing'}`,
      );
    }
  }
  if (debug.outcome === 'auth-denied' && partialSuccess) {
    debug.outcome = 'auth-second-factor-required';
    debug.evidence.unshift(partialSuccess);
  }
  if (debug.outcome === 'auth-second-factor-required')
    debug.evidence.unshift(...debug.keysAccepted.map((k) => `server accepts key: ${k}`));
  if (debug.outcome === 'auth-denied') {
    debug.evidence.unshift(
      ...debug.keysAccepted.map((k) => `server accepts key: ${k}`),
      ...debug.keysSkipped.map((k) => `ssh skipped ${k.type ? `${k.type} key ` : ''}${k.path}: ${k.reason}`),
    );
  }

  if (debug.outcome === 'algorithm-mismatch') {
    // "s": a CR in the server's names would otherwise end the match (and this would throw).
    const m = /no matching (.+?) found\. Their offer: (.*)$/s.exec(debug.evidence[0]!)!;
    debug.algorithm = { what: m[1]!, theirOffer: m[2]!.split(',').filter((a) => a && !a.startsWith('kex-strict-')) };
  }
  if (debug.outcome === 'host-key-changed') {
    const m = lines.map((l) => /^Offending \S+ key in (.+):(\d+)$/.exec(l)).find(Boolean);
    if (m) debug.offendingKey = { file: m[1]!, line: Number(m[2]) };
    const fp = lines.findIndex((l) => /^The fingerprint for the .* key sent by the remote host is$/.test(l));
    if (fp >= 0) debug.evidence.splice(1, 0, lines[fp]!, lines[fp + 1]!);
  }
  if (debug.outcome === 'auth-denied') {
    // The "Permission denied (a,b)" list is the server's final word on what it accepts.
    const m = /: Permission denied \((.*)\)\.$/s.exec(debug.evidence.at(-1)!);
    if (m) debug.methodsLeft = m[1]!.split(',').filter(Boolean);
  }
  // A revoked key (@revoked in known_hosts) has no outcome of its own: it is not "changed" (no
  // ssh-keygen -R fixes it) but ssh refuses it; say so and keep ssh's words.
  const revoked = lines.filter((l) =>
    /REVOKED HOST KEY DETECTED|^\S+ host key for .* was revoked and you have requested strict checking\.$/.test(l),
  );
  if (revoked.length && debug.outcome === 'other') {
    debug.hostKeyRevoked = true;
    debug.evidence.push(...revoked.map((l) => l.replace(/^@\s*|\s*@$/g, '')));
  }
  if (debug.outcome === 'banner-exchange-failed' && preBanner.length)
    debug.evidence.unshift(...preBanner.map((b) => `server said: ${b}`));
  for (const k of debug.keysIgnored) debug.evidence.push(`Permissions ${k.mode} for '${k.path}' are too open.`);
  debug.evidence = [...new Set(debug.evidence)];
  return debug;
}

/** Our options, as Key=Value. They come before the user's: ssh keeps the first value it sees. */
function safetyOptions(knownHosts: readonly string[], timeoutMs: number): string[] {
  return [
    'BatchMode=yes',
    // Unknown keys go into our temporary copy so authentication can still be tested.
    'StrictHostKeyChecking=accept-new',
    `UserKnownHostsFile=${knownHosts.join(' ')}`,
    'UpdateHostKeys=no',
    'ControlMaster=no',
    'ControlPath=none',
    // Whole seconds, rounded down: ssh's own "timed out" line comes before our deadline stops it.
    `ConnectTimeout=${Math.max(1, Math.floor(timeoutMs / 1000))}`,
    'ConnectionAttempts=1',
    // The host may be unverified: forward nothing to it and run nothing locally.
    'ForwardAgent=no',
    'ForwardX11=no',
    'ClearAllForwardings=yes',
    'PermitLocalCommand=no',
    'RequestTTY=no',
  ];
}

export function loginArgs(opts: {
  knownHosts: readonly string[];
  timeoutMs: number;
  sshFlags: readonly string[];
  destination: string;
}): string[] {
  return [
    'ssh',
    '-v',
    ...safetyOptions(opts.knownHosts, opts.timeoutMs).flatMap((kv) => ['-o', kv]),
    ...opts.sshFlags,
    '--',
    opts.destination,
    'true',
  ];
}

/**
 * Through a jump host, ssh starts a second ssh for the hop and hands it -F, but no -o. So our
 * options go into a config file that includes the user's (and the system's, which -F skips).
 */
export function jumpConfig(opts: { knownHosts: readonly string[]; timeoutMs: number; userConfig: string }): string {
  return [
    '# written by ssh-doctor for one diagnosis; removed afterwards',
    ...safetyOptions(opts.knownHosts, opts.timeoutMs),
    `Include ${opts.userConfig}`,
    'Include /etc/ssh/ssh_config',
    '',
  ].join('\n');
}

/** The user's -F file (or ~/.ssh/config), and the flags without it. */
export function splitConfigFlag(sshFlags: readonly string[], home = homedir()): { userConfig: string; rest: string[] } {
  let userConfig = join(home, '.ssh/config');
  const rest: string[] = [];
  for (let i = 0; i < sshFlags.length; i++) {
    if (sshFlags[i] === '-F' && sshFlags[i + 1] !== undefined) userConfig = sshFlags[++i]!;
    else rest.push(sshFlags[i]!);
  }
  return { userConfig, rest };
}

export async function attemptLogin(
  opts: {
    destination: string;
    sshFlags: readonly string[];
    knownHostsFiles: readonly string[];
    timeoutMs: number;
    /** ProxyJump in effect (from -J or the user's config). */
    proxyJump?: string;
    /** ProxyCommand in effect, tokens expanded: run inside our wrapper to keep its stderr and status. */
    proxyCommand?: string;
    /**
     * The hard ceiling: past timeoutMs a login that got through key exchange (a working sshd that
     * is slow) is followed up to here; one that did not is stopped at timeoutMs.
     */
    ceilingMs?: number;
  },
  // Injected so the unit tests can play back captured ssh output; the real one starts ssh.
  runSsh: typeof run = run,
): Promise<LoginResult> {
  const dir = await mkdtemp(join(tmpdir(), 'ssh-doctor-kh-'));
  try {
    const copies = new Map<string, string>();
    for (const [i, file] of opts.knownHostsFiles.entries()) {
      const copy = join(dir, `known_hosts_${i}.copy`);
      if (
        await copyFile(file, copy).then(
          () => true,
          () => false,
        )
      )
        copies.set(copy, file);
    }
    if (copies.size === 0) {
      const empty = join(dir, 'known_hosts_0.copy');
      await writeFile(empty, '');
      copies.set(empty, opts.knownHostsFiles[0] ?? empty);
    }
    const knownHosts = [...copies.keys()];
    let argv = loginArgs({
      knownHosts,
      timeoutMs: opts.timeoutMs,
      sshFlags: opts.sshFlags,
      destination: opts.destination,
    });
    if (opts.proxyJump) {
      const { userConfig, rest } = splitConfigFlag(opts.sshFlags);
      const config = join(dir, 'config');
      await writeFile(config, jumpConfig({ knownHosts, timeoutMs: opts.timeoutMs, userConfig }), { mode: 0o600 });
      argv = ['ssh', '-v', '-F', config, ...rest, '--', opts.destination, 'true'];
    } else if (opts.proxyCommand) {
      await writeFile(join(dir, 'proxy.cmd'), opts.proxyCommand, { mode: 0o600 });
      await writeFile(join(dir, 'proxy.sh'), PROXY_WRAPPER, { mode: 0o600 });
      // On the command line it wins over the user's config (ssh keeps the first value).
      argv.splice(2, 0, '-o', `ProxyCommand=/bin/sh ${shellQuote(join(dir, 'proxy.sh'))}`);
    }
    const started = performance.now();
    const lines: TimedLine[] = [];
    const stop = new AbortController();
    let followed = false;
    // Half a second of grace: ssh's ConnectTimeout (whole seconds, rounded down) reports first.
    const deadline = setTimeout(() => {
      if (loginTimeline(lines, performance.now() - started).pastKeyExchange) followed = true;
      else stop.abort();
    }, opts.timeoutMs + 500);
    const r = await runSsh(argv, {
      timeoutMs: Math.max(opts.ceilingMs ?? 0, opts.timeoutMs + 500),
      signal: stop.signal,
      onStderrLine: (line) => lines.push({ ms: Math.round(performance.now() - started), line }),
    }).finally(() => clearTimeout(deadline));
    const timeline = loginTimeline(lines, Math.round(performance.now() - started));
    if (r.missing)
      return {
        exitCode: undefined,
        timedOut: false,
        debug: { ...parseSshDebug('', undefined), evidence: ['ssh is not installed'] },
        timeline,
      };
    const debug = parseSshDebug(r.stderr, r.exitCode, r.stdout);
    // A server can make ssh print without end (its banner is shown to the user): run.ts cut it.
    if (r.truncated)
      debug.evidence.push(
        `ssh printed more than ${formatBytes(r.truncated.maxBytes)} on ${r.truncated.stream}: ssh-doctor stopped it there`,
      );
    // Point at the user's file, not our copy (same line numbers: the copy is byte for byte).
    const unmap = (s: string) => [...copies].reduce((acc, [copy, orig]) => acc.split(copy).join(orig), s);
    debug.evidence = debug.evidence.map(unmap);
    if (debug.offendingKey) debug.offendingKey.file = unmap(debug.offendingKey.file);
    const proxy =
      opts.proxyCommand && !opts.proxyJump
        ? parseProxyFiles(
            opts.proxyCommand,
            await readCapped(join(dir, 'proxy.status'), 64).then(
              (c) => c.text,
              () => undefined,
            ),
            await readCapped(join(dir, 'proxy.err'), 64 * 1024).then(
              (c) => c.text,
              () => '',
            ),
          )
        : undefined;
    const hop = opts.proxyJump ? hopFailure(r.stderr) : undefined;
    return {
      exitCode: r.exitCode,
      timedOut: r.timedOut,
      debug,
      timeline,
      ...(hop ? { hopFailed: hop } : {}),
      ...(followed ? { followedPastDeadline: true } : {}),
      ...(proxy ? { proxy } : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
