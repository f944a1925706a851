// The findings every provider check can produce, worded once.
import type { Command, Finding, ProbeRecord } from '../../report.js';
import type { CliName } from '../providers.js';
import { admits, describeRule, type IngressRule } from './cidr.js';
import type { CliOutcome, CloudCheck } from './types.js';

export function probe(id: string, o: Pick<CliOutcome, 'ms'> & { ok: boolean }, detail: string): ProbeRecord {
  return { id, status: o.ok ? 'ok' : 'unknown', durationMs: o.ms, detail };
}

/** The CLI could not answer: one sentence, then the console steps take over. */
export function fallback(cli: CliName, o: Extract<CliOutcome, { ok: false }>, probes: ProbeRecord[] = []): CloudCheck {
  const id =
    o.status === 'missing'
      ? 'cloud-cli-missing'
      : o.status === 'not-logged-in'
        ? 'cloud-cli-not-logged-in'
        : 'cloud-check-failed';
  const sentence =
    o.status === 'missing'
      ? `The ${cli} command is not installed here, so here are the console steps instead.`
      : o.status === 'not-logged-in'
        ? `${cli} is installed but not logged in, so here are the console steps instead.`
        : `The ${cli} check failed (${o.detail}), so here are the console steps instead.`;
  return {
    cli,
    status: o.status,
    detail: sentence,
    findings: [{ id, severity: o.status === 'error' ? 'warning' : 'info', summary: sentence, evidence: [o.detail] }],
    probes: [...probes, { id: `${cli}-cli`, status: 'unknown', durationMs: o.ms, detail: o.detail }],
  };
}

export function notRunningFinding(state: string, start: Command): Finding {
  return {
    id: 'cloud-instance-not-running',
    severity: 'error',
    summary: `The instance is ${state}, not running: nothing can answer on the SSH port.`,
    evidence: [`instance state: ${state}`],
    fix: {
      id: 'cloud-start-instance',
      title: 'Start the instance',
      commands: [start],
      risk: 'Starts billing; a public address that is not reserved may change.',
      undo: 'Stop it again from the console or CLI.',
    },
  };
}

/** Decide with the provider's rules; when closed, propose opening the port to this address only. */
export function firewallFinding(
  layer: string,
  rules: readonly IngressRule[],
  myIp: string,
  port: number,
  open: Command | undefined,
  undo: Command[] | string,
): { finding?: Finding; evidence: string } {
  const a = admits(rules, myIp, port);
  if (a.admitted) return { evidence: `${layer} admits ${myIp} on tcp/${port} (${describeRule(a.rule!)})` };
  const why = a.rule ? `denied by ${describeRule(a.rule)}` : `no rule admits ${myIp} on tcp/${port}`;
  const sshRules = rules.filter(
    (r) => r.action === 'allow' && (r.ports.length === 0 || r.ports.some(([x, y]) => port >= x && port <= y)),
  );
  return {
    evidence: `${layer}: ${why}`,
    finding: {
      id: 'cloud-firewall-blocks-ssh',
      severity: 'error',
      summary: `The ${layer} does not let ${myIp} reach port ${port}.`,
      evidence: [why, ...sshRules.map((r) => `rule for the port with other sources: ${describeRule(r)}`)],
      fix: open && {
        id: 'cloud-allow-my-ip',
        title: `Allow tcp/${port} from ${myIp} only`,
        commands: [open],
        risk: `Opens port ${port} to this one address; nothing else changes.`,
        undo,
      },
    },
  };
}

export function serialFinding(
  what: string,
  enable: Command | undefined,
  risk: string,
  undo: Command[] | string,
): Finding {
  return {
    id: 'cloud-serial-console-disabled',
    severity: 'warning',
    summary: `${what} is disabled, so the serial console route will not work until it is enabled.`,
    evidence: [what + ': disabled'],
    fix: enable && { id: 'cloud-enable-serial-console', title: `Enable ${what}`, commands: [enable], risk, undo },
  };
}

export function okCheck(cli: CliName, findings: Finding[], probes: ProbeRecord[]): CloudCheck {
  const problems = findings.filter((f) => f.severity === 'error');
  const detail = problems.length
    ? problems.map((f) => f.summary).join(' ')
    : `${cli}: the instance runs and its cloud firewall admits you, so the cause is inside the server.`;
  return { cli, status: 'ok', detail, findings, probes };
}
