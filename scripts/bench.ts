// Time to verdict and cold start, measured against a real sshd in the lab (not a test: numbers).
// Usage: npm run bench [-- --runs N] [--client-only | --server-only] [--against CHECKOUT]
// --against: another checkout's build, timed in the same loop (an A/B of two builds under one load).
import { execa } from 'execa';
import { CLI, labUnavailableReason, SERVER_SETUP, startLab, type Lab } from '../test/lab/lab.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const againstDir = process.argv.includes('--against') ? process.argv[process.argv.indexOf('--against') + 1] : undefined;
const AGAINST = againstDir ? `${againstDir.replace(/\/$/, '')}/dist/ssh-doctor.mjs` : undefined;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Scenario {
  name: string;
  setup: string;
  args: string[];
  expect: string;
  /** The plain-ssh command a user would have run. */
  ssh: string[];
}

const SSH = ['ssh', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', 'ConnectTimeout=5'];
const scenarios: Scenario[] = [
  {
    name: 'refused',
    setup: SERVER_SETUP(2222),
    args: ['alice@127.0.0.1'],
    expect: 'connection-refused',
    ssh: [...SSH, 'alice@127.0.0.1', 'true'],
  },
  {
    name: 'auth denied',
    setup:
      SERVER_SETUP(22) +
      'rm /home/alice/.ssh/authorized_keys\nssh-keyscan -t ed25519 127.0.0.1 > /root/.ssh/known_hosts 2>/dev/null\n',
    args: ['alice@127.0.0.1'],
    expect: 'auth-publickey-denied',
    ssh: [...SSH, 'alice@127.0.0.1', 'true'],
  },
  {
    name: 'host key changed',
    setup:
      SERVER_SETUP(22) +
      `ssh-keygen -q -t ed25519 -N '' -f /root/bench-other\necho "127.0.0.1 $(cut -d' ' -f1,2 /root/bench-other.pub)" > /root/.ssh/known_hosts\n`,
    args: ['alice@127.0.0.1'],
    expect: 'host-key-changed',
    ssh: [...SSH, 'alice@127.0.0.1', 'true'],
  },
  {
    name: 'not ssh',
    setup: `setsid node -e "require('net').createServer(s=>s.on('error',()=>{}).end('220 mail.lab ESMTP\\r\\n')).listen(2525,'127.0.0.1')" >/dev/null 2>&1 </dev/null &\nsleep 0.3\n`,
    args: ['-p', '2525', 'alice@127.0.0.1'],
    expect: 'not-ssh-service',
    ssh: [...SSH, '-p', '2525', 'alice@127.0.0.1', 'true'],
  },
  {
    name: 'login ok',
    setup: SERVER_SETUP(22) + 'ssh-keyscan -t ed25519 127.0.0.1 > /root/.ssh/known_hosts 2>/dev/null\n',
    args: ['alice@127.0.0.1'],
    expect: 'ok',
    ssh: [...SSH, 'alice@127.0.0.1', 'true'],
  },
  {
    name: 'timeout (--timeout 1000)',
    setup: SERVER_SETUP(22) + 'iptables -A INPUT -p tcp --dport 22 -j DROP\n',
    args: ['--timeout', '1000', 'alice@127.0.0.1'],
    expect: 'connection-timeout',
    ssh: [...SSH.slice(0, -2), '-o', 'ConnectTimeout=1', 'alice@127.0.0.1', 'true'],
  },
];

/** `server` on a big host: time to verdict with rulesets and account databases of real sizes. */
interface ServerScenario {
  name: string;
  setup: string;
  expect: string;
}

const SERVER_PORT = 2201;
/** The lab's sshd on all its (loopback-only) addresses, as the server lab tests run it. */
const SERVER_BASE = SERVER_SETUP(SERVER_PORT).replace('-o ListenAddress=127.0.0.1 ', '');

/** N iptables-restore lines "-A CHAIN -s 10.x.y.z/32 -j DROP" (a blocklist). */
const blocklistIpt = (chain: string, n: number) =>
  `python3 -c 'import sys
w=sys.stdout.write
for i in range(${n}): w("-A ${chain} -s 10.%d.%d.%d/32 -j DROP\\n" % ((i>>16)&255,(i>>8)&255,i&255))'`;
const blocklistNft = (chain: string, n: number) =>
  `python3 -c 'import sys
w=sys.stdout.write
for i in range(${n}): w("add rule inet filter ${chain} ip saddr 10.%d.%d.%d drop\\n" % ((i>>16)&255,(i>>8)&255,i&255))'`;

const serverScenarios: ServerScenario[] = [
  { name: 'idle host', setup: SERVER_BASE, expect: 'server-ok' },
  {
    name: 'iptables: 200,000 rules (a blocklist INPUT enters for port 25)',
    setup: `${SERVER_BASE}
{ printf '*filter\n:INPUT ACCEPT [0:0]\n:blocklist - [0:0]\n-A INPUT -p tcp --dport 25 -j blocklist\n'; ${blocklistIpt('blocklist', 200_000)}; printf 'COMMIT\n'; } | iptables-restore`,
    expect: 'server-ok',
  },
  {
    name: 'nftables: 200,000 rules (a blocklist the input chain enters for port 25)',
    setup: `${SERVER_BASE}
{ printf 'add table inet filter\nadd chain inet filter input { type filter hook input priority 0; policy accept; }\nadd chain inet filter blocklist\nadd rule inet filter input tcp dport 25 jump blocklist\n'; ${blocklistNft('blocklist', 200_000)}; } > /root/big.nft
nft -f /root/big.nft`,
    expect: 'server-ok',
  },
  {
    name: 'iptables: 5,000 user chains of 5 rules, every one walked',
    setup: `${SERVER_BASE}
python3 -c 'import sys
w=sys.stdout.write
w("*filter\\n:INPUT ACCEPT [0:0]\\n")
for c in range(5000): w(":c%d - [0:0]\\n" % c)
for c in range(5000):
  w("-A INPUT -p tcp -j c%d\\n" % c)
  for r in range(5): w("-A c%d -s 10.0.%d.%d/32 -j DROP\\n" % (c, r, c % 250))
w("COMMIT\\n")' | iptables-restore`,
    expect: 'server-ok',
  },
  {
    name: "iptables: 200,000 rules on the SSH port's way (INPUT enters the blocklist for all TCP)",
    setup: `${SERVER_BASE}
{ printf '*filter\n:INPUT ACCEPT [0:0]\n:blocklist - [0:0]\n-A INPUT -p tcp -j blocklist\n'; ${blocklistIpt('blocklist', 200_000)}; printf 'COMMIT\n'; } | iptables-restore`,
    expect: 'checks-incomplete',
  },
  {
    name: '50,000 accounts, alice in 5,000 groups (no AllowGroups)',
    setup: `${SERVER_BASE}
python3 -c 'import sys
p=open("/etc/passwd","a"); g=open("/etc/group","a")
for i in range(50000): p.write("u%d:x:%d:%d::/nonexistent:/usr/sbin/nologin\\n" % (i, 100000+i, 100000+i))
for i in range(5000): g.write("g%d:x:%d:alice\\n" % (i, 200000+i))'`,
    expect: 'server-ok',
  },
];

async function timed(lab: Lab, cmd: string[]): Promise<{ ms: number; stdout: string }> {
  const t = process.hrtime.bigint();
  const r = await lab.exec(cmd, { timeoutMs: 60_000 });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, stdout: r.stdout };
}

/** Milliseconds from spawn to the first byte the wizard draws on a pseudo-terminal. */
async function firstFrame(lab: Lab, args: string[]): Promise<number> {
  const t = process.hrtime.bigint();
  const child = execa(
    'nsenter',
    ['-t', String(lab.pid), '-m', '-n', '-p', '--', 'script', '-qfec', `node ${CLI} ${args.join(' ')}`, '/dev/null'],
    {
      reject: false,
      env: { TERM: 'xterm-256color', HOME: '/root', PATH: process.env.PATH },
      extendEnv: false,
      stdin: 'pipe',
      // Its own process group, so the kill below reaches nsenter, script and the wizard alike.
      detached: true,
      buffer: false,
    },
  );
  const ms = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no frame within 10 s')), 10_000);
    child.stdout!.once('data', () => {
      clearTimeout(timer);
      resolve(Number(process.hrtime.bigint() - t) / 1e6);
    });
  });
  process.kill(-child.pid!, 'SIGKILL');
  await child;
  return ms;
}

async function main() {
  const why = labUnavailableReason();
  if (why) {
    console.error(`bench: ${why}`);
    process.exit(2);
  }
  console.log(`ssh-doctor benchmark: median of ${runs} runs each, loopback lab, ${new Date().toISOString()}`);
  console.log(
    `load average at start: ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  // node -e 0 runs in the same loop as both: on a shared machine the load moves all three alike.
  if (AGAINST) console.log(`against: ${AGAINST} (last column)`);
  console.log(
    `| scenario | verdict | ssh-doctor (ms) | plain ssh -o BatchMode=yes (ms) | ratio | node -e 0 (ms) | over node (ms) |${AGAINST ? ' against (ms) |' : ''}`,
  );
  console.log(`|---|---|---:|---:|---:|---:|---:|${AGAINST ? '---:|' : ''}`);
  for (const s of process.argv.includes('--server-only') ? [] : scenarios) {
    const lab = await startLab();
    try {
      const setup = await lab.sh(s.setup);
      if (setup.exitCode !== 0) throw new Error(`${s.name}: setup failed: ${setup.stderr}`);
      const doctor: number[] = [];
      const plain: number[] = [];
      const node0: number[] = [];
      const other: number[] = [];
      let verdict = '';
      for (let i = 0; i < runs; i++) {
        const r = await timed(lab, ['node', CLI, '--json', ...s.args]);
        verdict = JSON.parse(r.stdout).verdict.id;
        // A run that measured something else (a scenario's service died) must not pass unseen.
        if (verdict !== s.expect) throw new Error(`${s.name}: run ${i + 1} gave ${verdict}, not ${s.expect}`);
        doctor.push(r.ms);
        if (AGAINST) other.push((await timed(lab, ['node', AGAINST, '--json', ...s.args])).ms);
        plain.push((await timed(lab, s.ssh)).ms);
        node0.push((await timed(lab, ['node', '-e', '0'])).ms);
      }
      const d = median(doctor);
      const p = median(plain);
      const n = median(node0);
      console.log(
        `| ${s.name} | ${verdict} | ${d.toFixed(0)} | ${p.toFixed(0)} | ${(d / p).toFixed(1)}x | ${n.toFixed(0)} | +${(d - n).toFixed(0)} |${AGAINST ? ` ${median(other).toFixed(0)} |` : ''}`,
      );
    } finally {
      await lab.close();
    }
  }
  if (process.argv.includes('--client-only')) return;
  console.log('');
  console.log('| server on a big host | verdict | ssh-doctor server (ms) |');
  console.log('|---|---|---:|');
  for (const s of serverScenarios) {
    const lab = await startLab();
    try {
      const setup = await lab.sh(s.setup, 300_000);
      if (setup.exitCode !== 0) throw new Error(`${s.name}: setup failed: ${setup.stderr}`);
      const ms: number[] = [];
      let verdict = '';
      for (let i = 0; i < runs; i++) {
        const r = await timed(lab, ['node', CLI, 'server', '--json', '--user', 'alice', '--port', String(SERVER_PORT)]);
        verdict = JSON.parse(r.stdout).verdict.id;
        ms.push(r.ms);
      }
      console.log(
        `| ${s.name} | ${verdict}${verdict === s.expect ? '' : ` (expected ${s.expect})`} | ${median(ms).toFixed(0)} |`,
      );
    } finally {
      await lab.close();
    }
  }
  const lab = await startLab();
  try {
    await lab.sh(SERVER_SETUP(22));
    const version: number[] = [];
    const frame: number[] = [];
    for (let i = 0; i < runs; i++) {
      version.push((await timed(lab, ['node', CLI, '--version'])).ms);
      frame.push(await firstFrame(lab, ['alice@127.0.0.1']));
    }
    const node0: number[] = [];
    for (let i = 0; i < runs; i++) node0.push((await timed(lab, ['node', '-e', '0'])).ms);
    console.log('');
    console.log('| cold start | median (ms) |');
    console.log('|---|---:|');
    console.log(`| node -e 0 (floor) | ${median(node0).toFixed(0)} |`);
    console.log(`| ssh-doctor --version | ${median(version).toFixed(0)} |`);
    console.log(`| ssh-doctor: first frame of the wizard on a pty | ${median(frame).toFixed(0)} |`);
    console.log(
      `\nload average at the end: ${(await import('node:os'))
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await lab.close();
  }
}

await main();
