// What each client probe returns. The flow (flows/client.ts) decides on these; the probes in this
// folder produce them. Every probe takes a timeout and never throws for an expected failure.
import type { LoginTimeline } from './login-phases.js';

/** Effective settings, as `ssh -G` computes them for the same flags. */
export interface ResolvedTarget {
  /** The destination as typed (may be a Host alias). */
  alias: string;
  /** HostName after alias expansion. */
  host: string;
  user: string;
  port: number;
  identityFiles: string[];
  /** CertificateFile values (a user certificate is also looked for beside each identity file). */
  certificateFiles?: string[];
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  hostKeyAlias?: string;
  proxyJump?: string;
  /** ProxyCommand as ssh -G prints it (tokens unexpanded); absent when none. */
  proxyCommand?: string;
  addressFamily: 'any' | 'inet' | 'inet6';
  /** BindAddress (-b) and BindInterface (-B): where ssh's own connection leaves this machine from. */
  bind?: LocalBind;
  /**
   * The first jump host as ssh reaches it, from its own `ssh -G` (HostName, Port, AddressFamily,
   * BindAddress); absent without ProxyJump, or when that could not be read.
   */
  firstHop?: { host: string; port: number; addressFamily: 'any' | 'inet' | 'inet6'; bind?: LocalBind };
  /**
   * CanonicalizeHostname with CanonicalizeFallbackLocal no, and no CanonicalDomains suffix
   * resolved: ssh refuses to connect at all (the names it tried, and its own line).
   */
  canonicalizeFailed?: { tried: string[]; sshSaid: string };
  /** Ports named anywhere in the user's ssh config (candidates when the port refuses). */
  configPorts: number[];
}

/** ssh uses the address when both are set; the interface stands for its first address of the right family. */
export interface LocalBind {
  address?: string;
  interface?: string;
}

export interface DnsResult {
  addresses: { address: string; family: 4 | 6 }[];
  /** literal: the host is an address; hosts: found in /etc/hosts; dns: from the resolver. */
  source?: 'literal' | 'hosts' | 'dns';
  /** getaddrinfo's code when nothing resolved (ENOTFOUND, EAI_AGAIN, ...). */
  error?: string;
}

/** bind-failed: the connection never left this machine (BindAddress / BindInterface unusable). */
export type TcpOutcome = 'connected' | 'refused' | 'timeout' | 'unreachable' | 'bind-failed' | 'error';
export type BannerOutcome = 'ssh' | 'other' | 'closed' | 'reset' | 'silent';

export interface TcpAttempt {
  address: string;
  port: number;
  outcome: TcpOutcome;
  /** errno code for refused/unreachable/error (ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, ...). */
  errno?: string;
  ms: number;
  /** The source address it was bound to (BindAddress / BindInterface); absent: the system chose. */
  localAddress?: string;
  /** Only for bind-failed: why, in one clause (which setting, which address). */
  bindProblem?: string;
  /** Only when connected: what the server said first. */
  bannerOutcome?: BannerOutcome;
  /** The first line the server sent (SSH-2.0-..., 220 smtp ..., HTTP/1.1 ...), printable only. */
  banner?: string;
  /**
   * The server said nothing at first, so we sent our SSH identification (as ssh does); the banner
   * is its answer to that (e.g. "HTTP/1.1 400 Bad Request" from a web server).
   */
  nudged?: boolean;
}

export interface TcpResult {
  attempts: TcpAttempt[];
}

export interface KnownHostEntry {
  file: string;
  line: number;
  keyType: string;
  key: string;
  marker?: '@revoked' | '@cert-authority';
  hashed: boolean;
}

export interface KnownHostsResult {
  /** The name looked up: host, or [host]:port for a non-22 port, or HostKeyAlias. */
  lookupName: string;
  entries: KnownHostEntry[];
  /** Files that exist and were searched. */
  searched: string[];
}

export interface HostKey {
  type: string;
  /** base64 of the public key blob, as in known_hosts. */
  key: string;
  /** SHA256:... as ssh prints it. */
  fingerprint: string;
}

/** What the handshake probe is asked: one address, as the TCP probe reached it. */
export interface HandshakeInput {
  address: string;
  port: number;
  user: string;
  timeoutMs: number;
  /** Key types already in known_hosts: asked for first, as OpenSSH does, so the key compares. */
  preferredHostKeyTypes?: readonly string[];
  /** The source address the TCP probe bound (BindAddress / BindInterface): the same path as ssh. */
  localAddress?: string;
}

export interface HandshakeResult {
  ok: boolean;
  hostKey?: HostKey;
  /** The server's KEXINIT proposal. */
  serverAlgorithms?: { kex: string[]; hostKey: string[]; cipher: string[]; mac: string[] };
  /** Methods the server lists after an auth "none" request (publickey, password, ...). */
  authMethods?: string[];
  serverVersion?: string;
  /** The source address it was bound to, as the TCP probe's connection was. */
  localAddress?: string;
  /** node-ssh/ssh2 error level (client-socket, client-timeout, handshake, ...) and message. */
  error?: { level?: string; message: string };
}

export interface KeyFile {
  path: string;
  exists: boolean;
  /** Permission bits, e.g. 0o644. */
  mode?: number;
  ownerUid?: number;
  /** ssh ignores a private key readable by group or others ("UNPROTECTED PRIVATE KEY FILE"). */
  tooOpen?: boolean;
  pubPath: string;
  pubExists: boolean;
  /** The .pub matches the private key (from ssh-keygen -y); undefined when it can't be told. */
  pubMatches?: boolean;
  type?: string;
  fingerprint?: string;
  /** Whether the path was named explicitly (-i / IdentityFile) rather than a default. */
  explicit: boolean;
  /** The key needs a passphrase (an empty one does not open it): BatchMode ssh cannot use it without an agent. */
  encrypted?: boolean;
}

export interface KeyFilesResult {
  files: KeyFile[];
  agent: { available: boolean; fingerprints: string[] };
  /** The user certificates ssh would load, as `ssh-keygen -L` reads them (src/client/probes/user-cert.ts). */
  certificates?: UserCertificate[];
}

/** An SSH user certificate file, as `ssh-keygen -L` describes it. */
export interface UserCertificate {
  path: string;
  /** "user" or "host" (a host certificate is no login credential). */
  kind?: string;
  /** SHA256:… of the certified key: the fingerprint `ssh -v` prints when it offers the certificate. */
  fingerprint?: string;
  /** "ED25519 SHA256:… (using ssh-ed25519)". */
  signingCa?: string;
  keyId?: string;
  /** UTC, ISO 8601 without zone (ssh-keygen runs with TZ=UTC0); absent: no lower bound. */
  validFrom?: string;
  /** UTC, as validFrom; absent: valid forever. */
  validTo?: string;
  principals: string[];
  /** Set when ssh-keygen could not read it: nothing above is known then. */
  error?: string;
}

export type LoginOutcome =
  | 'ok'
  | 'host-key-changed'
  | 'host-key-unknown'
  | 'algorithm-mismatch'
  | 'auth-denied'
  | 'too-many-auth-failures'
  | 'connection-refused'
  | 'connection-timeout'
  | 'banner-exchange-failed'
  | 'dns-unresolved'
  | 'no-route'
  // After authentication: the account or its session cannot be used (see login-session.ts).
  | 'account-locked'
  | 'password-change-required'
  | 'login-shell-nologin'
  | 'forced-command-failed'
  | 'session-closed-after-auth'
  /** A key was accepted with partial success; the server wanted another method batch mode cannot give. */
  | 'auth-second-factor-required'
  | 'other';

/** What `ssh -v` printed, reduced to facts (see parseSshDebug). */
export interface SshDebug {
  outcome: LoginOutcome;
  serverVersion?: string;
  /** "Authentications that can continue" — the last list seen. */
  methodsLeft?: string[];
  /** Key files or agent keys offered ("Offering public key: ..."). */
  keysOffered: string[];
  /** Keys ssh refused to use because their modes were too open. */
  keysIgnored: { path: string; mode: string }[];
  /** Identity files ssh looked for but did not find ("no such identity"). */
  keysMissing: string[];
  /** For algorithm-mismatch: what did not match, and what the server offered. */
  algorithm?: { what: string; theirOffer: string[] };
  /** For host-key-changed: the known_hosts line that no longer matches. */
  offendingKey?: { file: string; line: number };
  /** The lines that support the outcome, verbatim, for evidence. */
  evidence: string[];
  /** Lines the server sent before closing, in place of an SSH identification ("220 ... ESMTP"). */
  preBanner?: string[];
  /**
   * ssh accepted an unknown host key into our temporary known_hosts copy (attemptLogin uses
   * StrictHostKeyChecking=accept-new there): the host is not in the user's known_hosts.
   */
  hostKeyAdded?: boolean;
  /** "Offering public key: … TYPE-CERT SHA256:…" lines: the user certificates ssh offered. */
  certificatesOffered?: { fingerprint: string; line: string }[];
  /** The key the server presented is marked @revoked in known_hosts (outcome stays 'other'). */
  hostKeyRevoked?: boolean;
  /** "Authenticated to": the server let the user in (the session may still fail). */
  authenticated?: boolean;
  /** Keys the server said it would accept ("Server accepts key"): ssh still had to sign with them. */
  keysAccepted: string[];
  /** Keys this ssh would not offer at all (a type it no longer uses, or no signature algorithm in common). */
  keysSkipped: { path: string; type?: string; reason: string }[];
  /** The remote command's exit status ("Exit status N"); absent when the channel closed without one. */
  exitStatus?: number;
  /** What the session printed (stdout, then the remote's lines on stderr), first lines only. */
  sessionOutput?: string[];
}

/** What the ProxyCommand did during the login attempt. */
export interface ProxyOutcome {
  /** The command as ssh runs it, tokens expanded. */
  command: string;
  /** Its exit status when it ended by itself (undefined: still running when ssh finished, or killed by ssh). */
  exitStatus?: number;
  /** What it printed on stderr (not ssh's lines). */
  stderr: string[];
}

export interface LoginResult {
  exitCode: number | undefined;
  /** Stopped by us: at the deadline before key exchange finished, or at the hard ceiling. */
  timedOut: boolean;
  debug: SshDebug;
  /** Where the attempt spent its time, from ssh's -v lines as they arrived. */
  timeline?: LoginTimeline;
  /** Still going at the deadline, past key exchange: followed on to the hard ceiling. */
  followedPastDeadline?: boolean;
  /** Only with a ProxyCommand. */
  proxy?: ProxyOutcome;
  /** Only through a jump host: it could not open the connection on to the target (its reason). */
  hopFailed?: { reason: string; evidence: string[] };
}

/** The one password login the wizard may run on the user's terminal (src/client/password-attempt.ts). */
export interface PasswordAttempt {
  command: string[];
  exitCode: number | undefined;
  /** What ssh wrote on stderr (the person saw it too); prompts go to the terminal, never here. */
  stderr: string[];
}

export interface OtherPortResult {
  port: number;
  outcome: TcpOutcome;
  bannerOutcome?: BannerOutcome;
  banner?: string;
}
