// Facts → findings. Pure: no I/O, no clock. The locked-out console kit calls this too.
import type { Finding, Fix, Severity } from '../report.js';
import { algorithmsFor, typeAccepted } from './authorized-keys.js';
import { matchHostAndIp, matchPattern, namesHosts } from './client-address.js';
import { parseHostsFile, wrappersDecide } from './tcp-wrappers.js';

const HOSTS_ALLOW = '/etc/hosts.allow';
const HOSTS_DENY = '/etc/hosts.deny';
import {
  isUnknown,
  known,
  type ClientAddress,
  type EffectiveConfig,
  type FileStat,
  type Listener,
  type Maybe,
  type ServerFacts,
  type UserFacts,
} from './facts.js';
import { cannotAccess, groupWriteRuleFor, insecureReason, parentDirs, walkedDirs } from './strict-modes.js';
import { formatMode as octal } from '../report.js';
import { isoDay } from './days.js';
import { formatBytes } from '../bytes.js';
import { unsafeTarget } from './fixes/modes.js';
import { hasControl } from '../inert.js';
import { LEFT_OUT, pasteStep, quoteArg } from '../shell-quote.js';
import { shortList } from './config-values.js';

export interface FindingOptions {
  /** Attach a fix to a finding (the fixes side's proposeFix); none when absent. */
  proposeFix?: (findingId: ServerFindingId, facts: ServerFacts) => Fix | undefined;
  /** More steps for a person (e.g. the chown ssh-doctor leaves to them over --via). */
  moreSteps?: (findingId: ServerFindingId, facts: ServerFacts) => string[];
}

/**
 * The server findings (README, stable ids) and their severity; where two are listed, the facts
 * decide between them. A fix for each is in SERVER_FIXES (src/server/fixes/propose.ts).
 */
export const SERVER_FINDINGS = {
  'sshd-not-installed': { severity: 'error' },
  'sshd-not-running': { severity: 'error' },
  'sshd-config-invalid': { severity: 'error' },
  'sshd-crashing': { severity: 'error' },
  'sshd-port-mismatch': { severity: 'error' },
  // From MaxStartups' start sshd drops some new connections at random; from its full, all.
  'maxstartups-exhausted': { severity: ['warning', 'error'] },
  'sshd-listen-address': { severity: 'error' },
  'privsep-dir-missing': { severity: 'error' },
  // A skipped or missing host key is an error only when no usable one is left.
  'host-key-permissions': { severity: ['warning', 'error'] },
  'host-keys-missing': { severity: ['warning', 'error'] },
  'firewall-blocks-ssh': { severity: 'error' },
  'address-banned': { severity: 'error' },
  // A warning when it depends on the client address (or its name), which is not known.
  'tcp-wrappers-deny': { severity: ['warning', 'error'] },
  // Password logins still work.
  'authorized-keys-missing': { severity: ['warning', 'error'] },
  // Slow logins; an error from the size where they stall.
  'authorized-keys-oversize': { severity: ['warning', 'error'] },
  'authorized-keys-permissions': { severity: 'error' },
  // Each: an error when no key line sshd would accept is left, else a warning (the user's key
  // may be another one). from=: also a warning when the client address is not known.
  'authorized-keys-malformed': { severity: ['warning', 'error'] },
  'authorized-keys-from-restricted': { severity: ['warning', 'error'] },
  'authorized-keys-type-not-accepted': { severity: ['warning', 'error'] },
  // command= ends every session with that command; restrict/no-pty are harmless to a key login.
  'authorized-keys-options': { severity: 'info' },
  'ssh-dir-permissions': { severity: 'error' },
  'home-permissions': { severity: 'error' },
  // A warning when it depends on the client address, which is not known.
  'user-not-allowed': { severity: ['warning', 'error'] },
  'account-locked': { severity: 'error' },
  'nologin-present': { severity: 'error' },
  'login-shell-nologin': { severity: 'error' },
  'password-change-required': { severity: 'error' },
  'pubkey-auth-disabled': { severity: 'error' },
  // No client address known, and sshd's Match Address/Host blocks change a login setting: a
  // warning when ssh-doctor would find a refusal for an address they name that the sample has not.
  'config-depends-on-address': { severity: ['info', 'warning'] },
  'chroot-directory-unsafe': { severity: 'error' },
  // The same cause as the client's: the key is accepted, then the forced command cannot run.
  'forced-command-failed': { severity: 'error' },
  'usedns-enabled': { severity: 'warning' },
  'sshd-log-refusal': { severity: 'info' },
  'unsafe-path': { severity: 'warning' },
  // Added by the report (src/server/server-report.ts), not drawn from facts.
  'needs-root': { severity: 'info' },
  // A check that could explain a refusal did not run: never "ok" without knowing (also a verdict).
  'checks-incomplete': { severity: 'warning' },
} as const satisfies Record<string, { severity: Severity | readonly Severity[] }>;

export type ServerFindingId = keyof typeof SERVER_FINDINGS;
type SeverityOf<Id extends ServerFindingId> = (typeof SERVER_FINDINGS)[Id]['severity'];
type OneSeverity = { [Id in ServerFindingId]: SeverityOf<Id> extends Severity ? Id : never }[ServerFindingId];
type Rated = Exclude<ServerFindingId, OneSeverity>;

export function serverFindings(facts: ServerFacts, opts: FindingOptions = {}): Finding[] {
  const out: Finding[] = [];
  const add = ((
    id: ServerFindingId,
    ...found: [string, string[], string[]?] | [Severity, string, string[], string[]?]
  ) => {
    const listed = SERVER_FINDINGS[id].severity;
    // Add's overloads pass a severity exactly when the registry lists more than one.
    const [severity, summary, evidence, steps] = (typeof listed === 'string' ? [listed, ...found] : found) as [
      Severity,
      string,
      string[],
      string[]?,
    ];
    const fix = opts.proposeFix?.(id, facts);
    const next = [...(steps ?? []), ...(opts.moreSteps?.(id, facts) ?? [])];
    out.push({ id, severity, summary, evidence, ...(next.length ? { next } : {}), ...(fix ? { fix } : {}) });
  }) as Add;
  const sshd = known(facts.sshd);
  if (sshd && !sshd.path) {
    add('sshd-not-installed', 'The OpenSSH server (sshd) is not installed.', [
      'no sshd binary in /usr/sbin, /usr/local/sbin or PATH',
    ]);
    return out; // nothing else about sshd can be known
  }
  daemon(facts, add);
  network(facts, add);
  banned(facts, add);
  account(facts, add);
  config(facts, add);
  addressDependence(facts, add, out);
  const logs = known(facts.logs);
  if (logs && logs.lines.length > 0) {
    // "Connection closed by authenticating user" only says a login failed; when sshd also said
    // why, those lines are the ones to quote.
    const reasons = logs.lines.filter((l) => !GENERIC_REFUSAL.test(l));
    const shown = reasons.length > 0 ? reasons : logs.lines;
    const last = shown.at(-1)!;
    // The message after syslog's "… sshd[PID]: " prefix, when there is one.
    const said = (/\bsshd\[\d+\]: (.*)$/.exec(last)?.[1] ?? last).trim();
    add('sshd-log-refusal', `sshd's log (${logs.source}) says: "${said}"`, shown.slice(-10));
  }
  return out;
}

/**
 * From this size an oversized authorized_keys stops key logins in practice. Measured in the lab
 * (Debian's OpenSSH 9.2, the matching key on the first line, then a sparse tail): 1 GiB took
 * 3.7 s to log in, 4 GiB 41 s, 50 GiB had not finished after 20 s (LoginGraceTime ends it at 120).
 */
const LOGIN_HANGS_BYTES = 4 * 1024 ** 3;

/** sshd's line for any failed login, whatever the cause. */
const GENERIC_REFUSAL = /Connection closed by authenticating user/;

/**
 * Records a finding; the severity comes from SERVER_FINDINGS unless it lists two, then the caller
 * picks one. `next`: steps for a person, when the fix depends on something only they have.
 */
interface Add {
  (id: OneSeverity, summary: string, evidence: string[], next?: string[]): void;
  <Id extends Rated>(
    id: Id,
    severity: SeverityOf<Id>[number],
    summary: string,
    evidence: string[],
    next?: string[],
  ): void;
}

/** Seed guide Step 7: sshd cannot load, its files were changed, or the kernel saw it crash. */
function crashing(facts: ServerFacts, add: Add): void {
  const c = known(facts.crash);
  if (!c || c.libraries.length + c.changedFiles.length + c.segfaults.length === 0) return;
  const summary =
    c.libraries.length > 0
      ? 'sshd cannot load its libraries, so it cannot start.'
      : c.segfaults.length > 0
        ? `sshd crashes: the kernel logged ${c.segfaults.length === 1 ? 'a segfault' : `${c.segfaults.length} segfaults`} of sshd.`
        : "openssh-server's files differ from the package: sshd may crash or misbehave.";
  const pkgs = ['openssh-server', ...(c.libraryPackages ?? [])];
  const dpkg = known(facts.sshd)?.package?.manager === 'dpkg' || c.verifyCommand?.startsWith('dpkg') === true;
  add(
    'sshd-crashing',
    summary,
    [
      ...c.libraries.map((l) => `ldd: ${l}`),
      ...c.changedFiles.map((l) => `${c.verifyCommand}: ${l}`),
      ...c.segfaults.map((l) => `${c.kernelSource}: ${l}`),
      ...c.machineChecks.map((l) => `${c.kernelSource}: ${l}`),
    ],
    [
      // The package manager fetches the files again: it needs the network, so it is a step, not a fix.
      'as root, with the network (the package manager downloads the files again; sshd_config is kept):',
      ...(dpkg
        ? [pasteStep('', ['apt-get', 'install', '--reinstall', ...pkgs])]
        : [pasteStep('', ['dnf', 'reinstall', ...pkgs], '    # yum on older systems')]),
      ...(c.machineChecks.length
        ? ['the kernel reports hardware errors: test the memory (memtest86+) before trusting a reinstall']
        : []),
    ],
  );
}

function daemon(facts: ServerFacts, add: Add): void {
  crashing(facts, add);
  const procs = known(facts.processes);
  const test = known(facts.configTest);
  const priv = known(facts.privsepDir);
  const running = procs ? procs.pids.length > 0 : undefined;
  const init = known(facts.init);
  if (test && !test.ok && test.errors.length > 0) {
    const first = test.errors[0]!;
    const where = first.file ? `${first.file}${first.line ? ` line ${first.line}` : ''}` : 'the configuration';
    add(
      'sshd-config-invalid',
      `sshd -t rejects ${where}: sshd will not start or reload.`,
      test.errors.flatMap((e) => [
        e.file ? `${e.file}:${e.line ?? '?'}: ${e.message}` : e.message,
        ...(e.text !== undefined ? [`${e.file}:${e.line} reads: ${e.text.trim()}`] : []),
        ...(e.accepted ? [`sshd accepts there: ${shortList(e.accepted)}`] : []),
      ]),
    );
  }
  // After the config error: fixes are offered in this order, and sshd cannot start until it loads.
  // Socket activation: systemd listens and starts sshd on the first connection.
  // An unknown service manager could be holding the port for sshd: not running is not known.
  if (running === false && !init?.socket && !isUnknown(facts.init)) {
    add('sshd-not-running', 'sshd is not running, so nothing answers on the SSH port.', [
      'no live sshd listener process (ps -C sshd)',
      ...(init ? [`service manager: ${init.system}${init.service ? ` (service "${init.service}")` : ''}`] : []),
    ]);
  }
  if ((priv && !priv.exists) || test?.privsepMissing) {
    add(
      'privsep-dir-missing',
      `The privilege separation directory ${priv?.path ?? '/run/sshd'} is missing: sshd refuses to start.`,
      [test?.privsepMissing ?? `${priv?.path ?? '/run/sshd'} does not exist`],
    );
  }
  hostKeys(facts, add);
  startups(facts, add);
}

/**
 * sshd titles its listener "[listener] N of S-F startups": N connections not yet authenticated,
 * against MaxStartups' start and full. (OpenSSH 8.2 and later.)
 */
export function parseStartups(title: string): { pending: number; start: number; full: number } | undefined {
  const m = /\[listener\] (\d+) of (\d+)-(\d+) startups/.exec(title);
  return m ? { pending: Number(m[1]), start: Number(m[2]), full: Number(m[3]) } : undefined;
}

function startups(facts: ServerFacts, add: Add): void {
  const procs = known(facts.processes);
  for (const title of procs?.commands ?? []) {
    const st = parseStartups(title);
    if (!st || st.pending < st.start) continue;
    const full = st.pending >= st.full;
    const eff = known(facts.effective);
    add(
      'maxstartups-exhausted',
      full ? 'error' : 'warning',
      full
        ? `sshd has ${st.pending} connections that have not logged in yet, its MaxStartups limit (${st.full}): it drops every new connection before the banner.`
        : `sshd has ${st.pending} connections that have not logged in yet, over MaxStartups' start (${st.start}): it drops some new connections at random.`,
      [
        `sshd's listener: ${title}`,
        ...(eff?.config.maxstartups ? [`sshd -T: maxstartups ${eff.config.maxstartups[0]}`] : []),
        ...(known(facts.logs)
          ?.lines.filter((l) => /MaxStartups/.test(l))
          .slice(-3) ?? []),
      ],
      [
        'see who holds them (many from one address is a scan or a flood): ss -tnp state established sport = :PORT',
        'as root, if it is a flood: block that address in the firewall; if they are real users: raise MaxStartups (e.g. 30:30:200) in sshd_config and reload sshd',
      ].map((l) => l.replace(':PORT', `:${facts.target.port}`)),
    );
  }
}

function hostKeys(facts: ServerFacts, add: Add): void {
  const hk = known(facts.hostKeys);
  const test = known(facts.configTest);
  if (!hk) return;
  // sshd (authfile.c sshkey_perm_ok) ignores a private key it owns that group or others can read.
  const tooOpen = hk.keys.filter((k) => k.exists && k.uid === 0 && k.mode !== undefined && (k.mode & 0o077) !== 0);
  const missing = hk.keys.filter((k) => !k.exists);
  const usable = hk.keys.length - tooOpen.length - missing.length;
  const sev: Severity = usable > 0 ? 'warning' : 'error';
  const consequence = usable > 0 ? 'sshd skips it' : 'sshd has no usable host key and refuses to start';
  const testLines = (paths: string[]) =>
    (test?.hostKeyErrors ?? []).filter((e) => paths.includes(e.path)).map((e) => e.message);
  if (tooOpen.length > 0) {
    add(
      'host-key-permissions',
      sev,
      `Host key ${tooOpen.map((k) => k.path).join(', ')} is readable by others: ${consequence}.`,
      [
        ...tooOpen.map(
          (k) =>
            `${k.path}: mode ${octal(k.mode!)} owner ${k.owner ?? k.uid}:${k.group ?? k.gid} (sshd requires no group/other access, e.g. 0600 root)`,
        ),
        ...testLines(tooOpen.map((k) => k.path)),
      ],
    );
  }
  if (missing.length > 0 && (usable === 0 || missing.length < hk.keys.length)) {
    add(
      'host-keys-missing',
      usable > 0 ? 'warning' : 'error',
      usable > 0
        ? `Host key ${missing.map((k) => k.path).join(', ')} is missing.`
        : 'No host key exists: sshd refuses to start.',
      [...missing.map((k) => `${k.path} does not exist`), ...testLines(missing.map((k) => k.path))],
    );
  }
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
const WILDCARD = new Set(['0.0.0.0', '::', '*']);

/** sshd -T prints "listenaddress 0.0.0.0:22" and "listenaddress [::]:22". */
function splitListen(s: string): { address: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:]+):(\d+)$/.exec(s);
  return m ? { address: m[1]!, port: Number(m[2]) } : { address: s, port: 22 };
}

function network(facts: ServerFacts, add: Add): void {
  const port = facts.target.port;
  const ls = known(facts.listeners);
  const procs = known(facts.processes);
  const eff = known(facts.effective);
  // Under socket activation the listening socket is systemd's (pid 1), on sshd's behalf.
  const socketActivated = known(facts.init)?.socket === true;
  // Unknown: systemd on the port may be sshd's socket, so it is no ground for "port taken".
  const maybeSocket = socketActivated || isUnknown(facts.init);
  const forSshd = (s: Listener) =>
    s.process === 'sshd' ||
    (s.pid !== undefined && procs?.pids.includes(s.pid)) ||
    (maybeSocket && s.process === 'systemd');
  const sshdSockets = ls?.sockets.filter(forSshd) ?? [];
  const onPort = sshdSockets.filter((s) => s.port === port);
  const other = ls?.sockets.find((s) => s.port === port && s.process !== undefined && !forSshd(s));
  const configured = (eff?.config.port ?? []).map(Number);
  // Unknown sockets are no evidence of a mismatch: `sshd -p` overrides the configured port.
  if (ls && onPort.length === 0) {
    const evidence: string[] = [];
    if (sshdSockets.length > 0)
      evidence.push(`sshd listens on ${sshdSockets.map((s) => `${fmtAddr(s.address)}:${s.port}`).join(', ')}`);
    if (configured.length > 0 && (sshdSockets.length > 0 || !configured.includes(port)))
      evidence.push(`sshd -T: port ${configured.join(', ')}`);
    if (other) evidence.push(`${other.process} (pid ${other.pid ?? '?'}) listens on ${fmtAddr(other.address)}:${port}`);
    const summary = other
      ? `Port ${port} is taken by ${other.process}, not sshd.`
      : sshdSockets.length > 0
        ? `sshd listens on ${unique(sshdSockets.map((s) => s.port)).join(', ')}, not on port ${port}.`
        : `sshd is configured for port ${configured.join(', ')}, not ${port}.`;
    if (socketActivated)
      evidence.push(
        `${known(facts.init)?.service ?? 'ssh'}.socket (systemd socket activation) listens for sshd: Port and ListenAddress take effect after systemctl daemon-reload and a restart of that socket`,
      );
    if (other || sshdSockets.length > 0 || (configured.length > 0 && !configured.includes(port)))
      add('sshd-port-mismatch', summary, evidence);
  } else if (onPort.length > 0 && onPort.every((s) => LOOPBACK.test(s.address))) {
    add(
      'sshd-listen-address',
      `sshd listens on port ${port} only on a loopback address: other machines cannot reach it.`,
      [
        `sshd listens on ${onPort.map((s) => `${fmtAddr(s.address)}:${s.port}`).join(', ')}`,
        ...(eff ? [`sshd -T: listenaddress ${(eff.config.listenaddress ?? []).join(', ')}`] : []),
      ],
    );
  }
  // Every ListenAddress for the port names an address this host does not have (a cloned VM,
  // a changed IP): sshd cannot bind and exits ("Cannot bind any address").
  const local = known(facts.localAddresses);
  const forPort = (eff?.config.listenaddress ?? []).map(splitListen).filter((a) => a.port === port);
  if (
    ls &&
    onPort.length === 0 &&
    local &&
    forPort.length > 0 &&
    forPort.every((a) => !WILDCARD.has(a.address) && !local.includes(a.address))
  ) {
    add(
      'sshd-listen-address',
      `sshd is told to listen on ${forPort.map((a) => a.address).join(', ')}, which this host does not have: it cannot bind.`,
      [`sshd -T: listenaddress ${(eff?.config.listenaddress ?? []).join(', ')}`, `addresses here: ${local.join(', ')}`],
    );
  }
  tcpWrappers(facts, add);
  for (const fw of facts.firewall ?? []) {
    if (fw.state !== 'blocks' || fw.managedBy) continue;
    add('firewall-blocks-ssh', `${fw.name} blocks TCP port ${port}${fw.rule ? ` (${fw.rule})` : ''}.`, [
      `${fw.name}: ${fw.rule ?? fw.verdict ?? 'blocks'}${fw.where ? ` — ${fmtWhere(fw.where)}` : ''}`,
      ...(fw.detail ? [fw.detail] : []),
    ]);
  }
}

/** PerSourcePenalties (OpenSSH 9.8+): "drop connection #0 from [ADDR]:PORT on [...] penalty: …". */
export function penaltyLines(logLines: readonly string[], from: string): string[] {
  return logLines.filter((l) => l.includes(`from [${from}]:`) && /\bpenalty: /.test(l));
}

/** The address of the person locked out (--from), banned by fail2ban, sshguard or sshd itself. */
function banned(facts: ServerFacts, add: Add): void {
  const from = facts.client?.address ?? facts.target.from;
  if (!from) return;
  const by = known(facts.bans)?.by ?? [];
  const penalties = penaltyLines(known(facts.logs)?.lines ?? [], from);
  if (by.length === 0 && penalties.length === 0) return;
  const guards = [
    ...by.map((b) => (b.guard === 'fail2ban' ? `fail2ban's ${b.jail} jail` : 'sshguard')),
    ...(penalties.length ? ["sshd's PerSourcePenalties"] : []),
  ];
  add(
    'address-banned',
    `${from} is banned by ${guards.join(' and ')}: connections from it are refused before any login.`,
    [...by.map((b) => b.evidence), ...penalties.slice(-3)],
    penalties.length
      ? [
          'PerSourcePenalties ends by itself (its penalty time); to exempt this address, add to sshd_config: PerSourcePenaltyExemptList ' +
            from,
        ]
      : [],
  );
}

/** hosts.allow / hosts.deny, decided for the assumed client address. */
function tcpWrappers(facts: ServerFacts, add: Add): void {
  const tw = known(facts.tcpWrappers);
  if (!tw?.linked) return;
  const addr = facts.client?.address;
  const v = wrappersDecide(parseHostsFile(HOSTS_ALLOW, tw.allow), parseHostsFile(HOSTS_DENY, tw.deny), addr);
  if (v.verdict === 'allow' || !v.rule) return;
  const evidence = [
    `${v.rule.file}:${v.rule.line}: ${v.rule.text}`,
    ...(facts.client ? [`client address: ${addr ?? 'unknown'} (${facts.client.why})`] : []),
  ];
  if (v.verdict === 'depends') {
    add(
      'tcp-wrappers-deny',
      'warning',
      `TCP wrappers (${v.rule.file}) may refuse the connection before the SSH banner: it depends on the client's address or name.`,
      evidence,
    );
    return;
  }
  // hosts.allow is read first: one line there admits the address whatever hosts.deny says.
  const step =
    addr && v.rule.file === HOSTS_DENY
      ? [
          `as root, if ${addr} should reach sshd (the client sees "kex_exchange_identification: read: Connection reset by peer"):`,
          `echo ${quoteArg(`sshd: ${addr.includes(':') ? `[${addr}]` : addr}`)} >> ${HOSTS_ALLOW}`,
        ]
      : [`as root, if ${addr ?? 'these clients'} should reach sshd: change ${v.rule.file} line ${v.rule.line}`];
  add(
    'tcp-wrappers-deny',
    'error',
    `TCP wrappers refuse ${addr ?? 'every client'} before the SSH banner (${v.rule.file}, honoured by this sshd through libwrap).`,
    evidence,
    step,
  );
}

function account(facts: ServerFacts, add: Add): void {
  const user = known(facts.user);
  const eff = known(facts.effective);
  const name = facts.target.user;
  if (!user) return;
  if (!user.exists) {
    add('user-not-allowed', 'error', `There is no account named ${name} on this host.`, [
      `getent passwd ${name}: not found`,
    ]);
    return;
  }
  if (eff) {
    const why = notAllowedBecause(user, eff, facts.client);
    if (why)
      add(
        'user-not-allowed',
        why.depends ? 'warning' : 'error',
        `sshd does not allow ${name} to log in: ${why.summary}.`,
        why.evidence,
        why.next,
      );
  }
  const usePam = eff ? first(eff, 'usepam') !== 'no' : true;
  const locked: string[] = [];
  if (user.accountExpired) locked.push(`account expired (${user.expiryDetail ?? 'shadow expiry date passed'})`);
  if (user.passwordInactive)
    locked.push(`password expired and past its inactive period (${user.expiryDetail ?? 'shadow'})`);
  // With UsePAM yes, sshd leaves the "!" lock to PAM, and pam_unix's account check ignores it:
  // key logins still work (checked against the real sshd in the lab). Without PAM sshd refuses.
  if (user.lockedWithBang && !usePam)
    locked.push('password field starts with "!" and UsePAM is no, so sshd treats the account as locked');
  // Unlocking is an account decision (someone may have locked it on purpose): steps, not a fix.
  const unlock = [
    ...(user.accountExpired
      ? [pasteStep('', ['chage', '-E', '-1', name], '    # remove the account expiry date')]
      : []),
    ...(user.passwordInactive
      ? [
          pasteStep(
            '',
            ['chage', '-I', '-1', name],
            `    # no inactive period after the password expired (or set a new password: passwd ${quoteArg(name)})`,
          ),
        ]
      : []),
    ...(user.lockedWithBang && !usePam
      ? [
          pasteStep(
            '',
            ['usermod', '-p', '*', name],
            '    # no usable password but not locked ("!"), so key logins work',
          ),
        ]
      : []),
  ];
  if (locked.length > 0)
    add('account-locked', `The account ${name} is locked: sshd refuses every login, even with a key.`, locked, [
      'as root, if the account should be usable:',
      ...unlock,
    ]);

  loginShell(facts, user, eff, add);
  if (user.passwordChange) {
    add(
      'password-change-required',
      `${name} must change their password at the next login: a key login without a terminal ends with "Password change required but no TTY available".`,
      [
        user.passwordChange === 'forced'
          ? `shadow: last password change is day 0 (chage -d 0 or passwd -e): a change is forced at the next login`
          : `shadow: the password is past its maximum age (last change ${user.lastChange !== undefined ? isoDay(user.lastChange) : '?'}), so a change is asked for at the next login`,
      ],
    );
  }

  const nl = known(facts.nologin);
  if (nl?.exists && user.uid !== 0) {
    add('nologin-present', `${nl.path} exists: only root may log in.`, [
      `${nl.path} exists${nl.text ? `: "${nl.text.trim().split('\n')[0]}"` : ''}`,
    ]);
  }
  authFiles(facts, user, eff, add);
}

/** Shells that exist to refuse a login: they print a line and exit. */
const REFUSING_SHELL = /\/(nologin|false)$/;

/** The shell new accounts get here (`useradd -D`), when /etc/shells lists it: the fix sets that one. */
export function unambiguousShell(facts: ServerFacts): string | undefined {
  const sh = known(facts.shells);
  const d = sh?.useraddDefault;
  return d && !REFUSING_SHELL.test(d) && sh.listed.includes(d) ? d : undefined;
}

function loginShell(facts: ServerFacts, user: UserFacts, eff: EffectiveConfig | undefined, add: Add): void {
  const shell = user.shell;
  if (!shell || !REFUSING_SHELL.test(shell)) return;
  // sftp-only accounts are given nologin on purpose: ForceCommand internal-sftp never runs the shell.
  if (eff && first(eff, 'forcecommand') === 'internal-sftp') return;
  const listed = (known(facts.shells)?.listed ?? []).filter((s) => !REFUSING_SHELL.test(s));
  // With a shell to set that is not a guess, the fix does it; otherwise a person picks one.
  const steps =
    listed.length && !unambiguousShell(facts)
      ? [
          `as root, if ${user.name} should have a shell, one of /etc/shells (${listed.join(', ')}), e.g.:`,
          pasteStep('', ['usermod', '-s', listed.includes('/bin/bash') ? '/bin/bash' : listed[0]!, user.name]),
        ]
      : [];
  add(
    'login-shell-nologin',
    `${user.name}'s login shell is ${shell}: sshd accepts the key, then the shell refuses the session ("This account is currently not available.").`,
    [`getent passwd ${user.name}: shell ${shell}`],
    steps,
  );
}

/** Only the user has their public key: the exact commands, as root, with a placeholder for it. */
function addKeySteps(user: UserFacts, file: string | undefined): string[] {
  const home = user.home?.replace(/\/+$/, '');
  if (!file || !home || !file.startsWith(`${home}/`)) return [];
  const intro = `as root, with ${user.name}'s PUBLIC key (one line of their id_ed25519.pub; never the private key):`;
  // All three or none: a partial set would leave the key file with the wrong owner or mode.
  if ([user.name, file].some(hasControl)) return [`${intro} ${LEFT_OUT}`];
  const dir = file.slice(0, file.lastIndexOf('/'));
  const words = (...w: string[]) => w.map((x) => quoteArg(x)).join(' ');
  return [
    intro,
    words('install', '-d', '-m', '700', dir),
    `${words('printf', '%s\\n', 'ssh-ed25519 AAAA…paste…')} >> ${words(file)}`,
    `${words('chown', `${user.name}:`, dir, file)} && ${words('chmod', '600', file)}`,
  ];
}

function authFiles(facts: ServerFacts, user: UserFacts, eff: EffectiveConfig | undefined, add: Add): void {
  const af = known(facts.authFiles);
  if (!af || user.uid === undefined) return;
  const present = af.authorizedKeys.filter((f) => f.exists);
  const withKeys = present.filter((f) => (af.keyCounts[f.path] ?? 0) > 0);
  // A file whose keys could not be counted may hold the very key: "no key" would be a guess.
  if (withKeys.length === 0 && !af.unread?.length) {
    const passwordOk = eff
      ? first(eff, 'passwordauthentication') === 'yes' || first(eff, 'kbdinteractiveauthentication') === 'yes'
      : false;
    add(
      'authorized-keys-missing',
      passwordOk ? 'warning' : 'error',
      `${user.name} has no authorized key, so no key login can succeed${passwordOk ? ' (password login is still enabled)' : ''}.`,
      af.authorizedKeys.map((f) => (f.exists ? `${f.path} exists but holds no key` : `${f.path} does not exist`)),
      addKeySteps(user, af.authorizedKeys[0]?.path),
    );
  }
  keyContents(facts, user, eff, add);
  for (const u of af.unread ?? []) {
    if (u.bytes === undefined) continue;
    // sshd reads the whole file at every key login, even past the matching key, and anyone who
    // can reach sshd can ask for one.
    const hangs = u.bytes >= LOGIN_HANGS_BYTES;
    add(
      'authorized-keys-oversize',
      hangs ? 'error' : 'warning',
      `${u.path} is ${formatBytes(u.bytes)}: sshd reads all of it at every key login of ${user.name}, ${hangs ? 'so key logins take minutes or never finish' : 'which makes logins slow'}, and anyone who can reach sshd can make it do so.`,
      [`${u.path}: ${u.bytes} bytes (${u.why}); its keys were not counted`],
    );
  }
  if (eff && first(eff, 'strictmodes') === 'no') return;
  const rule = groupWriteRuleFor(known(facts.sshd));
  const byPath = new Map(af.dirs.map((d) => [d.path, d]));
  const home = user.home?.replace(/\/+$/, '');
  const bad = { file: [] as string[], sshDir: [] as string[], home: [] as string[] };
  const seen = new Set<string>();
  const who = { uid: user.uid, gid: user.gid, name: user.name };
  for (const f of present) {
    if (f.type !== undefined && f.type !== 'file') bad.file.push(`${f.path} is not a regular file`);
    else {
      const why = insecureReason(f, user.uid, af.groups, rule) ?? cannotAccess(f, 'read', who, af.groups);
      if (why) bad.file.push(`${f.path}: ${why}`);
    }
    // Every directory up to "/" must let the user through, beyond those StrictModes walks.
    for (const dir of parentDirs(f.path)) {
      const st = byPath.get(dir);
      if (!st || seen.has(dir) || walkedDirs(f.path, home).includes(dir)) continue;
      const why = cannotAccess(st, 'enter', who, af.groups);
      if (!why) continue;
      seen.add(dir);
      bad.home.push(`${dir}: ${why}`);
    }
    for (const dir of walkedDirs(f.path, home)) {
      const st: FileStat | undefined = byPath.get(dir);
      if (!st || seen.has(dir)) continue;
      seen.add(dir);
      const why = insecureReason(st, user.uid, af.groups, rule) ?? cannotAccess(st, 'enter', who, af.groups);
      if (!why) continue;
      const line = `${dir}: ${why}`;
      if (home && dir.startsWith(home + '/')) bad.sshDir.push(line);
      else bad.home.push(line);
    }
  }
  const tail = 'sshd (StrictModes) ignores authorized_keys';
  if (bad.file.length)
    add('authorized-keys-permissions', `authorized_keys has unsafe ownership or modes: ${tail}.`, bad.file);
  if (bad.sshDir.length)
    add('ssh-dir-permissions', `The .ssh directory has unsafe ownership or modes: ${tail}.`, bad.sshDir);
  if (bad.home.length)
    add(
      'home-permissions',
      `The home directory (or a directory above it) has unsafe ownership or modes: ${tail}.`,
      bad.home,
    );
  if (bad.file.length + bad.sshDir.length + bad.home.length === 0) return;
  const walked = [...present, ...[...seen].flatMap((d) => byPath.get(d) ?? [])];
  const unsafe = [
    ...(af.userLinks ?? []).map((l) => `${l.path} is a symlink owned by ${l.owner} (to ${l.target})`),
    ...walked.flatMap((st) => {
      const why =
        st.uid === undefined
          ? undefined
          : unsafeTarget(st.path, { ...st, uid: st.uid }, st.type === 'dir' ? 'dir' : 'file', {
              uid: user.uid!,
              name: user.name,
            });
      return why ? [why] : [];
    }),
  ];
  if (unsafe.length) {
    add(
      'unsafe-path',
      `ssh-doctor will not change these permissions as root: a user controls what the path leads to. Check them by hand.`,
      unsafe,
    );
  }
}

/** What sshd makes of each key line: skipped, refused for this client or type, or usable. */
function keyContents(facts: ServerFacts, user: UserFacts, eff: EffectiveConfig | undefined, add: Add): void {
  const af = known(facts.authFiles);
  if (!af?.keyLines) return;
  const client = facts.client;
  const addr = client?.address;
  const usedns = eff ? first(eff, 'usedns') === 'yes' : false;
  const accepted = eff?.config.pubkeyacceptedalgorithms?.[0];
  const clientLine = client ? [`client address: ${addr ?? 'unknown'} (${client.why})`] : [];
  const malformed: string[] = [];
  const fromOut: string[] = [];
  const fromMaybe: string[] = [];
  const typeOut: string[] = [];
  const options: string[] = [];
  let usable = 0;
  let maybe = 0;
  for (const [path, { lines }] of Object.entries(af.keyLines)) {
    lines.forEach((k, i) => {
      const at = `${path}:${k.n}`;
      if (k.malformed) {
        if (lines[i - 1]?.joinsNext && lines[i - 1]?.n === k.n - 1) return;
        malformed.push(
          k.joinsNext
            ? `${path}:${k.n}-${k.n + 1}: one key wrapped over two lines; sshd reads each line alone and skips both: ${k.text ?? ''} / ${lines[i + 1]?.text ?? ''}`
            : `${at}: ${k.malformed}: ${k.text ?? ''}`,
        );
        return;
      }
      let ok: 'yes' | 'no' | 'depends' = 'yes';
      if (accepted && k.type && !typeAccepted(k.type, accepted)) {
        typeOut.push(
          `${at}: a ${k.type} key; sshd accepts none of ${algorithmsFor(k.type).join(', ')} (sshd -T: pubkeyacceptedalgorithms ${accepted})`,
        );
        ok = 'no';
      }
      if (k.from !== undefined) {
        const verdict =
          !addr || (usedns && namesHosts(k.from)) ? 'depends' : matchHostAndIp(addr, addr, k.from) ? 'yes' : 'no';
        if (verdict === 'no') fromOut.push(`${at}: from="${k.from}" does not admit ${addr}`);
        if (verdict === 'depends') fromMaybe.push(`${at}: from="${k.from}"`);
        if (ok === 'yes') ok = verdict;
      }
      if (k.command !== undefined)
        options.push(
          `${at}: command="${k.command}": each login with this key runs only that command, then the session ends (no shell)`,
        );
      else if (k.restrict || k.noPty)
        options.push(
          `${at}: ${k.restrict ? 'restrict' : 'no-pty'}${k.pty ? ' (pty given back)' : ''}: harmless to a key login (${k.pty ? 'no forwarding' : 'no terminal, no forwarding'}; commands and a shell still run)`,
        );
      if (ok === 'yes') usable++;
      if (ok === 'depends') maybe++;
    });
  }
  const left = usable > 0 ? 'warning' : maybe > 0 ? 'warning' : 'error';
  const none = usable + maybe === 0;
  if (malformed.length)
    add(
      'authorized-keys-malformed',
      left,
      `sshd cannot read ${malformed.length === 1 ? 'a key line' : `${malformed.length} key lines`} in authorized_keys and skips ${malformed.length === 1 ? 'it' : 'them'}${none ? ': no key of it is usable' : ''}.`,
      malformed,
    );
  if (typeOut.length)
    add(
      'authorized-keys-type-not-accepted',
      left,
      `sshd no longer accepts the type of ${typeOut.length === 1 ? 'a key' : `${typeOut.length} keys`} in authorized_keys (PubkeyAcceptedAlgorithms)${none ? ': no key of it is usable' : ''}.`,
      typeOut,
      [
        `${user.name} makes a new key on their machine (ssh-keygen -t ed25519) and it is added in place of the old one:`,
        ...addKeySteps(user, Object.keys(af.keyLines)[0]).slice(1),
      ],
    );
  if (fromOut.length)
    add(
      'authorized-keys-from-restricted',
      left,
      `from="…" in authorized_keys does not admit ${user.name}'s address ${addr}${none ? ': no key is usable from there' : ''}.`,
      [...fromOut, ...clientLine],
      [
        `as root, if ${user.name} should log in from ${addr}: add ${addr} to the key's from="…" list (comma-separated) in that file`,
      ],
    );
  else if (fromMaybe.length && usable === 0)
    add(
      'authorized-keys-from-restricted',
      'warning',
      `Every usable key in authorized_keys is limited by from="…": whether ${user.name} gets in depends on the address they connect from.`,
      [...fromMaybe, ...clientLine],
    );
  if (options.length)
    add('authorized-keys-options', 'Options in authorized_keys shape what a key login may do.', options);
}

/** After authentication: sshd's safely_chroot() and the ForceCommand program. */
function session(facts: ServerFacts, add: Add): void {
  const s = known(facts.session);
  if (!s) return;
  if (s.chroot) {
    const bad = s.chroot.components.flatMap((c) => {
      if (!c.exists) return [`${c.path} does not exist`];
      if (c.type !== 'dir') return [`${c.path} is not a directory`];
      if (c.uid !== 0) return [`${c.path}: owned by ${c.owner ?? c.uid}, not root`];
      if (c.mode !== undefined && c.mode & 0o022)
        return [
          `${c.path}: writable by ${c.mode & 0o002 ? 'everyone' : `group ${c.group ?? c.gid}`} (mode ${octal(c.mode)})`,
        ];
      return [];
    });
    const chrootSpec = known(facts.effective)?.config.chrootdirectory?.[0] ?? s.chroot.path;
    if (bad.length)
      add(
        'chroot-directory-unsafe',
        `ChrootDirectory ${s.chroot.path} is not root-owned and closed to others all the way down: sshd accepts the key, then ends the session ("bad ownership or modes for chroot directory component").`,
        [...bad, `sshd -T: chrootdirectory ${chrootSpec}${chrootSpec !== s.chroot.path ? ` (${s.chroot.path})` : ''}`],
      );
  }
  const fc = s.forceCommand;
  if (fc) {
    const p = fc.program;
    const why = !p.exists
      ? `${p.path} does not exist`
      : p.type !== 'file'
        ? `${p.path} is not a regular file`
        : p.mode !== undefined && !(p.mode & 0o111)
          ? `${p.path} is not executable (mode ${octal(p.mode)})`
          : undefined;
    if (why)
      add(
        'forced-command-failed',
        `ForceCommand runs ${fc.command}, which cannot run: every session of ${facts.target.user} ends at once, after the key was accepted.`,
        [why, `sshd -T: forcecommand ${fc.command}`],
      );
  }
}

function config(facts: ServerFacts, add: Add): void {
  session(facts, add);
  const eff = known(facts.effective);
  if (!eff) return;
  if (first(eff, 'pubkeyauthentication') === 'no') {
    add('pubkey-auth-disabled', 'PubkeyAuthentication is off: sshd refuses every key.', [
      `sshd -T -C user=${eff.context.user},host=${eff.context.host},addr=${eff.context.addr}: pubkeyauthentication no`,
    ]);
  }
  if (first(eff, 'usedns') === 'yes') {
    add('usedns-enabled', 'UseDNS is on: each login waits for reverse DNS of the client, which is slow when DNS is.', [
      'sshd -T: usedns yes',
    ]);
  }
}

/**
 * The report's effective config is sshd's answer for a sample address; for the addresses its
 * Match Address/Host blocks name it answers otherwise. What ssh-doctor would find there is the
 * same rules run on sshd's config for that address.
 */
function addressDependence(facts: ServerFacts, add: Add, found: readonly Finding[]): void {
  const dep = known(facts.addressDependence);
  const eff = known(facts.effective);
  if (!dep || !eff || facts.client?.address || dep.differs.length === 0) return;
  const name = facts.target.user;
  const here = new Set(found.filter((f) => f.severity === 'error').map((f) => f.id));
  const value = (v: string[]) => (v.length ? v.join(' ') : '(not set)');
  const refusing: string[] = [];
  const evidence = [
    `this report's sshd -T -C user=${eff.context.user},host=${eff.context.host},addr=${eff.context.addr}: a sample address, since ${name}'s is not known`,
    ...dep.differs.map((d) => {
      const there = serverFindings({
        ...facts,
        effective: { context: { user: name, host: d.host, addr: d.addr }, config: d.config },
        addressDependence: undefined,
      }).filter((f) => f.severity === 'error' && !here.has(f.id));
      if (there.length) refusing.push(`Match ${d.match} (${unique(there.map((f) => f.id)).join(', ')})`);
      const settings = d.settings.map((s) => `${s.key} ${value(s.there)} (sample: ${value(s.sample)})`).join(', ');
      return `Match ${d.match}: sshd -T -C user=${name},host=${d.host},addr=${d.addr}: ${settings}${there.length ? `; there ssh-doctor finds ${unique(there.map((f) => f.id)).join(', ')}` : ''}`;
    }),
    ...dep.unchecked,
  ];
  const keys = unique(dep.differs.flatMap((d) => d.settings.map((s) => s.key))).join(', ');
  add(
    'config-depends-on-address',
    refusing.length ? 'warning' : 'info',
    refusing.length
      ? `Whether ${name} can log in depends on the address they connect from: from an address in ${refusing.join(' or ')}, sshd's settings refuse the login. The rest of this report holds for a sample address (${dep.sample.addr}).`
      : `sshd's login settings for ${name} depend on the address they connect from (Match blocks change ${keys}), with no refusal found either way. This report holds for a sample address (${dep.sample.addr}).`,
    evidence,
    [
      `as root, rerun with the address ${name} connects from in place of ADDR, to have every rule decided for it:`,
      pasteStep('', ['ssh-doctor', 'server', '--user', name, '--port', String(facts.target.port), '--from', 'ADDR']),
    ],
  );
}

/** sshd's allowed_user() (auth.c); USER@HOST entries are decided for the assumed client address. */
export function notAllowedBecause(
  user: UserFacts,
  eff: EffectiveConfig,
  client?: ClientAddress,
): { summary: string; evidence: string[]; next?: string[]; depends?: true } | undefined {
  const list = (k: string) => (eff.config[k] ?? []).flatMap((v) => v.split(/\s+/)).filter(Boolean);
  const groups = user.groups ?? [];
  if (user.uid === 0) {
    const prl = first(eff, 'permitrootlogin');
    if (prl === 'no') return { summary: 'PermitRootLogin is no', evidence: ['sshd -T: permitrootlogin no'] };
  }
  const usedns = first(eff, 'usedns') === 'yes';
  const match = (p: string) => userEntryMatches(p, user.name, client?.address, usedns);
  const from = client?.address ? `from ${client.address}` : 'from an address not known here';
  const clientLine = client ? [`client address: ${client.address ?? 'unknown'} (${client.why})`] : [];
  const denyList = list('denyusers');
  const denyEv = `sshd -T: denyusers ${denyList.join(' ')}`;
  const deny = denyList.find((p) => match(p) === 'yes');
  if (deny) {
    return {
      summary: deny.includes('@')
        ? `DenyUsers names ${deny}, which matches ${user.name} ${from}`
        : `DenyUsers names ${deny}`,
      evidence: [denyEv, ...(deny.includes('@') ? clientLine : [])],
    };
  }
  const denyMaybe = denyList.find((p) => match(p) === 'depends');
  if (denyMaybe) {
    return {
      summary: `DenyUsers names ${denyMaybe}: whether that refuses ${user.name} depends on the address they connect from`,
      evidence: [denyEv, ...clientLine],
      depends: true,
    };
  }
  const allow = list('allowusers');
  if (allow.length > 0 && !allow.some((p) => match(p) === 'yes')) {
    const hostOnly = allow.filter((p) => p.includes('@') && match(p) !== 'no');
    const byHost = allow.filter((p) => p.includes('@') && matchPattern(user.name, p.slice(0, p.lastIndexOf('@'))));
    if (hostOnly.length > 0) {
      return {
        summary: `AllowUsers admits ${user.name} only as ${hostOnly.join(', ')}: whether that lets them in depends on the address they connect from`,
        evidence: [`sshd -T: allowusers ${allow.join(' ')}`, ...clientLine],
        depends: true,
      };
    }
    return byHost.length > 0
      ? {
          summary: `AllowUsers admits ${user.name} only as ${byHost.join(', ')}, not ${from}`,
          evidence: [`sshd -T: allowusers ${allow.join(' ')}`, ...clientLine],
          next: [
            `as root, if ${user.name} should log in ${from}: add ${user.name}@${client?.address ?? 'ADDR'} to the AllowUsers line (sshd_config or sshd_config.d), then reload sshd`,
          ],
        }
      : {
          summary: `AllowUsers does not include ${user.name}`,
          evidence: [`sshd -T: allowusers ${allow.join(' ')}`],
        };
  }
  const dg = list('denygroups');
  const dHit = groups.find((g) => dg.some((p) => matchPattern(g, p)));
  // Group policy is an access decision for a person (a group may carry other rights): steps, not a fix.
  if (dHit) {
    return {
      summary: `DenyGroups names group ${dHit}`,
      evidence: [`sshd -T: denygroups ${dg.join(' ')}`, `${user.name} is in groups: ${groups.join(' ')}`],
      ...(dHit !== groups[0]
        ? {
            next: [
              `as root, if ${user.name} should not be in ${dHit}:`,
              pasteStep('', ['gpasswd', '-d', user.name, dHit]),
            ],
          }
        : {}),
    };
  }
  const ag = list('allowgroups');
  if (ag.length > 0 && !groups.some((g) => ag.some((p) => matchPattern(g, p)))) {
    const plain = ag.filter((g) => !/[*?!]/.test(g));
    return {
      summary: `AllowGroups does not include any group of ${user.name}`,
      evidence: [`sshd -T: allowgroups ${ag.join(' ')}`, `${user.name} is in groups: ${groups.join(' ')}`],
      ...(plain.length
        ? {
            next: [
              `as root, if ${user.name} belongs in ${plain[0]} (its members may have other rights too):`,
              pasteStep('', ['usermod', '-aG', plain[0]!, user.name]),
            ],
          }
        : {}),
    };
  }
  return undefined;
}

/**
 * match_user (match.c): USER, or USER@HOST whose host part is a from="…"-style list matched
 * against the client. 'depends' when the address (or, with UseDNS, its name) is not known.
 */
export function userEntryMatches(
  pattern: string,
  name: string,
  addr: string | undefined,
  usedns = false,
): 'yes' | 'no' | 'depends' {
  const at = pattern.lastIndexOf('@');
  if (at < 0) return matchPattern(name, pattern) ? 'yes' : 'no';
  if (!matchPattern(name, pattern.slice(0, at))) return 'no';
  const hosts = pattern.slice(at + 1);
  // USER@* admits the user from anywhere: no address is needed to decide it.
  if (hosts === '*') return 'yes';
  if (!addr || (usedns && namesHosts(hosts))) return 'depends';
  return matchHostAndIp(addr, addr, hosts) ? 'yes' : 'no';
}

function first(eff: EffectiveConfig, key: string): string | undefined {
  return eff.config[key]?.[0]?.toLowerCase();
}

function fmtAddr(a: string): string {
  return a.includes(':') ? `[${a}]` : a;
}

function fmtWhere(w: NonNullable<ServerFacts['firewall']>[number]['where'] & object): string {
  const parts = [
    w.family && w.table ? `table ${w.family} ${w.table}` : w.table ? `table ${w.table}` : undefined,
    w.zone ? `zone ${w.zone}` : undefined,
    `chain ${w.chain}`,
    w.position !== undefined ? `rule ${w.position}` : undefined,
    w.handle !== undefined ? `handle ${w.handle}` : undefined,
  ];
  return parts.filter(Boolean).join(', ');
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** A check that could explain a refusal but did not run, and why (tool missing, timed out, needs root). */
export interface Unchecked {
  check: string;
  why: string;
  needsRoot?: boolean;
}

/**
 * Every check whose answer could explain a refusal and is unknown. Logs are left out: they only
 * add evidence to what the other checks find. So does the init system, unless no sshd runs or
 * systemd holds the port: then socket activation decides whether sshd answers.
 */
export function uncheckedParts(facts: ServerFacts): Unchecked[] {
  const parts: [string, Maybe<unknown> | undefined][] = [
    ['sshd binary', facts.sshd],
    ['sshd processes', facts.processes],
    ['sshd -t', facts.configTest],
    ['sshd -T', facts.effective],
    ['listening sockets', facts.listeners],
    ['local addresses', facts.localAddresses],
    ['privilege separation directory', facts.privsepDir],
    ['host keys', facts.hostKeys],
    ['account', facts.user],
    ['authorized_keys', facts.authFiles],
    ['nologin', facts.nologin],
    ['sshd libraries and package files', facts.crash],
    ['bans of the --from address', facts.bans],
    ['TCP wrappers (hosts.allow, hosts.deny)', facts.tcpWrappers],
    ['ChrootDirectory and ForceCommand', facts.session],
  ];
  const out: Unchecked[] = parts.flatMap(([check, v]) =>
    isUnknown(v) ? [{ check, why: v.unknown, ...(v.needsRoot ? { needsRoot: true } : {}) }] : [],
  );
  const systemdOnPort = known(facts.listeners)?.sockets.some(
    (s) => s.process === 'systemd' && s.port === facts.target.port,
  );
  if (isUnknown(facts.init) && (known(facts.processes)?.pids.length === 0 || systemdOnPort))
    out.push({ check: 'service manager (socket activation)', why: facts.init.unknown });
  // Beside a known sshd -T: whether a Match block answers otherwise for the person's address.
  const dep = facts.addressDependence;
  const MATCH = 'Match Address/Host blocks (no client address known)';
  if (isUnknown(dep) && known(facts.effective))
    out.push({ check: MATCH, why: dep.unknown, ...(dep.needsRoot ? { needsRoot: true } : {}) });
  if (known(dep)?.differs.length === 0) for (const why of known(dep)!.unchecked) out.push({ check: MATCH, why });
  for (const l of facts.firewall ?? [])
    if (l.state === 'unknown')
      out.push({ check: l.name, why: l.detail ?? 'could not tell', ...(l.needsRoot ? { needsRoot: true } : {}) });
  for (const u of known(facts.authFiles)?.unread ?? [])
    if (u.bytes === undefined) out.push({ check: `keys in ${u.path}`, why: u.why });
  const user = known(facts.user);
  if (user?.exists && user.shadowUnknown)
    out.push({ check: 'shadow (account lock and expiry)', why: user.shadowUnknown });
  else if (!facts.root && user?.exists && user.passwordStatus === undefined)
    out.push({ check: 'shadow (account lock and expiry)', why: 'only root can read /etc/shadow', needsRoot: true });
  return out;
}

/** Which parts were unknown because we are not root. */
export function needsRoot(facts: ServerFacts): string[] {
  const parts: [string, Maybe<unknown> | undefined][] = [
    ['sshd -t', facts.configTest],
    ['sshd -T', facts.effective],
    ['authorized_keys', facts.authFiles],
    ['logs', facts.logs],
  ];
  const out = parts.filter(([, v]) => isUnknown(v) && v.needsRoot).map(([k]) => k);
  for (const l of facts.firewall ?? []) if (l.needsRoot) out.push(l.name);
  const user = known(facts.user);
  if (!facts.root && user?.exists && user.passwordStatus === undefined) out.push('shadow (account lock and expiry)');
  return out;
}
