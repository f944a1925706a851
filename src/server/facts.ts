// Everything the server probes learn, as plain JSON-serialisable data. The locked-out console kit
// decodes a console script's output into this same shape and calls serverFindings() on it, so
// nothing here may hold functions, class instances, Maps or Dates.
//
// Every part is optional: absent means "not probed"; `{ unknown: why }` means "probed, could not
// tell" (tool missing, timed out, needs root). Findings are only drawn from what is known.

/** A probe that ran but could not tell: one line saying why (shown as evidence / probe detail). */
export interface Unknown {
  unknown: string;
  /** True when running as root would have told (the command offers `sudo ssh-doctor server …`). */
  needsRoot?: boolean;
}

export type Maybe<T> = T | Unknown;

export function isUnknown<T>(x: Maybe<T> | undefined): x is Unknown {
  return typeof x === 'object' && x !== null && 'unknown' in x;
}

/** The value when it was learned; undefined when not probed or unknown. */
export function known<T>(x: Maybe<T> | undefined): T | undefined {
  return x === undefined || isUnknown(x) ? undefined : x;
}

/** stat(2) of one path, as sshd would see it (symlinks followed, like sshd's stat/realpath). */
export interface FileStat {
  path: string;
  exists: boolean;
  type?: 'file' | 'dir' | 'link' | 'other';
  /** Permission bits only (e.g. 0o755), no file-type bits. */
  mode?: number;
  uid?: number;
  gid?: number;
  /** Names for uid/gid when they resolve (Debian's group rule compares the owner's name). */
  owner?: string;
  group?: string;
  /** Which object it was (a fix refuses to act if the path names another one by then). */
  dev?: number;
  ino?: number;
  /** Hard links: a file with more than one may also be another file (a fix refuses it). */
  nlink?: number;
}

export interface SshdBinary {
  /** Path of the sshd binary, or undefined when none was found. */
  path?: string;
  /** "OpenSSH_9.2, OpenSSL 3.0…" from `sshd -V`, when it ran (Debian's says nothing of Debian). */
  version?: string;
  /**
   * The package that installed it, when a package manager knows: dpkg means Debian's patches,
   * including the user-private-group rule for StrictModes.
   */
  package?: { manager: 'dpkg' | 'rpm'; name: string; version: string };
}

export interface SshdProcesses {
  /** Pids of listening sshd daemons (the "listener" process, not per-connection children). */
  pids: number[];
  /** Their command lines, for evidence ("/usr/sbin/sshd -D -p 2222"). */
  commands: string[];
}

export type InitSystem = 'systemd' | 'sysvinit' | 'openrc' | 'none';

export interface InitFacts {
  system: InitSystem;
  /** The service name that manages sshd here ('ssh' on Debian/Ubuntu, 'sshd' elsewhere). */
  service?: string;
  /** Whether that service is enabled at boot, when the manager can say. */
  enabled?: boolean;
  /**
   * systemd socket activation (Ubuntu 22.10+): <service>.socket is listening, so systemd holds the
   * port and starts sshd on the first connection; no sshd process is needed until then.
   */
  socket?: boolean;
}

export interface ConfigError {
  /** Config file and line from "FILE line N: …", when sshd names them. */
  file?: string;
  line?: number;
  message: string;
  /** That line's text, as read from the file (verbatim: shown inert). */
  text?: string;
  /** For a value sshd rejects: what it accepts there (from `ssh -Q` where sshd has a list). */
  accepted?: string[];
}

export interface ConfigTest {
  /** `sshd -t` exit status 0. */
  ok: boolean;
  errors: ConfigError[];
  /** Host key files sshd could not load ("Unable to load host key …", "bad permissions"). */
  hostKeyErrors: { path: string; message: string }[];
  /** sshd -t complained that the privilege separation directory is missing. */
  privsepMissing?: string;
  /** Raw stderr lines, verbatim (evidence). */
  raw: string[];
}

/**
 * `sshd -T -C user=U,host=H,addr=A`: sshd's own view of the effective configuration for that
 * connection (Match blocks, Include and sshd_config.d applied). Keys are lower-case as sshd
 * prints them; every occurrence is kept in order (port, listenaddress, hostkey repeat).
 */
export interface EffectiveConfig {
  context: { user: string; host: string; addr: string };
  config: Record<string, string[]>;
}

export interface Listener {
  /** Local address as ss prints it, without brackets: "0.0.0.0", "::", "127.0.0.1", "*". */
  address: string;
  port: number;
  process?: string;
  pid?: number;
}

export interface ListenerFacts {
  /** Which tool answered: 'ss' or 'netstat'. */
  source: 'ss' | 'netstat';
  sockets: Listener[];
}

export type FirewallName = 'ufw' | 'firewalld' | 'iptables' | 'ip6tables' | 'nftables';

/** Where a deciding rule sits, so a fix can insert an allow rule before it. */
export interface RuleLocation {
  /** nft: family and table ("inet", "filter"); iptables: table ("filter"). */
  family?: string;
  table?: string;
  chain: string;
  /** 1-based position in the chain (iptables --line-numbers); for a policy, undefined. */
  position?: number;
  /** nft rule handle. */
  handle?: number;
  /** firewalld zone. */
  zone?: string;
}

export interface FirewallLayer {
  name: FirewallName;
  /**
   * absent: tool not installed or no ruleset; inactive: installed but not filtering;
   * accepts / blocks: the verdict for a new TCP connection to the port from a remote address;
   * unknown: could not tell (see detail).
   */
  state: 'absent' | 'inactive' | 'accepts' | 'blocks' | 'unknown';
  /** The rule that decides, verbatim, or "policy DROP" / "default: deny (incoming)". */
  rule?: string;
  where?: RuleLocation;
  /** The verdict of the deciding rule ('DROP', 'REJECT', 'ACCEPT', 'deny', …). */
  verdict?: string;
  detail?: string;
  needsRoot?: boolean;
  /**
   * The deciding rule belongs to a firewall manager's own chains (ufw's ufw-* chains, firewalld's
   * nft table): that manager's layer is the one to report and change, not this raw one.
   */
  managedBy?: 'ufw' | 'firewalld';
  /** ufw only: its rules as `ufw status numbered` numbers them (its fix inserts by number). */
  ufwRules?: UfwRule[];
}

/** One line of `ufw status numbered`; IPv4 rules are numbered first, their (v6) twins after. */
export interface UfwRule {
  n: number;
  /** "2201/tcp", "2201/tcp (v6)", "OpenSSH", "22/tcp on eth0". */
  to: string;
  /** "DENY IN", "ALLOW IN", "REJECT OUT"… */
  action: string;
  /** "Anywhere", "Anywhere (v6)", "10.0.0.0/8". */
  from: string;
  v6: boolean;
  /** What follows From: " (log)", "# comment", or "". */
  extra: string;
  /** The line after its "[ n]" prefix, trimmed: the same text `ufw status verbose` prints. */
  text: string;
}

export interface HostKeyFacts {
  /** HostKey paths sshd is configured with, each stat'ed. */
  keys: FileStat[];
}

export interface GroupFacts {
  gid: number;
  name: string;
  /** Supplementary members listed in /etc/group. */
  members: string[];
  /**
   * Accounts whose primary group this is (uid and name). Read only when some path on the walk is
   * group writable (the one case StrictModes asks); empty otherwise.
   */
  primaryOf: { name: string; uid: number }[];
}

export interface UserFacts {
  name: string;
  exists: boolean;
  uid?: number;
  gid?: number;
  home?: string;
  shell?: string;
  /** Names of every group the user is in (primary first), for AllowGroups/DenyGroups. */
  groups?: string[];
  /** From `passwd -S` / shadow: 'L' locked ("!" or "*" hash), 'NP' no password, 'P' usable. */
  passwordStatus?: 'L' | 'NP' | 'P';
  /** The shadow hash field begins with "!" (usermod -L / passwd -l). */
  lockedWithBang?: boolean;
  /** Account expiry date (shadow field 8) has passed. */
  accountExpired?: boolean;
  /** Password expired and past its inactivity period: sshd/PAM refuses even key logins. */
  passwordInactive?: boolean;
  /** The shadow line's expiry fields, verbatim, for evidence. */
  expiryDetail?: string;
  /**
   * A password change is required at the next login: 'forced' (last change day 0: `chage -d 0`,
   * `passwd -e`) or 'expired' (past its maximum age, within its inactive period). Key logins
   * without a terminal then end in "Password change required but no TTY available".
   */
  passwordChange?: 'forced' | 'expired';
  /** Shadow field 3, days since 1970-01-01: the undo of a `chage -d` puts it back. */
  lastChange?: number;
  /** Why `getent shadow` gave no answer (timed out, cut short): lock and expiry are not known. */
  shadowUnknown?: string;
}

/**
 * One key line of authorized_keys (blank and comment lines are not kept). A plain valid key keeps
 * only its number and type; a line with options or a problem keeps its text, for evidence.
 */
export interface KeyLine {
  /** Line number, from 1. */
  n: number;
  text?: string;
  type?: string;
  /** Why sshd skips the line; absent when it loads. */
  malformed?: string;
  /** This broken line and the next are one key wrapped over two lines. */
  joinsNext?: boolean;
  /** from="…": the client must match it. */
  from?: string;
  /** command="…": every login with this key runs that instead of a shell. */
  command?: string;
  restrict?: boolean;
  noPty?: boolean;
  /** pty: given back after restrict. */
  pty?: boolean;
}

export interface AuthFilesFacts {
  /** Expanded AuthorizedKeysFile paths (from sshd -T), each stat'ed. */
  authorizedKeys: FileStat[];
  /** Number of key lines in each existing authorized_keys file (comments/blank skipped). */
  keyCounts: Record<string, number>;
  /** Each read file's key lines as sshd parses them; `more` lines past KEY_LINES_MAX are counted only. */
  keyLines?: Record<string, { lines: KeyLine[]; more?: number }>;
  /**
   * Existing files whose keys were not counted, and why: their count is unknown, never zero.
   * `bytes` is set when the file is over AUTHORIZED_KEYS_MAX_BYTES (and so was not read at all).
   */
  unread?: { path: string; why: string; bytes?: number }[];
  /**
   * Every directory from each authorized_keys file up to "/" (home, home/.ssh, /home, /),
   * stat'ed: sshd's StrictModes walks exactly these.
   */
  dirs: FileStat[];
  /** Groups owning any of the paths above (Debian's private-group rule needs members). */
  groups: GroupFacts[];
  /**
   * Symlinks owned by someone other than root on the way to the authorized_keys files as
   * configured (before sshd's realpath): sshd follows them, but ssh-doctor, as root, never acts
   * through them.
   */
  userLinks?: { path: string; owner: string; target: string }[];
}

export interface LogFacts {
  /** Where the lines came from: "journalctl", "/var/log/auth.log", "/var/log/secure". */
  source: string;
  /** Recent sshd lines that explain a refusal, verbatim, oldest first. */
  lines: string[];
}

/** Where the address of the person locked out (--from) is banned. */
export interface BanFacts {
  from: string;
  by: { guard: 'fail2ban' | 'sshguard'; jail?: string; evidence: string }[];
}

/** Signs that sshd crashes or cannot load (the seed guide's Step 7). */
export interface CrashFacts {
  /** `ldd` lines: a library not found, a version not found, a file the loader rejects. */
  libraries: string[];
  /** The packages those libraries belong to (`dpkg -S`), to reinstall with openssh-server. */
  libraryPackages?: string[];
  /** openssh-server's files that differ from the package (configuration files left out). */
  changedFiles: string[];
  /** The command that compared them: "dpkg --verify openssh-server" or "rpm -V openssh-server". */
  verifyCommand?: string;
  /** Where the kernel's lines came from; absent when no kernel log was readable. */
  kernelSource?: string;
  /** Kernel lines of sshd segfaulting, most recent last. */
  segfaults: string[];
  /** Machine-check / hardware-error lines: memory or CPU faults crash any program. */
  machineChecks: string[];
}

/**
 * The address of the person who is locked out, as assumed for the rules that depend on it
 * (from="…", USER@HOST, Match Address): --from, else the user's last refusal in sshd's log.
 */
export interface ClientAddress {
  address?: string;
  source: 'option' | 'log' | 'none';
  /** One sentence for the report: where the address came from, or why there is none. */
  why: string;
}

/**
 * Without a client address: the effective config for addresses that sshd's own Match blocks name
 * (Match Address, Match Host), compared with the sample address's. Only the settings a login
 * depends on are compared.
 */
export interface AddressDependence {
  /** The sample context the report's effective config was evaluated for. */
  sample: { host: string; addr: string };
  /** Each context whose login settings differ from the sample's, with sshd -T's config for it. */
  differs: {
    /** The Match criteria, as sshd printed them ("Address 10.0.0.0/8"). */
    match: string;
    host: string;
    addr: string;
    settings: { key: string; sample: string[]; there: string[] }[];
    config: Record<string, string[]>;
  }[];
  /** Contexts that could not be compared (sshd -T failed, or more than were asked about). */
  unchecked: string[];
}

/** Login shells this host lists (/etc/shells) and the one new accounts get (`useradd -D`). */
export interface ShellFacts {
  listed: string[];
  useraddDefault?: string;
}

/** /etc/hosts.allow and /etc/hosts.deny, when this sshd is linked with libwrap (Debian's is). */
export interface TcpWrapperFacts {
  linked: boolean;
  allow: string;
  deny: string;
}

/**
 * What the session needs after authentication: the ChrootDirectory and each directory on its way
 * (from "/"), and the ForceCommand program, each stat'ed as configured for this user.
 */
export interface SessionFacts {
  chroot?: { path: string; components: FileStat[] };
  forceCommand?: { command: string; program: FileStat };
}

export interface ServerFacts {
  /** Who and which port the diagnosis is about; `from` is the --from address, when given. */
  target: { user: string; port: number; from?: string };
  client?: ClientAddress;
  /** Whether the probes ran as root (many files and `sshd -T` need it). */
  root: boolean;
  sshd?: Maybe<SshdBinary>;
  processes?: Maybe<SshdProcesses>;
  init?: Maybe<InitFacts>;
  configTest?: Maybe<ConfigTest>;
  effective?: Maybe<EffectiveConfig>;
  /** Only when no client address is known (then the effective config is for a sample address). */
  addressDependence?: Maybe<AddressDependence>;
  listeners?: Maybe<ListenerFacts>;
  /** Addresses assigned to this host's interfaces (`ip -o addr show`), without prefix length. */
  localAddresses?: Maybe<string[]>;
  firewall?: FirewallLayer[];
  privsepDir?: Maybe<FileStat>;
  hostKeys?: Maybe<HostKeyFacts>;
  user?: Maybe<UserFacts>;
  authFiles?: Maybe<AuthFilesFacts>;
  nologin?: Maybe<{ exists: boolean; path: string; text?: string }>;
  shells?: Maybe<ShellFacts>;
  tcpWrappers?: Maybe<TcpWrapperFacts>;
  session?: Maybe<SessionFacts>;
  logs?: Maybe<LogFacts>;
  crash?: Maybe<CrashFacts>;
  bans?: Maybe<BanFacts>;
  /** Over --via: the connection to this host was lost during the probes (their commands did not run). */
  connectionLost?: string;
}
