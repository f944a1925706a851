// nftables: every base chain on the input hook sees the packet, in priority order; an accept
// ends only that chain, a drop/reject ends it all. Rules are read from `nft -j list ruleset`.
import type { FirewallLayer } from '../../facts.js';
import { failure, RULESET_MAX_BYTES, type Exec } from '../../exec.js';
import { allowedOnlyFor, and, FIREWALL_BUDGET_MS, MAX_CHAIN_LISTINGS, not, portIn, type Match } from './verdict.js';

// From libnftables-json(5), as `nft -j list ruleset` prints it: a wide schema, only these parts are read.
interface NftExpr {
  set?: NftValue[];
  range?: [number, number];
  prefix?: { addr: string; len: number };
  payload?: { protocol?: string; field?: string };
  meta?: { key?: string };
  ct?: { key?: string };
}
type NftValue = string | number | NftExpr | NftValue[];

interface NftStatement {
  match?: { op?: string; left?: NftExpr; right?: NftValue };
  jump?: { target?: string };
  goto?: { target?: string };
  /** accept, drop, reject, return, counter, log…: the key names the statement. */
  [statement: string]: unknown;
}

interface NftChain {
  family: string;
  table: string;
  name: string;
  handle: number;
  hook?: string;
  prio?: number;
  policy?: string;
  type?: string;
}
interface NftRule {
  family: string;
  table: string;
  chain: string;
  handle: number;
  expr: NftStatement[];
}

export interface NftRuleset {
  chains: NftChain[];
  rules: NftRule[];
}

export function parseNftJson(text: string): NftRuleset {
  const doc = JSON.parse(text) as { nftables?: { chain?: NftChain; rule?: NftRule }[] };
  const out: NftRuleset = { chains: [], rules: [] };
  for (const item of doc.nftables ?? []) {
    if (item.chain) out.chains.push(item.chain);
    if (item.rule) out.rules.push(item.rule);
  }
  return out;
}

/** Property reads on a bare number, string or list find nothing, as they would in plain JS. */
function asExpr(v: NftValue | undefined): NftExpr | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
}

function valueMatches(right: NftValue | undefined, port: number): boolean {
  if (typeof right === 'number') return right === port;
  if (typeof right === 'string') return portIn(right, port);
  const x = asExpr(right);
  if (x?.set) return x.set.some((v) => valueMatches(v, port));
  if (x?.range) return port >= x.range[0] && port <= x.range[1];
  return false;
}

function exprMatches(e: NftStatement, port: number): Match {
  const m = e.match;
  if (!m) return 'yes'; // counter, log, limit-free statements do not filter
  const op = m.op;
  const left: NftExpr = m.left ?? {};
  const negate = op === '!=';
  let r: Match;
  if (left.payload?.field === 'dport' && ['tcp', 'th'].includes(left.payload.protocol ?? ''))
    r = valueMatches(m.right, port) ? 'yes' : 'no';
  else if (left.payload?.field === 'dport')
    r = 'no'; // udp/sctp dport: not our TCP packet
  else if (left.meta?.key === 'l4proto' || left.payload?.field === 'protocol' || left.payload?.field === 'nexthdr') {
    r = [m.right].flat().some((v) => v === 'tcp' || v === 6 || asExpr(v)?.set?.includes?.('tcp')) ? 'yes' : 'no';
  } else if (['iif', 'iifname'].includes(left.meta?.key ?? '')) r = m.right === 'lo' ? 'no' : 'maybe';
  else if (left.ct?.key === 'state') r = [m.right].flat().includes('new') ? 'yes' : 'no';
  else if (left.meta?.key === 'nfproto') r = 'maybe';
  else r = 'maybe'; // saddr, sets, marks…: depends on who connects
  return negate ? not(r) : r;
}

type Verdict =
  | 'accept'
  | 'drop'
  | 'reject'
  | 'return'
  | { jump: string | undefined }
  | { goto: string | undefined }
  | undefined;

function verdictOf(exprs: NftStatement[]): Verdict {
  for (const e of exprs) {
    if ('accept' in e) return 'accept';
    if ('drop' in e) return 'drop';
    if ('reject' in e) return 'reject';
    if ('return' in e) return 'return';
    if (e.jump) return { jump: e.jump.target };
    if (e.goto) return { goto: e.goto.target };
  }
  return undefined;
}

function ruleText(r: NftRule): string {
  const parts = r.expr.map((e) => {
    if (e.match) {
      const l = e.match.left!; // libnftables-json: a match always has a left operand
      const left = l.payload
        ? `${l.payload.protocol} ${l.payload.field}`
        : l.meta
          ? `meta ${l.meta.key}`
          : l.ct
            ? `ct ${l.ct.key}`
            : JSON.stringify(l);
      const rhs = e.match.right;
      const x = asExpr(rhs);
      const item = (v: NftValue) => {
        const range = asExpr(v)?.range;
        return range ? range.join('-') : v;
      };
      const right = x?.set
        ? `{ ${x.set.map(item).join(', ')} }`
        : Array.isArray(rhs)
          ? rhs.join(',')
          : x?.range
            ? x.range.join('-')
            : x?.prefix
              ? `${x.prefix.addr}/${x.prefix.len}`
              : typeof rhs === 'object'
                ? JSON.stringify(rhs)
                : String(rhs);
      return `${left} ${e.match.op === '==' || e.match.op === 'in' ? '' : `${e.match.op} `}${right}`;
    }
    const k = Object.keys(e)[0]!;
    const arg = e[k];
    const target = typeof arg === 'object' && arg !== null && 'target' in arg ? arg.target : undefined;
    return target ? `${k} ${target}` : k;
  });
  return parts.join(' ');
}

interface NftDecision {
  verdict: 'accept' | 'drop' | 'reject';
  rule?: NftRule;
  chain: NftChain;
  exceptions: NftRule[];
}

/** iptables-nft keeps its own tables (ip/ip6 "filter" with INPUT): those belong to the iptables layer. */
function isIptablesNft(c: NftChain): boolean {
  return (
    (c.family === 'ip' || c.family === 'ip6') &&
    ['filter', 'raw', 'mangle', 'nat', 'security'].includes(c.table) &&
    c.name === c.name.toUpperCase()
  );
}

const chainKey = (family: string, table: string, name: string) => `${family}\0${table}\0${name}`;

function inputBaseChains(rs: NftRuleset): NftChain[] {
  return rs.chains
    .filter(
      (c) => c.hook === 'input' && c.type === 'filter' && ['inet', 'ip', 'ip6'].includes(c.family) && !isIptablesNft(c),
    )
    .sort((a, b) => (a.prio ?? 0) - (b.prio ?? 0));
}

/** Rules grouped by chain once: the walk then costs the rules it visits. */
function rulesByChain(rs: NftRuleset): Map<string, NftRule[]> {
  const m = new Map<string, NftRule[]>();
  for (const r of rs.rules) {
    const k = chainKey(r.family, r.table, r.chain);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

const ruleMatch = (r: NftRule, port: number): Match =>
  r.expr.reduce<Match>((acc, e) => and(acc, exprMatches(e, port)), 'yes');

export function decideNft(rs: NftRuleset, port: number): NftDecision | undefined {
  const base = inputBaseChains(rs);
  const rules = rulesByChain(rs);
  const chains = new Map(rs.chains.map((c) => [chainKey(c.family, c.table, c.name), c]));
  const exceptions: NftRule[] = [];
  const walk = (c: NftChain, depth: number): Omit<NftDecision, 'chain' | 'exceptions'> | 'return' | undefined => {
    if (depth > 16) return undefined;
    for (const r of rules.get(chainKey(c.family, c.table, c.name)) ?? []) {
      const m = ruleMatch(r, port);
      if (m === 'no') continue;
      const v = verdictOf(r.expr);
      if (v === undefined) continue;
      if (m === 'maybe') {
        if (v === 'accept') exceptions.push(r);
        continue;
      }
      if (v === 'accept' || v === 'drop' || v === 'reject') return { verdict: v, rule: r };
      if (v === 'return') return 'return';
      const target = 'jump' in v ? v.jump : v.goto;
      const sub = chains.get(chainKey(c.family, c.table, target ?? ''));
      if (!sub) continue;
      const d = walk(sub, depth + 1);
      if (d && d !== 'return') return d;
      if ('goto' in v) return 'return';
    }
    return undefined;
  };
  let last: NftDecision | undefined;
  for (const c of base) {
    const d = walk(c, 0);
    const decided =
      d && d !== 'return' ? d : { verdict: (c.policy === 'drop' ? 'drop' : 'accept') as 'accept' | 'drop' };
    last = { ...decided, chain: c, exceptions };
    if (decided.verdict !== 'accept') return last;
  }
  return last;
}

/**
 * Chains a surely-matching jump/goto leads to from the input base chains, whose rules are not
 * listed yet (`listed` holds chain keys already asked for).
 */
export function nftChainsToList(rs: NftRuleset, port: number, listed: ReadonlySet<string>): NftChain[] {
  const rules = rulesByChain(rs);
  const chains = new Map(rs.chains.map((c) => [chainKey(c.family, c.table, c.name), c]));
  const out = new Map<string, NftChain>();
  const seen = new Set<string>();
  const visit = (c: NftChain) => {
    const k = chainKey(c.family, c.table, c.name);
    if (seen.has(k)) return;
    seen.add(k);
    if (!listed.has(k)) {
      out.set(k, c);
      return;
    }
    for (const r of rules.get(k) ?? []) {
      const v = verdictOf(r.expr);
      if (typeof v !== 'object' || ruleMatch(r, port) !== 'yes') continue;
      const sub = chains.get(chainKey(c.family, c.table, ('jump' in v ? v.jump : v.goto) ?? ''));
      if (sub) visit(sub);
    }
  };
  for (const c of inputBaseChains(rs)) visit(c);
  return [...out.values()];
}

export function nftLayer(rs: NftRuleset, port: number): FirewallLayer {
  const d = decideNft(rs, port);
  if (!d) return { name: 'nftables', state: 'inactive', detail: 'no input filter chain' };
  const where = {
    family: d.chain.family,
    table: d.chain.table,
    chain: d.rule?.chain ?? d.chain.name,
    ...(d.rule ? { handle: d.rule.handle } : {}),
  };
  const exc = d.exceptions.length ? { detail: allowedOnlyFor(d.exceptions.map(ruleText)) } : {};
  return {
    name: 'nftables',
    state: d.verdict === 'accept' ? 'accepts' : 'blocks',
    rule: d.rule ? ruleText(d.rule) : `policy ${d.chain.policy ?? 'accept'}`,
    verdict: d.verdict,
    where,
    ...exc,
  };
}

/**
 * The chains only (`nft -j list chains`, no rules), then the rules of the input base chains, then
 * only the chains a surely-matching rule jumps to: `nft -j list ruleset` takes half a minute at
 * 200,000 rules and repeats every iptables-nft rule the iptables layer reads anyway. Past
 * `deadline` the layer is unknown, never a guess.
 */
export async function probeNftables(
  exec: Exec,
  port: number,
  deadline = Date.now() + FIREWALL_BUDGET_MS,
): Promise<FirewallLayer> {
  const rs: NftRuleset = { chains: [], rules: [] };
  const listed = new Set<string>();
  let cmds: string[][] = [['nft', '-j', 'list', 'chains']];
  let first = true;
  while (cmds.length > 0) {
    const left = deadline - Date.now();
    const results = await Promise.all(
      cmds.map((cmd) => exec(cmd, { maxBytes: RULESET_MAX_BYTES, timeoutMs: Math.max(left, 1) })),
    );
    for (const [i, r] of results.entries()) {
      const cmd = cmds[i]!;
      if (r.missing) return { name: 'nftables', state: 'absent', detail: 'nft is not installed' };
      const why = r.timedOut
        ? `${cmd.join(' ')} did not finish within the ${FIREWALL_BUDGET_MS / 1000} s the firewall check may take`
        : failure(r, cmd);
      if (why) return { name: 'nftables', state: 'unknown', detail: why };
      if (r.exitCode !== 0) {
        return {
          name: 'nftables',
          state: 'unknown',
          detail: r.stderr.trim().split('\n')[0] ?? `exit ${r.exitCode}`,
          ...(/Operation not permitted|Permission denied/.test(r.stderr) ? { needsRoot: true } : {}),
        };
      }
      let part: NftRuleset;
      try {
        part = parseNftJson(r.stdout);
      } catch {
        return { name: 'nftables', state: 'unknown', detail: `${cmd.join(' ')} printed something that is not JSON` };
      }
      // The chain list is the map; later listings add rules (their chain entries repeat it).
      if (first) rs.chains = part.chains;
      else rs.rules.push(...part.rules);
    }
    first = false;
    const wanted = nftChainsToList(rs, port, listed);
    for (const c of wanted) listed.add(chainKey(c.family, c.table, c.name));
    const tables = [...new Map(wanted.map((c) => [`${c.family} ${c.table}`, c])).values()];
    // Many chains at one level: one listing per table costs less than one command each.
    cmds =
      wanted.length > MAX_CHAIN_LISTINGS
        ? tables.map((t) => ['nft', '-j', 'list', 'table', t.family, t.table])
        : wanted.map((c) => ['nft', '-j', 'list', 'chain', c.family, c.table, c.name]);
    if (wanted.length > MAX_CHAIN_LISTINGS) {
      // A whole table brings every chain of it: none of them is to be listed again.
      for (const c of rs.chains)
        if (tables.some((t) => t.family === c.family && t.table === c.table))
          listed.add(chainKey(c.family, c.table, c.name));
      rs.rules = rs.rules.filter((r) => !tables.some((t) => t.family === r.family && t.table === r.table));
    }
  }
  return nftLayer(rs, port);
}
