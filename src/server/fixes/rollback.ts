// A firewall change made over SSH could cut off the very session that made it. Like
// iptables-apply, such a change is armed with a timer: a detached process (own session, so it
// survives this SSH session dying) that, after N seconds, reverts the change unless it was
// confirmed meanwhile with `ssh-doctor undo --confirm ID` from a NEW connection: one that
// got through the new rules. The journal is the only channel between them. Pure decisions here.
import type { Command, Fix } from '../../report.js';
import type { JournalEntry } from '../../fixes/journal.js';
import { shellCommand, shellQuote } from '../../shell-quote.js';
import { TAG } from './firewall.js';
import { sameSession, type SshSession } from './ssh-session.js';

export const DEFAULT_ROLLBACK_SECONDS = 60;

/** Fixes that can cut off the connection the wizard runs over. */
export function needsRollbackGuard(fix: Fix, session: SshSession | undefined): boolean {
  return fix.id === 'firewall-allow-ssh' && session !== undefined;
}

export type RollbackAction =
  | { action: 'roll-back'; entry: JournalEntry }
  | { action: 'keep' | 'nothing' | 'wait'; why: string };

/** What the timer does when it fires, from the journal alone. */
export function rollbackDecision(entries: readonly JournalEntry[], id: string): RollbackAction {
  const later = entries.filter((e) => e.undoes === id);
  if (later.some((e) => e.status === 'confirmed')) return { action: 'keep', why: 'confirmed from a new connection' };
  if (later.some((e) => e.status === 'undone' || e.status === 'rolled-back'))
    return { action: 'nothing', why: 'already reverted' };
  const entry = entries.find((e) => e.id === id && !e.undoes);
  if (!entry) return { action: 'wait', why: 'the change is not journaled yet' };
  // Pending: ssh-doctor stopped (or a command timed out) mid-change, so it may have applied; the
  // undo removes only what is there.
  if (entry.status !== 'applied' && entry.status !== 'pending')
    return { action: 'nothing', why: 'the change did not apply' };
  // Its undo runs on that host; the timer armed there decides.
  if (entry.via) return { action: 'nothing', why: 'the change was made on another host (--via)' };
  return { action: 'roll-back', entry };
}

/** A confirmation counts only from another connection than the one the change was made over. */
export function confirmationRefusal(
  entry: JournalEntry | undefined,
  here: SshSession | undefined,
  now: Date,
): string | undefined {
  if (!entry?.rollback) return 'that change is not waiting for a confirmation.';
  if (now.getTime() > Date.parse(entry.rollback.deadline))
    return 'too late: the confirmation window has passed, so the change was rolled back.';
  const made = {
    connection: entry.rollback.sshConnection,
    ...(entry.rollback.sshdPid ? { sshdPid: entry.rollback.sshdPid } : {}),
  };
  if (sameSession(made, here)) {
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
      'systemd-run',
      '--quiet',
      `--unit=ssh-doctor-rollback-${id}`,
      `--on-active=${seconds}`,
      '--timer-property=AccuracySec=1s',
      ...(how.stateDir ? [`--setenv=SSH_DOCTOR_STATE_DIR=${how.stateDir}`] : []),
      ...undo(0),
    ],
    detached: false,
  };
}

/**
 * A --via host's timer (ssh-doctor is not installed there) is a sh script in /run plus a token
 * file. Whoever removes the token first decides, so the timer and ssh-doctor never both act: the
 * timer runs the undo; ssh-doctor keeps the change (a new connection got in) or reverts it itself.
 */
export function remoteTimerFiles(id: string): { script: string; token: string } {
  return { script: `/run/ssh-doctor-rollback-${id}.sh`, token: `/run/ssh-doctor-rollback-${id}.armed` };
}

/** Writes the script (from stdin) and the token; nothing is started yet. */
export function remoteTimerWrite(id: string): Command {
  const { script, token } = remoteTimerFiles(id);
  return ['sh', '-c', 'umask 077 && cat > "$1" && : > "$2"', 'sh', script, token];
}

/**
 * The script. `undo` is sh from undoScript or nftTaggedUndoScript; `$t` bounds each command when
 * the host has `timeout`. PATH is set because a setsid'd process keeps the SSH session's, which for
 * a normal user lacks the sbin directories.
 */
export function remoteTimerScript(id: string, undo: string): string {
  const { script, token } = remoteTimerFiles(id);
  return (
    [
      'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
      't=; command -v timeout >/dev/null 2>&1 && t="timeout 30"',
      `if rm ${shellQuote(token)} 2>/dev/null; then ${undo}; fi`,
      `rm -f ${shellQuote(script)}`,
    ].join('\n') + '\n'
  );
}

/**
 * Starts the script after `seconds`. Under systemd a transient timer (outside the SSH session's
 * scope, which logind may kill with the session); the script is a file because systemd-run
 * expands "$" in its arguments since v254. Elsewhere a background sh that setsid moves into its
 * own session (not a group leader, so no -f needed, which busybox lacks), all output closed so the
 * exec channel ends while it sleeps.
 */
export function remoteTimerStart(id: string, seconds: number, systemd: boolean): Command {
  const { script } = remoteTimerFiles(id);
  if (systemd) {
    return [
      'systemd-run',
      '--quiet',
      `--unit=ssh-doctor-rollback-${id}`,
      `--on-active=${seconds}`,
      '--timer-property=AccuracySec=1s',
      'sh',
      script,
    ];
  }
  return [
    'sh',
    '-c',
    `setsid sh -c ${shellQuote(`sleep ${seconds}; exec sh ${shellQuote(script)}`)} </dev/null >/dev/null 2>&1 &`,
  ];
}

/** Undo commands as sh, in order, stopping at the first failure (as `ssh-doctor undo`). */
export function undoScript(undo: readonly Command[]): string {
  return undo.length ? undo.map((c) => `$t ${shellCommand(c)}`).join(' && ') : ':';
}

/**
 * Deletes the rules tagged "ssh-doctor" in one nft chain, except the handles in `keep` (tagged
 * rules that existed before this change): nft names the new rule's handle only once it is added,
 * after the timer must already be armed.
 */
export function nftTaggedUndoScript(family: string, table: string, chain: string, keep: readonly number[]): string {
  const where = [family, table, chain].map(shellQuote).join(' ');
  const handles = `$t nft -a list chain ${where} | sed -n ${shellQuote(String.raw`s/.* comment "${TAG}" # handle \([0-9][0-9]*\)$/\1/p`)}`;
  return `for h in $(${handles}); do case ' ${keep.join(' ')} ' in *" $h "*) ;; *) $t nft delete rule ${where} handle "$h" ;; esac; done`;
}

/** Handles of the rules tagged "ssh-doctor" in `nft -a list chain` output. */
export function taggedHandles(listing: string): number[] {
  return [...listing.matchAll(new RegExp(` comment "${TAG}" # handle (\\d+)$`, 'gm'))].map((m) => Number(m[1]));
}
