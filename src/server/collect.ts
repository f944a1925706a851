// Runs every server probe (independent ones in parallel) and assembles ServerFacts plus one
// ProbeRecord per probe. Works the same locally and over SSH: it only sees an Exec.
import type { ProbeRecord, ProbeStatus } from '../report.js';
import {
  isUnknown,
  known,
  type ConfigTest,
  type EffectiveConfig,
  type FirewallLayer,
  type Maybe,
  type ServerFacts,
  type Unknown,
  type UserFacts,
} from './facts.js';
import { failure, type Exec } from './exec.js';
import { assumeClient } from './client-address.js';
import { probeAuthFiles } from './probes/auth-files.js';
import { probeEffective } from './probes/effective.js';
import { probeAddressDependence } from './probes/address-dependence.js';
import { probeFirewalld } from './probes/firewall/firewalld.js';
import { probeIptables } from './probes/firewall/iptables.js';
import { probeNftables } from './probes/firewall/nftables.js';
import { probeUfw } from './probes/firewall/ufw.js';
import {
  DEFAULT_HOST_KEYS,
  probeHostKeys,
  probeNologin,
  probePrivsep,
  probeShells,
  probeTcpWrappers,
} from './probes/host-files.js';
import { probeInit } from './probes/init.js';
import { probeListeners, probeLocalAddresses } from './probes/listeners.js';
import { probeLogs } from './probes/logs.js';
import { probeProcesses } from './probes/processes.js';
import { probeSession } from './probes/session.js';
import { probeSshdBinary } from './probes/sshd-binary.js';
import { probeConfigTest } from './probes/sshd-test.js';
import { probeCrash } from './probes/crash.js';
import { probeBans } from './probes/bans.js';
import { statPaths } from './probes/stat.js';
import { probeGroups, probeUser } from './probes/user.js';

export interface Collected {
  facts: ServerFacts;
  probes: ProbeRecord[];
}

export async function collectFacts(
  execOn: Exec,
  target: { user: string; port: number; from?: string },
): Promise<Collected> {
  let lostTo: string | undefined;
  const exec: Exec = async (cmd, opts) => {
    const r = await execOn(cmd, opts);
    lostTo ??= r.connectionLost;
    return r;
  };
  /** A probe whose own commands met a lost connection: unknown, whatever it made of the silence. */
  const probe = <T>(f: (exec: Exec) => Promise<Maybe<T>>) => unlessLost(exec, f, (why): Unknown => ({ unknown: why }));
  const probes: ProbeRecord[] = [];
  const timed = async <T>(
    id: string,
    f: () => Promise<T>,
    judge: (x: T) => { status: ProbeStatus; detail: string },
  ): Promise<T> => {
    const t0 = Date.now();
    const x = await f();
    probes.push({ id, durationMs: Date.now() - t0, ...judge(x) });
    return x;
  };
  // The log goes first, beside the rest: its last refusal of the user is the client address
  // sshd -T is asked about, so it heads the longest chain (log, sshd -T, the user's files).
  const logsDone = timed(
    'logs',
    () => probe((e) => probeLogs(e, target.user)),
    (x) => (isUnknown(x) ? unk(x) : { status: 'ok', detail: `${x.lines.length} explaining lines in ${x.source}` }),
  );
  const [idr, processes] = await Promise.all([
    exec(['id', '-u']),
    // Before any sshd command (sshd -V, -t, -T): each is an sshd process too, for a moment.
    timed(
      'running',
      () => probe(probeProcesses),
      (x) =>
        isUnknown(x)
          ? unk(x)
          : x.pids.length
            ? { status: 'ok', detail: `sshd pid ${x.pids.join(', ')}` }
            : { status: 'fail', detail: 'no sshd process' },
    ),
  ]);
  const facts: ServerFacts = { target, root: idr.stdout.trim() === '0' };

  // The probes that need neither sshd's path nor the log start beside this one.
  const sshdDone = timed(
    'sshd',
    () => probe(probeSshdBinary),
    (x) =>
      isUnknown(x)
        ? unk(x)
        : x.path
          ? { status: 'ok', detail: `${x.path}${x.version ? ` (${x.version.split(',')[0]})` : ''}` }
          : { status: 'fail', detail: 'sshd is not installed' },
  );
  const sshdPathDone = sshdDone.then((x) => known(x)?.path);

  const clientDone = logsDone.then((l) => assumeClient(target.from, known(l)?.lines, target.user));
  async function accountSide(
    sshdPath: string | undefined,
    test: ConfigTest | undefined,
    eff: EffectiveConfig | undefined,
    u: UserFacts | undefined,
  ) {
    // Host keys: sshd -T names them; when it cannot run (no usable key), sshd -t's complaints do.
    const keyPaths = eff?.config.hostkey ?? [
      ...new Set([...(test?.hostKeyErrors.map((e) => e.path) ?? []), ...DEFAULT_HOST_KEYS]),
    ];
    // Unknown settings could hold group rules: then the groups are resolved too.
    const groupRules = !eff || (eff.config.allowgroups ?? []).length > 0 || (eff.config.denygroups ?? []).length > 0;
    const [hostKeys, authFiles, groups, tcpWrappers, session] = await Promise.all([
      timed(
        'host-keys',
        () => probe((e) => probeHostKeys(e, keyPaths)),
        (x) =>
          isUnknown(x)
            ? unk(x)
            : { status: 'ok', detail: `${x.keys.filter((k) => k.exists).length} of ${x.keys.length} host keys exist` },
      ),
      u?.exists
        ? timed(
            'auth-files',
            () => probe((e) => probeAuthFiles(e, u, eff, facts.root)),
            (x) => {
              if (isUnknown(x)) return unk(x);
              const found = `${x.authorizedKeys.filter((f) => f.exists).length} authorized_keys file(s)`;
              // Permissions were judged, but a key count is missing: not "ok".
              return x.unread?.length
                ? {
                    status: 'unknown',
                    detail: `${found}; not read: ${x.unread.map((r) => `${r.path} (${r.why})`).join('; ')}`,
                  }
                : { status: 'ok', detail: found };
            },
          )
        : undefined,
      u?.exists && groupRules ? probe((e) => probeGroups(e, u.name)) : undefined,
      sshdPath
        ? timed(
            'tcp-wrappers',
            () => probe((e) => probeTcpWrappers(e, sshdPath)),
            (x) =>
              isUnknown(x)
                ? unk(x)
                : {
                    status: 'ok',
                    detail: x.linked
                      ? 'sshd honours /etc/hosts.allow and /etc/hosts.deny'
                      : 'sshd is not linked with libwrap',
                  },
          )
        : undefined,
      eff && u?.exists
        ? timed(
            'session',
            () => probe((e) => probeSession(e, eff, u)),
            (x) =>
              isUnknown(x)
                ? unk(x)
                : {
                    status: 'ok',
                    detail: [
                      x.chroot ? `ChrootDirectory ${x.chroot.path}` : 'no ChrootDirectory',
                      x.forceCommand ? `ForceCommand ${x.forceCommand.command}` : 'no ForceCommand program',
                    ].join(', '),
                  },
          )
        : undefined,
    ]);
    return { hostKeys, authFiles, groups, tcpWrappers, session };
  }

  const configTestDone = sshdPathDone.then((sshdPath) =>
    sshdPath
      ? timed(
          'config-test',
          () => probe((e) => asUser(facts.root, probeConfigTest(e, sshdPath))),
          (x) =>
            isUnknown(x)
              ? unk(x)
              : x.ok
                ? { status: 'ok', detail: 'sshd -t: configuration loads' }
                : { status: 'fail', detail: x.raw[0] ?? 'sshd -t failed' },
        )
      : undefined,
  );
  const effectiveDone = Promise.all([sshdPathDone, clientDone]).then(([sshdPath, client]) =>
    sshdPath
      ? timed(
          'effective',
          () => probe((e) => asUser(facts.root, probeEffective(e, sshdPath, target.user, client.address))),
          (x) => (isUnknown(x) ? unk(x) : { status: 'ok', detail: `sshd -T: port ${(x.config.port ?? []).join(',')}` }),
        )
      : undefined,
  );
  const userDone = timed(
    'user',
    () => probe((e) => probeUser(e, target.user)),
    (x) =>
      isUnknown(x)
        ? unk(x)
        : x.exists
          ? { status: 'ok', detail: `${x.name} uid ${x.uid} home ${x.home}` }
          : { status: 'fail', detail: `no account ${x.name}` },
  );
  // The account's side (its files, groups, session) needs only sshd -t/-T and the account: it
  // does not wait for the slow probes (ufw status, dpkg --verify, the kernel log).
  const userSideDone = Promise.all([sshdPathDone, configTestDone, effectiveDone, userDone]).then(([p, t, e, u]) =>
    accountSide(p, t && known(t), e && known(e), known(u)),
  );
  const [
    init,
    configTest,
    effective,
    listeners,
    localAddresses,
    firewall,
    privsep,
    user,
    nologin,
    shells,
    crash,
    bans,
    addressDependence,
    logs,
    userSide,
  ] = await Promise.all([
    timed(
      'init',
      () => probe(probeInit),
      (x) => (isUnknown(x) ? unk(x) : { status: 'ok', detail: `${x.system}${x.service ? ` (${x.service})` : ''}` }),
    ),
    configTestDone,
    effectiveDone,
    timed(
      'listeners',
      () => probe(probeListeners),
      (x) =>
        isUnknown(x) ? unk(x) : { status: 'ok', detail: `${x.sockets.length} listening TCP sockets (${x.source})` },
    ),
    timed(
      'addresses',
      () => probe(probeLocalAddresses),
      (x) => (isUnknown(x) ? unk(x) : { status: 'ok', detail: x.join(', ') }),
    ),
    timed(
      'firewall',
      () => probeFirewalls(exec, target.port, facts.root),
      (x) => {
        const b = x.find((l) => l.state === 'blocks');
        if (b) return { status: 'fail', detail: `${b.name} blocks port ${target.port}` };
        const u = x.filter((l) => l.state === 'unknown');
        return u.length
          ? { status: 'unknown', detail: u.map((l) => `${l.name}: ${l.detail}`).join('; ') }
          : { status: 'ok', detail: x.map((l) => `${l.name} ${l.state}`).join(', ') };
      },
    ),
    timed(
      'privsep',
      () => probe(probePrivsep),
      (x) =>
        isUnknown(x)
          ? unk(x)
          : x.exists
            ? { status: 'ok', detail: `${x.path} exists` }
            : { status: 'fail', detail: `${x.path} is missing` },
    ),
    userDone,
    timed(
      'nologin',
      () => probe(probeNologin),
      (x) =>
        isUnknown(x)
          ? unk(x)
          : x.exists
            ? { status: 'fail', detail: `${x.path} exists` }
            : { status: 'ok', detail: 'no /etc/nologin' },
    ),
    timed(
      'shells',
      () => probe(probeShells),
      (x) => (isUnknown(x) ? unk(x) : { status: 'ok', detail: `${x.listed.length} shells in /etc/shells` }),
    ),
    sshdDone.then((x) => {
      const sshd = known(x);
      return sshd?.path
        ? timed(
            'crash',
            () => probe((e) => probeCrash(e, sshd.path!, sshd.package?.manager)),
            (x) =>
              isUnknown(x)
                ? unk(x)
                : x.libraries.length + x.changedFiles.length + x.segfaults.length > 0
                  ? { status: 'fail', detail: [...x.libraries, ...x.changedFiles, ...x.segfaults][0]! }
                  : {
                      status: 'ok',
                      detail: `libraries load${x.verifyCommand ? `; ${x.verifyCommand}: unchanged` : ''}${x.kernelSource ? `; no sshd segfault in ${x.kernelSource}` : ''}`,
                    },
          )
        : undefined;
    }),
    // The assumed address (--from, else the user's last refusal in the log) is the one to look up.
    clientDone.then((client) =>
      client.address
        ? timed(
            'bans',
            () => probe((e) => probeBans(e, client.address!)),
            (x) =>
              isUnknown(x)
                ? unk(x)
                : x.by.length
                  ? { status: 'fail', detail: `${x.from} banned by ${x.by.map((b) => b.guard).join(', ')}` }
                  : { status: 'ok', detail: `${x.from} not banned by fail2ban or sshguard` },
          )
        : undefined,
    ),
    // A sample address stands in for an unknown one: ask sshd whether its Match blocks answer otherwise.
    Promise.all([sshdPathDone, clientDone]).then(([sshdPath, client]) =>
      sshdPath && !client.address
        ? timed(
            'match-blocks',
            () => probe((e) => asUser(facts.root, probeAddressDependence(e, sshdPath, target.user))),
            (x) =>
              isUnknown(x)
                ? unk(x)
                : {
                    status: 'ok',
                    detail: x.differs.length
                      ? x.differs
                          .map((d) => `Match ${d.match} changes ${d.settings.map((s) => s.key).join(', ')}`)
                          .join('; ')
                      : 'no Match Address/Host block changes a login setting',
                  },
          )
        : undefined,
    ),
    logsDone,
    userSideDone,
  ]);
  facts.sshd = await sshdDone;
  if (bans) facts.bans = bans;
  if (addressDependence) facts.addressDependence = addressDependence;
  facts.client = await clientDone;
  Object.assign(facts, {
    processes,
    init,
    listeners,
    localAddresses,
    firewall,
    privsepDir: privsep,
    user,
    nologin,
    shells,
    logs,
  });
  if (configTest) facts.configTest = configTest;
  if (crash) facts.crash = crash;
  if (effective) facts.effective = effective;

  const u = known(user);
  // Without them AllowGroups would be judged against no groups at all: the account is unknown.
  if (isUnknown(userSide.groups)) facts.user = userSide.groups;
  else if (u && userSide.groups) u.groups = userSide.groups;
  facts.hostKeys = userSide.hostKeys;
  if (userSide.session) facts.session = userSide.session;
  if (userSide.tcpWrappers) facts.tcpWrappers = userSide.tcpWrappers;
  if (userSide.authFiles) facts.authFiles = userSide.authFiles;
  if (lostTo) facts.connectionLost = lostTo;
  return { facts, probes };
}

/**
 * f on its own view of exec. A lost --via connection ends every command unanswered, and a probe
 * may read that silence as an answer (no stat output: "sshd is not installed"), so when one of
 * its commands met it, `lost` stands in for whatever it concluded.
 */
async function unlessLost<T>(exec: Exec, f: (exec: Exec) => Promise<T>, lost: (why: string) => T): Promise<T> {
  let why: string | undefined;
  const x = await f(async (cmd, opts) => {
    const r = await exec(cmd, opts);
    if (r.connectionLost) why ??= failure(r, cmd);
    return r;
  });
  return why === undefined ? x : lost(why);
}

/** sshd -t / -T read the host keys: as a normal user they fail for that reason alone. */
async function asUser<T>(root: boolean, p: Promise<Maybe<T>>): Promise<Maybe<T>> {
  const x = await p;
  if (root || !(isUnknown(x) || (x as { ok?: boolean }).ok === false)) return x;
  return { unknown: 'sshd must read its host keys: run as root', needsRoot: true };
}

function unk(x: { unknown: string; needsRoot?: boolean }): { status: ProbeStatus; detail: string } {
  return { status: 'unknown', detail: x.needsRoot ? `${x.unknown} (needs root)` : x.unknown };
}

const FIREWALL_TOOLS: Record<FirewallLayer['name'], string> = {
  ufw: 'ufw',
  firewalld: 'firewall-cmd',
  iptables: 'iptables',
  ip6tables: 'ip6tables',
  nftables: 'nft',
};

async function probeFirewalls(exec: Exec, port: number, root: boolean): Promise<FirewallLayer[]> {
  const layer = (name: FirewallLayer['name'], f: (exec: Exec) => Promise<FirewallLayer>) =>
    unlessLost(exec, f, (why): FirewallLayer => ({ name, state: 'unknown', detail: why }));
  const layers = await Promise.all([
    layer('ufw', (e) => probeUfw(e, port)),
    layer('firewalld', (e) => probeFirewalld(e, port)),
    layer('iptables', (e) => probeIptables(e, 'iptables', port)),
    layer('ip6tables', (e) => probeIptables(e, 'ip6tables', port)),
    layer('nftables', (e) => probeNftables(e, port)),
  ]);
  if (!root) {
    // A normal user's PATH often lacks /usr/sbin: "not installed" may only mean "not on PATH".
    const absent = layers.filter((l) => l.state === 'absent');
    const st = await statPaths(
      exec,
      absent.flatMap((l) => [`/usr/sbin/${FIREWALL_TOOLS[l.name]}`, `/sbin/${FIREWALL_TOOLS[l.name]}`]),
    );
    // When stat could not tell, "not installed" is no more than "not on PATH": unknown.
    if (typeof st === 'string') for (const l of absent) Object.assign(l, { state: 'unknown', detail: st });
    const there =
      typeof st === 'string' ? [] : st.filter((s) => s.exists).map((s) => s.path.slice(s.path.lastIndexOf('/') + 1));
    for (const l of absent) {
      if (there.includes(FIREWALL_TOOLS[l.name]))
        Object.assign(l, { state: 'unknown', detail: `${FIREWALL_TOOLS[l.name]} needs root`, needsRoot: true });
    }
  }
  return attributeManaged(layers);
}

/**
 * ufw and firewalld keep their rules in iptables/nftables; when one of them is active and the
 * raw layer's decision comes from its chains (or the policy it set), the manager's layer speaks.
 */
export function attributeManaged(layers: FirewallLayer[]): FirewallLayer[] {
  const active = (n: string) => layers.some((l) => l.name === n && (l.state === 'accepts' || l.state === 'blocks'));
  return layers.map((l) => {
    const chain = l.where?.chain ?? '';
    if (
      (l.name === 'iptables' || l.name === 'ip6tables') &&
      active('ufw') &&
      (chain.startsWith('ufw') || l.rule?.startsWith('policy'))
    )
      return { ...l, managedBy: 'ufw' };
    if (
      active('firewalld') &&
      ((l.name === 'nftables' && l.where?.table === 'firewalld') ||
        ((l.name === 'iptables' || l.name === 'ip6tables') && l.rule?.startsWith('policy')))
    )
      return { ...l, managedBy: 'firewalld' };
    return l;
  });
}
