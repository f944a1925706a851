// The console kit's pasted-back block → the same ServerFacts the server probes build, using the
// server probes' own pure parsers, so serverFindings() gives the same ids as `ssh-doctor server`.
import { gunzipSync } from 'node:zlib';
import { formatBytes, MiB } from '../../bytes.js';
import { UsageError } from '../../errors.js';
import { attributeManaged } from '../../server/collect.js';
import { parseAuthorizedKeys } from '../../server/authorized-keys.js';
import { assumeClient } from '../../server/client-address.js';
import {
  known,
  type FileStat,
  type FirewallLayer,
  type Maybe,
  type ServerFacts,
  type UserFacts,
} from '../../server/facts.js';
import { authorizedKeysPaths, oversize, parseGroupLine, prefixes } from '../../server/probes/auth-files.js';
import { forcedProgram } from '../../server/probes/session.js';
import { parseSshdT, SAMPLE_CLIENT } from '../../server/probes/effective.js';
import { firewalldLayer } from '../../server/probes/firewall/firewalld.js';
import { iptablesLayer, parseIptablesS } from '../../server/probes/firewall/iptables.js';
import { nftLayer, parseNftJson } from '../../server/probes/firewall/nftables.js';
import { ufwLayer } from '../../server/probes/firewall/ufw.js';
import {
  DEFAULT_HOST_KEYS,
  NOLOGIN_FILES,
  parseEtcShells,
  parseUseraddDefaults,
  PRIVSEP_DIR,
} from '../../server/probes/host-files.js';
import { decideInit, INIT_PATHS } from '../../server/probes/init.js';
import { parseNetstatOutput, parseSsOutput } from '../../server/probes/listeners.js';
import { explainingLines } from '../../server/probes/logs.js';
import { parsePs } from '../../server/probes/processes.js';
import { parseDpkgQuery } from '../../server/probes/sshd-binary.js';
import { parseSshdTest } from '../../server/probes/sshd-test.js';
import { parseStat } from '../../server/probes/stat.js';
import { parsePasswd, parseShadow } from '../../server/probes/user.js';
import type { ConfigSource } from '../../server/fixes/sshd-config.js';
import { parentDirs } from '../../server/strict-modes.js';
import { cksum } from './cksum.js';
import { KIT_BEGIN, KIT_END, KIT_SUM } from './script.js';

export interface Section {
  name: string;
  /** Exit status where the kit recorded one (127: the tool is not installed). */
  status?: number;
  args: string[];
  body: string;
}

/**
 * A kit block is tens of kilobytes (a big firewall makes it a few megabytes): far more is not one,
 * and reading it all would only fill memory.
 */
export const KIT_INPUT_MAX_BYTES = 16 * MiB;

/** What the gzip inside a block may unpack to: gzip can grow a thousandfold. */
const KIT_UNPACKED_MAX_BYTES = 64 * MiB;

export const KIT_TOO_LARGE = `The input is over ${formatBytes(KIT_INPUT_MAX_BYTES)}, far more than a console kit block: paste only what the kit printed, from BEGIN to END.`;

/**
 * Said with the verdict of a block that carries no checksum: from a kit of an older ssh-doctor,
 * or a console without cksum.
 */
export const KIT_UNCHECKED =
  'This block carries no checksum (a kit from an older ssh-doctor, or a console without cksum), so a change made in copying would go unnoticed: if a finding looks wrong, run the kit again and paste its whole block.';

export interface Unpacked {
  /** The kit's sections, as text. */
  raw: string;
  warning?: string;
}

/** The text between the markers, unpacked: gzip+base64 ("z") or filtered plain text ("t"). */
export function unpackBlock(pasted: string): Unpacked {
  if (Buffer.byteLength(pasted) > KIT_INPUT_MAX_BYTES) throw new UsageError(KIT_TOO_LARGE);
  // A console echoes the pasted script, whose echo commands hold the markers in quotes: those
  // do not count. A prompt may sit before BEGIN or after END. The last complete block wins.
  const lines = pasted.replace(/\r/g, '').split('\n');
  const lastStarting = (upTo: number, marker: string) => {
    for (let i = upTo - 1; i >= 0; i--) if (lines[i]!.includes(marker) && !lines[i]!.includes(`'${marker}`)) return i;
    return -1;
  };
  const end = lastStarting(lines.length, KIT_END);
  const begin = end < 0 ? -1 : lastStarting(end, KIT_BEGIN);
  if (begin < 0) throw new UsageError(`No console kit block found: paste everything from ${KIT_BEGIN} to ${KIT_END}.`);
  // Consoles pad lines with spaces when copying; the kit never ends a line with one.
  const block = lines.slice(begin + 1, end).map((l) => l.replace(/\s+$/, ''));
  let sumAt = -1;
  for (let i = block.length - 1; i > 0 && sumAt < 0; i--) if (block[i]!.includes(SUM_MARK)) sumAt = i;
  let warning: string | undefined;
  if (sumAt < 0) warning = KIT_UNCHECKED;
  else {
    const damage = damageOf(block.slice(0, sumAt + 1));
    if (damage)
      throw new UsageError(
        `The block was changed in copying: ${damage}; copy it again without the screen's borders or line breaks, or save it to a file and run ssh-doctor locked-out --decode FILE.`,
      );
  }
  const kind = block[0]?.trim();
  const rest = block.slice(1, sumAt < 0 ? undefined : sumAt).join('\n') + '\n';
  if (kind === 't') return { raw: rest, warning };
  if (kind !== 'z')
    throw new UsageError('The console kit block is damaged (its first line should be "z" or "t"): copy it again.');
  try {
    // Terminals add spaces and wrap lines; base64 ignores neither, so strip all whitespace.
    const raw = gunzipSync(Buffer.from(rest.replace(/\s+/g, ''), 'base64'), {
      maxOutputLength: KIT_UNPACKED_MAX_BYTES,
    }).toString('utf8');
    return { raw, warning };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new UsageError(
        `The console kit block unpacks to more than ${formatBytes(KIT_UNPACKED_MAX_BYTES)}, which no kit prints: copy the block again.`,
      );
    throw new UsageError('The console kit block is damaged (it does not unpack): copy it again, every line.');
  }
}

const SUM_MARK = `:::${KIT_SUM}`;

/**
 * What changed in a block that carries a checksum, as the end of one sentence; undefined when it
 * is as the kit printed it. `block` runs from the "z"/"t" line to the checksum line; lines are
 * numbered from BEGIN, the way a person counts them on screen.
 */
function damageOf(block: readonly string[]): string | undefined {
  const lineNo = (i: number) => `line ${i + 2} of the block`;
  const show = (chars: string) => JSON.stringify([...new Set(chars)].join('').slice(0, 8));
  // The kit prints printable ASCII only: box borders (│) and other marks come from the screen.
  for (const [i, l] of block.entries()) {
    const foreign = l.replace(/[\x20-\x7e]/g, '');
    if (foreign) return `${lineNo(i)} holds characters the kit never prints (${show(foreign)})`;
  }
  const kind = block[0];
  if (kind !== 'z' && kind !== 't') return `${lineNo(0)} is ${JSON.stringify(kind)}, where the kit prints "z" or "t"`;
  const sumLine = block.at(-1)!;
  const payload = block.slice(1, -1);
  if (kind === 'z') {
    for (const [i, l] of payload.entries()) {
      const foreign = l.replace(/[A-Za-z0-9+/=]/g, '');
      if (foreign) return `${lineNo(i + 1)} holds characters base64 never prints (${show(foreign)})`;
    }
    // base64 fills every line to one width; only the last may be shorter.
    const width = payload[0]?.length ?? 0;
    for (const [i, l] of payload.entries()) {
      const last = i === payload.length - 1;
      if (l.length > width || (l.length < width && !last))
        return `${lineNo(i + 1)} is ${l.length < width ? 'shorter' : 'longer'} than the others (${l.length} characters, not ${width})`;
    }
  }
  const m = new RegExp(`^${SUM_MARK} (\\d+) (\\d+)$`).exec(sumLine);
  if (!m) return `its checksum line (${lineNo(block.length - 1)}) is not as the kit printed it`;
  const [crc, length] = cksum(payload.join('\n') + '\n').split(' ');
  if (length !== m[2]) return `it holds ${length} bytes where the kit printed ${m[2]}`;
  if (crc !== m[1]) return 'its checksum does not match (the same length, other characters)';
  return undefined;
}

export function parseSections(raw: string): Section[] {
  const out: Section[] = [];
  let cur: Section | undefined;
  for (const line of raw.split('\n')) {
    const m = /^:::(\S+)(?: (.*))?$/.exec(line);
    if (m) {
      const args = (m[2] ?? '').split(' ').filter(Boolean);
      const status =
        args.length && /^\d+$/.test(args[0]!) && STATUS_SECTIONS.has(m[1]!) ? Number(args.shift()) : undefined;
      cur = { name: m[1]!, status, args, body: '' };
      out.push(cur);
    } else if (cur) cur.body += line + '\n';
  }
  return out;
}

/** Sections written by the kit's r() helper, whose first argument is an exit status. */
const STATUS_SECTIONS = new Set([
  'pkg',
  'ps',
  'en',
  't',
  'T',
  'ss',
  'ns',
  'ipt',
  'ip6',
  'nft',
  'ufw',
  'fwd',
  'fwl',
  'pw',
  'gr',
  'sh',
  'grp',
  'keys',
  'ud',
]);

function firewallLayer(
  s: Section | undefined,
  name: FirewallLayer['name'],
  decide: (body: string) => FirewallLayer,
): FirewallLayer | undefined {
  if (!s) return undefined;
  if (s.status === 127)
    return { name, state: 'absent', detail: `${name === 'nftables' ? 'nft' : name} is not installed` };
  if (s.status !== 0) {
    const first = s.body.trim().split('\n')[0] || `exit ${s.status}`;
    return {
      name,
      state: 'unknown',
      detail: first,
      ...(/Permission denied|must be root|not permitted/.test(s.body) ? { needsRoot: true } : {}),
    };
  }
  try {
    return decide(s.body);
  } catch {
    return { name, state: 'unknown', detail: `${name} output from the kit could not be read` };
  }
}

/** Build ServerFacts from the sections; `today` is days since 1970 (shadow expiry). */
export function kitFacts(sections: Section[], today = Math.floor(Date.now() / 86_400_000)): ServerFacts {
  const get = (n: string) => sections.find((s) => s.name === n);
  const all = (n: string) => sections.filter((s) => s.name === n);
  const user = get('u')?.args[0];
  const port = Number(get('p')?.args[0]);
  if (get('v')?.args[0] !== '1' || !user || !(port > 0))
    throw new UsageError('This is not a console kit result this version understands (missing version, user or port).');

  const stats = new Map<string, FileStat>();
  for (const s of all('stat')) for (const st of parseStat(s.body.replace(/\|/g, '\t'))) stats.set(st.path, st);
  const stat = (p: string): FileStat => stats.get(p) ?? { path: p, exists: false };

  const facts: ServerFacts = { target: { user, port }, root: get('id')?.args[0] === '0' };
  const sshdPath = get('sshd')?.args[0];
  const pkg = get('pkg');
  facts.sshd = sshdPath ? { path: sshdPath, ...(pkg?.status === 0 ? { package: parseDpkgQuery(pkg.body) } : {}) } : {};

  const ps = get('ps');
  facts.processes =
    !ps || ps.status === 127
      ? { unknown: 'ps is not installed' }
      : ps.status === 0 || !ps.body.trim()
        ? parsePs(ps.body)
        : { unknown: `ps -C failed: ${ps.body.trim().split('\n')[0]}` };
  const en = get('en');
  facts.init = decideInit({
    pid1: get('pid1')?.args[0] ?? '',
    present: INIT_PATHS.filter((p) => stats.get(p)?.exists),
    ...(en && en.status !== 127 && en.body.trim() ? { enabled: en.body.split('\n')[0]! } : {}),
  });

  const t = get('t');
  if (t) {
    const test = parseSshdTest(t.body, t.status);
    facts.configTest =
      !test.ok && /Permission denied/.test(t.body)
        ? { unknown: 'sshd -t could not read its files (run the kit as root)', needsRoot: true }
        : test;
  }
  const T = get('T');
  const eff = T?.status === 0 ? { context: { user, ...SAMPLE_CLIENT }, config: parseSshdT(T.body) } : undefined;
  if (T && !eff) {
    const first =
      T.body
        .trim()
        .split('\n')
        .find((l) => !/^@|WARNING|It is required|This private key/.test(l)) || `exit ${T.status}`;
    facts.effective = {
      unknown: `sshd -T failed: ${first}`,
      ...(!facts.root && /Permission denied|must be run as root|hostkeys/.test(T.body) ? { needsRoot: true } : {}),
    };
  } else if (eff) facts.effective = eff;

  const ss = get('ss');
  const ns = get('ns');
  facts.listeners =
    ss?.status === 0
      ? { source: 'ss', sockets: parseSsOutput(ss.body) }
      : ns?.status === 0
        ? { source: 'netstat', sockets: parseNetstatOutput(ns.body) }
        : { unknown: 'neither ss nor netstat answered on the host' };

  const fwd = get('fwd');
  facts.firewall = attributeManaged(
    [
      firewallLayer(get('ipt'), 'iptables', (b) => iptablesLayer('iptables', parseIptablesS(b), port)),
      firewallLayer(get('ip6'), 'ip6tables', (b) => iptablesLayer('ip6tables', parseIptablesS(b), port)),
      firewallLayer(get('nft'), 'nftables', (b) => nftLayer(parseNftJson(b), port)),
      firewallLayer(get('ufw'), 'ufw', (b) => ufwLayer(b, port)),
      fwd && fwd.status !== 127 && fwd.status !== 0
        ? ({ name: 'firewalld', state: 'inactive', detail: fwd.body.trim() || 'not running' } as FirewallLayer)
        : firewallLayer(fwd && fwd.status === 0 ? get('fwl') : fwd, 'firewalld', (b) => firewalldLayer(b, port)),
    ].filter((l): l is FirewallLayer => l !== undefined),
  );

  facts.privsepDir = stat(PRIVSEP_DIR);
  const hostKeyPaths = eff?.config.hostkey?.length ? eff.config.hostkey : DEFAULT_HOST_KEYS;
  facts.hostKeys = { keys: hostKeyPaths.map(stat) };
  const nl = NOLOGIN_FILES.map(stat).find((s) => s.exists);
  const nlText = nl ? all('nl').find((s) => s.args[0] === nl.path)?.body : undefined;
  facts.nologin = nl
    ? { exists: true, path: nl.path, ...(nlText?.trim() ? { text: nlText } : {}) }
    : { exists: false, path: NOLOGIN_FILES[0]! };

  facts.user = userFacts(user, get('pw'), get('gr'), get('sh'), today);
  // ":::sl" then /etc/shells, and useradd -D: only when the account's shell refuses logins.
  const sl = get('sl');
  const ud = get('ud');
  const dflt = ud?.status === 0 ? parseUseraddDefaults(ud.body) : undefined;
  if (sl) facts.shells = { listed: parseEtcShells(sl.body), ...(dflt ? { useraddDefault: dflt } : {}) };
  const u = facts.user as UserFacts;
  if (!('unknown' in facts.user) && u.exists) {
    const paths = authorizedKeysPaths(eff, u);
    const keyCounts: Record<string, number> = {};
    for (const k of all('keys')) keyCounts[k.args.join(' ')] = Number(k.status ?? 0);
    // ":::big SIZE PATH": the kit did not count the keys of a file that large.
    const unread = all('big').flatMap((b) => {
      const bytes = Number(b.args[0]);
      const why = oversize(bytes);
      return why ? [{ path: b.args.slice(1).join(' '), why, bytes }] : [];
    });
    const accounts = parsePasswd(get('pwg')?.body ?? '');
    // ":::kc PATH" then the file as the user read it (the kit skips this without setpriv).
    const keyLines = Object.fromEntries(all('kc').map((k) => [k.args.join(' '), parseAuthorizedKeys(k.body)]));
    facts.authFiles = {
      authorizedKeys: paths.map(stat),
      keyCounts,
      ...(all('kc').length ? { keyLines } : {}),
      ...(unread.length ? { unread } : {}),
      dirs: [...new Set(paths.flatMap(parentDirs))].map(stat),
      groups: all('grp').flatMap((g) => {
        const p = g.status === 0 ? parseGroupLine(g.body) : undefined;
        return p
          ? [{ ...p, primaryOf: accounts.filter((a) => a.gid === p.gid).map((a) => ({ name: a.name, uid: a.uid })) }]
          : [];
      }),
    };
  }

  const wa = get('wallow');
  const wd = get('wdeny');
  // The kit lists the files only when ldd shows libwrap in this sshd.
  if (T) facts.tcpWrappers = { linked: wd !== undefined, allow: wa?.body ?? '', deny: wd?.body ?? '' };
  const ch = get('ch')?.args.join(' ');
  const fc = eff?.config.forcecommand?.[0];
  const program = fc && fc !== 'none' && fc !== 'internal-sftp' ? forcedProgram(fc) : undefined;
  if (eff)
    facts.session = {
      ...(ch ? { chroot: { path: ch, components: ['/', ...prefixes(ch)].map(stat) } } : {}),
      ...(fc && program ? { forceCommand: { command: fc, program: stat(`${ch ?? ''}${program}`) } } : {}),
    };

  const log = get('log');
  facts.logs = !log
    ? { unknown: 'no sshd log found (journalctl, /var/log/auth.log, /var/log/secure)' }
    : log.args[0] === '-'
      ? { unknown: `cannot read ${log.args[1]} (run as root)`, needsRoot: true }
      : { source: log.args.join(' '), lines: explainingLines(log.body, user) };
  const logLines = known(facts.logs)?.lines;
  facts.client = assumeClient(undefined, logLines, user);
  return facts;
}

function userFacts(
  name: string,
  pw: Section | undefined,
  gr: Section | undefined,
  sh: Section | undefined,
  today: number,
): Maybe<UserFacts> {
  if (!pw || pw.status === 127) return { unknown: 'getent is not installed' };
  const entry = parsePasswd(pw.body)[0];
  if (pw.status === 2 || !entry) return { name, exists: false };
  const user: UserFacts = { name, exists: true, uid: entry.uid, gid: entry.gid, home: entry.home, shell: entry.shell };
  if (gr?.status === 0) user.groups = gr.body.trim().split(/\s+/);
  if (sh?.status === 0 && sh.body.trim()) Object.assign(user, parseShadow(sh.body, today));
  return user;
}

export function decodeKit(pasted: string, today?: number): ServerFacts {
  return decodeKitChecked(pasted, today).facts;
}

export interface DecodedKit {
  facts: ServerFacts;
  /** sshd_config and the files of its default Include directory, as the kit read them. */
  sources: ConfigSource[];
  /** What to say with the findings when the block could not be checked. */
  warning?: string;
}

export function decodeKitChecked(pasted: string, today?: number): DecodedKit {
  const { raw, warning } = unpackBlock(pasted);
  const sections = parseSections(raw);
  return { facts: kitFacts(sections, today), sources: kitSources(sections), ...(warning ? { warning } : {}) };
}

/** ":::cf PATH" then the file; the kit adds a newline after each, which adds no line that matters. */
export function kitSources(sections: readonly Section[]): ConfigSource[] {
  return sections
    .filter((s) => s.name === 'cf' && s.args.length)
    .map((s) => ({ path: s.args.join(' '), text: s.body.replace(/\n$/, '') }));
}
