// Running sshd daemons: the listener processes, not the per-connection children.
import type { Maybe, SshdProcesses } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';

/**
 * `ps -C sshd -o pid=,ppid=,stat=,args=` lines ("54 1 Ss sshd: /usr/sbin/sshd -D [listener] …").
 * A listener is titled "[listener]", or else is an sshd whose parent is not an sshd: per-connection
 * processes ("sshd: alice [priv]", "sshd: alice@notty", a just-forked child still titled like its
 * parent) descend from one. Zombies (stat Z: a killed daemon nobody reaped, common in containers)
 * are not running.
 */
export function parsePs(stdout: string): SshdProcesses {
  return pickListeners(
    lines(stdout).flatMap((l) => {
      const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l);
      return m ? [{ pid: Number(m[1]), ppid: Number(m[2]), state: m[3]!, args: m[4]! }] : [];
    }),
  );
}

interface ProcRow {
  pid: number;
  ppid: number;
  state: string;
  /** The program name, from /proc/PID/stat (ps rows carry args only). */
  comm?: string;
  args: string;
}

/** /proc/PID/stat: "24 (sshd) S 1 …" (the name may hold spaces and parentheses: split at the last ")"). */
export function parseProcStat(pid: number, stat: string, cmdline: string): ProcRow | undefined {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  const rest = stat.slice(close + 2).split(' ');
  if (open < 0 || close < open || rest.length < 2 || !/^\d+$/.test(rest[1]!)) return undefined;
  return {
    pid,
    state: rest[0]!,
    ppid: Number(rest[1]),
    comm: stat.slice(open + 1, close),
    args: cmdline.replace(/\0+$/, '').replace(/\0/g, ' '),
  };
}

function pickListeners(all: ProcRow[]): SshdProcesses {
  const rows = all.filter((r) => !r.state.startsWith('Z'));
  // OpenSSH 7.9+ titles its daemon "[listener]": trust that when present. Otherwise (older sshd,
  // custom titles) fall back to ancestry.
  const pids = new Set(rows.map((r) => r.pid));
  const titled = rows.filter((r) => r.args.includes('[listener]'));
  // `sshd -t` / `sshd -T` (ours or an admin's) test the config and exit: not a daemon.
  const listeners =
    titled.length > 0 ? titled : rows.filter((r) => !pids.has(r.ppid) && !/(^|\s)-[tTV](\s|$)/.test(r.args));
  return { pids: listeners.map((r) => r.pid), commands: listeners.map((r) => r.args) };
}

export async function probeProcesses(exec: Exec): Promise<Maybe<SshdProcesses>> {
  const cmd = ['ps', '-C', 'sshd', '-o', 'pid=,ppid=,stat=,args='];
  const r = await exec(cmd);
  // ps exits 1 when nothing matched; anything else (missing, busybox's ps without -C, processes
  // named sshd with enormous titles: anyone can start one) → /proc.
  if (!r.timedOut && !r.truncated && (r.exitCode === 0 || (r.exitCode === 1 && r.stderr.trim() === '')))
    return parsePs(r.stdout);
  return probeProcFs(exec, failure(r, cmd) ?? `ps failed: ${r.stderr.trim().split('\n')[0] ?? r.exitCode}`);
}

/** Without a usable ps (minimal containers): read /proc directly. */
async function probeProcFs(exec: Exec, psProblem: string): Promise<Maybe<SshdProcesses>> {
  const cmd = [
    'find',
    '/proc',
    '-mindepth',
    '2',
    '-maxdepth',
    '2',
    '-name',
    'comm',
    '-exec',
    'grep',
    '-H',
    '-x',
    '-s',
    'sshd',
    '{}',
    '+',
  ];
  const f = await exec(cmd);
  const why = failure(f, cmd);
  if (why) return { unknown: `${psProblem}; ${why}` };
  const rows: ProcRow[] = [];
  for (const pid of lines(f.stdout)
    .flatMap((l) => /^\/proc\/(\d+)\/comm:/.exec(l)?.[1] ?? [])
    .map(Number)) {
    const [stCmd, clCmd] = [
      ['cat', `/proc/${pid}/stat`],
      ['cat', `/proc/${pid}/cmdline`],
    ];
    const [st, cl] = await Promise.all([exec(stCmd), exec(clCmd)]);
    // An sshd whose row could not be read may be the listener: "not running" would be a guess. A
    // command line cut at the cap is fine (anyone can give a process a huge one): its start is read.
    const rowWhy = failure(st, stCmd) ?? (cl.truncated ? undefined : failure(cl, clCmd));
    if (rowWhy) return { unknown: `${psProblem}; ${rowWhy}` };
    const row = st.exitCode === 0 ? parseProcStat(pid, st.stdout.trim(), cl.stdout) : undefined;
    if (row) rows.push(row);
  }
  return pickListeners(rows);
}
