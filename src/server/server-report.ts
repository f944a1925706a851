// Facts, findings and probe records → the public Report (mode "server"). Pure.
import { SCHEMA, formatCommand, worstSeverity, type Finding, type Report, type Verdict } from '../report.js';

export function serverVerdict(findings: readonly Finding[]): Verdict {
  const sev = worstSeverity(findings);
  const worst = findings.find((f) => f.severity === sev && sev !== 'ok' && sev !== 'info');
  if (!worst) {
    const partial = findings.some((f) => f.id === 'needs-root');
    return { id: 'server-ok', severity: 'ok', summary: partial ? 'Nothing found by the checks a normal user can run; the rest need root.' : 'Nothing on this server stops a key login.' };
  }
  const n = findings.filter((f) => f.severity === 'error').length;
  return { id: worst.id, severity: sev, summary: n > 1 ? `${worst.summary} (and ${n - 1} more problem${n > 2 ? 's' : ''})` : worst.summary };
}

/** The info finding shown when checks were unknown for lack of root. */
export function needsRootFinding(parts: readonly string[], sudo: readonly string[]): Finding {
  return {
    id: 'needs-root',
    severity: 'info',
    summary: `Some checks need root (${parts.join(', ')}); rerun with sudo to see them.`,
    evidence: [`rerun: ${formatCommand(sudo)}`],
  };
}

export function buildServerReport(args: {
  findings: Finding[];
  probes: Report['probes'];
  target: NonNullable<Report['target']>;
  durationMs: number;
}): Report {
  return {
    schema: SCHEMA,
    mode: 'server',
    target: args.target,
    verdict: serverVerdict(args.findings),
    findings: args.findings,
    probes: args.probes,
    durationMs: args.durationMs,
  };
}
