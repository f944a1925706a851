// Facts, findings and probe records → the public Report (mode "server"). Pure.
import {
  SCHEMA,
  formatCommand,
  worstSeverity,
  type AppliedFix,
  type Finding,
  type Report,
  type Verdict,
} from '../report.js';
import type { FixOutcome } from '../../flows/server.js';
import { SERVER_FINDINGS, type ServerFindingId } from './findings.js';

/** The verdict when nothing is worse than info; otherwise the verdict is the worst finding's id. */
export const SERVER_OK = { id: 'server-ok', severity: 'ok' } as const satisfies Omit<Verdict, 'summary'>;

export function serverVerdict(findings: readonly Finding[]): Verdict {
  const sev = worstSeverity(findings);
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

/** Fixes that ran (declined and dry-run ones did not): a fix that ran but left its finding in place is not ok. */
export function appliedFixes(outcomes: readonly FixOutcome[]): AppliedFix[] {
  return outcomes.flatMap((o): AppliedFix[] =>
    o.status === 'applied'
      ? [{ fixId: o.fixId, ok: true, log: o.log }]
      : o.status === 'failed'
        ? [{ fixId: o.fixId, ok: false, log: o.log }]
        : o.status === 'not-resolved'
          ? [{ fixId: o.fixId, ok: false, log: [...o.log, `${o.findingId} is still there after the fix`] }]
          : [],
  );
}

export function buildServerReport(args: {
  findings: Finding[];
  probes: Report['probes'];
  target: NonNullable<Report['target']>;
  durationMs: number;
  outcomes?: readonly FixOutcome[];
  client?: Report['client'];
}): Report {
  const applied = appliedFixes(args.outcomes ?? []);
  return {
    schema: SCHEMA,
    mode: 'server',
    target: args.target,
    ...(args.client ? { client: args.client } : {}),
    verdict: serverVerdict(args.findings),
    findings: args.findings,
    probes: args.probes,
    ...(applied.length ? { applied } : {}),
    durationMs: args.durationMs,
  };
}
