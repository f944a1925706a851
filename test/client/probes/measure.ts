// Times each client probe in the lab on loopback (median of 5, each run in a fresh node process,
// so cold imports count). Not a test: prints a table. Run from the repo root:
//   npx esbuild test/client/probes/measure.ts --bundle --platform=node --format=esm \
//     --packages=external --outfile=node_modules/.cache/measure.mjs && node node_modules/.cache/measure.mjs
import { SERVER_SETUP, startLab } from '../../lab/lab.js';
import { buildDriver, probe, startResponder } from './lab-driver.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await buildDriver();
const lab = await startLab();
try {
  await lab.sh(SERVER_SETUP(2201));
  await startResponder(lab, 2294, `s.write('220 mail.example ESMTP Postfix\\r\\n')`);
  await lab.sh(`ssh-keyscan -p 2201 127.0.0.1 2>/dev/null > /root/.ssh/known_hosts; ssh-keygen -H -f /root/.ssh/known_hosts >/dev/null 2>&1
printf 'Host web\\n  HostName 127.0.0.1\\n  Port 2201\\n  User alice\\n' > /root/.ssh/config`);
  const t = { timeoutMs: 3000 };
  const cases: [string, string, object][] = [
    ['ssh -G (alias)', 'resolveTarget', { destination: 'web', sshFlags: [], ...t }],
    ['DNS localhost', 'resolveHost', { host: 'localhost', family: 'any', ...t }],
    ['TCP+banner ssh', 'probeTcp', { addresses: ['127.0.0.1'], port: 2201, ...t }],
    ['TCP refused', 'probeTcp', { addresses: ['127.0.0.1'], port: 2299, ...t }],
    ['TCP+banner smtp', 'probeTcp', { addresses: ['127.0.0.1'], port: 2294, ...t }],
    ['other ports (5)', 'probeOtherPorts', { address: '127.0.0.1', ports: [2222, 2200, 22222, 8022, 2201], ...t }],
    [
      'known_hosts (hashed)',
      'lookupKnownHosts',
      { host: '127.0.0.1', port: 2201, files: ['/root/.ssh/known_hosts'], ...t },
    ],
    ['handshake (ssh2)', 'probeHandshake', { address: '127.0.0.1', port: 2201, user: 'alice', ...t }],
    [
      'key files (7 defaults)',
      'inspectKeyFiles',
      {
        identityFiles: ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'].map(
          (n) => `/root/.ssh/${n}`,
        ),
        explicit: [],
        ...t,
      },
    ],
    [
      'ssh -v login ok',
      'attemptLogin',
      { destination: 'web', sshFlags: [], knownHostsFiles: ['/root/.ssh/known_hosts'], ...t },
    ],
    [
      'ssh -v login denied',
      'attemptLogin',
      { destination: 'web', sshFlags: ['-l', 'bob'], knownHostsFiles: ['/root/.ssh/known_hosts'], ...t },
    ],
  ];
  await lab.sh('id bob >/dev/null 2>&1 || useradd -m bob');
  console.log('probe                     median ms (in-process)  min  max');
  for (const [label, name, opts] of cases) {
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await probe(lab, name, opts);
      if (r.error) throw new Error(`${name}: ${r.error.message}`);
      ms.push(r.ms);
    }
    console.log(
      `${label.padEnd(26)}${String(median(ms)).padStart(8)}${String(Math.min(...ms)).padStart(22)}${String(Math.max(...ms)).padStart(5)}`,
    );
  }
  // Baseline: plain ssh doing the same login, timed inside the lab.
  const plain: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await lab.sh(
      's=$(date +%s%N); ssh -o BatchMode=yes web true; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))',
    );
    plain.push(Number(r.stdout.trim()));
  }
  console.log(
    `${'plain ssh -o BatchMode=yes'.padEnd(26)}${String(median(plain)).padStart(8)}${String(Math.min(...plain)).padStart(22)}${String(Math.max(...plain)).padStart(5)}`,
  );
} finally {
  await lab.close();
}
