// The client command line: ssh's flags read by ssh's rules, ssh-doctor's long options among them,
// and the refusals.
import { describe, expect, it } from 'vitest';
import { parseClientArgs } from '../src/commands/client/command.js';
import { UsageError } from '../src/errors.js';
import { splitDestination } from '../src/ssh-args.js';

describe('parseClientArgs', () => {
  const ok: [string[], { destination: string; sshFlags: string[]; setAside?: string[]; command?: string[] }][] = [
    [['alice@web1'], { destination: 'web1', sshFlags: ['-l', 'alice'] }],
    // The destination's user and port stand where it stood: ssh keeps the first -l / -p.
    [
      ['-p', '2222', '-i', 'key', 'alice@web1'],
      { destination: 'web1', sshFlags: ['-p', '2222', '-i', 'key', '-l', 'alice'] },
    ],
    [['web1:2200'], { destination: 'web1', sshFlags: ['-p', '2200'] }],
    [['-p2222', 'web1:2200'], { destination: 'web1', sshFlags: ['-p', '2222', '-p', '2200'] }],
    [['ssh://bob@[::1]:8022'], { destination: '::1', sshFlags: ['-l', 'bob', '-p', '8022'] }],
    [
      ['-oConnectTimeout=3', '-4', '-J', 'j1,bob@j2:2200', 'h'],
      { destination: 'h', sshFlags: ['-o', 'ConnectTimeout=3', '-4', '-J', 'j1,bob@j2:2200'] },
    ],
    // No host yet (the wizard will ask): -p is kept for it.
    [['-p', '2222', '--timeout', '900'], { destination: '', sshFlags: ['-p', '2222'] }],
    // Bundled flags, attached values; what the diagnosis does not use is set aside.
    [
      ['-4vvvA', '-i', 'k1', '-ik2', 'h'],
      { destination: 'h', sshFlags: ['-4', '-i', 'k1', '-i', 'k2'], setAside: ['-v', '-v', '-v', '-A'] },
    ],
    [
      ['-CD1080', '-L8080:localhost:80', 'h'],
      { destination: 'h', sshFlags: [], setAside: ['-C', '-D', '1080', '-L', '8080:localhost:80'] },
    ],
    // Options after the host, then the command: after its first word, everything is the command.
    [
      ['h', '-p', '2200', '--json', 'uptime', '-v', '--yes'],
      { destination: 'h', sshFlags: ['-p', '2200'], setAside: [], command: ['uptime', '-v', '--yes'] },
    ],
    [['h', '--', '-p', '1'], { destination: 'h', sshFlags: [], command: ['-p', '1'] }],
    [['-e', '^A', '-e~', 'h'], { destination: 'h', setAside: ['-e', '^A', '-e', '~'], sshFlags: [] }],
  ];
  for (const [argv, want] of ok) {
    it(argv.join(' '), () => expect(parseClientArgs(argv)).toMatchObject(want));
  }

  it("reads ssh-doctor's own options wherever ssh would read options", () => {
    expect(parseClientArgs(['--json', 'h', '--timeout=900', '--yes'])).toMatchObject({
      json: true,
      timeoutMs: 900,
      yes: true,
      destination: 'h',
      command: [],
    });
    expect(parseClientArgs(['h', 'ls', '--json'])).toMatchObject({ json: false, command: ['ls', '--json'] });
  });

  const refused: [string[], string | RegExp][] = [
    [['--', '-evil'], /may not start with "-"/],
    [['alice@-oProxyCommand=x'], /may not start with "-"/],
    [['-J', 'ok,-oProxyCommand=x', 'h'], /may not start with "-"/],
    [['-J', 'u@-evil', 'h'], /may not start with "-"/],
    [['-J', 'a', '-J', 'b', 'h'], 'Give -J once: separate jump hosts with commas.'],
    [['-i', '-x', 'h'], /may not start with "-"/],
    [['-o', 'justtext', 'h'], /Key=Value/],
    [['-p', '0', 'h'], /1 to 65535/],
    [['h', '-p'], '-p needs a value.'],
    [['h\u0007'], /control character/],
    [['h', 'echo', '\u001b[2J'], /control character/],
    [['--timeout', '5', 'h'], /milliseconds/],
    // ssh reads -evil as -e "vil", which it refuses as an escape character; so does ssh-doctor.
    [['-evil'], '-e takes an escape character (one character, ^X or none), not "vil".'],
    [['-x9', 'h'], 'In "-x9": -9 is not an ssh option (see ssh-doctor --help).'],
    [['-h'], '-h is not an ssh option (see ssh-doctor --help).'],
    [['--frobnicate', 'h'], 'Unknown option --frobnicate (see ssh-doctor --help).'],
    [['--json=yes', 'h'], '--json takes no value.'],
    // Once ssh-doctor's own "yes"; ssh's -y sends ssh's messages to syslog, away from the diagnosis.
    [
      ['-y', 'h'],
      "-y is an ssh option (log to syslog, where the diagnosis cannot read ssh's messages); ssh-doctor's own options are long: --yes.",
    ],
    [
      ['-V'],
      "-V makes ssh print its version instead of connecting, so there is nothing to diagnose (ssh-doctor's own version: --version).",
    ],
    [['-G', 'h'], '-G makes ssh print its configuration instead of connecting, so there is nothing to diagnose.'],
    [
      ['-Q', 'cipher'],
      '-Q makes ssh list the algorithms it supports instead of connecting, so there is nothing to diagnose.',
    ],
    [
      ['-O', 'check', 'h'],
      '-O makes ssh send a command to a running connection instead of connecting, so there is nothing to diagnose.',
    ],
  ];
  for (const [argv, message] of refused) {
    it(`refuses ${JSON.stringify(argv)}`, () => {
      expect(() => parseClientArgs(argv)).toThrow(UsageError);
      expect(() => parseClientArgs(argv)).toThrow(message);
    });
  }
});

describe('splitDestination', () => {
  it('keeps IPv6 literals whole', () =>
    expect(splitDestination('fe80::1')).toEqual({ user: undefined, host: 'fe80::1', port: undefined }));
  it('reads a user with an @ in it up to the last @', () =>
    expect(splitDestination('a@corp@h')).toMatchObject({ user: 'a@corp', host: 'h' }));
});
