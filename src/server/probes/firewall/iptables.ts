// iptables/ip6tables: walk the filter table's INPUT chain the way the kernel does — first
// terminal match wins, user chains are jumped into and RETURN back, the policy decides last.
import type { FirewallLayer } from '../../facts.js';
import { failure, lines, RULESET_MAX_BYTES, type Exec } from '../../exec.js';
import {
  allowedOnlyFor,
  and,
  FIREWALL_BUDGET_MS,
  MAX_CHAIN_LISTINGS,
  not,
  portIn,
  TERMINAL_BLOCK,
  type Match,
} from './verdict.js';

export interface IptRule {
  chain: string;
  /** 1-based position within its chain. */
  position: number;
  args: string[];
  text: string;
}

export interface IptRuleset {
  policies: Record<string, string>;
  /** User-defined chains (-N). */
  chains: string[];
  rules: IptRule[];
}

/** `iptables -S` (no quoting surprises except --comment "…", which we only need to skip). */
export function parseIptablesS(stdout: string): IptRuleset {
  const out: IptRuleset = { policies: {}, chains: [], rules: [] };
  const counts: Record<string, number> = {};
  for (const l of lines(stdout)) {
    const args = l.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
    if (args[0] === '-P') out.policies[args[1]!] = args[2]!;
    else if (args[0] === '-N') out.chains.push(args[1]!);
    else if (args[0] === '-A') {
      const chain = args[1]!;
      counts[chain] = (counts[chain] ?? 0) + 1;
      out.rules.push({ chain, position: counts[chain]!, args: args.slice(2), text: l });
    }
  }
  return out;
}

/** Does this rule match a new TCP connection to `port` arriving on a non-loopback interface? */
export function ruleMatches(args: readonly string[], port: number): Match {
  let m: Match = 'yes';
  for (let i = 0; i < args.length; i++) {
    let neg = false;
    let a = args[i]!;
    if (a === '!') {
      neg = true;
      a = args[++i]!;
    }
    const v = args[i + 1];
    const apply = (x: Match) => (m = and(m, neg ? not(x) : x));
    switch (a) {
      case '-p':
        i++;
        apply(v === 'tcp' || v === '6' || v === 'all' ? 'yes' : 'no');
        break;
      case '-i':
        i++;
        apply(v === 'lo' ? 'no' : v === '+' ? 'yes' : 'maybe');
        break;
      case '-s':
      case '-d':
        i++;
        apply(v === '0.0.0.0/0' || v === '::/0' ? 'yes' : 'maybe');
        break;
      case '--dport':
      case '--destination-port':
      case '--dports':
      case '--destination-ports':
        i++;
        apply(portIn(v!, port) ? 'yes' : 'no');
        break;
      case '--ctstate':
      case '--state':
        i++;
        apply(v!.split(',').includes('NEW') ? 'yes' : 'no');
        break;
      case '--dst-type':
        // Our packet is addressed to this host.
        i++;
        apply(v === 'LOCAL' ? 'yes' : 'no');
        break;
      case '--limit':
      case '--limit-burst':
        // A rate limit lets the first connection through.
        i++;
        break;
      case '-m':
        i++;
        if (!['tcp', 'multiport', 'conntrack', 'state', 'comment', 'addrtype', 'limit'].includes(v!)) apply('maybe');
        break;
      case '--comment':
        i++;
        break;
      case '-j':
      case '-g':
        return m;
      default:
        // An option we do not model (--sport, -m recent, -m set, …): it may or may not match.
        if (a.startsWith('-')) {
          if (v !== undefined && !v.startsWith('-')) i++;
          apply('maybe');
        }
    }
  }
  return m;
}

function target(args: readonly string[]): { kind: '-j' | '-g'; name: string } | undefined {
  const i = args.findIndex((a) => a === '-j' || a === '-g');
  return i >= 0 ? { kind: args[i] as '-j' | '-g', name: args[i + 1]! } : undefined;
}

export interface Decision {
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  rule?: IptRule;
  /** Rules that accept only some sources (e.g. -s 10.0.0.0/8) passed on the way. */
  exceptions: IptRule[];
}

/** Each chain's rules in order, grouped once: a walk then costs the rules it visits, not all rules per chain. */
function byChain(rs: IptRuleset): Map<string, IptRule[]> {
  const m = new Map<string, IptRule[]>();
  for (const r of rs.rules) {
    const list = m.get(r.chain);
    if (list) list.push(r);
    else m.set(r.chain, [r]);
  }
  return m;
}

const BUILTIN_TARGETS = new Set(['ACCEPT', 'DROP', 'REJECT', 'RETURN']);

export function decideIptables(rs: IptRuleset, port: number): Decision {
  const exceptions: IptRule[] = [];
  const rules = byChain(rs);
  const chains = new Set(rs.chains);
  const walk = (chain: string, depth: number): Decision | undefined => {
    if (depth > 20) return undefined;
    for (const r of rules.get(chain) ?? []) {
      const m = ruleMatches(r.args, port);
      if (m === 'no') continue;
      const t = target(r.args);
      if (!t) continue;
      if (t.name === 'ACCEPT' || TERMINAL_BLOCK.has(t.name)) {
        if (m === 'yes') return { verdict: t.name as Decision['verdict'], rule: r, exceptions };
        if (t.name === 'ACCEPT') exceptions.push(r);
        continue;
      }
      if (t.name === 'RETURN') {
        if (m === 'yes') return undefined;
        continue;
      }
      // Other targets (LOG, MARK, …) do not end the walk.
      if (!chains.has(t.name) || m !== 'yes') continue;
      const d = walk(t.name, depth + 1);
      if (d) return d;
      if (t.kind === '-g') return undefined;
    }
    return undefined;
  };
  const d = walk('INPUT', 0);
  if (d) return d;
  const policy = rs.policies.INPUT ?? 'ACCEPT';
  return { verdict: policy === 'DROP' ? 'DROP' : 'ACCEPT', exceptions };
}

/**
 * Chains the walk may enter but whose rules are not listed yet: the targets of rules that surely
 * match, reached from INPUT through listed chains. `known` holds every name already asked about.
 */
export function chainsToList(rs: IptRuleset, port: number, known: ReadonlySet<string>): string[] {
  const rules = byChain(rs);
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (chain: string) => {
    if (seen.has(chain)) return;
    seen.add(chain);
    for (const r of rules.get(chain) ?? []) {
      const t = target(r.args);
      if (!t || BUILTIN_TARGETS.has(t.name) || ruleMatches(r.args, port) !== 'yes') continue;
      if (known.has(t.name)) visit(t.name);
      else out.add(t.name);
    }
  };
  visit('INPUT');
  return [...out];
}

export function iptablesLayer(name: 'iptables' | 'ip6tables', rs: IptRuleset, port: number): FirewallLayer {
  if (rs.rules.length === 0 && (rs.policies.INPUT ?? 'ACCEPT') === 'ACCEPT')
    return { name, state: 'inactive', detail: 'INPUT chain empty, policy ACCEPT' };
  const d = decideIptables(rs, port);
  const state = d.verdict === 'ACCEPT' ? 'accepts' : 'blocks';
  const exc = d.exceptions.length ? allowedOnlyFor(d.exceptions.map((r) => r.text)) : undefined;
  if (!d.rule)
    return {
      name,
      state,
      rule: `policy ${rs.policies.INPUT ?? 'ACCEPT'}`,
      verdict: d.verdict,
      where: { table: 'filter', chain: 'INPUT' },
      ...(exc ? { detail: exc } : {}),
    };
  return {
    name,
    state,
    rule: d.rule.text,
    verdict: d.verdict,
    where: { table: 'filter', chain: d.rule.chain, position: d.rule.position },
    ...(exc ? { detail: exc } : {}),
  };
}

/**
 * INPUT first, then only the chains a surely-matching rule jumps to, level by level: a 200,000-rule
 * blocklist that our packet never enters is never listed (listing it takes the kernel half a
 * minute). Past `deadline` the layer is unknown, never a guess.
 */
export async function probeIptables(
  exec: Exec,
  name: 'iptables' | 'ip6tables',
  port: number,
  deadline = Date.now() + FIREWALL_BUDGET_MS,
): Promise<FirewallLayer> {
  const rs: IptRuleset = { policies: {}, chains: [], rules: [] };
  const asked = new Set<string>();
  let wanted = ['INPUT'];
  while (wanted.length > 0) {
    // Many chains at one level: one listing of the whole table costs less than one command each.
    const whole = wanted.length > MAX_CHAIN_LISTINGS;
    const cmds = whole
      ? [[name, '-w', '2', '-S', '-t', 'filter']]
      : wanted.map((c) => [name, '-w', '2', '-S', c, '-t', 'filter']);
    const left = deadline - Date.now();
    const results = await Promise.all(
      cmds.map((cmd) => exec(cmd, { maxBytes: RULESET_MAX_BYTES, timeoutMs: Math.max(left, 1) })),
    );
    for (const [i, r] of results.entries()) {
      const cmd = cmds[i]!;
      if (r.missing) return { name, state: 'absent', detail: `${name} is not installed` };
      const why = r.timedOut
        ? `${cmd.join(' ')} did not finish within the ${FIREWALL_BUDGET_MS / 1000} s the firewall check may take`
        : failure(r, cmd);
      if (why) return { name, state: 'unknown', detail: why };
      if (r.exitCode !== 0) {
        // A target that is not a chain (LOG, MARK, …): nothing to list. iptables-nft says
        // "incompatible" for a name that is no chain; a real chain it cannot show would make the
        // whole-table listing fail as well.
        if (cmd[4] !== 'INPUT' && /No chain\/target\/match by that name|is incompatible/.test(r.stderr)) continue;
        const root = /Permission denied|must be root/.test(r.stderr);
        return {
          name,
          state: 'unknown',
          detail: r.stderr.trim().split('\n')[0] ?? `exit ${r.exitCode}`,
          ...(root ? { needsRoot: true } : {}),
        };
      }
      const part = parseIptablesS(r.stdout);
      if (whole) {
        rs.policies = part.policies;
        rs.chains = part.chains;
        rs.rules = part.rules;
      } else {
        Object.assign(rs.policies, part.policies);
        rs.chains.push(...part.chains);
        rs.rules.push(...part.rules);
      }
    }
    if (whole) break;
    for (const c of wanted) asked.add(c);
    wanted = chainsToList(rs, port, asked);
  }
  return iptablesLayer(name, rs, port);
}
