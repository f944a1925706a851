// The start fix with whatever manages services here: the exact commands, their undo, and the
// words the fix's title uses.
import { describe, expect, it } from 'vitest';
import type { InitFacts } from '../../../src/server/facts.js';
import { startSshd } from '../../../src/server/fixes/service.js';

const SSHD = '/usr/sbin/sshd';
const PID = '/run/sshd.pid';
const nothing = { privsepMissing: false, noHostKey: false };
const both = { privsepMissing: true, noHostKey: true };
const MKDIR = ['install', '-d', '-m', '0755', '-o', 'root', '-g', 'root', '/run/sshd'];
const KEYGEN = ['ssh-keygen', '-A'];

describe('startSshd', () => {
  it.each<[string, InitFacts | undefined, typeof nothing, ReturnType<typeof startSshd>]>([
    [
      'systemd, no service name seen, enabled',
      { system: 'systemd', enabled: true },
      nothing,
      {
        commands: [
          [SSHD, '-t'],
          ['systemctl', 'start', 'ssh'],
        ],
        undo: [['systemctl', 'stop', 'ssh']],
        how: 'systemd unit ssh',
      },
    ],
    [
      'systemd sshd.service, disabled, no host key (its unit makes /run/sshd itself)',
      { system: 'systemd', service: 'sshd', enabled: false },
      both,
      {
        commands: [KEYGEN, [SSHD, '-t'], ['systemctl', 'start', 'sshd'], ['systemctl', 'enable', 'sshd']],
        undo: [
          ['systemctl', 'stop', 'sshd'],
          ['systemctl', 'disable', 'sshd'],
        ],
        how: 'systemd unit sshd',
      },
    ],
    [
      'sysvinit, no service name seen, disabled',
      { system: 'sysvinit', enabled: false },
      nothing,
      {
        commands: [
          [SSHD, '-t'],
          ['service', 'ssh', 'start'],
          ['update-rc.d', 'ssh', 'enable'],
        ],
        undo: [
          ['service', 'ssh', 'stop'],
          ['update-rc.d', 'ssh', 'disable'],
        ],
        how: 'init script ssh',
      },
    ],
    [
      'sysvinit, enablement unknown, no host key',
      { system: 'sysvinit', service: 'sshd' },
      both,
      {
        commands: [KEYGEN, [SSHD, '-t'], ['service', 'sshd', 'start']],
        undo: [['service', 'sshd', 'stop']],
        how: 'init script sshd',
      },
    ],
    [
      'OpenRC, no service name seen, enabled, no host key',
      { system: 'openrc', enabled: true },
      both,
      {
        commands: [KEYGEN, [SSHD, '-t'], ['rc-service', 'sshd', 'start']],
        undo: [['rc-service', 'sshd', 'stop']],
        how: 'OpenRC service sshd',
      },
    ],
    [
      'no init system, /run/sshd and host keys missing',
      { system: 'none' },
      both,
      {
        commands: [MKDIR, KEYGEN, [SSHD, '-t'], [SSHD]],
        undo: [['pkill', '-TERM', '--pidfile', PID, '-x', 'sshd']],
        how: 'no service manager here: sshd is started directly',
      },
    ],
    [
      'init unknown (the probe did not run), only /run/sshd missing',
      undefined,
      { privsepMissing: true, noHostKey: false },
      {
        commands: [MKDIR, [SSHD, '-t'], [SSHD]],
        undo: [['pkill', '-TERM', '--pidfile', PID, '-x', 'sshd']],
        how: 'no service manager here: sshd is started directly',
      },
    ],
  ])('%s', (_n, init, needs, want) => {
    expect(startSshd(init, SSHD, PID, needs)).toEqual(want);
  });
});
