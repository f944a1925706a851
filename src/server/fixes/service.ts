// Starting sshd with whatever manages services here; with no init system (containers, WSL,
// rescue shells) sshd is started directly, after `sshd -t` proves the config loads. Pure.
import type { Command } from '../../report.js';
import type { InitFacts } from '../facts.js';

export interface StartPlan {
  commands: Command[];
  undo: Command[];
  how: string;
}

/**
 * What sshd needs before it can start, when the diagnosis saw it missing: sshd refuses to start
 * (and `sshd -t` fails) without /run/sshd or without any host key, so the start fix brings them.
 */
export interface StartNeeds {
  privsepMissing: boolean;
  noHostKey: boolean;
}

export function startSshd(init: InitFacts | undefined, sshd: string, pidFile: string, needs: StartNeeds): StartPlan {
  const mkPrivsep: Command[] = needs.privsepMissing
    ? [['install', '-d', '-m', '0755', '-o', 'root', '-g', 'root', '/run/sshd']]
    : [];
  const keys: Command[] = needs.noHostKey ? [['ssh-keygen', '-A']] : [];
  const enable = init?.enabled === false;
  switch (init?.system) {
    case 'systemd': {
      const svc = init.service ?? 'ssh';
      return {
        commands: [
          ...keys,
          [sshd, '-t'],
          ['systemctl', 'start', svc],
          ...(enable ? [['systemctl', 'enable', svc]] : []),
        ],
        undo: [['systemctl', 'stop', svc], ...(enable ? [['systemctl', 'disable', svc]] : [])],
        how: `systemd unit ${svc}`,
      };
    }
    case 'sysvinit': {
      const svc = init.service ?? 'ssh';
      return {
        commands: [
          ...keys,
          [sshd, '-t'],
          ['service', svc, 'start'],
          ...(enable ? [['update-rc.d', svc, 'enable']] : []),
        ],
        undo: [['service', svc, 'stop'], ...(enable ? [['update-rc.d', svc, 'disable']] : [])],
        how: `init script ${svc}`,
      };
    }
    case 'openrc': {
      const svc = init.service ?? 'sshd';
      return {
        commands: [
          ...keys,
          [sshd, '-t'],
          ['rc-service', svc, 'start'],
          ...(enable ? [['rc-update', 'add', svc, 'default']] : []),
        ],
        undo: [['rc-service', svc, 'stop'], ...(enable ? [['rc-update', 'del', svc, 'default']] : [])],
        how: `OpenRC service ${svc}`,
      };
    }
    default:
      // systemd, sysv and OpenRC scripts create /run/sshd themselves; here it is up to us. Stopping the
      // listener (SIGTERM to the pid it wrote) leaves sessions already open running.
      return {
        commands: [...mkPrivsep, ...keys, [sshd, '-t'], [sshd]],
        undo: [['pkill', '-TERM', '--pidfile', pidFile, '-x', 'sshd']],
        how: 'no service manager here: sshd is started directly',
      };
  }
}
