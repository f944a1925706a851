// Facts, findings and probe records → the public Report (mode "server"). Pure.
import {
  SCHEMA,
  appliedField,
  exitCodeFor,
  formatCommand,
  worstSeverity,
  type Finding,
  type FixOutcome,
  type Report,
  type Verdict,
} from '../report.js';
import { SERVER_FINDINGS, type ServerFindingId, type Unchecked } from './findings.js';

/**
 * The verdict when nothing is worse than info and every check ran; otherwise the verdict is an
 * error finding's id, else `checks-incomplete` (a SERVER_FINDINGS id too), else the worst finding's.
 */
export const SERVER_OK = { id: 'server-ok', severity: 'ok' } as const satisfies Omit<Verdict, 'summary'>;

const INCOMPLETE = 'checks-incomplete' satisfies ServerFindingId;

export function serverVerdict(findings: readonly Finding[]): Verdict {
  const sev = worstSeverity(findings);
  const incomplete = findings.find((f) => f.id === INCOMPLETE);
  if (incomplete && sev !== 'error')
    return { id: incomplete.id, severity: incomplete.severity, summary: incomplete.summary };
  const worst = findings.find((f) => f.severity === sev && sev !== 'ok' && sev !== 'info');
  if (!worst) {
    const partial = findings.some((f) => f.id === 'needs-root');
    return {
      ...SERVER_OK,
      summary: partial
        ? 'Nothing found by the checks a normal user can run; the rest need root.'
        : 'Nothing on this server stops a key login.',
    };
  }
  const n = findings.filter((f) => f.severity === 'error').length;
  return {
    id: worst.id,
    severity: sev,
    summary: n > 1 ? `${worst.summary} (and ${n - 1} more problem${n > 2 ? 's' : ''})` : worst.summary,
  };
}

/** The info finding shown when checks were unknown for lack of root. */
export function needsRootFinding(parts: readonly string[], sudo: readonly string[]): Finding {
  return {
    id: 'needs-root' satisfies ServerFindingId,
    severity: SERVER_FINDINGS['needs-root'].severity,
    summary: `Some checks need root (${parts.join(', ')}); rerun with sudo to see them.`,
    evidence: [`rerun: ${formatCommand(sudo)}`],
  };
}

/**
 * Checks that could explain a refusal did not run: which, why, and what would run them (`rerun`:
 * the sudo command, when root would). The verdict then is not "ok" and the exit status is 1.
 * `lostTo`: the --via host whose connection was lost during the checks.
 */
export function checksIncompleteFinding(unchecked: readonly Unchecked[], rerun?: string, lostTo?: string): Finding {
  const root = unchecked.filter((u) => u.needsRoot);
  const other = unchecked.filter((u) => !u.needsRoot);
  const checks = `${unchecked.length === 1 ? 'one check' : `${unchecked.length} checks`} that could explain a refusal did not run (${unchecked.map((u) => u.check).join(', ')}): not known to be ok.`;
  return {
    id: INCOMPLETE,
    severity: SERVER_FINDINGS[INCOMPLETE].severity,
    // Beside an error too: the checks after the loss may have found more.
    summary: lostTo
      ? `The connection to ${lostTo} was lost during the checks: ${checks}`
      : `No error found, but ${checks}`,
    evidence: unchecked.map((u) => `${u.check}: ${u.why}${u.needsRoot ? ' (needs root)' : ''}`),
    next: [
      ...(root.length && rerun ? [`as root, to run ${root.map((u) => u.check).join(', ')}: ${rerun}`] : []),
      ...(other.length && lostTo
        ? [`then ${other.map((u) => u.check).join(', ')}: rerun when ${lostTo} answers again over SSH`]
        : other.length
          ? [
              `then ${other.map((u) => u.check).join(', ')}: install what is missing, or rerun when the command answers (a tool that timed out may answer on a quieter host)`,
            ]
          : []),
    ],
  };
}

/** Exit status 1 also when the verdict is that checks did not run: a script must not read it as ok. */
export function serverExitCode(report: Report): number {
  return report.verdict.id === INCOMPLETE ? 1 : exitCodeFor(report);
}

/**
 * Under --via the checks ran on another host: a local sudo would check this machine instead, so
 * the advice is to run there as root, or to connect as root.
 */
export function needsRootViaFinding(
  parts: readonly string[],
  host: string,
  onHost: readonly string[],
  asRoot: readonly string[],
): Finding {
  return {
    id: 'needs-root' satisfies ServerFindingId,
    severity: SERVER_FINDINGS['needs-root'].severity,
    summary: `Some checks need root on ${host} (${parts.join(', ')}); run ssh-doctor there as root, or connect as root with --via.`,
    evidence: [`on ${host}: ${formatCommand(onHost)}`, `or here: ${formatCommand(asRoot)}`],
  };
}

export function buildServerReport(args: {
  findings: Finding[];
  probes: Report['probes'];
  target: NonNullable<Report['target']>;
  durationMs: number;
  outcomes?: readonly FixOutcome[];
  client?: Report['client'];
}): Report {
  return {
    schema: SCHEMA,
    mode: 'server',
    target: args.target,
    ...(args.client ? { client: args.client } : {}),
    verdict: serverVerdict(args.findings),
    findings: args.findings,
    probes: args.probes,
    ...appliedField(args.outcomes ?? []),
    durationMs: args.durationMs,
  };
}
