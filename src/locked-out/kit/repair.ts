// Findings for a decoded kit, and the repair commands to paste back into the console.
import { inert } from '../../inert.js';
import type { Finding } from '../../report.js';
import { commandText, LEFT_OUT } from '../../shell-quote.js';
import type { ServerFacts } from '../../server/facts.js';
import type { ConfigSource } from '../../server/fixes/sshd-config.js';
import { serverFindings } from '../../server/findings.js';
import { ownershipSteps, proposeFix } from '../../server/fixes/propose.js';

/**
 * The server's findings and fixes. Fixes that edit sshd_config (user-not-allowed, usedns-enabled…)
 * need the files as the kit read them (`sources`); an older kit's block has none, and then those
 * findings come without repair commands.
 */
export function kitFindings(facts: ServerFacts, now = new Date(), sources: readonly ConfigSource[] = []): Finding[] {
  return serverFindings(facts, {
    proposeFix: (id, f) => proposeFix(id, f, sources, now, { remote: true }),
    moreSteps: ownershipSteps,
  });
}

/**
 * One paste-able block: each fix's commands joined with && so a failing step (e.g. sshd -t
 * rejecting an edit) stops the rest of that fix. Comment lines say what each part does. A fix
 * with a value holding control characters (from the pasted block) is left out whole, with a
 * comment: part of a fix could leave the server worse than none.
 */
export function repairScript(findings: readonly Finding[]): string {
  const parts = findings.flatMap((f) => {
    if (!f.fix || f.fix.commands.length === 0) return [];
    const head = `# ${f.id}: ${inert(f.fix.title)}`;
    const lines = f.fix.commands.map(commandText);
    if (lines.some((l) => l === undefined)) return [`${head}\n# ${LEFT_OUT}`];
    return [`${head}\n${lines.join(' && \\\n  ')}`];
  });
  return parts.length ? parts.join('\n') + '\n' : '';
}
