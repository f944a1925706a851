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
import { describeEndpoint, networkEndpoint } from './endpoint.js';
import { pasteStep } from '../shell-quote.js';

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

function endpoint(f: ClientFacts): string {
  return f.target ? describeEndpoint(networkEndpoint(f.target)) : 'the host';
}

function tcpEvidence(f: ClientFacts): string[] {
  return (f.tcp?.attempts ?? []).map((a) => {
    const how =
      a.outcome === 'connected'
        ? `connected in ${a.ms} ms`
        : `${a.outcome}${a.errno ? ` (${a.errno})` : ''} after ${a.ms} ms`;
    const banner =
      a.outcome === 'connected'
        ? `; first line: ${a.banner ? JSON.stringify(a.banner) : `(${a.bannerOutcome ?? 'nothing'})`}`
        : '';
    return `${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port} ${how}${banner}`;
  });
}

function loginEvidence(f: ClientFacts): string[] {
  // "Permanently added" refers to the probe's temporary copy of known_hosts, not the user's file.
  return (f.login?.debug.evidence ?? []).filter((l) => !/^Warning: Permanently added /.test(l));
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
  'dns-unresolved': {
    severity: 'error',
    finding: (f) => {
      const t = f.target;
      const host = t ? networkEndpoint(t).host : '';
      return {
        summary: `"${host}" does not resolve to any address${f.dns?.error ? ` (${f.dns.error})` : ''}.`,
        evidence: [
          ...(t && t.alias !== t.host ? [`ssh config maps "${t.alias}" to HostName ${t.host}`] : []),
          ...(t?.proxyJump ? [`ssh connects first to the jump host ${t.proxyJump}`] : []),
          `lookup of ${host} (${t?.addressFamily === 'any' ? 'IPv4 and IPv6' : t?.addressFamily}) returned nothing`,
        ],
        next: [
          pasteStep('Check the spelling, and your DNS: ', ['getent', 'ahosts', host]),
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
          'Best: on the server, generate a modern host key (ssh-keygen -A) and allow modern algorithms.',
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
      return {
        summary: offered.length
          ? `The server refused every key offered for ${t?.user} (${offered.length}).`
          : `ssh had no key to offer for ${t?.user}, and the server accepts only keys here.`,
        evidence: [
          ...offered.map((k) => `offered and refused: ${k}`),
          ...(f.handshake?.authMethods ? [`server accepts: ${f.handshake.authMethods.join(', ')}`] : []),
          ...loginEvidence(f),
        ],
        next: [
          `Is your public key in ~${t?.user}/.ssh/authorized_keys on the server? (ssh-copy-id from a machine that can log in)`,
          SERVER_CHECK(f, ' checks authorized_keys, its modes, AllowUsers and the log line that says why.'),
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
            summary: `No key was accepted and the server wants a password for ${f.target?.user}, which a batch check cannot type.`,
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
  'login-failed': {
    severity: 'error',
    finding: (f) => ({
      summary: `ssh failed in a way ssh-doctor does not recognise${f.login?.exitCode !== undefined ? ` (exit ${f.login.exitCode})` : ''}.`,
      evidence: [...loginEvidence(f), ...(f.password ? passwordEvidence(f.password) : [])],
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
          evidence: [`${f.tcp?.attempts[0]?.address}:${p.port} says ${JSON.stringify(p.banner ?? 'SSH-')}`],
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
