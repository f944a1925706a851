import { describe, expect, it } from 'vitest';
import { parseServerArgs, sudoCommand } from '../../src/commands/server/command.js';
import { sshdCandidates } from '../../src/server/probes/sshd-binary.js';

describe('ssh-doctor server arguments', () => {
  const env = { USER: 'root', SUDO_USER: 'alice' };
  it('defaults: the sudo user, port 22', () =>
    expect(parseServerArgs([], env)).toMatchObject({ user: 'alice', port: 22, json: false }));
  it('all options', () => {
    expect(
      parseServerArgs(['--user', 'bob', '--port=2222', '--json', '--dry-run', '--via', 'root@host.example:2200'], env),
    ).toMatchObject({
      user: 'bob',
      port: 2222,
      json: true,
      dryRun: true,
      via: { user: 'root', host: 'host.example', port: 2200 },
    });
  });
  it('off Linux (a macOS laptop): only over --via, or its --help', () => {
    expect(() => parseServerArgs([], env, 'darwin')).toThrow(
      'ssh-doctor server checks the sshd of a Linux host, and this is darwin: run it on the server, or from here with --via [user@]host.',
    );
    expect(parseServerArgs(['--via', 'web1'], env, 'darwin')).toMatchObject({ via: { host: 'web1', port: 22 } });
    expect(parseServerArgs(['--help'], env, 'freebsd')).toMatchObject({ help: true });
  });
  it('--yes with --via: fixes run on the --via host', () => {
    expect(parseServerArgs(['--yes', '--via', 'h'], env)).toMatchObject({ yes: true, via: { host: 'h', port: 22 } });
  });
  it.each([
    [['--port', '0'], '--port must be a number from 1 to 65535, not "0".'],
    [['--user', '-rf'], '"-rf" is not a user name.'],
    [['--user'], '--user needs a value.'],
    [['--yes', '--dry-run'], '--yes and --dry-run contradict each other: choose one.'],
    [
      ['--via', '-oProxyCommand=x'],
      'Refusing "-oProxyCommand=x": a host may not start with "-" (it would be read as an option).',
    ],
    [['--frobnicate'], 'Unknown option --frobnicate for "server" (see ssh-doctor server --help).'],
  ])('%j → usage error', (argv, msg) => expect(() => parseServerArgs(argv, env)).toThrow(msg));
  it('the sudo rerun command repeats what matters', () => {
    expect(sudoCommand(parseServerArgs(['--user', 'bob', '--port', '2222', '--json'], env))).toEqual([
      'sudo',
      'ssh-doctor',
      'server',
      '--user',
      'bob',
      '--port',
      '2222',
      '--json',
    ]);
  });
  it('sshd is also looked for on PATH', () => {
    expect(sshdCandidates('/opt/openssh/sbin:/usr/sbin:relative')).toEqual([
      '/usr/sbin/sshd',
      '/usr/local/sbin/sshd',
      '/sbin/sshd',
      '/usr/bin/sshd',
      '/opt/openssh/sbin/sshd',
    ]);
  });
});

describe('the rerun command', () => {
  it('keeps a non-default --rollback-seconds, never --yes', () => {
    expect(
      sudoCommand(parseServerArgs(['--yes', '--rollback-seconds', '30', '--port', '2222'], { USER: 'bob' })),
    ).toEqual(['sudo', 'ssh-doctor', 'server', '--user', 'bob', '--port', '2222', '--rollback-seconds', '30']);
  });
  it.each([['4'], ['abc'], ['99999']])('--rollback-seconds %s is refused', (v) => {
    expect(() => parseServerArgs(['--rollback-seconds', v], {})).toThrow(
      `--rollback-seconds takes 5 to 9999 seconds, not "${v}".`,
    );
  });
});
