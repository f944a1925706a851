// The client command line: the ssh flags people paste, and the refusals.
import { describe, expect, it } from 'vitest';
import { parseClientArgs, splitDestination } from '../src/args.js';
import { UsageError } from '../src/errors.js';

describe('parseClientArgs', () => {
  const ok: [string[], { destination: string; sshFlags: string[] }][] = [
    [['alice@web1'], { destination: 'web1', sshFlags: ['-l', 'alice'] }],
    [['-p', '2222', '-i', 'key', 'alice@web1'], { destination: 'web1', sshFlags: ['-l', 'alice', '-p', '2222', '-i', 'key'] }],
    [['web1:2200'], { destination: 'web1', sshFlags: ['-p', '2200'] }],
    [['-p2222', 'web1:2200'], { destination: 'web1', sshFlags: ['-p', '2222'] }],
    [['ssh://bob@[::1]:8022'], { destination: '::1', sshFlags: ['-l', 'bob', '-p', '8022'] }],
    [['-oConnectTimeout=3', '-4', '-J', 'j1,bob@j2:2200', 'h'], { destination: 'h', sshFlags: ['-o', 'ConnectTimeout=3', '-4', '-J', 'j1,bob@j2:2200'] }],
    // No host yet (the wizard will ask): -p is kept for it.
    [['-p', '2222', '--timeout', '900'], { destination: '', sshFlags: ['-p', '2222'] }],
  ];
  for (const [argv, want] of ok) {
    it(argv.join(' '), () => expect(parseClientArgs(argv)).toMatchObject(want));
  }

  const refused: [string[], RegExp][] = [
    [['-evil'], /may not start with "-"/],
    [['alice@-oProxyCommand=x'], /may not start with "-"/],
    [['-J', 'ok,-oProxyCommand=x', 'h'], /may not start with "-"/],
    [['-J', 'u@-evil', 'h'], /may not start with "-"/],
    [['-i', '-x', 'h'], /may not start with "-"/],
    [['-o', 'justtext', 'h'], /Key=Value/],
    [['-p', '0', 'h'], /1 to 65535/],
    [['h\u0007'], /control character/],
    [['--timeout', '5', 'h'], /milliseconds/],
    [['h', 'uptime'], /does not run remote commands/],
  ];
  for (const [argv, message] of refused) {
    it(`refuses ${JSON.stringify(argv)}`, () => {
      expect(() => parseClientArgs(argv)).toThrow(UsageError);
      expect(() => parseClientArgs(argv)).toThrow(message);
    });
  }
});

describe('splitDestination', () => {
  it('keeps IPv6 literals whole', () => expect(splitDestination('fe80::1')).toEqual({ user: undefined, host: 'fe80::1', port: undefined }));
  it('reads a user with an @ in it up to the last @', () => expect(splitDestination('a@corp@h')).toMatchObject({ user: 'a@corp', host: 'h' }));
});
