// Starting sshd with whatever manages services here; with no init system (containers, WSL,
// rescue shells) sshd is started directly, after `sshd -t` proves the config loads. Pure.
import type { Command } from '../../report.js';
import type { InitFacts } from '../facts.js';

export interface StartPlan {
  commands: Command[];
  undo: Command[];
  how: string;
}

export function startSshd(init: InitFacts | undefined, sshd: string, pidFile: string, privsepMissing: boolean): StartPlan {
  const mkPrivsep: Command[] = privsepMissing ? [['install', '-d', '-m', '0755', '-o', 'root', '-g', 'root', '/run/sshd']] : [];
  const enable = init?.enabled === false;
  switch (init?.system) {
    case 'systemd': {
      const svc = init.service ?? 'ssh';
      return {
        commands: [[sshd, '-t'], ['systemctl', 'start', svc], ...(enable ? [['systemctl', 'enable', svc]] : [])],
        undo: [['systemctl', 'stop', svc], ...(enable ? [['systemctl', 'disable', svc]] : [])],
        how: `systemd unit ${svc}`,
      };
    }
    case 'sysvinit': {
      const svc = init.service ?? 'ssh';
      return {
        commands: [[sshd, '-t'], ['service', svc, 'start'], ...(enable ? [['update-rc.d', svc, 'enable']] : [])],
        undo: [['service', svc, 'stop'], ...(enable ? [['update-rc.d', svc, 'disable']] : [])],
        how: `init script ${svc}`,
      };
    }
    case 'openrc': {
      const svc = init.service ?? 'sshd';
      return {
        commands: [[sshd, '-t'], ['rc-service', svc, 'start'], ...(enable ? [['rc-update', 'add', svc, 'default']] : [])],
        undo: [['rc-service', svc, 'stop'], ...(enable ? [['rc-update', 'del', svc, 'default']] : [])],
        how: `OpenRC service ${svc}`,
      };
    }
    default:
      // sshd -t refuses to pass while /run/sshd is missing, so that comes first. Stopping the
      // listener (SIGTERM to the pid it wrote) leaves sessions already open running.
      return {
        commands: [...mkPrivsep, [sshd, '-t'], [sshd]],
        undo: [['pkill', '-TERM', '--pidfile', pidFile, '-x', 'sshd']],
        how: 'no service manager here: sshd is started directly',
      };
  }
}
