// A throwaway "machine" for integration tests: a real OpenSSH sshd in private mount, net and pid
// namespaces with private copies of /etc, /home, /root and fresh /run, /var/log. Loopback only.
import { execa, type ResultPromise } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { chmodSync, cpSync, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The checkout this file lives in (also when bundled into .bench/ by scripts/bench.mjs). */
function findRepo(dir: string): string {
  return existsSync(join(dir, 'package.json')) || dir === '/' ? dir : findRepo(resolve(dir, '..'));
}
export const REPO = findRepo(import.meta.dirname);

/** Every directory on the way is searchable by others (a checkout under /root, 0700, is not). */
function othersCanReach(path: string): boolean {
  for (let p = path; ; p = dirname(p)) {
    if ((statSync(p).mode & 0o001) === 0) return false;
    if (p === '/') return true;
  }
}

/**
 * The built CLI, where the lab's unprivileged users (the --via tests' ops, alice) can run it too:
 * the checkout's dist/ when others can reach it, else one world-readable copy per build in the
 * temporary directory (made once, renamed into place, shared by the test files).
 */
function cliForEveryone(): string {
  const dist = join(REPO, 'dist');
  const main = join(dist, 'ssh-doctor.mjs');
  if (!existsSync(main) || othersCanReach(dist)) return main;
  const st = statSync(main);
  const copy = join(tmpdir(), `ssh-doctor-dist-${st.size}-${Math.floor(st.mtimeMs)}`);
  if (!existsSync(copy)) {
    const tmp = mkdtempSync(join(tmpdir(), 'ssh-doctor-dist-'));
    cpSync(dist, tmp, { recursive: true });
    chmodSync(tmp, 0o755);
    try {
      renameSync(tmp, copy);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another test file made it first
    }
  }
  return join(copy, 'ssh-doctor.mjs');
}
export const CLI = cliForEveryone();

export interface ExecResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

export interface Lab {
  /** Host directory holding the private /etc, /home and /root. */
  dir: string;
  /** Host pid of the lab's first process (for nsenter -t when a test must stream output). */
  pid: number;
  /** Run a test-authored bash script inside the namespaces. */
  sh(script: string, timeoutMs?: number): Promise<ExecResult>;
  /** Run an argument vector inside the namespaces. */
  exec(cmd: string[], opts?: { timeoutMs?: number; input?: string; env?: Record<string, string> }): Promise<ExecResult>;
  /** Run the built CLI inside the namespaces. */
  cli(args: string[], opts?: { timeoutMs?: number; input?: string; env?: Record<string, string> }): Promise<ExecResult>;
  /** Run the CLI with --json and parse its report. */
  json(
    args: string[],
    opts?: { timeoutMs?: number; env?: Record<string, string> },
  ): Promise<{ exitCode: number | undefined; report: any; stderr: string }>;
  close(): Promise<void>;
}

/** Why the lab cannot run here, or undefined when it can. */
export function labUnavailableReason(extraBins: readonly string[] = []): string | undefined {
  if (process.getuid?.() !== 0) return 'the lab needs root (unshare of mount/net/pid namespaces)';
  for (const bin of ['/usr/sbin/sshd', '/usr/bin/ssh', '/usr/bin/unshare', '/usr/bin/nsenter']) {
    if (!existsSync(bin)) return `${bin} is missing (apt-get install -y openssh-server openssh-client util-linux)`;
  }
  for (const bin of extraBins)
    if (!existsSync(bin)) return `${bin} is missing (.ci/run lists the Debian packages the lab uses)`;
  if (!existsSync(CLI)) return `${CLI} is missing: run npm run build first`;
  return undefined;
}

/**
 * Lab suites call this at module level (with any program only they need): outside CI a missing
 * prerequisite skips loudly;
 * under CI it is a failure, because lab tests must run there.
 */
export function requireLab(extraBins: readonly string[] = []): boolean {
  const why = labUnavailableReason(extraBins);
  if (!why) return true;
  if (process.env.CI) throw new Error(`LAB TESTS CANNOT RUN IN CI: ${why}`);
  console.warn(`\n*** LAB TESTS SKIPPED: ${why} ***\n`);
  return false;
}

// The checkout stays visible at its own path: a clone under /root (or /home) would otherwise be
// hidden by the lab's private copy, with the built CLI and the test bundles in it.
const INNER = `
set -e
R="$1"
REPO="$2"
for d in etc home root; do
  case "$REPO" in
    /$d/*) mkdir -p "$R/$d\${REPO#/$d}" && mount --bind "$REPO" "$R/$d\${REPO#/$d}" ;;
  esac
  mount --rbind "$R/$d" "/$d"
done
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /var/log
ip link set lo up
echo ready
exec sleep infinity
`;

const BASE_ENV: Record<string, string> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LANG: 'C.UTF-8',
  NO_COLOR: '1',
};

export async function startLab(): Promise<Lab> {
  const dir = await mkdtemp(join(tmpdir(), 'ssh-doctor-lab-'));
  await execa('cp', ['-a', '/etc', join(dir, 'etc')]);
  await execa('mkdir', ['-m', '0755', join(dir, 'home')]);
  await execa('mkdir', ['-m', '0700', join(dir, 'root')]);
  await writeFile(join(dir, 'inner.sh'), INNER);

  const ns: ResultPromise = execa(
    'unshare',
    ['--mount', '--net', '--pid', '--fork', '--mount-proc', '--kill-child', 'bash', join(dir, 'inner.sh'), dir, REPO],
    { reject: false, stdin: 'ignore', buffer: false },
  );
  const pid = await new Promise<number>((resolvePid, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('lab did not start within 10 s')), 10_000);
    ns.stdout!.on('data', async (d: Buffer) => {
      out += d.toString();
      if (!out.includes('ready')) return;
      clearTimeout(timer);
      const children = (await readFile(`/proc/${ns.pid}/task/${ns.pid}/children`, 'utf8')).trim();
      resolvePid(Number(children.split(/\s+/)[0]));
    });
    ns.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    void ns.then((r) => fail(new Error(`lab exited early (${r.exitCode}): ${out}`)));
  });

  const exec: Lab['exec'] = async (cmd, opts = {}) => {
    const r = await execa('nsenter', ['-t', String(pid), '-m', '-n', '-p', '--', ...cmd], {
      reject: false,
      timeout: opts.timeoutMs ?? 30_000,
      input: opts.input,
      stdin: opts.input === undefined ? 'ignore' : undefined,
      env: { ...BASE_ENV, ...opts.env },
      extendEnv: false,
    });
    return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
  };
  const cli: Lab['cli'] = (args, opts) => exec(['node', CLI, ...args], opts);

  return {
    dir,
    pid,
    exec,
    cli,
    sh: (script, timeoutMs) => exec(['bash', '-euo', 'pipefail', '-c', script], { timeoutMs }),
    async json(args, opts) {
      const r = await cli([...args, '--json'], opts);
      let report: any;
      try {
        report = JSON.parse(r.stdout);
      } catch {
        throw new Error(`no JSON report (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
      }
      return { exitCode: r.exitCode, report, stderr: r.stderr };
    },
    async close() {
      ns.kill('SIGKILL');
      await ns;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The usual server: user alice with a key for root's client, sshd on 127.0.0.1:PORT logging to
 * /var/log/auth.log (there is no syslog daemon or systemd in the lab). sshdOptions are -o values.
 */
/**
 * Waits (up to 5 s) until something listens on PORT. sshd returns before it listens (measured: 2
 * connections in 40 made right after it returned were refused), and ssh-keyscan exits 1 when
 * nothing answers. `ss`, not a test connection: sshd would log that connection.
 */
export const LISTENING = (port: number) =>
  `for i in $(seq 100); do ss -Hltn 'sport = :${port}' | grep -q . && break; sleep 0.05; done`;

export const SERVER_SETUP = (port = 22, sshdOptions: string[] = []) => `
id alice >/dev/null 2>&1 || useradd -m -s /bin/bash alice
mkdir -p /root/.ssh && chmod 700 /root/.ssh
[ -f /root/.ssh/id_ed25519 ] || ssh-keygen -q -t ed25519 -N '' -f /root/.ssh/id_ed25519
install -d -m 700 -o alice -g alice /home/alice/.ssh
install -m 600 -o alice -g alice /root/.ssh/id_ed25519.pub /home/alice/.ssh/authorized_keys
mkdir -p /run/sshd
ssh-keygen -A >/dev/null
/usr/sbin/sshd -p ${port} -o ListenAddress=127.0.0.1 -E /var/log/auth.log${sshdOptions.map((o) => ` -o ${o}`).join('')}; ${LISTENING(port)}
`;
