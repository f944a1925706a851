// ufw: `ufw status verbose`. Rules are tried in order, first match wins, then the default policy.
// `ufw status numbered` gives each rule the number its fix must insert before.
import type { FirewallLayer, UfwRule } from '../../facts.js';
import { failure, lines, RULESET_MAX_BYTES, type Exec } from '../../exec.js';
import { portIn } from './verdict.js';

/** ufw application profiles that mean the SSH port (only for port 22). */
const SSH_APPS = /^(OpenSSH|SSH)\b/i;

/** `ufw status numbered`: every rule with its number, IPv4 rules first, then the (v6) ones. */
export function parseUfwNumbered(stdout: string): UfwRule[] {
  const out: UfwRule[] = [];
  for (const l of lines(stdout)) {
    const m =
      /^\[\s*(\d+)\]\s+(.+?)\s{2,}((?:ALLOW|DENY|REJECT|LIMIT)(?: IN| OUT| FWD)?)\s{2,}(.+?)(?:\s{2,}(\((?:log|log-all|out)\)|#.*))?\s*$/.exec(
        l,
      );
    if (!m) continue;
    const to = m[2]!.trim();
    out.push({
      n: Number(m[1]),
      to,
      action: m[3]!,
      from: m[4]!.trim(),
      v6: / \(v6\)/.test(to),
      extra: m[5] ?? '',
      text: l.replace(/^\[\s*\d+\]\s/, '').trim(),
    });
  }
  return out;
}

export function ufwLayer(stdout: string, port: number, numbered?: UfwRule[]): FirewallLayer {
  const layer = ufwVerdict(stdout, port);
  return numbered && layer.state === 'blocks' ? { ...layer, ufwRules: numbered } : layer;
}

function ufwVerdict(stdout: string, port: number): FirewallLayer {
  const ls = lines(stdout);
  if (ls.some((l) => /^Status: inactive/.test(l)))
    return { name: 'ufw', state: 'inactive', detail: 'Status: inactive' };
  const def = ls.find((l) => l.startsWith('Default:'));
  const incoming = /(\w+) \(incoming\)/.exec(def ?? '')?.[1] ?? 'deny';
  const start = ls.findIndex((l) => /^--\s+-+\s+--/.test(l));
  const exceptions: string[] = [];
  for (const l of start >= 0 ? ls.slice(start + 1) : []) {
    const m = /^(.+?)\s{2,}(ALLOW|DENY|REJECT|LIMIT)( IN| OUT| FWD)?\s{2,}(.+)$/.exec(l.trim());
    if (!m || m[3] === ' OUT' || m[3] === ' FWD') continue;
    const [to, action, , from] = [m[1]!.trim(), m[2]!, m[3], m[4]!.trim()];
    const toPort = to.replace(/ \(v6\)$/, '').replace(/ on \S+$/, '');
    const hits =
      /^Anywhere/.test(toPort) ||
      (SSH_APPS.test(toPort) && port === 22) ||
      (/^[\d,:]+(\/tcp)?$/.test(toPort) && portIn(toPort.replace('/tcp', ''), port));
    if (!hits) continue;
    if (!/^Anywhere/.test(from)) {
      if (action !== 'DENY' && action !== 'REJECT') exceptions.push(l.trim());
      continue;
    }
    const allow = action === 'ALLOW' || action === 'LIMIT';
    return {
      name: 'ufw',
      state: allow ? 'accepts' : 'blocks',
      rule: l.trim(),
      verdict: action,
      ...(exceptions.length ? { detail: `allowed only for: ${exceptions.join('; ')}` } : {}),
    };
  }
  const allow = incoming === 'allow';
  return {
    name: 'ufw',
    state: allow ? 'accepts' : 'blocks',
    rule: def ?? 'default: deny (incoming)',
    verdict: incoming,
    ...(exceptions.length ? { detail: `allowed only for: ${exceptions.join('; ')}` } : {}),
  };
}

export async function probeUfw(exec: Exec, port: number): Promise<FirewallLayer> {
  const cmd = ['ufw', 'status', 'verbose'];
  const r = await exec(cmd, { maxBytes: RULESET_MAX_BYTES });
  if (r.missing) return { name: 'ufw', state: 'absent', detail: 'ufw is not installed' };
  const why = failure(r, cmd);
  if (why) return { name: 'ufw', state: 'unknown', detail: why };
  if (r.exitCode !== 0)
    return {
      name: 'ufw',
      state: 'unknown',
      detail: (r.stderr.trim().split('\n')[0] ?? '') || `exit ${r.exitCode}`,
      ...(/root/.test(r.stderr) ? { needsRoot: true } : {}),
    };
  const layer = ufwLayer(r.stdout, port);
  if (layer.state !== 'blocks') return layer;
  // The fix inserts the allow before the blocking rule by its number (an appended allow loses).
  const n = await exec(['ufw', 'status', 'numbered'], { maxBytes: RULESET_MAX_BYTES });
  return n.exitCode === 0 && !failure(n, ['ufw', 'status', 'numbered'])
    ? { ...layer, ufwRules: parseUfwNumbered(n.stdout) }
    : layer;
}
