// Is sshd crashing (the seed guide's Step 7)? Its libraries as the loader sees them (`ldd`), the
// package's files against the package database (`dpkg --verify`, `rpm -V`), and the kernel's
// segfault and machine-check lines.
import type { CrashFacts, Maybe } from '../facts.js';
import { failure, lines, type Exec } from '../exec.js';
import { LOG_TAIL_BYTES, wholeLines } from './logs.js';

/** `ldd` lines that mean sshd cannot load: a library not found, a wrong version, a damaged file. */
export function parseLdd(stdout: string, stderr: string): string[] {
  return [...lines(stdout), ...lines(stderr)]
    .map((l) => l.trim())
    .filter((l) =>
      /=> not found|version `[^']+' not found|error while loading shared libraries|not a dynamic executable/.test(l),
    );
}

/** The path of a library named in an ldd complaint, when it names one. */
export function libraryPath(line: string): string | undefined {
  return /(\/\S+\.so[.\d]*):/.exec(line)?.[1] ?? /(\/\S+\.so[.\d]*)\)?$/.exec(line)?.[1];
}

/**
 * `dpkg --verify` / `rpm -V` lines for program files that differ from the package: a changed
 * digest ("5"), or missing under /usr. Configuration files ("c") are the administrator's to
 * change, and a missing log directory (/var/log/runit on a tmpfs) crashes nothing.
 */
export function parseVerify(stdout: string): string[] {
  return lines(stdout).filter((l) => {
    const m = /^(\S+)\s+(c\s+)?(\/.*)$/.exec(l);
    if (!m || m[2]) return false;
    return m[1]!.includes('5') || (m[1] === 'missing' && m[3]!.startsWith('/usr/'));
  });
}

const SEGFAULT = /\bsshd\[\d+\]:? (?:segfault at|general protection|trap )/;
const MACHINE_CHECK = /\bmce: |Machine check|Hardware Error|EDAC .*\b(?:UE|CE)\b/i;

export function kernelLines(text: string): Pick<CrashFacts, 'segfaults' | 'machineChecks'> {
  const all = lines(text);
  return {
    segfaults: all.filter((l) => SEGFAULT.test(l)).slice(-5),
    machineChecks: all.filter((l) => MACHINE_CHECK.test(l)).slice(-5),
  };
}

const KERNEL_FILES = ['/var/log/kern.log', '/var/log/messages', '/var/log/syslog'];

/** The kernel's recent lines: the journal's, else the classic files (dmesg is left out: see README). */
async function kernelLog(exec: Exec): Promise<{ source: string; text: string } | undefined> {
  const jcmd = ['journalctl', '-k', '-n', '2000', '--no-pager', '-q', '-o', 'short'];
  const j = await exec(jcmd);
  if (!failure(j, jcmd) && j.exitCode === 0 && j.stdout.trim() && !j.stdout.startsWith('-- No entries --'))
    return { source: 'journalctl -k', text: j.stdout };
  for (const f of KERNEL_FILES) {
    const cmd = ['tail', '-c', String(LOG_TAIL_BYTES), '--', f];
    const r = await exec(cmd, { maxBytes: LOG_TAIL_BYTES });
    if (!failure(r, cmd) && r.exitCode === 0) return { source: f, text: wholeLines(r.stdout) };
  }
  return undefined;
}

export async function probeCrash(
  exec: Exec,
  sshd: string,
  manager: 'dpkg' | 'rpm' | undefined,
): Promise<Maybe<CrashFacts>> {
  const lddCmd = ['ldd', sshd];
  const [ldd, verify, kernel] = await Promise.all([
    exec(lddCmd),
    manager === 'dpkg' ? exec(['dpkg', '--verify', 'openssh-server']) : exec(['rpm', '-V', 'openssh-server']),
    kernelLog(exec),
  ]);
  const why = failure(ldd, lddCmd);
  if (why) return { unknown: why };
  const libraries = parseLdd(ldd.stdout, ldd.stderr);
  // rpm is tried where dpkg does not know sshd; absent there, nothing was compared.
  const verified = !verify.missing && !verify.timedOut;
  const owners: string[] = [];
  if (manager === 'dpkg') {
    for (const path of libraries.flatMap((l) => libraryPath(l) ?? [])) {
      // Merged /usr: the loader says /lib/…, the package database /usr/lib/….
      let s = await exec(['dpkg', '-S', path]);
      if (s.exitCode !== 0 && /^\/(lib|lib64|bin|sbin)\//.test(path)) s = await exec(['dpkg', '-S', `/usr${path}`]);
      const pkg = s.exitCode === 0 ? /^([^:\s]+)(?::\S+)?: /.exec(s.stdout)?.[1] : undefined;
      if (pkg && !owners.includes(pkg)) owners.push(pkg);
    }
  }
  return {
    libraries,
    ...(owners.length ? { libraryPackages: owners } : {}),
    changedFiles: verified ? parseVerify(verify.stdout) : [],
    ...(verified
      ? { verifyCommand: manager === 'dpkg' ? 'dpkg --verify openssh-server' : 'rpm -V openssh-server' }
      : {}),
    ...(kernel ? { kernelSource: kernel.source, ...kernelLines(kernel.text) } : { segfaults: [], machineChecks: [] }),
  };
}
