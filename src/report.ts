// The one report model behind the Ink UI, --json and the text report.
// Ids and field names are a public contract (README "Report contract"): add, never rename.
import type { Route } from './locked-out/providers.js';
import { inert } from './inert.js';
import { commandText, quoteArg } from './shell-quote.js';

export type Severity = 'ok' | 'info' | 'warning' | 'error';

/** A command is an argument vector, never a shell string. */
export type Command = readonly string[];

export interface Fix {
  id: string;
  title: string;
  commands: Command[];
  risk: string;
  undo: Command[] | string;
  /**
   * A permission fix on paths users control: `commands` show it as chmod/chown, but on this
   * machine it is made through descriptors opened without following users' symlinks and checked
   * first (src/server/fixes/path-changes.ts), never by running those commands on the path.
   */
  pathChanges?: PathChange[];
  /**
   * A key line rejoined in a user's authorized_keys: `commands` show it as cp + sed, but on this
   * machine it is made through descriptors (src/server/fixes/rejoin.ts), never by path.
   */
  rewrite?: KeyRejoin;
}

/** Lines `line` and `line + 1` of `path` (as diagnosed, trimmed) become one; `backup` keeps the file. */
export interface KeyRejoin {
  path: string;
  line: number;
  first: string;
  second: string;
  backup: string;
  /** The account whose file it is: the file must be theirs or root's. */
  user: { uid: number; gid: number; name: string };
  /** The file as diagnosed: another object there is refused. */
  was?: { dev: number; ino: number };
}

/** One object's ownership/mode change, and what it may be before ssh-doctor touches it. */
export interface PathChange {
  path: string;
  type: 'file' | 'dir';
  /** New permission bits. */
  mode?: number;
  /** New owner. */
  owner?: { uid: number; gid: number };
  /** The account whose login this is for: the object must be theirs or root's. */
  user: { uid: number; gid: number; name: string };
  /** The object as diagnosed (device, inode, mode, owner): another object there is refused. */
  was?: ObjectState;
}

export interface ObjectState {
  dev: number;
  ino: number;
  /** Birth time (ms), where the filesystem records it: a reused inode number is another file. */
  born?: number;
  mode: number;
  uid: number;
  gid: number;
}

export interface Finding {
  id: string;
  severity: Severity;
  summary: string;
  evidence: string[];
  fix?: Fix;
  /** What a person does next when no fix can be applied from here (e.g. on the server). */
  next?: string[];
}

export type ProbeStatus = 'ok' | 'fail' | 'unknown' | 'skipped';

export interface ProbeRecord {
  id: string;
  status: ProbeStatus;
  durationMs: number;
  detail: string;
}

export interface Verdict {
  id: string;
  severity: Severity;
  summary: string;
}

export type Mode = 'client' | 'server' | 'locked-out';

export interface Target {
  user: string;
  host: string;
  port: number;
}

/** A fix that ran in this session (with --yes or after "yes"). */
export interface AppliedFix {
  fixId: string;
  ok: boolean;
  log: string[];
}

/**
 * What became of one offered fix, in every mode's flow. `not-resolved`: it ran, but a re-probe
 * still finds what it was for; `declined` and `dry-run`: it did not run.
 */
export interface FixOutcome {
  fixId: string;
  /** The finding it was for, where the flow re-probes for it (server). */
  findingId?: string;
  status: 'applied' | 'failed' | 'not-resolved' | 'declined' | 'dry-run';
  log: string[];
  /** What a local re-check says after the change. */
  verified?: string;
}

/** The report's `applied`: fixes that ran (declined and dry-run ones did not); one left unresolved is not ok. */
export function appliedFixes(outcomes: readonly FixOutcome[]): AppliedFix[] {
  return outcomes.flatMap((o): AppliedFix[] => {
    switch (o.status) {
      case 'applied':
        return [{ fixId: o.fixId, ok: true, log: o.log }];
      case 'failed':
        return [{ fixId: o.fixId, ok: false, log: o.log }];
      case 'not-resolved':
        return [
          { fixId: o.fixId, ok: false, log: [...o.log, `${o.findingId ?? o.fixId} is still there after the fix`] },
        ];
      default:
        return [];
    }
  });
}

/** `applied` only when a fix ran: a report without one has no `applied` key at all. */
export function appliedField(outcomes: readonly FixOutcome[]): Pick<Report, 'applied'> {
  const applied = appliedFixes(outcomes);
  return applied.length ? { applied } : {};
}

export interface Report {
  schema: 'ssh-doctor/report@1';
  mode: Mode;
  target?: Target;
  /**
   * server: the locked-out person's address as assumed for from="…", USER@HOST and Match
   * Address, and why (--from, the user's last refusal in sshd's log, or none known).
   */
  client?: { address?: string; source: 'option' | 'log' | 'none'; why: string };
  verdict: Verdict;
  findings: Finding[];
  probes: ProbeRecord[];
  applied?: AppliedFix[];
  /** Client: the ssh flags (with their values) and the remote command the diagnosis did not use. */
  setAside?: { flags: string[]; command: string[] };
  /** locked-out: the ways into the provider's machine that bypass SSH, as shown on screen. */
  routes?: Route[];
  durationMs: number;
}

export const SCHEMA = 'ssh-doctor/report@1' as const;

const rank: Record<Severity, number> = { ok: 0, info: 1, warning: 2, error: 3 };

export function worstSeverity(findings: readonly Finding[]): Severity {
  return findings.reduce<Severity>((w, f) => (rank[f.severity] > rank[w] ? f.severity : w), 'ok');
}

/** Exit 0 when nothing error-level was found, 1 otherwise (2 is reserved for usage errors). */
export function exitCodeFor(report: Report): number {
  return report.verdict.severity === 'error' || worstSeverity(report.findings) === 'error' ? 1 : 0;
}

/** File permission bits as people write them: 0600, 0755, 4755. */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/**
 * How a command is shown to a person: as text to paste, or, when a value holds control
 * characters, escaped behind a "#" so that pasting it runs nothing.
 */
export function formatCommand(cmd: Command): string {
  return (
    commandText(cmd) ??
    `# not for pasting, a value holds control characters (shown escaped): ${cmd.map((a, i) => quoteArg(inert(a), i === 0)).join(' ')}`
  );
}

export function formatUndo(undo: Fix['undo']): string[] {
  return typeof undo === 'string' ? [undo] : undo.map(formatCommand);
}

/** One line naming what the diagnosis left out of the user's ssh command line. */
export function setAsideLine(a: NonNullable<Report['setAside']>): string {
  const parts = [
    ...(a.flags.length ? [a.flags.join(' ')] : []),
    ...(a.command.length ? [`the remote command ${JSON.stringify(a.command.join(' '))}`] : []),
  ];
  return `Set aside (not used by the diagnosis): ${parts.join('; ')}`;
}

/** Plain-text rendering of a report, for non-TTY output without --json; every line inert. */
export function renderText(report: Report): string {
  const lines: string[] = [];
  const t = report.target;
  if (t) lines.push(`ssh-doctor ${report.mode}: ${t.user}@${t.host}:${t.port}`);
  if (report.setAside) lines.push(setAsideLine(report.setAside));
  const c = report.client;
  if (c) lines.push(`  client address: ${c.address ?? 'unknown'} (${c.why})`);
  for (const p of report.probes) {
    lines.push(`  [${p.status.padEnd(7)}] ${p.id.padEnd(12)} ${String(p.durationMs).padStart(5)} ms  ${p.detail}`);
  }
  lines.push('', `Verdict: ${report.verdict.id} (${report.verdict.severity}) — ${report.verdict.summary}`);
  for (const f of report.findings) {
    lines.push('', `${f.severity.toUpperCase()} ${f.id}: ${f.summary}`);
    for (const e of f.evidence) lines.push(`    ${e}`);
    for (const n of f.next ?? []) lines.push(`  → ${n}`);
    if (f.fix) {
      lines.push(`  Fix: ${f.fix.title} (risk: ${f.fix.risk})`);
      for (const c of f.fix.commands) lines.push(`    $ ${formatCommand(c)}`);
      for (const u of formatUndo(f.fix.undo)) lines.push(`    undo: ${u}`);
    }
  }
  lines.push('', `Done in ${report.durationMs} ms.`);
  return lines.map(inert).join('\n') + '\n';
}
