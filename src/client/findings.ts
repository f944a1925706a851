// From what the client probes learned to what a person reads: the verdict's finding, its
// evidence, the fix or the next steps, plus side findings. Pure.
import { formatMode, type Finding, type Severity, type Verdict } from '../report.js';
import type {
  DnsResult,
  HandshakeResult,
  KeyFilesResult,
  KnownHostsResult,
  LoginResult,
  OtherPortResult,
  PasswordAttempt,
  ResolvedTarget,
  TcpResult,
} from './probes/types.js';
import { compareHostKey } from './compare-host-key.js';
import { chmodKeyFix, removeKnownHostFix } from './fixes.js';
import { hostKeyRevokedFinding } from './host-key-revoked.js';
import { userCertificateFinding } from './user-certificate.js';
import { passwordAcceptedFinding, passwordDeniedFinding, passwordEvidence } from './password-attempt.js';
import { describeEndpoint, endpointFamily, networkEndpoint } from './endpoint.js';
import { pasteStep } from '../shell-quote.js';
import { proxyFailure } from './probes/proxy-command.js';
import { slowPhase, slowPhaseHint } from './probes/login-phases.js';

export interface ClientFacts {
  target?: ResolvedTarget;
  dns?: DnsResult;
  tcp?: TcpResult;
  otherPorts?: OtherPortResult[];
  keys?: KeyFilesResult;
  knownHosts?: KnownHostsResult;
  handshake?: HandshakeResult;
  login?: LoginResult;
  /** Only after the person accepted the wizard's offer to type a password into ssh. */
  password?: PasswordAttempt;
}

const SERVER_CHECK = (f: ClientFacts, after = '') =>
  pasteStep(
    'On the server (console or another session): ',
    ['ssh-doctor', 'server', '--port', String(f.target?.port ?? 22), ...(f.target ? ['--user', f.target.user] : [])],
    after,
  );

/** The user's ssh command line with other options, as a step to paste. */
const sshStep = (text: string, t: ResolvedTarget | undefined, ...options: string[]) =>
  pasteStep(text, ['ssh', ...options, `${t?.user}@${t?.host}`, '-p', String(t?.port)]);

/** The jump host as ssh was given it, when it could not reach the target. */
const failedHop = (f: ClientFacts) => (f.login?.hopFailed && f.target?.proxyJump ? f.target.proxyJump : undefined);

/** The jump host's own words on why it could not reach the target. */
function hopEvidence(f: ClientFacts): string[] {
  const hop = failedHop(f);
  if (!hop || !f.login?.hopFailed) return [];
  return [
    `the jump host ${hop} could not reach ${f.target?.host}:${f.target?.port}: ${f.login.hopFailed.reason}`,
    ...f.login.hopFailed.evidence,
  ];
}

function endpoint(f: ClientFacts): string {
  if (f.target?.proxyCommand && !f.target.proxyJump)
    return `${f.target.host}:${f.target.port} (through its ProxyCommand)`;
  const hop = failedHop(f);
  if (hop) return `${f.target?.host}:${f.target?.port} (as seen from the jump host ${hop})`;
  return f.target ? describeEndpoint(networkEndpoint(f.target)) : 'the host';
}

function tcpEvidence(f: ClientFacts): string[] {
  return [...(f.tcp?.attempts ?? []).map(tcpLine), ...hopEvidence(f)];
}

function tcpLine(a: NonNullable<ClientFacts['tcp']>['attempts'][number]): string {
  const to = `${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`;
  if (a.outcome === 'bind-failed')
    return `${to} not tried: ${a.bindProblem ?? 'the source address could not be bound'}`;
  const how =
    a.outcome === 'connected'
      ? `connected in ${a.ms} ms`
      : `${a.outcome}${a.errno ? ` (${a.errno})` : ''} after ${a.ms} ms`;
  const banner =
    a.outcome === 'connected'
      ? `; first line: ${a.banner ? JSON.stringify(a.banner) : `(${a.bannerOutcome ?? 'nothing'})`}`
      : '';
  return `${to}${a.localAddress ? ` from ${a.localAddress}` : ''} ${how}${banner}`;
}

/** Where the source-address setting in force came from, for the person to find it. */
function bindSetting(t: ResolvedTarget | undefined): string {
  const b = t?.bind;
  return b?.address !== undefined ? `BindAddress ${b.address} (-b)` : `BindInterface ${b?.interface} (-B)`;
}

const loginEvidence = (f: ClientFacts): string[] => f.login?.debug.evidence ?? [];

/** What the server says it accepts: ssh's final word, else the handshake's "none" answer. */
const authMethods = (f: ClientFacts): string[] => f.login?.debug.methodsLeft ?? f.handshake?.authMethods ?? [];
/** Methods a person answers by typing (a password, a code). */
const typed = (m: string) => m === 'password' || m === 'keyboard-interactive';

/**
 * Encrypted keys ssh could not use: accepted by the server (ssh then needed the private half), or
 * never offered at all (an old-format key whose public half is locked too).
 */
export function encryptedUnusable(f: ClientFacts): string[] {
  const d = f.login?.debug;
  return (f.keys?.files ?? [])
    .filter((k) => k.exists && k.encrypted && (d?.keysAccepted.includes(k.path) || !d?.keysOffered.includes(k.path)))
    .map((k) => k.path);
}

/** A login we stopped at the deadline: how far ssh got, and where it was waiting. */
function stoppedAtDeadline(f: ClientFacts, timeoutMs: number): string[] {
  const last = f.login?.timedOut ? f.login.timeline?.phases.at(-1) : undefined;
  if (!last) return [];
  return [
    `ssh got no further than ${last.phase} within --timeout ${timeoutMs} ms${last.longestWait ? `; its last line: ${last.longestWait.after}` : ''}`,
  ];
}

/** What a verdict or finding says; its id and severity come from the registry entry. */
type Found = Omit<Finding, 'id' | 'severity'>;

interface VerdictEntry {
  severity: Severity;
  /** Nothing answers as SSH: the ways in that bypass SSH (locked-out) are worth offering. */
  unreachable?: true;
  /** The verdict as the report's first finding, from what the probes learned. */
  finding: (f: ClientFacts, timeoutMs: number) => Found;
}

/**
 * The client verdicts (README "Verdicts", stable ids). flows/client.ts decides which one applies;
 * this says what each one tells a person.
 */
export const CLIENT_VERDICTS = {
  ok: {
    severity: 'ok',
    finding: (f) =>
      f.password
        ? passwordAcceptedFinding(f.target, f.password)
        : {
            summary: `Login works: ${f.target?.user}@${endpoint(f)} accepted the connection.`,
            evidence: loginEvidence(f),
          },
  },
  'proxy-command-failed': {
    severity: 'error',
    finding: (f, timeoutMs) => {
      const p = f.login?.proxy;
      const command = p?.command ?? f.target?.proxyCommand ?? '';
      const hop = failedHop(f);
      if (hop)
        return {
          summary: `The jump host ${hop} would not open the connection on to ${f.target?.host}:${f.target?.port}: ${f.login?.hopFailed?.reason}.`,
          evidence: [...hopEvidence(f), ...loginEvidence(f)],
          next: [
            'On the jump host: AllowTcpForwarding (yes or local) and PermitOpen in its sshd_config, or a Match block that turns forwarding off for you.',
          ],
        };
      return {
        summary: `The ProxyCommand ssh uses to reach ${f.target?.host ?? 'the host'} failed: ${p ? proxyFailure(p) : 'no SSH server answered through it'}.`,
        evidence: [
          `ProxyCommand: ${command}`,
          ...(p?.stderr ?? []).map((l) => `it printed: ${l}`),
          ...(p?.exitStatus !== undefined ? [`it exited with status ${p.exitStatus}`] : []),
          ...(f.login?.timedOut ? [`no SSH identification came through it within ${timeoutMs} ms`] : []),
          ...loginEvidence(f),
        ],
        next: [
          'Run the command by itself: it should connect and print an SSH-2.0-… line (Ctrl-C to leave).',
          'Is its program installed and on PATH, and is its own login current (aws sso login, gcloud auth login, cloudflared access login, tsh login)?',
          'The server itself was not probed: a ProxyCommand decides where the connection goes.',
        ],
      };
    },
  },
  'dns-unresolved': {
    severity: 'error',
    finding: (f) => {
      const t = f.target;
      const host = t ? (failedHop(f) ? t.host : networkEndpoint(t).host) : '';
      const family = t ? (failedHop(f) ? t.addressFamily : endpointFamily(t)) : 'any';
      return {
        summary: t?.canonicalizeFailed
          ? `"${host}" does not resolve under any of your CanonicalDomains, and CanonicalizeFallbackLocal no stops ssh from trying it as it is.`
          : `"${host}" does not resolve to any address${f.dns?.error ? ` (${f.dns.error})` : ''}.`,
        evidence: [
          ...(t && t.alias !== t.host ? [`ssh config maps "${t.alias}" to HostName ${t.host}`] : []),
          ...(t?.canonicalizeFailed
            ? [`ssh tried: ${t.canonicalizeFailed.tried.join(', ')}`, t.canonicalizeFailed.sshSaid]
            : []),
          ...(t?.proxyJump && !failedHop(f) ? [`ssh connects first to the jump host ${t.proxyJump}`] : []),
          ...hopEvidence(f),
          ...(f.dns?.addresses.length
            ? []
            : [`lookup of ${host} (${family === 'any' ? 'IPv4 and IPv6' : family}) returned nothing`]),
        ],
        next: [
          pasteStep('Check the spelling, and your DNS: ', [
            'getent',
            'ahosts',
            t?.canonicalizeFailed?.tried[0] ?? host,
          ]),
          'If it is a new name, its DNS record may not have propagated yet; try the IP address.',
        ],
      };
    },
  },
  'no-route': {
    severity: 'error',
    unreachable: true,
    finding: (f) => ({
      summary: `No route to ${endpoint(f)}: the network cannot reach that address at all.`,
      evidence: tcpEvidence(f),
      next: [
        'Is the machine up? A stopped cloud instance or a down VPN gives exactly this.',
        pasteStep('Check your route: ', ['ip', 'route', 'get', f.tcp?.attempts[0]?.address ?? f.target?.host ?? '']),
      ],
    }),
  },
  'bind-address-unavailable': {
    severity: 'error',
    finding: (f) => ({
      summary: `ssh is told to connect from ${bindSetting(f.target)}, which this machine cannot use: the connection never leaves it.`,
      evidence: tcpEvidence(f),
      next: [
        pasteStep("This machine's addresses: ", ['ip', '-brief', 'address']),
        'Give ssh one of them, or drop -b/-B (or the BindAddress/BindInterface line of your ssh config, which ssh -G shows).',
      ],
    }),
  },
  'connection-refused': {
    severity: 'error',
    unreachable: true,
    finding: (f) => ({
      summary: `${endpoint(f)} refused the connection: the host is up, but nothing listens on port ${f.target?.port} (or a firewall rejects it).`,
      evidence: tcpEvidence(f),
      next: [
        SERVER_CHECK(f),
        'There: is sshd running (sshd -t, then start it), and which port does it listen on (ss -tlnp)?',
        'A REJECT rule in iptables/nftables/ufw also answers "refused".',
      ],
    }),
  },
  'connection-timeout': {
    severity: 'error',
    unreachable: true,
    finding: (f, timeoutMs) => ({
      summary: `No answer from ${endpoint(f)} within ${timeoutMs} ms: packets are silently dropped (firewall or cloud security group) or the host is down.`,
      evidence: tcpEvidence(f),
      next: [
        'Check, in this order: the cloud security group / network ACL / NSG for TCP port ' +
          (f.target?.port ?? 22) +
          ' from your address,',
        'then on the host: ufw status verbose; firewall-cmd --list-all; iptables -S INPUT; nft list ruleset.',
        SERVER_CHECK(f),
        'No way in at all? ssh-doctor locked-out',
      ],
    }),
  },
  'not-ssh-service': {
    severity: 'error',
    finding: (f) => {
      const a = f.tcp?.attempts.find((x) => x.outcome === 'connected');
      return {
        summary: `Something other than SSH answers on ${endpoint(f)}${a?.banner ? `: "${a.banner}"` : ''}.`,
        evidence: tcpEvidence(f),
        next: [
          'Another service owns this port, or the port is wrong.',
          SERVER_CHECK(f, ' shows where sshd really listens.'),
        ],
      };
    },
  },
  'banner-exchange-failed': {
    severity: 'error',
    unreachable: true,
    finding: (f) => ({
      summary: `${endpoint(f)} accepted the TCP connection but closed it before saying anything SSH.`,
      evidence: [...tcpEvidence(f), ...loginEvidence(f)],
      next: [
        'Usual causes: sshd is over MaxStartups (too many unauthenticated connections), fail2ban/sshguard has banned your address,',
        'a TCP wrapper (/etc/hosts.deny), or sshd dies on each connection (its log says why).',
        SERVER_CHECK(f),
      ],
    }),
  },
  'algorithm-mismatch': {
    severity: 'error',
    finding: (f) => {
      const alg = f.login?.debug.algorithm;
      return {
        summary: `Your ssh and the server have no ${alg?.what ?? 'algorithm'} in common${alg?.theirOffer.length ? `; the server offers only ${alg.theirOffer.join(', ')}` : ''}.`,
        evidence: loginEvidence(f),
        next: [
          alg && algOption(alg.what) !== 'HostKeyAlgorithms'
            ? `Best: on the server, remove the ${algOption(alg.what)} line from sshd_config (OpenSSH's defaults are modern), then sshd -t and reload sshd; an old server needs an OpenSSH upgrade.`
            : 'Best: on the server, generate a modern host key (ssh-keygen -A), list it as a HostKey in sshd_config, and reload sshd.',
          ...(alg?.theirOffer.length
            ? [sshStep('Temporary, weaker: ', f.target, '-o', `${algOption(alg.what)}=+${alg.theirOffer[0]}`)]
            : []),
        ],
      };
    },
  },
  'host-key-changed': { severity: 'error', finding: (f) => hostKeyChanged(f) },
  'host-key-revoked': { severity: 'error', finding: (f) => hostKeyRevokedFinding(f, loginEvidence(f)) },
  'private-key-permissions': {
    severity: 'error',
    finding: (f) => {
      const ignored = f.keys?.files.filter((k) => k.exists && k.tooOpen) ?? [];
      const fromSsh = f.login?.debug.keysIgnored ?? [];
      const paths = [...new Set([...ignored.map((k) => k.path), ...fromSsh.map((k) => k.path)])];
      const first = ignored[0];
      return {
        summary: `ssh ignores ${paths.join(', ')}: its permissions let others read it, so the key is never offered.`,
        evidence: [
          ...ignored.map(
            (k) => `${k.path} has mode ${formatMode(k.mode ?? 0)}; ssh requires no group/other access (0600)`,
          ),
          ...loginEvidence(f),
        ],
        fix: first ? chmodKeyFix(first.path, first.mode ?? 0o644) : undefined,
      };
    },
  },
  'too-many-auth-failures': {
    severity: 'error',
    finding: (f) => {
      const t = f.target;
      const offered = f.login?.debug.keysOffered ?? [];
      return {
        summary: `The server hung up after too many failed keys (its MaxAuthTries): ssh offered ${offered.length} key(s) before the right one.`,
        evidence: [...offered.map((k) => `offered: ${k}`), ...loginEvidence(f)],
        // ~/.ssh/THE_KEY is a placeholder to edit, so it stays outside the quoted words.
        next: [
          pasteStep('Offer only the right key: ssh -o IdentitiesOnly=yes -i ~/.ssh/THE_KEY ', [
            `${t?.user}@${t?.host}`,
            '-p',
            String(t?.port),
          ]),
          'or set IdentitiesOnly yes and IdentityFile for this Host in ~/.ssh/config.',
        ],
      };
    },
  },
  'user-certificate-invalid': { severity: 'error', finding: (f) => userCertificateFinding(f, loginEvidence(f)) },
  'auth-publickey-denied': {
    severity: 'error',
    finding: (f) => {
      const t = f.target;
      const offered = f.login?.debug.keysOffered ?? [];
      const methods = authMethods(f);
      const also = methods.filter(typed);
      return {
        summary: offered.length
          ? `The server refused every key offered for ${t?.user} (${offered.length}).`
          : also.length
            ? `ssh had no key to offer for ${t?.user}; the server also takes ${also.join(', ')}, which a batch check cannot type.`
            : `ssh had no key to offer for ${t?.user}, and the server accepts only keys here.`,
        evidence: [
          ...offered.map((k) => `offered and refused: ${k}`),
          ...(methods.length ? [`server accepts: ${methods.join(', ')}`] : []),
          ...loginEvidence(f),
        ],
        next: [
          `Is your public key in ~${t?.user}/.ssh/authorized_keys on the server? (ssh-copy-id from a machine that can log in)`,
          SERVER_CHECK(
            f,
            ' checks authorized_keys, its modes, AllowUsers, a locked or expired account (without PAM sshd refuses it like a wrong key) and the log line that says why.',
          ),
        ],
      };
    },
  },
  'auth-password-denied': {
    severity: 'error',
    finding: (f) =>
      f.password
        ? passwordDeniedFinding(f.target, f.password)
        : {
            summary: `The server wants a password for ${f.target?.user}, which a batch check cannot type, and you have no key ssh could use instead.`,
            evidence: [
              ...(f.login?.debug.methodsLeft ? [`server accepts: ${f.login.debug.methodsLeft.join(', ')}`] : []),
              ...loginEvidence(f),
            ],
            next: [
              sshStep('Try it by hand: ', f.target, '-o', 'PreferredAuthentications=password'),
              'For key logins, ask for your key to be added to authorized_keys, or enable PubkeyAuthentication on the server.',
            ],
          },
  },
  'account-locked': {
    severity: 'error',
    finding: (f) => ({
      summary: `The server ${f.login?.debug.keysAccepted.length ? 'accepted the key, then ' : ''}turned ${f.target?.user} away: the account is expired or locked.`,
      evidence: loginEvidence(f),
      next: [
        SERVER_CHECK(f, ' shows which (chage -l) and the exact step that lets the user in again.'),
        'Someone may have locked it on purpose: ask before unlocking.',
      ],
    }),
  },
  'password-change-required': {
    severity: 'error',
    finding: (f) => ({
      summary: `${f.target?.user}'s password has expired: the server demands a new one before any login, even with a key, and ssh without a terminal cannot give it.`,
      evidence: loginEvidence(f),
      next: [
        sshStep('Change it now (ssh asks for the old one, then the new one twice): ', f.target, '-t'),
        pasteStep('or, as an admin on the server: ', ['sudo', 'passwd', f.target?.user ?? '']),
      ],
    }),
  },
  'login-shell-nologin': {
    severity: 'error',
    finding: (f) => {
      const said = f.login?.debug.sessionOutput?.length;
      return {
        summary: said
          ? `${f.target?.user} authenticated, but the account's shell refuses logins (nologin): there is no session to work in.`
          : `${f.target?.user} authenticated, but the session ended at once with status 1 and printed nothing: the account's shell is /bin/false (or a forced command fails silently).`,
        evidence: loginEvidence(f),
        next: [
          pasteStep('On the server, see the shell: ', ['getent', 'passwd', f.target?.user ?? '']),
          pasteStep('If this account is meant for logins, an admin gives it a shell: ', [
            'sudo',
            'usermod',
            '-s',
            '/bin/bash',
            f.target?.user ?? '',
          ]),
          'Service accounts are set this way on purpose.',
        ],
      };
    },
  },
  'forced-command-failed': {
    severity: 'error',
    finding: (f) => ({
      summary: `${f.target?.user} authenticated, but the program the server runs for this account cannot start (exit ${f.login?.debug.exitStatus}).`,
      evidence: loginEvidence(f),
      next: [
        'A ForceCommand in sshd_config, a command="…" in authorized_keys, or the account\'s shell names a program that is missing or not executable.',
        SERVER_CHECK(f),
      ],
    }),
  },
  'session-closed-after-auth': {
    severity: 'error',
    finding: (f) => ({
      summary: `${f.target?.user} authenticated, then the server closed the connection before a session started.`,
      evidence: loginEvidence(f),
      next: [
        'Usual causes: a ChrootDirectory that is not owned by root or is writable by others, a PAM session module that fails, a broken subsystem.',
        'The server\'s sshd log says which (e.g. "bad ownership or modes for chroot directory").',
        SERVER_CHECK(f),
      ],
    }),
  },
  'auth-second-factor-required': {
    severity: 'warning',
    finding: (f) => {
      const d = f.login?.debug;
      return {
        summary: `The server accepted your key${d?.keysAccepted.length ? ` (${d.keysAccepted.at(-1)})` : ''}, then asks for a second step (${(d?.methodsLeft ?? []).join(', ') || 'another method'}): a code or password that a batch check cannot give.`,
        evidence: loginEvidence(f),
        next: [
          sshStep('Log in by hand; ssh asks for it: ', f.target),
          "That is the server's policy (AuthenticationMethods, e.g. a one-time code), not a fault.",
        ],
      };
    },
  },
  'pubkey-auth-disabled': {
    severity: 'error',
    finding: (f) => {
      const methods = authMethods(f);
      return {
        summary: `The server does not take keys at all: it offers only ${methods.join(', ')}, so no key of yours was even tried.`,
        evidence: [`server accepts: ${methods.join(', ')}`, ...loginEvidence(f)],
        next: [
          ...(methods.some(typed)
            ? [sshStep('Log in by hand: ', f.target, '-o', 'PreferredAuthentications=password,keyboard-interactive')]
            : []),
          SERVER_CHECK(f, ' shows where PubkeyAuthentication is turned off and offers to turn it on.'),
        ],
      };
    },
  },
  'key-encrypted-no-agent': {
    severity: 'error',
    finding: (f) => {
      const keys = encryptedUnusable(f);
      return {
        summary: `${keys.join(', ')} needs a passphrase and no agent holds it: ssh in batch mode cannot ask for it, so the key was never used${f.login?.debug.keysAccepted.some((k) => keys.includes(k)) ? ' (the server would accept it)' : ''}.`,
        evidence: [
          ...keys.map((k) => `${k} is encrypted: an empty passphrase does not open it`),
          f.keys?.agent.available
            ? `the agent holds ${f.keys.agent.fingerprints.length} key(s), not this one`
            : 'no ssh-agent is reachable',
          ...loginEvidence(f),
        ],
        next: [
          pasteStep('Load it into your agent once (it asks for the passphrase): ', ['ssh-add', keys[0] ?? '']),
          'No agent running? eval "$(ssh-agent)" starts one in this shell. Plain ssh (not batch mode) asks for the passphrase itself.',
        ],
      };
    },
  },
  'key-type-disabled': {
    severity: 'error',
    finding: (f) => {
      const skipped = f.login?.debug.keysSkipped ?? [];
      const sha1 = skipped.some((k) => k.reason === 'no mutual signature algorithm');
      const dss = skipped.some((k) => k.type === 'ssh-dss');
      return {
        summary: `This ssh no longer uses ${skipped.map((k) => `${k.path}${k.type ? ` (${k.type})` : ''}`).join(', ')}: ${sha1 ? 'the server only checks ssh-rsa (SHA-1) signatures, which this ssh has disabled' : 'that key type is not in its PubkeyAcceptedAlgorithms'}, so the key is never offered.`,
        evidence: [...(f.login?.debug.keysOffered ?? []).map((k) => `offered and refused: ${k}`), ...loginEvidence(f)],
        next: [
          pasteStep('Best: make a modern key and install its .pub on the server: ', ['ssh-keygen', '-t', 'ed25519']),
          ...(sha1 ? ["or upgrade the server's OpenSSH (7.2+ checks rsa-sha2-256/512 signatures)."] : []),
          ...(sha1 || !dss
            ? [
                sshStep(
                  'Temporary, weaker: ',
                  f.target,
                  '-o',
                  `PubkeyAcceptedAlgorithms=+${sha1 ? 'ssh-rsa' : skipped[0]?.type}`,
                ),
              ]
            : [
                sshStep(
                  'Temporary, weaker (OpenSSH 9.8+ has no DSA at all): ',
                  f.target,
                  '-o',
                  'PubkeyAcceptedAlgorithms=+ssh-dss',
                ),
              ]),
        ],
      };
    },
  },
  'login-failed': {
    severity: 'error',
    finding: (f, timeoutMs) => ({
      summary: `ssh failed in a way ssh-doctor does not recognise${f.login?.exitCode !== undefined ? ` (exit ${f.login.exitCode})` : ''}.`,
      evidence: [
        ...stoppedAtDeadline(f, timeoutMs),
        ...loginEvidence(f),
        ...(f.password ? passwordEvidence(f.password) : []),
      ],
      next: [sshStep('See everything: ', f.target, '-vvv')],
    }),
  },
} as const satisfies Record<string, VerdictEntry>;

export type ClientVerdictId = keyof typeof CLIENT_VERDICTS;

export const isUnreachable = (id: ClientVerdictId): boolean =>
  (CLIENT_VERDICTS[id] as VerdictEntry).unreachable === true;

function algOption(what: string): string {
  if (/host key/i.test(what)) return 'HostKeyAlgorithms';
  if (/kex|key exchange/i.test(what)) return 'KexAlgorithms';
  if (/cipher/i.test(what)) return 'Ciphers';
  if (/mac/i.test(what)) return 'MACs';
  return 'HostKeyAlgorithms';
}

function hostKeyChanged(f: ClientFacts): Found {
  const hk = f.handshake?.hostKey;
  const entries = f.knownHosts?.entries ?? [];
  const stale = hk ? entries.filter((e) => e.keyType === hk.type && e.key !== hk.key) : entries;
  const offending = f.login?.debug.offendingKey;
  const all = [...new Set([...stale.map((e) => e.file), ...(offending ? [offending.file] : [])])];
  // Only the user's own files are fixed from here; the system-wide file belongs to an admin.
  const own = new Set(f.target?.userKnownHostsFiles ?? all);
  const files = all.filter((file) => own.has(file));
  const global = all.filter((file) => !own.has(file));
  const name = f.knownHosts?.lookupName ?? f.target?.host ?? '';
  return {
    summary: `The server's host key is not the one you stored for ${name}. If the server was not reinstalled or re-keyed, this may be a man-in-the-middle attack.`,
    evidence: [
      ...stale.map(
        (e) => `${e.file}:${e.line} stores a ${e.keyType} key for ${name}${e.hashed ? ' (hashed entry)' : ''}`,
      ),
      ...(offending && !stale.some((e) => e.file === offending.file && e.line === offending.line)
        ? [`ssh: offending key in ${offending.file}:${offending.line}`]
        : []),
      ...(hk ? [`the server now presents ${hk.type} ${hk.fingerprint}`] : []),
      'Compare it on the server (console): ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
    ],
    fix: files.length ? removeKnownHostFix(name, files, hk?.fingerprint) : undefined,
    ...(global.length
      ? {
          next: global.map((file) =>
            pasteStep(`The stale key is in the system-wide ${file}: an admin removes it with `, [
              'sudo',
              'ssh-keygen',
              '-R',
              name,
              '-f',
              file,
            ]),
          ),
        }
      : {}),
  };
}

interface FindingEntry {
  severity: Severity;
  /** One finding per thing found (several keys may each be missing). */
  find: (f: ClientFacts, verdict: ClientVerdictId) => Found[];
}

/** The findings that may follow the verdict (README "Findings (client)"), in report order. */
export const CLIENT_FINDINGS = {
  'ssh-found-on-other-port': {
    severity: 'warning',
    find: (f) =>
      (f.otherPorts ?? [])
        .filter((p) => p.bannerOutcome === 'ssh')
        .map((p) => ({
          summary: `SSH answers on port ${p.port} instead.`,
          evidence: [
            `${f.tcp?.attempts[0]?.address}:${p.port} says ${JSON.stringify(p.banner ?? 'SSH-')}`,
            ...(f.target && f.target.port !== 22 && f.target.configPorts.includes(f.target.port)
              ? [
                  `port ${f.target.port} comes from a Port line in your ssh config (one left in Host * applies to every host)`,
                ]
              : []),
          ],
          next: [
            pasteStep('', ['ssh', '-p', String(p.port), `${f.target?.user}@${f.target?.alias}`]),
            `or in ~/.ssh/config: Host ${f.target?.alias} / Port ${p.port}`,
          ],
        })),
  },
  'host-key-unknown': {
    severity: 'warning',
    find: (f, verdict) => {
      const hk = f.handshake?.hostKey;
      if (
        !hk ||
        !f.knownHosts ||
        verdict === 'host-key-changed' ||
        verdict === 'host-key-revoked' ||
        compareHostKey(f.knownHosts.entries, hk) !== 'unknown'
      )
        return [];
      return [
        {
          summary: `${f.knownHosts.lookupName} is not in your known_hosts yet: ssh will ask you to confirm its key on first login.`,
          evidence: [
            `the server presents ${hk.type} ${hk.fingerprint}`,
            'Check that fingerprint on the server before you type "yes": ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub',
          ],
        },
      ];
    },
  },
  'identity-file-missing': {
    severity: 'warning',
    find: (f) =>
      (f.keys?.files ?? [])
        .filter((k) => k.explicit && !k.exists)
        .map((k) => ({
          summary: `The identity file ${k.path} does not exist.`,
          evidence: [`-i/IdentityFile names ${k.path}`],
        })),
  },
  'public-key-mismatch': {
    severity: 'warning',
    find: (f) =>
      (f.keys?.files ?? [])
        .filter((k) => k.exists && k.pubExists && k.pubMatches === false)
        .map((k) => ({
          summary: `${k.pubPath} does not belong to ${k.path}: copying that .pub to a server would not let this key in.`,
          evidence: [`ssh-keygen -y -f ${k.path} differs from ${k.pubPath}`],
        })),
  },
  'slow-login': {
    severity: 'warning',
    find: (f) => {
      const t = f.login?.timeline;
      const slow = t && slowPhase(t);
      if (!t || !slow) return [];
      const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      return [
        {
          summary: `The login is slow: ${slow.phase} took ${secs(slow.ms)}.`,
          evidence: [
            t.phases.map((p) => `${p.phase} ${secs(p.ms)}`).join(', '),
            ...(slow.longestWait ? [`ssh waited ${secs(slow.longestWait.ms)} after: ${slow.longestWait.after}`] : []),
            ...(f.login?.followedPastDeadline
              ? ['still progressing at the --timeout deadline, so it was followed on (up to 30 s)']
              : []),
          ],
          next: [slowPhaseHint(slow)],
        },
      ];
    },
  },
  'session-command-output': {
    severity: 'info',
    find: (f, verdict) => {
      const d = f.login?.debug;
      if (verdict !== 'ok' || d?.exitStatus === undefined || d.exitStatus === 0) return [];
      return [
        {
          summary: `The session started, but this account runs its own program instead of a shell: it exited with status ${d.exitStatus}.`,
          evidence: d.sessionOutput?.length ? d.sessionOutput : ['it printed nothing'],
          next: ['Usual for git hosts, sftp-only accounts and menus: they work with the tool they are meant for.'],
        },
      ];
    },
  },
  'no-identities-offered': {
    severity: 'warning',
    find: (f, verdict) => {
      if (verdict !== 'auth-publickey-denied' || (f.login?.debug.keysOffered.length ?? 0) > 0) return [];
      const existing = (f.keys?.files ?? []).filter((k) => k.exists);
      return [
        {
          summary: 'ssh offered no key at all.',
          evidence: [
            existing.length
              ? `key files: ${existing.map((k) => k.path).join(', ')}`
              : `none of ${(f.target?.identityFiles ?? []).join(', ')} exists`,
            f.keys?.agent.available
              ? `agent holds ${f.keys.agent.fingerprints.length} key(s)`
              : 'no ssh-agent is reachable',
          ],
          next: ['Create a key: ssh-keygen -t ed25519, then install its .pub on the server.'],
        },
      ];
    },
  },
} as const satisfies Record<string, FindingEntry>;

export function clientFindings(
  f: ClientFacts & { input?: { timeoutMs: number } },
  verdict: ClientVerdictId,
): Finding[] {
  const v: VerdictEntry = CLIENT_VERDICTS[verdict];
  const side = Object.entries<FindingEntry>(CLIENT_FINDINGS).flatMap(([id, e]) =>
    e.find(f, verdict).map((x) => ({ id, severity: e.severity, ...x })),
  );
  return [{ id: verdict, severity: v.severity, ...v.finding(f, f.input?.timeoutMs ?? 5000) }, ...side];
}

export function clientVerdict(findings: readonly Finding[]): Verdict {
  const v = findings[0]!;
  return { id: v.id, severity: v.severity, summary: v.summary };
}
