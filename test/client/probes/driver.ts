// Runs one client probe inside the lab's namespaces (lab tests bundle this file, then
// `node driver.mjs <probe> '<json options>'`): prints {ms, result} or {ms, error} as JSON.
import { resolveHost } from '../../../src/client/probes/dns.js';
import { probeHandshake } from '../../../src/client/probes/handshake.js';
import { inspectKeyFiles } from '../../../src/client/probes/key-files.js';
import { lookupKnownHosts } from '../../../src/client/probes/known-hosts.js';
import { attemptLogin } from '../../../src/client/probes/login.js';
import { resolveTarget } from '../../../src/client/probes/ssh-config.js';
import { probeOtherPorts, probeTcp } from '../../../src/client/probes/tcp.js';

const probes: Record<string, (o: any) => Promise<unknown>> = {
  resolveTarget,
  resolveHost,
  probeTcp,
  probeOtherPorts,
  lookupKnownHosts,
  probeHandshake,
  // Who runs ssh is this process, as src/cli.ts hands it down.
  inspectKeyFiles: (o) => inspectKeyFiles({ ...o, uid: process.getuid?.() }),
  attemptLogin,
};
const [name, json] = process.argv.slice(2);
const started = performance.now();
try {
  const result = await probes[name!]!(JSON.parse(json!));
  console.log(JSON.stringify({ ms: Math.round(performance.now() - started), result }));
} catch (e) {
  console.log(
    JSON.stringify({
      ms: Math.round(performance.now() - started),
      error: { name: (e as Error).constructor.name, message: (e as Error).message },
    }),
  );
}
