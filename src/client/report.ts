// The client flow's context as the public report.
import { SCHEMA, appliedField, type Report } from '../report.js';
import type { ClientContext } from '../../flows/client.js';
import { clientVerdict } from './findings.js';

export function toClientReport(ctx: ClientContext, durationMs: number): Report {
  const t = ctx.target;
  return {
    schema: SCHEMA,
    mode: 'client',
    ...(t ? { target: { user: t.user, host: t.host, port: t.port } } : {}),
    verdict: clientVerdict(ctx.findings),
    findings: ctx.findings,
    probes: ctx.probes,
    ...appliedField(ctx.fixOutcomes),
    ...(ctx.input.setAside?.length || ctx.input.command?.length
      ? { setAside: { flags: ctx.input.setAside ?? [], command: ctx.input.command ?? [] } }
      : {}),
    durationMs,
  };
}
