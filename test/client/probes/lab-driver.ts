// Shared by the client-probe lab tests: bundles driver.ts once and runs a probe in the lab.
import { build } from 'esbuild';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO, type Lab } from '../../lab/lab.js';

const OUT = join(REPO, 'node_modules/.cache/ssh-doctor-client-probes.mjs');

export async function buildDriver(): Promise<void> {
  // Lab suites run in parallel: write aside, then rename, so nobody runs a half-written bundle.
  const tmp = `${OUT}.${process.pid}`;
  await build({
    entryPoints: [join(REPO, 'test/client/probes/driver.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Bundled like the CLI (scripts/build.mjs), so probe timings don't include cold module loads.
    external: ['*.node', 'cpu-features'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path';\nconst require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
    },
    logLevel: 'warning',
  });
  await rename(tmp, OUT);
}

export async function probe<T = any>(
  lab: Lab,
  name: string,
  opts: object,
): Promise<{ ms: number; result: T; error?: { name: string; message: string } }> {
  const r = await lab.exec(['node', OUT, name, JSON.stringify(opts)], { timeoutMs: 30_000 });
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`probe ${name} printed no JSON (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** A background sshd on 127.0.0.1:port with extra -o settings. */
export const startSshd = (lab: Lab, port: number, ...opts: string[]) =>
  lab.sh(
    `/usr/sbin/sshd -p ${port} -o ListenAddress=127.0.0.1 -E /var/log/auth-${port}.log ${opts.map((o) => `-o '${o}'`).join(' ')}`,
  );

/** A tiny TCP listener in the lab: `onConnection` is JS run with the socket `s`. */
export const startResponder = (lab: Lab, port: number, onConnection: string) =>
  lab.sh(`nohup node -e "require('net').createServer(s => { s.on('error', () => {}); ${onConnection} }).listen(${port}, '127.0.0.1')" >/dev/null 2>&1 &
for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && break; sleep 0.1; done`);
