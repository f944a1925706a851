// Findings for a decoded kit, and the repair commands to paste back into the console.
import { formatCommand, type Finding } from '../../report.js';
import type { ServerFacts } from '../../server/facts.js';
import { serverFindings } from '../../server/findings.js';
import { proposeFix } from '../../server/fixes/propose.js';

/**
 * The server's findings and fixes. The kit collects `sshd -T` but not the sshd_config files, so
 * fixes that edit them are not proposed (pubkey-auth-disabled, usedns-enabled, user-not-allowed,
 * sshd-port-mismatch, sshd-listen-address): those findings come without repair commands.
 */
export function kitFindings(facts: ServerFacts, now = new Date()): Finding[] {
  return serverFindings(facts, { proposeFix: (id, f) => proposeFix(id, f, [], now, { remote: true }) });
}

/**
 * One paste-able block: each fix's commands joined with && so a failing step (e.g. sshd -t
 * rejecting an edit) stops the rest of that fix. Comment lines say what each part does.
 */
export function repairScript(findings: readonly Finding[]): string {
  const parts = findings.flatMap((f) => {
    if (!f.fix || f.fix.commands.length === 0) return [];
    const body = f.fix.commands.map(formatCommand).join(' && \\\n  ');
    return [`# ${f.id}: ${f.fix.title.replace(/\n/g, ' ')}\n${body}`];
  });
  return parts.length ? parts.join('\n') + '\n' : '';
}
