// Applies one fix the user confirmed (or --yes), through src/fixes/apply.ts: in order, stopping
// at the first failure and putting back what that step left half-done, journaled with its undo.
// The fix runs on a Host: this machine, or the --via host over SSH (the journal stays here and
// remembers the host, so `ssh-doctor undo` reverts it there).
// A firewall change that could cut the way in is armed with an automatic rollback first:
// locally when this session is SSH (rollback.ts: confirmed later from a new connection); over
// --via always, and ssh-doctor itself then proves a NEW connection still gets in, or reverts.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { formatCommand, type Command, type Fix } from '../../report.js';
import { applyFix } from '../../fixes/apply.js';
import { applyPathChanges } from './path-changes.js';
import { applyRejoin } from './rejoin.js';
import { appendJournal, confirmationOf, readJournal, rolledBackBy, type JournalEntry } from '../../fixes/journal.js';
import { resultsOf, revertEntry } from '../../fixes/revert.js';
import { run, spawnDetached } from '../../run.js';
import { failure, RULESET_MAX_BYTES } from '../exec.js';
import { localHost, viaName, type Host, type Via } from '../host.js';
import { backupsOf, recoveryFor, sourceOf, staleSource, TMP_SUFFIX } from './config-edit.js';
import { firewallRecovery, nftChainOf, nftUndo, parseNftHandle } from './firewall.js';
import {
  DEFAULT_ROLLBACK_SECONDS,
  needsRollbackGuard,
  nftTaggedUndoScript,
  remoteTimerFiles,
  remoteTimerScript,
  remoteTimerStart,
  remoteTimerWrite,
  rollbackTimer,
  taggedHandles,
  undoScript,
} from './rollback.js';
import { currentSshSession, sessionFromEnv, type SshSession } from './ssh-session.js';

export interface RunFixOptions {
  dryRun?: boolean;
  /** Where the fix runs (default: this machine). */
  host?: Host;
  /** A NEW connection to host.via: the proof that a firewall change left the way in open. */
  reconnect?: () => Promise<Host & { close(): void }>;
  /** The process environment, from the command's io: SSH_CONNECTION, SSH_DOCTOR_STATE_DIR. */
  env: Readonly<Record<string, string | undefined>>;
  /** The journal file (journalPath, from the command's io). */
  journalFile: string;
  /** Judge "running over SSH" by env alone, without looking for our sshd ancestor (tests). */
  envOnly?: boolean;
  rollbackSeconds?: number;
  /** Whether systemd runs the host (default: /run/systemd/system exists there). */
  systemd?: boolean;
  /** This very program ([node, script], the command's io.self): what the local rollback timer runs. */
  self: readonly [string, string];
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

export async function runFix(fix: Fix, opts: RunFixOptions): Promise<RunFixResult> {
  const host = opts.host ?? localHost;
  const env = opts.env;
  const session = host.via ? undefined : opts.envOnly ? sessionFromEnv(env) : await currentSshSession(env);
  const guarded = host.via ? fix.id === 'firewall-allow-ssh' : needsRollbackGuard(fix, session);
  const seconds = opts.rollbackSeconds ?? DEFAULT_ROLLBACK_SECONDS;
  if (opts.dryRun) {
    const r = await applyFix(fix, { dryRun: true, journalFile: opts.journalFile });
    if (guarded) {
      r.log.push(
        host.via
          ? `(dry run) this change would be rolled back after ${seconds} s unless a new SSH connection to ${viaName(host.via)} gets through`
          : `(dry run) over SSH this change would be rolled back after ${seconds} s unless confirmed from a new connection`,
      );
    }
    return { ok: true, log: r.log };
  }
  if (fix.pathChanges) {
    if (host.via)
      return { ok: false, log: ['refused: this permission fix was planned for this machine, not for the --via host'] };
    const r = await applyPathChanges(fix, fix.pathChanges, { journalFile: opts.journalFile });
    return { ok: r.ok, log: r.log, journalId: r.journalId };
  }
  if (fix.rewrite) {
    if (host.via)
      return { ok: false, log: ['refused: this rejoin was planned for this machine, not for the --via host'] };
    const r = await applyRejoin(fix, fix.rewrite, { journalFile: opts.journalFile });
    return { ok: r.ok, log: r.log, journalId: r.journalId };
  }
  const stale = await staleSource(fix, host.readFile);
  if (stale) return { ok: false, log: [`refused: ${stale}`] };
  const id = randomUUID().slice(0, 8);
  const nft = fix.commands.find((c) => c[0] === 'nft');
  const log: string[] = [];
  let armed: Extract<Armed, { rollback: unknown }> | undefined;
  if (guarded) {
    // Armed before the change, so a session that dies mid-change is still covered.
    const a = host.via
      ? await armOnVia(host, host.via, id, fix, seconds, opts.systemd)
      : await armHere(id, seconds, opts, env, session!);
    if ('refused' in a) return { ok: false, log: [`refused: ${a.refused}`] };
    armed = a;
    log.push(a.log);
  }
  const written = fix.commands.filter((c) => c[0] === 'mv' && c[1]?.endsWith(TMP_SUFFIX)).map((c) => c[2]!);
  const r = await applyFix(fix, {
    journalFile: opts.journalFile,
    exec: host.exec,
    journalId: id,
    backups: backupsOf(fix.commands),
    recover: (failedAt) => [...recoveryFor(fix.commands, failedAt), ...firewallRecovery(fix, failedAt)],
    undoAfter: nft
      ? (stdouts) => {
          const handle = parseNftHandle(stdouts[fix.commands.indexOf(nft)] ?? '');
          return handle === undefined ? undefined : nftUndo(nft, handle);
        }
      : undefined,
    journal: {
      ...(armed ? { rollback: armed.rollback } : {}),
      ...(host.via ? { via: host.via } : {}),
      ...originalOf(fix),
      ...(nft ? await nftTaggedBefore(host, nft) : {}),
    },
    // The files a config fix replaced (`mv TMP FILE`), as it left them.
    journalAfter: () => resultsOf(written, host),
  });
  log.push(...r.log);
  if (!armed) {
    // Over --via the chmods ran by path, as the user: check that they landed where sshd looks.
    const verified = host.via && r.ok ? await verifyModes(host, fix.commands) : undefined;
    if (verified) log.push(...verified.log);
    return { ok: r.ok && verified?.ok !== false, log, journalId: r.journalId };
  }
  if (host.via) {
    const settled = await settleOnVia(host, host.via, id, r.ok, opts, armed.rollback.deadline);
    return { ok: r.ok && settled.kept, log: [...log, ...settled.log], journalId: r.journalId };
  }
  const pending = { deadline: armed.rollback.deadline, confirm: `ssh-doctor undo --confirm ${id}` };
  if (!r.ok) return { ok: false, log, journalId: r.journalId };
  log.push(
    `Over SSH: this change is rolled back at ${pending.deadline} unless you open a NEW ssh connection and run: ${pending.confirm}`,
  );
  return { ok: true, log, journalId: r.journalId, pending };
}

/** This machine, over SSH: `ssh-doctor undo --rollback-after`, confirmed later by the user. */
async function armHere(
  id: string,
  seconds: number,
  opts: RunFixOptions,
  env: RunFixOptions['env'],
  session: SshSession,
): Promise<Armed> {
  const timer = rollbackTimer(id, seconds, {
    systemd: opts.systemd ?? existsSync('/run/systemd/system'),
    node: opts.self[0],
    cli: opts.self[1],
    stateDir: env.SSH_DOCTOR_STATE_DIR,
  });
  let how: string | undefined;
  if (timer.detached) {
    const pid = await spawnDetached(timer.command);
    if (pid !== undefined) how = `pid ${pid}`;
  } else if ((await run(timer.command, { timeoutMs: 15_000 })).exitCode === 0)
    how = `systemd timer ssh-doctor-rollback-${id}`;
  if (!how)
    return { refused: 'the rollback timer did not start, and a firewall change over SSH is not made without one' };
  return {
    rollback: {
      deadline: deadlineIn(seconds),
      command: timer.command,
      ...(session.connection ? { sshConnection: session.connection } : {}),
      ...(session.sshdPid ? { sshdPid: session.sshdPid } : {}),
    },
    log: `rollback armed (${how}): $ ${formatCommand(timer.command)}`,
  };
}

/** The --via host: a plain sh timer there (ssh-doctor is not installed on it), see rollback.ts. */
async function armOnVia(
  host: Host,
  via: Via,
  id: string,
  fix: Fix,
  seconds: number,
  systemd?: boolean,
): Promise<Armed> {
  const undo = await undoOnVia(host, fix);
  if (typeof undo !== 'string')
    return {
      refused: `over --via this change needs an automatic rollback, and ${undo.why}; run ssh-doctor server on ${via.host} itself`,
    };
  const failed = (r: { exitCode?: number; stderr: string }) => r.stderr.trim().split('\n')[0] || `exit ${r.exitCode}`;
  const write = await host.exec(remoteTimerWrite(id), { input: remoteTimerScript(id, undo) });
  if (write.exitCode !== 0)
    return {
      refused: `the rollback timer could not be written to /run on ${via.host} (${failed(write)}), and a firewall change is not made there without one`,
    };
  const onSystemd = systemd ?? (await host.exec(['test', '-d', '/run/systemd/system'])).exitCode === 0;
  const command = remoteTimerStart(id, seconds, onSystemd);
  const r = await host.exec(command, { timeoutMs: 15_000 });
  if (r.exitCode !== 0) {
    const { script, token } = remoteTimerFiles(id);
    await host.exec(['rm', '-f', script, token]);
    return {
      refused: `the rollback timer did not start on ${via.host} (${failed(r)}), and a firewall change is not made there without one`,
    };
  }
  return {
    rollback: { deadline: deadlineIn(seconds), command },
    log: `rollback armed on ${via.host} (${remoteTimerFiles(id).script}): $ ${formatCommand(command)}`,
  };
}

/**
 * The timer's undo as sh. nft names the new rule's handle only once it is added, so for nft the
 * timer deletes the tagged rules of that chain that are not there now.
 */
async function undoOnVia(host: Host, fix: Fix): Promise<string | { why: string }> {
  if (typeof fix.undo !== 'string') return undoScript(fix.undo);
  const nft = fix.commands.find((c) => c[0] === 'nft');
  const at = nft ? nftChainOf(nft) : undefined;
  if (!at) return { why: `its undo is only known once made (${fix.undo})` };
  const cmd = ['nft', '-a', 'list', 'chain', at.family, at.table, at.chain];
  const listing = await host.exec(cmd, { maxBytes: RULESET_MAX_BYTES });
  const why = failure(listing, cmd);
  if (why || listing.exitCode !== 0)
    return {
      why: `nft could not list ${at.family} ${at.table} ${at.chain} (${why ?? (listing.stderr.trim() || `exit ${listing.exitCode}`)})`,
    };
  return nftTaggedUndoScript(at.family, at.table, at.chain, taggedHandles(listing.stdout));
}

/**
 * After a firewall change on the --via host: a NEW connection that gets in keeps it (as the user
 * would confirm by hand); otherwise it is reverted now through this connection, or failing that
 * by the timer. Removing the timer's token is the claim: only one side ever acts.
 */
async function settleOnVia(
  host: Host,
  via: Via,
  id: string,
  applied: boolean,
  { reconnect, journalFile }: RunFixOptions,
  deadline: string,
): Promise<{ kept: boolean; log: string[] }> {
  const where = viaName(via);
  const claim = async (on: Host) => (await on.exec(['rm', remoteTimerFiles(id).token])).exitCode === 0;
  // A change that did not apply was put back by its recovery; the timer must not undo it again.
  if (!applied)
    return {
      kept: false,
      log: (await claim(host))
        ? []
        : [`The rollback timer on ${where} may still run this change's undo at ${deadline}.`],
    };
  const entry = (await readJournal(journalFile)).find((e) => e.id === id && !e.undoes)!;
  let why = 'no way to open one';
  if (reconnect) {
    try {
      const fresh = await reconnect();
      try {
        if (await claim(fresh)) {
          await appendJournal(confirmationOf(entry), journalFile);
          return {
            kept: true,
            log: [`A new SSH connection to ${where} got in after the change: kept, and its rollback timer disarmed.`],
          };
        }
      } finally {
        fresh.close();
      }
      await appendJournal(rolledBackBy(entry, `its timer on ${where}`), journalFile);
      return {
        kept: false,
        log: [
          `A new SSH connection to ${where} got in, but only after its rollback timer had started reverting the change (raise --rollback-seconds).`,
        ],
      };
    } catch (e) {
      why = e instanceof Error ? e.message : String(e);
    }
  }
  // Reverted first, claimed after: if this session is gone midway, the timer is still armed. Were
  // both to run, the second undo finds nothing to remove and stops at its first step.
  const back = await revertEntry(entry, { as: 'rolled-back', host, force: true, journalFile });
  if (back.ok) {
    await claim(host);
    return {
      kept: false,
      log: [
        `A new SSH connection to ${where} failed (${why}), so the change was rolled back:`,
        ...back.log.map((l) => `  ${l}`),
      ],
    };
  }
  return {
    kept: false,
    log: [
      `A new SSH connection to ${where} failed (${why}), and reverting through this one failed too: the timer on ${where} reverts the change at ${deadline}.`,
    ],
  };
}

/** Each `chmod MODE PATH` of a fix, read back with stat (without following a final symlink). */
async function verifyModes(
  host: Host,
  commands: readonly Command[],
): Promise<{ ok: boolean; log: string[] } | undefined> {
  const chmods = commands.map((c) => c.slice(c.indexOf('chmod'))).filter((c) => c[0] === 'chmod' && c.length === 3);
  if (!chmods.length) return undefined;
  const log: string[] = [];
  let ok = true;
  for (const [, mode, path] of chmods) {
    const r = await host.exec(['stat', '-c', '%a %F', '--', path!]);
    const [got, ...type] = r.stdout.trim().split(' ');
    const right =
      r.exitCode === 0 && parseInt(got ?? '', 8) === parseInt(mode!, 8) && type.join(' ') !== 'symbolic link';
    ok &&= right;
    log.push(
      right
        ? `verified: ${path} is ${mode}`
        : `not verified: ${path} is ${r.stdout.trim() || r.stderr.trim() || 'unreadable'}, not ${mode}`,
    );
  }
  return { ok, log };
}

/** The tagged rules already in the chain an nft fix adds to (see JournalEntry.nftTagged). */
async function nftTaggedBefore(host: Host, nft: Command): Promise<Pick<JournalEntry, 'nftTagged'>> {
  const at = nftChainOf(nft);
  const listing = at && (await host.exec(['nft', '-a', 'list', 'chain', at.family, at.table, at.chain]));
  return listing && listing.exitCode === 0 ? { nftTagged: taggedHandles(listing.stdout) } : {};
}

/** A config edit's file as diagnosed: after a crash, undo tells from it whether the edit happened. */
function originalOf(fix: Fix): Pick<JournalEntry, 'original'> {
  const src = sourceOf(fix);
  return src ? { original: { path: src.file, sha256: createHash('sha256').update(src.text).digest('hex') } } : {};
}

const deadlineIn = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
