// Applies one fix the user confirmed (or --yes), through src/fixes/apply.ts: in order, stopping
// at the first failure and putting back what that step left half-done, journaled with its undo.
// A firewall fix made over SSH is armed with an automatic rollback first (rollback.ts).
import { randomUUID } from 'node:crypto';
import { formatCommand, type Fix } from '../../report.js';
import { applyFix } from '../../fixes/apply.js';
import { sha256File } from '../../fixes/revert.js';
import { existsSync } from 'node:fs';
import { run, spawnDetached } from '../../run.js';
import { backupsOf, recoveryFor, staleSource, TMP_SUFFIX } from './config-edit.js';
import { nftUndo, parseNftHandle } from './firewall.js';
import { DEFAULT_ROLLBACK_SECONDS, needsRollbackGuard, rollbackTimer } from './rollback.js';

export interface RunFixOptions {
  dryRun?: boolean;
  /** Environment to judge "running over SSH" by (default process.env). */
  env?: Record<string, string | undefined>;
  rollbackSeconds?: number;
  /** Whether systemd runs this host (default: /run/systemd/system exists). */
  systemd?: boolean;
  /** The ssh-doctor entry script the rollback timer runs (default: this process's). */
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

export async function runFix(fix: Fix, opts: RunFixOptions = {}): Promise<RunFixResult> {
  const env = opts.env ?? process.env;
  const guarded = needsRollbackGuard(fix, env);
  const seconds = opts.rollbackSeconds ?? DEFAULT_ROLLBACK_SECONDS;
  if (opts.dryRun) {
    const r = await applyFix(fix, { dryRun: true });
    if (guarded) r.log.push(`(dry run) over SSH this change would be rolled back after ${seconds} s unless confirmed from a new connection`);
    return { ok: true, log: r.log };
  }
  const stale = staleSource(fix);
  if (stale) return { ok: false, log: [`refused: ${stale}`] };
  const id = randomUUID().slice(0, 8);
  const nft = fix.commands.find((c) => c[0] === 'nft');
  let pending: RunFixResult['pending'];
  let rollback;
  const log: string[] = [];
  if (guarded) {
    // Armed before the change, so a session that dies mid-change is still covered.
    const timer = rollbackTimer(id, seconds, {
      systemd: opts.systemd ?? existsSync('/run/systemd/system'),
      node: process.execPath, cli: opts.cliPath ?? process.argv[1] ?? 'ssh-doctor', stateDir: env.SSH_DOCTOR_STATE_DIR,
    });
    const command = timer.command;
    const deadline = new Date(Date.now() + seconds * 1000).toISOString();
    let armed: string | undefined;
    if (timer.detached) {
      const pid = await spawnDetached(command);
      if (pid !== undefined) armed = `pid ${pid}`;
    } else {
      const r = await run(command, { timeoutMs: 15_000 });
      if (r.exitCode === 0) armed = `systemd timer ssh-doctor-rollback-${id}`;
    }
    if (!armed) return { ok: false, log: ['refused: the rollback timer did not start, and a firewall change over SSH is not made without one'] };
    rollback = { deadline, sshConnection: env.SSH_CONNECTION!.trim(), command };
    log.push(`rollback armed (${armed}): $ ${formatCommand(command)}`);
    pending = { deadline, confirm: `ssh-doctor undo --confirm ${id}` };
  }
  const r = await applyFix(fix, {
    journalId: id,
    backups: backupsOf(fix.commands),
    recover: (failedAt) => recoveryFor(fix.commands, failedAt),
    undoAfter: nft ? (stdouts) => {
      const handle = parseNftHandle(stdouts[fix.commands.indexOf(nft)] ?? '');
      return handle === undefined ? undefined : nftUndo(nft, handle);
    } : undefined,
    journal: rollback ? { rollback } : undefined,
    journalAfter: async () => {
      // The files a config fix replaced (`mv TMP FILE`), as it left them.
      const written = fix.commands.filter((c) => c[0] === 'mv' && c[1]?.endsWith(TMP_SUFFIX)).map((c) => c[2]!);
      const results = [];
      for (const path of written) {
        const sha256 = await sha256File(path);
        if (sha256) results.push({ path, sha256 });
      }
      return results.length ? { results } : {};
    },
  });
  log.push(...r.log);
  if (r.ok && pending) {
    log.push(`Over SSH: this change is rolled back at ${pending.deadline} unless you open a NEW ssh connection and run: ${pending.confirm}`);
  }
  return { ok: r.ok, log, journalId: r.journalId, ...(r.ok && pending ? { pending } : {}) };
}
