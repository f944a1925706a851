// Shared by the fix-* lab suites: bundle the fix driver once, log in with the real ssh client.
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, REPO, type Lab } from './lab.js';

let bundled: Promise<string> | undefined;

/** esbuild bundle of test/lab/fix-driver.ts, runnable with node inside the lab. */
export function driverBundle(): Promise<string> {
  bundled ??= (async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ssh-doctor-fix-driver-')), 'fix-driver.mjs');
    await build({
      entryPoints: [join(REPO, 'test/lab/fix-driver.ts')],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      // As in scripts/build.mjs: ssh2 (reached by undo over --via) falls back to pure JS without them.
      external: ['*.node', 'cpu-features'],
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    return out;
  })();
  return bundled;
}

export interface DriverOutput {
  findings: { id: string; fix?: { id: string; commands: string[][]; undo: unknown } }[];
  applied: {
    finding: string;
    fix: { id: string; commands: string[][] };
    result: { ok: boolean; log: string[]; journalId?: string; pending?: { deadline: string; confirm: string } };
  }[];
}

export const STATE = { SSH_DOCTOR_STATE_DIR: '/root/.ssh-doctor-state' };

export function fixInLab(
  lab: Lab,
  port: number,
  findingIds: string[],
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<DriverOutput> {
  return driver(lab, ['alice', String(port), findingIds.join(','), ...extra], env);
}

export async function driver(lab: Lab, args: string[], env: Record<string, string> = {}): Promise<DriverOutput> {
  const r = await lab.exec(['node', await driverBundle(), ...args], {
    timeoutMs: 60_000,
    env: { ...STATE, LAB_CLI: CLI, ...env },
  });
  try {
    return JSON.parse(r.stdout) as DriverOutput;
  } catch {
    throw new Error(`fix driver gave no JSON (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
  }
}

export function login(lab: Lab, port: number) {
  return lab.exec(
    [
      'ssh',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=accept-new',
      '-o',
      'ConnectTimeout=5',
      '-p',
      String(port),
      'alice@127.0.0.1',
      'id',
      '-un',
    ],
    { timeoutMs: 20_000 },
  );
}
