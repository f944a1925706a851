// Effective client settings, computed by ssh itself (`ssh -G`) so aliases, Match blocks and
// Include files resolve exactly as they will for the real connection.
import { homedir } from 'node:os';
import { MiB } from '../../bytes.js';
import { readCapped } from '../../capped.js';
import { UsageError } from '../../errors.js';
import { run } from '../../run.js';
import { firstJump } from '../endpoint.js';
import type { ResolvedTarget } from './types.js';

/** `~/x` → `$HOME/x`; ssh -G prints IdentityFile unexpanded but known_hosts paths expanded. */
export function expandHome(path: string, home = homedir()): string {
  return path === '~' ? home : path.startsWith('~/') ? home + path.slice(1) : path;
}

/** Reduce `ssh -G` output ("key value" lines, lower-case keys) to what the probes need. */
export function parseSshG(text: string, alias: string, home = homedir()): ResolvedTarget {
  const values = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    values.set(key, [...(values.get(key) ?? []), m[2]!]);
  }
  const one = (k: string) => values.get(k)?.[0];
  const list = (k: string) =>
    (one(k) ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((p) => expandHome(p, home));
  const family = one('addressfamily');
  const jump = one('proxyjump');
  const proxy = one('proxycommand');
  const alias_ = one('hostkeyalias');
  // Printed only when set; "none" is no keyword here: ssh looks it up as a name.
  const bindAddress = one('bindaddress');
  const bindInterface = one('bindinterface');
  return {
    alias,
    host: one('hostname') ?? alias,
    user: one('user') ?? '',
    port: Number(one('port') ?? 22),
    identityFiles: (values.get('identityfile') ?? []).map((p) => expandHome(p, home)),
    certificateFiles: (values.get('certificatefile') ?? []).map((p) => expandHome(p, home)),
    userKnownHostsFiles: list('userknownhostsfile'),
    globalKnownHostsFiles: list('globalknownhostsfile'),
    ...(alias_ && alias_ !== 'none' ? { hostKeyAlias: alias_ } : {}),
    ...(jump && jump !== 'none' ? { proxyJump: jump } : {}),
    ...(proxy && proxy !== 'none' ? { proxyCommand: proxy } : {}),
    addressFamily: family === 'inet' || family === 'inet6' ? family : 'any',
    ...(bindAddress !== undefined || bindInterface !== undefined
      ? {
          bind: {
            ...(bindAddress !== undefined ? { address: bindAddress } : {}),
            ...(bindInterface !== undefined ? { interface: bindInterface } : {}),
          },
        }
      : {}),
    configPorts: [],
  };
}

/**
 * ssh -G canonicalises as ssh does (CanonicalizeHostname, CanonicalDomains, CanonicalizeMaxDots)
 * and re-reads the config for the new name, so a `Host *.example.internal` block applies. When no
 * suffix resolves and CanonicalizeFallbackLocal is no, ssh -G dies with this line instead.
 */
export function canonicalizeFailure(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^ssh: Could not resolve host ".*"$/.test(l));
}

/** The names ssh tried for HOST: one per CanonicalDomains suffix (from `ssh -G` output). */
export function canonicalNamesTried(sshG: string, host: string): string[] {
  const m = /^canonicaldomains (.*)$/m.exec(sshG);
  const domains = (m?.[1] ?? 'none').split(/\s+/).filter((d) => d && d !== 'none');
  return domains.map((d) => `${host}.${d}`);
}

/** Ports named by `Port` lines anywhere in an ssh client config (all Host blocks). */
export function parseConfigPorts(text: string): number[] {
  const ports = new Set<number>();
  for (const line of text.split('\n')) {
    const m = /^\s*port\s*(?:=\s*|\s)\s*"?(\d{1,5})"?\s*(?:#.*)?$/i.exec(line);
    const n = m ? Number(m[1]) : 0;
    if (n >= 1 && n <= 65535) ports.add(n);
  }
  return [...ports];
}

/** Every value given to a flag in an ssh argv list, in order. */
function flagValues(sshFlags: readonly string[], flag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < sshFlags.length - 1; i++) if (sshFlags[i] === flag) out.push(sshFlags[++i]!);
  return out;
}

/**
 * `ssh -G` for the first jump host, the way ssh starts that hop (`ssh -l USER -p PORT -F CONFIG
 * -W … HOST`): the user's -F reaches it, no other option does.
 */
export function firstHopArgs(proxyJump: string, sshFlags: readonly string[]): string[] {
  const hop = firstJump(proxyJump);
  const config = flagValues(sshFlags, '-F').at(-1);
  return [
    'ssh',
    '-G',
    ...(hop.user ? ['-l', hop.user] : []),
    ...(hop.port ? ['-p', hop.port] : []),
    ...(config ? ['-F', config] : []),
    '--',
    hop.host,
  ];
}

export async function resolveTarget(
  opts: {
    destination: string;
    sshFlags: readonly string[];
    timeoutMs: number;
  },
  runner: typeof run = run,
  home = homedir(),
): Promise<ResolvedTarget> {
  let r = await runner(['ssh', '-G', ...opts.sshFlags, '--', opts.destination], { timeoutMs: opts.timeoutMs });
  if (r.missing)
    throw new UsageError('ssh is not installed (the OpenSSH client is needed: apt-get install openssh-client).');
  const canonical = r.exitCode !== 0 ? canonicalizeFailure(r.stderr) : undefined;
  if (canonical) {
    // Not a bad setting: a name that does not resolve. Read the rest without canonicalising, so
    // the diagnosis can go on and say so.
    r = await runner(['ssh', '-G', '-o', 'CanonicalizeHostname=no', ...opts.sshFlags, '--', opts.destination], {
      timeoutMs: opts.timeoutMs,
    });
  }
  if (r.exitCode !== 0) {
    // ssh's own complaint is one line ("Can't open user config file ...", "Bad configuration option: ...").
    // A bad config file ends with a count ("terminating, 1 bad configuration options"): the line
    // before it names the option.
    const msg = r.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('Pseudo-terminal') && !/: terminating, \d+ bad configuration options$/.test(l));
    const why = msg.at(-1) ?? (r.timedOut ? 'ssh -G timed out' : `ssh -G exited with ${r.exitCode}`);
    throw new UsageError(`ssh rejects these settings: ${why.replace(/\.?$/, '.')}`);
  }
  const target = parseSshG(r.stdout, opts.destination, home);
  if (canonical) target.canonicalizeFailed = { tried: canonicalNamesTried(r.stdout, target.host), sshSaid: canonical };
  // ssh -G drops an -i file that does not exist (with a warning); keep it so the key probe can say so.
  const missing = flagValues(opts.sshFlags, '-i')
    .map((p) => expandHome(p, home))
    .filter((p) => !target.identityFiles.includes(p));
  target.identityFiles.unshift(...new Set(missing));
  if (target.proxyJump) {
    // Unreadable (it cannot be, with the same config): the hop is probed as written.
    const h = await runner(firstHopArgs(target.proxyJump, opts.sshFlags), { timeoutMs: opts.timeoutMs });
    if (h.exitCode === 0) {
      const hop = parseSshG(h.stdout, firstJump(target.proxyJump).host, home);
      target.firstHop = {
        host: hop.host,
        port: hop.port,
        addressFamily: hop.addressFamily,
        ...(hop.bind ? { bind: hop.bind } : {}),
      };
    }
  }
  const configFile = flagValues(opts.sshFlags, '-F').at(-1) ?? `${home}/.ssh/config`;
  // Only for extra Port lines to try; ssh -G above already read the config whole.
  const text = await readCapped(expandHome(configFile, home), 16 * MiB).then(
    (r) => r.text,
    () => '',
  );
  target.configPorts = parseConfigPorts(text);
  return target;
}
