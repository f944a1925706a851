// Applies one fix the user confirmed (or --yes), through src/fixes/apply.ts: in order, stopping
// at the first failure and putting back what that step left half-done, journaled with its undo.
// The fix runs on a Host: this machine, or the --via host over SSH (the journal stays here and
// remembers the host, so `ssh-doctor undo` reverts it there).
// A firewall change that could cut the way in is armed with an automatic rollback first:
// locally when this session is SSH (rollback.ts: confirmed later from a new connection); over
// --via always, and ssh-doctor itself then proves a NEW connection still gets in, or reverts.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { formatCommand, type Fix } from '../../report.js';
import { applyFix } from '../../fixes/apply.js';
import { appendJournal, confirmationOf, readJournal, type JournalEntry } from '../../fixes/journal.js';
import { resultsOf, revertEntry } from '../../fixes/revert.js';
import { run, spawnDetached } from '../../run.js';
import { localHost, viaName, type Host, type Via } from '../host.js';
import { backupsOf, recoveryFor, staleSource, TMP_SUFFIX } from './config-edit.js';
import { nftUndo, parseNftHandle } from './firewall.js';
import { DEFAULT_ROLLBACK_SECONDS, needsRollbackGuard, remoteRollbackTimer, rollbackTimer, settledMarker } from './rollback.js';

export interface RunFixOptions {
  dryRun?: boolean;
  /** Where the fix runs (default: this machine). */
  host?: Host;
  /** A NEW connection to host.via: the proof that a firewall change left the way in open. */
  reconnect?: () => Promise<Host & { close(): void }>;
  /** Environment to judge "running over SSH" by (default process.env). */
  env?: Record<string, string | undefined>;
  rollbackSeconds?: number;
  /** Whether systemd runs the host (default: /run/systemd/system exists there). */
  systemd?: boolean;
  /** The ssh-doctor entry script the local rollback timer runs (default: this process's). */
  cliPath?: string;
}

export interface RunFixResult {
  ok: boolean;
  /** Lines for the UI: each command as run, failures, what was put back, what to do next. */
  log: string[];
  journalId?: string;
  /** Set when the change is reverted at `deadline` unless confirmed with `confirm`. */
  pending?: { deadline: string; confirm: string };
}

type Armed = { rollback: NonNullable<JournalEntry['rollback']>; log: string } | { refused: string };

export async function runFix(fix: Fix, opts: RunFixOptions = {}): Promise<RunFixResult> {
  const host = opts.host ?? localHost;
  const env = opts.env ?? process.env;
  const guarded = host.via ? fix.id === 'firewall-allow-ssh' : needsRollbackGuard(fix, env);
  const seconds = opts.rollbackSeconds ?? DEFAULT_ROLLBACK_SECONDS;
  if (opts.dryRun) {
    const r = await applyFix(fix, { dryRun: true });
    if (guarded) {
      r.log.push(host.via
        ? `(dry run) this change would be rolled back after ${seconds} s unless a new SSH connection to ${viaName(host.via)} gets through`
        : `(dry run) over SSH this change would be rolled back after ${seconds} s unless confirmed from a new connection`);
    }
    return { ok: true, log: r.log };
  }
  const stale = await staleSource(fix, host.readFile);
  if (stale) return { ok: false, log: [`refused: ${stale}`] };
  const id = randomUUID().slice(0, 8);
  const nft = fix.commands.find((c) => c[0] === 'nft');
  const log: string[] = [];
  let armed: Armed | undefined;
  if (guarded) {
    // Armed before the change, so a session that dies mid-change is still covered.
    armed = host.via ? await armOnVia(host, host.via, id, fix, seconds, opts.systemd) : await armHere(id, seconds, opts, env);
    if ('refused' in armed) return { ok: false, log: [`refused: ${armed.refused}`] };
    log.push(armed.log);
  }
  const written = fix.commands.filter((c) => c[0] === 'mv' && c[1]?.endsWith(TMP_SUFFIX)).map((c) => c[2]!);
  const r = await applyFix(fix, {
    exec: host.exec,
    journalId: id,
    backups: backupsOf(fix.commands),
    recover: (failedAt) => recoveryFor(fix.commands, failedAt),
    undoAfter: nft ? (stdouts) => {
      const handle = parseNftHandle(stdouts[fix.commands.indexOf(nft)] ?? '');
      return handle === undefined ? undefined : nftUndo(nft, handle);
    } : undefined,
    journal: { ...(armed && 'rollback' in armed ? { rollback: armed.rollback } : {}), ...(host.via ? { via: host.via } : {}) },
    // The files a config fix replaced (`mv TMP FILE`), as it left them.
    journalAfter: () => resultsOf(written, host),
  });
  log.push(...r.log);
  if (!armed || !('rollback' in armed)) return { ok: r.ok, log, journalId: r.journalId };
  if (host.via) {
    const settled = await settleOnVia(host, host.via, id, r.ok, opts.reconnect, armed.rollback.deadline);
    return { ok: r.ok && settled.kept, log: [...log, ...settled.log], journalId: r.journalId };
  }
  const pending = { deadline: armed.rollback.deadline, confirm: `ssh-doctor undo --confirm ${id}` };
  if (!r.ok) return { ok: false, log, journalId: r.journalId };
  log.push(`Over SSH: this change is rolled back at ${pending.deadline} unless you open a NEW ssh connection and run: ${pending.confirm}`);
  return { ok: true, log, journalId: r.journalId, pending };
}

/** This machine, over SSH: `ssh-doctor undo --rollback-after`, confirmed later by the user. */
async function armHere(id: string, seconds: number, opts: RunFixOptions, env: Record<string, string | undefined>): Promise<Armed> {
  const timer = rollbackTimer(id, seconds, {
    systemd: opts.systemd ?? existsSync('/run/systemd/system'),
    node: process.execPath, cli: opts.cliPath ?? process.argv[1] ?? 'ssh-doctor', stateDir: env.SSH_DOCTOR_STATE_DIR,
  });
  let how: string | undefined;
  if (timer.detached) {
    const pid = await spawnDetached(timer.command);
    if (pid !== undefined) how = `pid ${pid}`;
  } else if ((await run(timer.command, { timeoutMs: 15_000 })).exitCode === 0) how = `systemd timer ssh-doctor-rollback-${id}`;
  if (!how) return { refused: 'the rollback timer did not start, and a firewall change over SSH is not made without one' };
  return {
    rollback: { deadline: deadlineIn(seconds), sshConnection: env.SSH_CONNECTION!.trim(), command: timer.command },
    log: `rollback armed (${how}): $ ${formatCommand(timer.command)}`,
  };
}

/** The --via host: a plain sh timer there (ssh-doctor is not installed on it). */
async function armOnVia(host: Host, via: Via, id: string, fix: Fix, seconds: number, systemd?: boolean): Promise<Armed> {
  // nft's undo names the handle the new rule gets, unknown before the timer must be armed.
  if (typeof fix.undo === 'string') return { refused: `over --via this change needs an automatic rollback, and its undo is only known once made (${fix.undo}); run ssh-doctor server on ${via.host} itself` };
  const onSystemd = systemd ?? (await host.exec(['test', '-d', '/run/systemd/system'])).exitCode === 0;
  const command = remoteRollbackTimer(id, seconds, fix.undo, onSystemd);
  const r = await host.exec(command, { timeoutMs: 15_000 });
  if (r.exitCode !== 0) return { refused: `the rollback timer did not start on ${via.host} (${r.stderr.trim() || `exit ${r.exitCode}`}), and a firewall change is not made there without one` };
  return {
    rollback: { deadline: deadlineIn(seconds), sshConnection: `via ${viaName(via)}`, command },
    log: `rollback armed on ${via.host}: $ ${formatCommand(command)}`,
  };
}

/**
 * After a firewall change on the --via host: a NEW connection that gets in keeps it (as the user
 * would confirm by hand); otherwise it is reverted now through this connection, or failing that
 * by the timer. Either way the marker tells the timer it has nothing left to do.
 */
async function settleOnVia(host: Host, via: Via, id: string, applied: boolean, reconnect: RunFixOptions['reconnect'], deadline: string): Promise<{ kept: boolean; log: string[] }> {
  const where = viaName(via);
  const settle = (on: Host) => on.exec(['touch', settledMarker(id)]);
  // A change that did not apply is not rolled back (the local timer does the same).
  if (!applied) return { kept: false, log: (await settle(host)).exitCode === 0 ? [] : [`The rollback timer on ${where} may still run this change's undo at ${deadline}.`] };
  const entry = (await readJournal()).find((e) => e.id === id && !e.undoes)!;
  let why = 'no way to open one';
  if (reconnect) {
    try {
      const fresh = await reconnect();
      try {
        const r = await settle(fresh);
        if (r.exitCode === 0) {
          await appendJournal(confirmationOf(entry));
          return { kept: true, log: [`A new SSH connection to ${where} got in after the change: kept, and its rollback timer disarmed.`] };
        }
        why = r.stderr.trim() || `touch failed with exit ${r.exitCode}`;
      } finally {
        fresh.close();
      }
    } catch (e) {
      why = e instanceof Error ? e.message : String(e);
    }
  }
  const back = await revertEntry(entry, { as: 'rolled-back', host, force: true });
  if (back.ok && (await settle(host)).exitCode === 0) {
    return { kept: false, log: [`A new SSH connection to ${where} failed (${why}), so the change was rolled back:`, ...back.log.map((l) => `  ${l}`)] };
  }
  return { kept: false, log: [`A new SSH connection to ${where} failed (${why}), and reverting through this one failed too: the timer on ${where} reverts the change at ${deadline}.`] };
}

const deadlineIn = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
