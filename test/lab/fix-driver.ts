// Stand-in for `ssh-doctor server --json --yes` while that command is being written: inside the
// lab it collects the real facts, draws the findings with proposeFix attached, and applies the
// fixes for the finding ids given (or all with a fix), printing one JSON object.
// Usage: node fix-driver.mjs USER PORT [FINDING_ID,...] [--dry-run]   (LAB_BETWEEN: a bash script
//        run after diagnosis, before the fixes)
//        node fix-driver.mjs --edit FILE LINE TEXT   (a config edit that may be refused)
import { execFileSync } from 'node:child_process';
import { editCommands } from '../../src/server/fixes/config-edit.js';
import { collectFacts } from '../../src/server/collect.js';
import { localExec } from '../../src/server/exec.js';
import { readConfigSources } from '../../src/server/fixes/config-sources.js';
import { localHost } from '../../src/server/host.js';
import { serverFindings } from '../../src/server/findings.js';
import { proposeFix } from '../../src/server/fixes/propose.js';
import { runFix } from '../../src/server/fixes/run-fixes.js';
import { journalPath } from '../../src/fixes/journal.js';

if (process.argv[2] === '--edit') {
  const [file, line, text] = process.argv.slice(3) as [string, string, string];
  const e = editCommands(
    { file, isMain: file === '/etc/ssh/sshd_config', changes: [{ line: Number(line), action: 'replace', text }] },
    '/usr/sbin/sshd',
    undefined,
    new Date(),
  );
  const fix = { id: 'lab-edit', title: `set ${text}`, commands: e.commands, risk: '', undo: e.undo };
  process.stdout.write(
    JSON.stringify({
      findings: [],
      applied: [
        {
          finding: 'lab-edit',
          fix,
          result: await runFix(fix, {
            env: process.env,
            self: [process.execPath, process.env.LAB_CLI ?? process.argv[1]!],
            journalFile: journalPath(process.env, process.getuid?.()),
          }),
        },
      ],
    }) + '\n',
  );
  process.exit(0);
}
const [user, port, only, flag] = process.argv.slice(2);
const { facts, probes } = await collectFacts(localExec, { user: user!, port: Number(port) });
const sources = await readConfigSources(localHost);
const findings = serverFindings(facts, { proposeFix: (id, f) => proposeFix(id, f, sources) });
const wanted = only ? new Set(only.split(',')) : undefined;
// What a hostile user does while the person reads the prompt: between diagnosis and the fix.
if (process.env.LAB_BETWEEN)
  execFileSync('bash', ['-euc', process.env.LAB_BETWEEN], { stdio: ['ignore', 'ignore', 'inherit'] });
const applied = [];
for (const f of findings) {
  if (!f.fix || (wanted && !wanted.has(f.id))) continue;
  const rollbackSeconds = process.env.LAB_ROLLBACK_SECONDS ? Number(process.env.LAB_ROLLBACK_SECONDS) : undefined;
  const result = await runFix(f.fix, {
    dryRun: flag === '--dry-run',
    rollbackSeconds,
    env: process.env,
    self: [process.execPath, process.env.LAB_CLI ?? process.argv[1]!],
    journalFile: journalPath(process.env, process.getuid?.()),
  });
  applied.push({ finding: f.id, fix: f.fix, result });
}
process.stdout.write(JSON.stringify({ findings, applied, probes }, null, 2) + '\n');
