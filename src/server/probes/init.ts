// Which service manager runs here: systemd (pid 1), OpenRC, sysvinit's `service`, or none
// (containers, WSL, the lab): the fixes start sshd accordingly.
import type { InitFacts, Maybe } from '../facts.js';
import { failure, type Exec } from '../exec.js';
import { statPaths } from './stat.js';

export interface InitClues {
  /** /proc/1/comm */
  pid1: string;
  /** Paths that exist among INIT_PATHS. */
  present: string[];
  /** `systemctl is-enabled <unit>` first line, when it ran. */
  enabled?: string;
  /** `systemctl is-active <unit>.socket` first line, when it ran. */
  socketActive?: string;
}

export const INIT_PATHS = [
  '/run/systemd/system',
  '/run/openrc',
  '/sbin/openrc-run',
  '/usr/sbin/service',
  '/etc/init.d/ssh',
  '/etc/init.d/sshd',
];

/** Debian and Ubuntu call the unit ssh; an sshd init script with no ssh one means sshd. */
function serviceName(present: readonly string[]): 'ssh' | 'sshd' {
  return present.includes('/etc/init.d/sshd') && !present.includes('/etc/init.d/ssh') ? 'sshd' : 'ssh';
}

export function decideInit(c: InitClues): InitFacts {
  const has = (p: string) => c.present.includes(p);
  const service = serviceName(c.present);
  const enabled = c.enabled === undefined ? undefined : c.enabled.trim() === 'enabled';
  if (c.pid1 === 'systemd' || has('/run/systemd/system')) {
    return {
      system: 'systemd',
      service,
      ...(enabled !== undefined ? { enabled } : {}),
      ...(c.socketActive?.trim() === 'active' ? { socket: true } : {}),
    };
  }
  if (has('/run/openrc') || (c.pid1 === 'init' && has('/sbin/openrc-run')))
    return { system: 'openrc', service: has('/etc/init.d/sshd') ? 'sshd' : service };
  // sysvinit only when init really is pid 1; in a container pid 1 is the app, and `service`
  // would run the init script without any manager behind it.
  if (c.pid1 === 'init' && has('/usr/sbin/service') && (has('/etc/init.d/ssh') || has('/etc/init.d/sshd')))
    return { system: 'sysvinit', service };
  return { system: 'none' };
}

export async function probeInit(exec: Exec): Promise<Maybe<InitFacts>> {
  const comm = await exec(['cat', '/proc/1/comm']);
  const st = await statPaths(exec, INIT_PATHS);
  if (typeof st === 'string') return { unknown: st };
  const present = st.filter((s) => s.exists).map((s) => s.path);
  const clues: InitClues = { pid1: comm.stdout.trim(), present };
  const unit = serviceName(present);
  const cmd = ['systemctl', 'is-enabled', `${unit}.service`];
  const en = await exec(cmd, { timeoutMs: 3000 });
  if (en.timedOut) return { unknown: failure(en, cmd)! };
  if (!en.missing && en.stdout.trim()) clues.enabled = en.stdout.split('\n')[0];
  if (clues.pid1 === 'systemd' || present.includes('/run/systemd/system')) {
    const sockCmd = ['systemctl', 'is-active', `${unit}.socket`];
    const sock = await exec(sockCmd, { timeoutMs: 3000 });
    // Under socket activation no sshd runs until a connection comes: "not running" would be a guess.
    const sockWhy = failure(sock, sockCmd);
    if (sockWhy) return { unknown: sockWhy };
    if (sock.stdout.trim()) clues.socketActive = sock.stdout.split('\n')[0];
  }
  return decideInit(clues);
}
