// Facts → findings. Pure: no I/O, no clock. The locked-out console kit calls this too.
import type { Finding, Fix, Severity } from '../report.js';
import {
  isUnknown,
  known,
  type EffectiveConfig,
  type FileStat,
  type Listener,
  type Maybe,
  type ServerFacts,
  type UserFacts,
} from './facts.js';
import { groupWriteRuleFor, insecureReason, walkedDirs } from './strict-modes.js';
import { formatMode as octal } from '../report.js';
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
  'sshd-listen-address': { severity: 'error' },
  'privsep-dir-missing': { severity: 'error' },
  // A skipped or missing host key is an error only when no usable one is left.
  'host-key-permissions': { severity: ['warning', 'error'] },
  'host-keys-missing': { severity: ['warning', 'error'] },
  'firewall-blocks-ssh': { severity: 'error' },
  'address-banned': { severity: 'error' },
  // Password logins still work.
  'authorized-keys-missing': { severity: ['warning', 'error'] },
  // Slow logins; an error from the size where they stall.
  'authorized-keys-oversize': { severity: ['warning', 'error'] },
  'authorized-keys-permissions': { severity: 'error' },
  'ssh-dir-permissions': { severity: 'error' },
  'home-permissions': { severity: 'error' },
  'user-not-allowed': { severity: 'error' },
  'account-locked': { severity: 'error' },
  'nologin-present': { severity: 'error' },
  'pubkey-auth-disabled': { severity: 'error' },
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
  const logs = known(facts.logs);
  if (logs && logs.lines.length > 0) {
    const last = logs.lines.at(-1)!;
    // The message after syslog's "… sshd[PID]: " prefix, when there is one.
    const said = (/\bsshd\[\d+\]: (.*)$/.exec(last)?.[1] ?? last).trim();
    add('sshd-log-refusal', `sshd's log (${logs.source}) says: "${said}"`, logs.lines.slice(-10));
  }
  return out;
}

/**
 * From this size an oversized authorized_keys stops key logins in practice. Measured in the lab
 * (Debian's OpenSSH 9.2, the matching key on the first line, then a sparse tail): 1 GiB took
 * 3.7 s to log in, 4 GiB 41 s, 50 GiB had not finished after 20 s (LoginGraceTime ends it at 120).
 */
const LOGIN_HANGS_BYTES = 4 * 1024 ** 3;

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
  if (running === false && !init?.socket) {
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
  const forSshd = (s: Listener) =>
    s.process === 'sshd' ||
    (s.pid !== undefined && procs?.pids.includes(s.pid)) ||
    (socketActivated && s.process === 'systemd');
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
  const from = facts.target.from;
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

function account(facts: ServerFacts, add: Add): void {
  const user = known(facts.user);
  const eff = known(facts.effective);
  const name = facts.target.user;
  if (!user) return;
  if (!user.exists) {
    add('user-not-allowed', `There is no account named ${name} on this host.`, [`getent passwd ${name}: not found`]);
    return;
  }
  if (eff) {
    const why = notAllowedBecause(user, eff);
    if (why) add('user-not-allowed', `sshd does not allow ${name} to log in: ${why.summary}.`, why.evidence, why.next);
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

  const nl = known(facts.nologin);
  if (nl?.exists && user.uid !== 0) {
    add('nologin-present', `${nl.path} exists: only root may log in.`, [
      `${nl.path} exists${nl.text ? `: "${nl.text.trim().split('\n')[0]}"` : ''}`,
    ]);
  }
  authFiles(facts, user, eff, add);
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
  for (const f of present) {
    if (f.type !== undefined && f.type !== 'file') bad.file.push(`${f.path} is not a regular file`);
    else {
      const why = insecureReason(f, user.uid, af.groups, rule);
      if (why) bad.file.push(`${f.path}: ${why}`);
    }
    for (const dir of walkedDirs(f.path, home)) {
      const st: FileStat | undefined = byPath.get(dir);
      if (!st || seen.has(dir)) continue;
      seen.add(dir);
      const why = insecureReason(st, user.uid, af.groups, rule);
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

function config(facts: ServerFacts, add: Add): void {
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

/** sshd's allowed_user() (auth.c), for the checks that depend only on the user. */
export function notAllowedBecause(
  user: UserFacts,
  eff: EffectiveConfig,
): { summary: string; evidence: string[]; next?: string[] } | undefined {
  const list = (k: string) => (eff.config[k] ?? []).flatMap((v) => v.split(/\s+/)).filter(Boolean);
  const groups = user.groups ?? [];
  if (user.uid === 0) {
    const prl = first(eff, 'permitrootlogin');
    if (prl === 'no') return { summary: 'PermitRootLogin is no', evidence: ['sshd -T: permitrootlogin no'] };
  }
  const deny = list('denyusers').find((p) => userPatternMatches(p, user.name));
  if (deny)
    return { summary: `DenyUsers names ${deny}`, evidence: [`sshd -T: denyusers ${list('denyusers').join(' ')}`] };
  const allow = list('allowusers');
  if (allow.length > 0 && !allow.some((p) => userPatternMatches(p, user.name))) {
    return {
      summary: `AllowUsers does not include ${user.name}`,
      evidence: [`sshd -T: allowusers ${allow.join(' ')}`],
    };
  }
  const dg = list('denygroups');
  const dHit = groups.find((g) => dg.some((p) => globMatch(p, g)));
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
  if (ag.length > 0 && !groups.some((g) => ag.some((p) => globMatch(p, g)))) {
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

/** A DenyUsers/AllowUsers entry is USER or USER@HOST; only the user part is decidable here. */
function userPatternMatches(pattern: string, name: string): boolean {
  const u = pattern.includes('@') ? pattern.slice(0, pattern.indexOf('@')) : pattern;
  return globMatch(u, name);
}

/** OpenSSH match_pattern: "*" and "?" wildcards, whole string. */
export function globMatch(pattern: string, s: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
  return re.test(s);
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
 * Every check whose answer could explain a refusal and is unknown. Logs and the init system are
 * left out: they only add evidence to what the other checks find.
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
  ];
  const out: Unchecked[] = parts.flatMap(([check, v]) =>
    isUnknown(v) ? [{ check, why: v.unknown, ...(v.needsRoot ? { needsRoot: true } : {}) }] : [],
  );
  for (const l of facts.firewall ?? [])
    if (l.state === 'unknown')
      out.push({ check: l.name, why: l.detail ?? 'could not tell', ...(l.needsRoot ? { needsRoot: true } : {}) });
  for (const u of known(facts.authFiles)?.unread ?? [])
    if (u.bytes === undefined) out.push({ check: `keys in ${u.path}`, why: u.why });
  const user = known(facts.user);
  if (!facts.root && user?.exists && user.passwordStatus === undefined)
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
