// A firewall change made over SSH could cut off the very session that made it. Like
// iptables-apply, such a change is armed with a timer: a detached process (own session, so it
// survives this SSH session dying) that, after N seconds, reverts the change unless it was
// confirmed meanwhile with `ssh-doctor undo --confirm ID` from a NEW connection: one that
// got through the new rules. The journal is the only channel between them. Pure decisions here.
import type { Command, Fix } from '../../report.js';
import type { JournalEntry } from '../../fixes/journal.js';
import { shellCommand, shellQuote } from '../shell-quote.js';

export const DEFAULT_ROLLBACK_SECONDS = 60;

/** Fixes that can cut off the connection the wizard runs over. */
export function needsRollbackGuard(fix: Fix, env: Record<string, string | undefined>): boolean {
  return fix.id === 'firewall-allow-ssh' && Boolean(env.SSH_CONNECTION?.trim());
}

export type RollbackAction =
  | { action: 'roll-back'; entry: JournalEntry }
  | { action: 'keep' | 'nothing' | 'wait'; why: string };

/** What the timer does when it fires, from the journal alone. */
export function rollbackDecision(entries: readonly JournalEntry[], id: string): RollbackAction {
  const later = entries.filter((e) => e.undoes === id);
  if (later.some((e) => e.status === 'confirmed')) return { action: 'keep', why: 'confirmed from a new connection' };
  if (later.some((e) => e.status === 'undone' || e.status === 'rolled-back')) return { action: 'nothing', why: 'already reverted' };
  const entry = entries.find((e) => e.id === id && !e.undoes);
  if (!entry) return { action: 'wait', why: 'the change is not journaled yet' };
  if (entry.status !== 'applied') return { action: 'nothing', why: 'the change did not apply' };
  return { action: 'roll-back', entry };
}

/** A confirmation counts only from another connection than the one the change was made over. */
export function confirmationRefusal(entry: JournalEntry | undefined, env: Record<string, string | undefined>, now: Date): string | undefined {
  if (!entry?.rollback) return 'that change is not waiting for a confirmation.';
  if (now.getTime() > Date.parse(entry.rollback.deadline)) return 'too late: the confirmation window has passed, so the change was rolled back.';
  const here = env.SSH_CONNECTION?.trim() ?? '';
  if (here && here === entry.rollback.sshConnection) {
    return 'confirm from a NEW ssh connection: this is the session the change was made over, so it proves nothing about the new rules.';
  }
  return undefined;
}

/**
 * How the timer is started. Under systemd a process started from an SSH session lives in that
 * session's scope, which logind kills with the session when KillUserProcesses=yes; a transient
 * systemd timer (systemd-run) lives outside it. Elsewhere a detached process (own session) is
 * enough. Either way the timer runs `ssh-doctor undo --rollback-after S ID`.
 */
export function rollbackTimer(
  id: string,
  seconds: number,
  how: { systemd: boolean; node: string; cli: string; stateDir?: string },
): { command: Command; detached: boolean } {
  const undo = (after: number): Command => [how.node, how.cli, 'undo', '--rollback-after', String(after), id];
  if (!how.systemd) return { command: undo(seconds), detached: true };
  return {
    command: [
      'systemd-run', '--quiet', `--unit=ssh-doctor-rollback-${id}`, `--on-active=${seconds}`, '--timer-property=AccuracySec=1s',
      ...(how.stateDir ? [`--setenv=SSH_DOCTOR_STATE_DIR=${how.stateDir}`] : []),
      ...undo(0),
    ],
    detached: false,
  };
}

/** The file that tells a --via host's timer the change was settled (kept, or already reverted). */
export const settledMarker = (id: string): string => `/run/ssh-doctor-rollback-${id}.settled`;

/**
 * Over --via, ssh-doctor is not installed on the far host, so its timer is plain sh: after N
 * seconds it runs the undo commands (stopping at the first failure, like `ssh-doctor undo`) unless
 * the marker exists. Under systemd a transient timer (outside the SSH session's scope, which
 * logind may kill with the session); elsewhere `setsid -f`, a process in its own session whose
 * output is closed at once, so the exec channel ends while it sleeps.
 */
export function remoteRollbackTimer(id: string, seconds: number, undo: readonly Command[], systemd: boolean): Command {
  const marker = shellQuote(settledMarker(id));
  const script = `if [ -e ${marker} ]; then rm -f ${marker}; else ${undo.map(shellCommand).join(' && ')}; fi`;
  if (systemd) {
    return ['systemd-run', '--quiet', `--unit=ssh-doctor-rollback-${id}`, `--on-active=${seconds}`, '--timer-property=AccuracySec=1s', 'sh', '-c', script];
  }
  return ['setsid', '-f', 'sh', '-c', `exec </dev/null >/dev/null 2>&1; sleep ${seconds}; ${script}`];
}
