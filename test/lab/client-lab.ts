// What the client lab scenarios share: a fresh lab per test (closed after it) and the report's ids
// and evidence as the assertions read them.
import { afterEach } from 'vitest';
import { startLab, type Lab } from './lab.js';

/** `lab(setup)` starts a lab and runs `setup` in it; every lab started in a test is closed after it. */
export function labPerTest(): (setup: string) => Promise<Lab> {
  const labs: Lab[] = [];
  afterEach(async () => {
    await Promise.all(labs.splice(0).map((l) => l.close()));
  });
  return async (setup) => {
    const l = await startLab();
    labs.push(l);
    const r = await l.sh(setup);
    if (r.exitCode !== 0) throw new Error(`setup failed: ${r.stderr}`);
    return l;
  };
}

/** A background process inside the lab that outlives the setup shell. */
export const background = (cmd: string) => `setsid ${cmd} >/dev/null 2>&1 < /dev/null &\nsleep 0.3\n`;
export const ids = (report: any) => report.findings.map((f: any) => f.id);
export const evidence = (report: any) => report.findings.flatMap((f: any) => f.evidence).join('\n');
