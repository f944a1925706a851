// What ssh says after it connects, on real output captured from the lab's OpenSSH 9.2
// (test/fixtures/client/capture-login.ts): the argv is attemptLogin's, stdout and stderr kept apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSshDebug } from '../../../src/client/probes/login.js';
import { loginTimeline } from '../../../src/client/probes/login-phases.js';
import { sessionOutcome, sessionOutput } from '../../../src/client/probes/login-session.js';
import type { SshDebug } from '../../../src/client/probes/types.js';

const DIR = join(import.meta.dirname, '../../fixtures/client/ssh-v-session');
const codes: Record<string, number> = JSON.parse(readFileSync(join(DIR, 'exit-codes.json'), 'utf8'));
const parse = (name: string) =>
  parseSshDebug(
    readFileSync(join(DIR, `${name}.stderr`), 'utf8'),
    codes[name],
    readFileSync(join(DIR, `${name}.stdout`), 'utf8'),
  );

const cases: [string, Partial<SshDebug>, RegExp | undefined][] = [
  ['session-ok', { outcome: 'ok', exitStatus: 0, authenticated: true }, /^Authenticated to 127\.0\.0\.1/],
  // Unknown host: ssh's "Permanently added" names our temporary copy and is never evidence.
  ['session-ok-unknown-host', { outcome: 'ok', hostKeyAdded: true }, /^Authenticated to /],
  [
    'shell-nologin',
    { outcome: 'login-shell-nologin', exitStatus: 1, sessionOutput: ['This account is currently not available.'] },
    /^This account is currently not available\.$/,
  ],
  [
    'shell-false',
    { outcome: 'login-shell-nologin', exitStatus: 1 },
    /^exit status 1, and the session printed nothing$/,
  ],
  [
    'password-change',
    { outcome: 'password-change-required', authenticated: true },
    /^Password change required but no TTY available\.$/,
  ],
  [
    'account-expired',
    { outcome: 'account-locked', keysAccepted: ['/root/.ssh/id_ed25519'] },
    /^Your account has expired; please contact your system administrator\.$/,
  ],
  // Debian's PAM lets a key in despite "!" (usermod -L): not a client-side fault at all.
  ['account-locked-pam', { outcome: 'ok', exitStatus: 0 }, undefined],
  // Without PAM, sshd refuses a locked or expired account like a wrong key: only its log knows.
  ['account-locked-nopam', { outcome: 'auth-denied', keysAccepted: [] }, /Permission denied \(publickey,password\)/],
  ['account-expired-nopam', { outcome: 'auth-denied' }, /Permission denied/],
  [
    'chroot-bad-ownership',
    { outcome: 'session-closed-after-auth', authenticated: true },
    /^client_loop: send disconnect: Broken pipe$/,
  ],
  [
    'forced-command-missing',
    { outcome: 'forced-command-failed', exitStatus: 127 },
    /^bash: line 1: \/usr\/local\/bin\/no-such-program: No such file or directory$/,
  ],
  [
    'git-host',
    {
      outcome: 'ok',
      exitStatus: 1,
      sessionOutput: ["Hi judy! You've successfully authenticated, but GitHub does not provide shell access."],
    },
    /^Authenticated to /,
  ],
  [
    'sftp-only',
    { outcome: 'ok', exitStatus: 1, sessionOutput: ['This service allows sftp connections only.'] },
    /^Authenticated to /,
  ],
  // A bastion whose ForceCommand runs its own ssh onward: that ssh's failure is the session's output.
  [
    'nested-ssh-refused',
    {
      outcome: 'ok',
      exitStatus: 255,
      sessionOutput: ['ssh: connect to host 127.0.0.1 port 22: Connection refused'],
    },
    /^Authenticated to /,
  ],
  [
    'nested-ssh-denied',
    { outcome: 'ok', exitStatus: 255, sessionOutput: ['nobody@127.0.0.1: Permission denied (publickey,password).'] },
    /^Authenticated to /,
  ],
  // The hop's ssh authenticates and starts forwarding first; ours comes after, "(via proxy)".
  ['jump-ok', { outcome: 'ok', exitStatus: 0 }, /^Authenticated to localhost \(via proxy\)/],
  // The hop accepted our key, the target refused it: only the target's answers are ours.
  [
    'jump-denied',
    {
      outcome: 'auth-denied',
      keysOffered: ['/root/.ssh/id_ed25519'],
      keysAccepted: [],
      methodsLeft: ['publickey', 'password'],
    },
    /^otto@localhost: Permission denied \(publickey,password\)\.$/,
  ],
  [
    'key-encrypted',
    { outcome: 'auth-denied', keysAccepted: ['/root/.ssh/enc'], keysOffered: ['/root/.ssh/enc'] },
    /^server accepts key: \/root\/\.ssh\/enc$/,
  ],
  ['key-encrypted-no-pub', { outcome: 'auth-denied', keysAccepted: ['/root/.ssh/enc_nopub'] }, /Permission denied/],
  [
    'key-dsa',
    {
      outcome: 'auth-denied',
      keysOffered: [],
      keysSkipped: [
        { path: '/root/.ssh/id_dsa', type: 'ssh-dss', reason: 'corresponding algo not in PubkeyAcceptedAlgorithms' },
      ],
    },
    /^ssh skipped ssh-dss key \/root\/\.ssh\/id_dsa: corresponding algo not in PubkeyAcceptedAlgorithms$/,
  ],
  ['pubkey-off-password', { outcome: 'auth-denied', methodsLeft: ['password'] }, /Permission denied \(password\)/],
  [
    'pubkey-off-kbdint',
    { outcome: 'auth-denied', methodsLeft: ['keyboard-interactive'] },
    /Permission denied \(keyboard-interactive\)/,
  ],
  [
    'second-factor',
    {
      outcome: 'auth-second-factor-required',
      keysAccepted: ['/root/.ssh/id_ed25519'],
      methodsLeft: ['keyboard-interactive'],
    },
    /^Authenticated using "publickey" with partial success\.$/,
  ],
  // The server refuses ssh-rsa's SHA-2 signatures: from the client, a refused key like any other.
  ['key-rsa-sha1-server', { outcome: 'auth-denied', keysAccepted: [], keysSkipped: [] }, /Permission denied/],
];

describe('parseSshDebug after the connection (captured)', () => {
  it.each(cases)('%s', (name, expected, evidence) => {
    const d = parse(name);
    expect(d).toMatchObject(expected);
    if (evidence)
      expect(
        d.evidence.some((l) => evidence.test(l)),
        d.evidence.join('\n'),
      ).toBe(true);
    expect(d.evidence.filter((l) => /Permanently added/.test(l))).toEqual([]);
  });
});

describe('the evidence a user sees, line for line', () => {
  const auth = 'Authenticated to 127.0.0.1 ([127.0.0.1]:2201) using "publickey".';
  it.each([
    [
      'chroot-bad-ownership',
      ['client_loop: send disconnect: Broken pipe', 'ssh exited with 255 and no exit status from the server', auth],
    ],
    [
      'forced-command-missing',
      ['bash: line 1: /usr/local/bin/no-such-program: No such file or directory', 'exit status 127', auth],
    ],
    ['shell-false', ['exit status 1, and the session printed nothing', auth]],
    [
      'key-dsa',
      [
        'ssh skipped ssh-dss key /root/.ssh/id_dsa: corresponding algo not in PubkeyAcceptedAlgorithms',
        'alice@127.0.0.1: Permission denied (publickey,password).',
      ],
    ],
    [
      'second-factor',
      [
        'server accepts key: /root/.ssh/id_ed25519',
        'Authenticated using "publickey" with partial success.',
        'alice@127.0.0.1: Permission denied (keyboard-interactive).',
      ],
    ],
  ])('%s', (name, evidence) => {
    expect(parse(name).evidence).toEqual(evidence);
  });
});

// A relay (inetd, socat) whose onward ssh fails sends that ssh's error down the socket: our ssh
// logs it as the server's banner lines. The words are ssh's own, the verdict is not ours to take.
describe("a relay's onward ssh failing: the server's words, not our outcome", () => {
  it.each([
    ['relay-refused', 'ssh: connect to host 127.0.0.1 port 2299: Connection refused'],
    ['relay-timeout', 'ssh: connect to host 127.0.0.1 port 2298: Connection timed out'],
    ['relay-no-route', 'ssh: connect to host 127.0.0.1 port 2297: No route to host'],
    ['relay-denied', 'nobody@127.0.0.1: Permission denied (publickey,password).'],
  ])('%s', (name, said) => {
    const d = parse(name);
    expect([d.outcome, d.preBanner, d.evidence]).toEqual([
      'banner-exchange-failed',
      [said],
      [`server said: ${said}`, 'kex_exchange_identification: Connection closed by remote host'],
    ]);
  });
});

describe("a verbose relay's onward login: its facts are the server's words, none of them ours", () => {
  it('no version, keys, methods, exit status or session taken from the banner lines', () => {
    const d = parse('relay-verbose');
    expect(d).toMatchObject({
      outcome: 'banner-exchange-failed',
      keysOffered: [],
      keysAccepted: [],
      keysSkipped: [],
      keysIgnored: [],
      keysMissing: [],
    });
    for (const k of ['serverVersion', 'methodsLeft', 'exitStatus', 'authenticated', 'hostKeyAdded', 'sessionOutput'])
      expect(d).not.toHaveProperty(k);
    expect(d.evidence[0]).toBe('server said: OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL 3.0.19 27 Jan 2026');
    expect(d.evidence.at(-1)).toBe('kex_exchange_identification: Connection closed by remote host');
    expect(d.evidence).toContain('server said: Authenticated to 127.0.0.1 ([127.0.0.1]:2201) using "publickey".');
  });

  it('its phases are ours: connected, then waiting for a banner that never came', () => {
    // Split as run.ts hands lines over: without their CR.
    const lines = readFileSync(join(DIR, 'relay-verbose.stderr'), 'utf8').split(/\r?\n/).filter(Boolean);
    // One line a millisecond: the phase boundaries show as line numbers.
    const t = loginTimeline(
      lines.map((line, ms) => ({ ms, line })),
      lines.length,
    );
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const connecting = at(/^debug1: Connecting to /);
    const established = at(/^debug1: Connection established\.$/);
    expect(t).toEqual({
      phases: [
        { phase: 'name lookup', ms: connecting, longestWait: expect.any(Object) },
        { phase: 'TCP connect', ms: established - connecting, longestWait: expect.any(Object) },
        { phase: 'banner wait', ms: lines.length - established, longestWait: expect.any(Object) },
      ],
      pastKeyExchange: false,
    });
  });
});

describe("a login banner that quotes ssh's messages to explain them", () => {
  it('is no verdict: the login is ok and its evidence is ours alone', () => {
    const d = parse('banner-helpdesk');
    expect([d.outcome, d.exitStatus, d.evidence]).toEqual([
      'ok',
      0,
      ['Authenticated to 127.0.0.1 ([127.0.0.1]:2207) using "publickey".'],
    ]);
    for (const k of ['offendingKey', 'algorithm', 'hostKeyRevoked', 'preBanner']) expect(d).not.toHaveProperty(k);
  });
});

describe('a greeting before the SSH banner (RFC 4253 allows it), then a working login', () => {
  it('is ok, the greeting kept as a fact but not shown as a failure', () => {
    const d = parse('pre-banner-ok');
    expect([d.outcome, d.preBanner, d.hostKeyAdded, d.evidence]).toEqual([
      'ok',
      ['Welcome to the front door'],
      true,
      ['Authenticated to 127.0.0.1 ([127.0.0.1]:2295) using "publickey".'],
    ]);
  });
});

// Not captured here (this lab has OpenSSH 9.2 on Debian only, and its sshd and ssh2 both send
// server-sig-algs): wording from OpenSSH's sources and other systems' tools, as users posted it.
it("through a jump host, the hop's ssh lines (its session, its end) are not the session's output", () => {
  expect(parse('jump-ok').sessionOutput).toBeUndefined();
});

describe('the login probe\'s line shows what the session said, not "Authenticated to"', () => {
  it.each([
    ['shell-nologin', 'This account is currently not available.'],
    ['shell-false', 'exit status 1, and the session printed nothing'],
    ['forced-command-missing', 'bash: line 1: /usr/local/bin/no-such-program: No such file or directory'],
    ['chroot-bad-ownership', 'client_loop: send disconnect: Broken pipe'],
    ['second-factor', 'server accepts key: /root/.ssh/id_ed25519'],
  ])('%s', (name, first) => {
    expect(parse(name).evidence[0]).toBe(first);
  });
});

describe('parseSshDebug on wording this lab cannot produce', () => {
  const stderr = (...l: string[]) => `${l.join('\n')}\n`;
  it.each([
    [
      'RSA key against a SHA-1-only server (OpenSSH 8.8+)',
      stderr(
        'debug1: Offering public key: /home/u/.ssh/id_rsa RSA SHA256:abc',
        'debug1: send_pubkey_test: no mutual signature algorithm',
        'u@h: Permission denied (publickey).',
      ),
      {
        outcome: 'auth-denied',
        keysSkipped: [{ path: '/home/u/.ssh/id_rsa', reason: 'no mutual signature algorithm' }],
        evidence: [
          'ssh skipped /home/u/.ssh/id_rsa: no mutual signature algorithm',
          'u@h: Permission denied (publickey).',
        ],
      },
    ],
    [
      'DSA key, OpenSSH 8.2-8.4 wording',
      stderr(
        'debug1: Skipping ssh-dss key /home/u/.ssh/id_dsa - not in PubkeyAcceptedKeyTypes',
        'u@h: Permission denied (publickey).',
      ),
      { outcome: 'auth-denied', keysSkipped: [{ path: '/home/u/.ssh/id_dsa', type: 'ssh-dss' }] },
    ],
    [
      'pam_faillock',
      stderr('The account is locked due to 3 failed logins.', 'Connection closed by 10.0.0.5 port 22'),
      { outcome: 'account-locked' },
    ],
    [
      'macOS/BSD: a dropped SYN',
      stderr('ssh: connect to host h port 22: Operation timed out'),
      { outcome: 'connection-timeout' },
    ],
    [
      'macOS: a name that does not resolve',
      stderr('ssh: Could not resolve hostname h: nodename nor servname provided, or not known'),
      { outcome: 'dns-unresolved' },
    ],
    [
      'macOS: a session the server closes',
      stderr('Authenticated to h ([10.0.0.5]:22) using "publickey".', 'Connection to h closed by remote host.'),
      { outcome: 'session-closed-after-auth' },
    ],
  ] as const)('%s', (_name, text, expected) => {
    expect(parseSshDebug(text, 255)).toMatchObject(expected);
  });
});

describe('sessionOutcome', () => {
  it.each([
    [{ exitCode: 0, exitStatus: 0, output: [] }, 'ok'],
    [{ exitCode: 1, exitStatus: 1, output: ['menu: choose a host'] }, 'ok'],
    [{ exitCode: 2, exitStatus: 2, output: [] }, 'ok'],
    [{ exitCode: 1, exitStatus: 1, output: [] }, 'login-shell-nologin'],
    [{ exitCode: 126, exitStatus: 126, output: ['sh: 1: /opt/menu: Permission denied'] }, 'forced-command-failed'],
    [
      { exitCode: 127, exitStatus: 127, output: ['bash: line 1: gitolite-shell: command not found'] },
      'forced-command-failed',
    ],
    [{ exitCode: 127, exitStatus: 127, output: ['the tool printed this and exited 127'] }, 'ok'],
    // A ForceCommand wrapper that greets, then cannot start its program: the second line says why.
    [
      {
        exitCode: 127,
        exitStatus: 127,
        output: [
          'Welcome to the deploy shell',
          'bash: line 1: /usr/local/bin/no-such-program: No such file or directory',
        ],
      },
      'forced-command-failed',
    ],
    [{ exitCode: 255, exitStatus: undefined, output: [] }, 'session-closed-after-auth'],
    // ssh stopped by our own bound: not known to have failed.
    [{ exitCode: undefined, exitStatus: undefined, output: [] }, 'ok'],
  ] as const)('%j → %s', (s, outcome) => {
    expect(sessionOutcome(s)).toBe(outcome);
  });
});

describe('how much of the session the report quotes', () => {
  // A ForceCommand's menu or a MOTD can be long: the first five lines, each cut at 200 characters.
  const lines = readFileSync(join(DIR, 'session-ok.stderr'), 'utf8').split('\n');
  it('stdout first, then the remote’s stderr lines after the command was sent, ssh’s own left out', () => {
    const at = lines.findIndex((l) => l.startsWith('debug1: Sending command: '));
    const stderr = [
      ...lines.slice(0, at + 1),
      'bash: warning: setlocale: LC_ALL: cannot change locale',
      // clientloop.c's words when the server ends the connection: ssh's own, not the session's.
      'Connection to 127.0.0.1 closed by remote host.',
      // ssh's own line when our deadline ends it with SIGTERM.
      'Killed by signal 15.',
      '   ',
      ...lines.slice(at + 1),
    ];
    // A menu keeps its indentation; trailing blanks and blank lines go.
    expect(sessionOutput(stderr, 'menu   \r\n\r\n  1) web\n')).toEqual([
      'menu',
      '  1) web',
      'bash: warning: setlocale: LC_ALL: cannot change locale',
    ]);
  });

  it('five lines at most, each at most 200 characters', () => {
    const long = 'x'.repeat(201);
    const exact = 'y'.repeat(200);
    const out = sessionOutput(lines, [long, exact, 'a', 'b', 'c', 'd'].join('\n'));
    expect(out).toEqual([`${'x'.repeat(200)}…`, exact, 'a', 'b', 'c']);
  });

  it('no session (not authenticated): nothing from stderr', () => {
    expect(sessionOutput(['alice@h: Permission denied (publickey).', 'bash: x'], '')).toEqual([]);
  });
});
