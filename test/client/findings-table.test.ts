// What a person reads for each client verdict and side finding: the whole finding (summary,
// evidence, next steps, fix) for facts written out by hand, row by row. The every-path flow tests
// say which verdict applies; this says what each one tells.
import { describe, expect, it } from 'vitest';
import {
  CLIENT_VERDICTS,
  clientFindings,
  clientVerdict,
  isUnreachable,
  type ClientFacts,
  type ClientVerdictId,
} from '../../src/client/findings.js';
import type { Finding } from '../../src/report.js';
import { attempt, base, key, login, target } from './findings-cases.js';

const SERVER = 'On the server (console or another session): ssh-doctor server --port 2222 --user alice';
const verdictOf = (...args: Parameters<typeof clientFindings>): Finding => clientFindings(...args)[0]!;

describe('client verdicts: the first finding, word for word', () => {
  it('ok', () => {
    expect(
      verdictOf(
        {
          ...base,
          login: login({ outcome: 'ok', evidence: ['Authenticated to web1.example ([192.0.2.10]:2222).'] }, 0),
        },
        'ok',
      ),
    ).toEqual({
      id: 'ok',
      severity: 'ok',
      summary: 'Login works: alice@web1.example:2222 accepted the connection.',
      evidence: ['Authenticated to web1.example ([192.0.2.10]:2222).'],
    });
  });

  it('dns-unresolved, through an alias and a jump host, IPv4 and IPv6', () => {
    const t = { ...target, alias: 'web', host: 'web1.example' };
    expect(verdictOf({ target: t, dns: { addresses: [], error: 'ENOTFOUND' } }, 'dns-unresolved')).toEqual({
      id: 'dns-unresolved',
      severity: 'error',
      summary: '"web1.example" does not resolve to any address (ENOTFOUND).',
      evidence: [
        'ssh config maps "web" to HostName web1.example',
        'lookup of web1.example (IPv4 and IPv6) returned nothing',
      ],
      next: [
        'Check the spelling, and your DNS: getent ahosts web1.example',
        'If it is a new name, its DNS record may not have propagated yet; try the IP address.',
      ],
    });
  });

  it('dns-unresolved: the jump host is what must resolve; one family only; no error code', () => {
    const t = {
      ...target,
      alias: 'web1.example',
      proxyJump: 'bob@bastion.example:2200',
      // The hop's own AddressFamily (its ssh -G), not the target's.
      addressFamily: 'inet6' as const,
      firstHop: { host: 'bastion.example', port: 2200, addressFamily: 'inet' as const },
    };
    const f = verdictOf({ target: t, dns: { addresses: [] } }, 'dns-unresolved');
    expect([f.summary, f.evidence, f.next?.[0]]).toEqual([
      '"bastion.example" does not resolve to any address.',
      [
        'ssh connects first to the jump host bob@bastion.example:2200',
        'lookup of bastion.example (inet) returned nothing',
      ],
      'Check the spelling, and your DNS: getent ahosts bastion.example',
    ]);
  });

  it('no-route', () => {
    const tcp = { attempts: [attempt({ outcome: 'unreachable', errno: 'EHOSTUNREACH', ms: 3 })] };
    expect(verdictOf({ ...base, tcp }, 'no-route')).toEqual({
      id: 'no-route',
      severity: 'error',
      summary: 'No route to web1.example:2222: the network cannot reach that address at all.',
      evidence: ['192.0.2.10:2222 unreachable (EHOSTUNREACH) after 3 ms'],
      next: [
        'Is the machine up? A stopped cloud instance or a down VPN gives exactly this.',
        'Check your route: ip route get 192.0.2.10',
      ],
    });
  });

  it('no-route without an attempt: the route to the host name', () => {
    expect(verdictOf({ ...base, tcp: { attempts: [] } }, 'no-route').next?.[1]).toBe(
      'Check your route: ip route get web1.example',
    );
  });

  it('bind-address-unavailable: -b names an address this machine does not have', () => {
    const tcp = {
      attempts: [
        attempt({
          outcome: 'bind-failed',
          errno: 'EADDRNOTAVAIL',
          ms: 0,
          bindProblem:
            'BindAddress 10.9.9.9: this machine has no address 10.9.9.9 (ssh says "bind 10.9.9.9: Cannot assign requested address")',
        }),
      ],
    };
    expect(
      verdictOf({ target: { ...target, bind: { address: '10.9.9.9' } }, tcp }, 'bind-address-unavailable'),
    ).toEqual({
      id: 'bind-address-unavailable',
      severity: 'error',
      summary:
        'ssh is told to connect from BindAddress 10.9.9.9 (-b), which this machine cannot use: the connection never leaves it.',
      evidence: [
        '192.0.2.10:2222 not tried: BindAddress 10.9.9.9: this machine has no address 10.9.9.9 (ssh says "bind 10.9.9.9: Cannot assign requested address")',
      ],
      next: [
        "This machine's addresses: ip -brief address",
        'Give ssh one of them, or drop -b/-B (or the BindAddress/BindInterface line of your ssh config, which ssh -G shows).',
      ],
    });
  });

  it('bind-address-unavailable: -B names an interface', () => {
    const tcp = { attempts: [attempt({ outcome: 'bind-failed', ms: 0 })] };
    const f = verdictOf({ target: { ...target, bind: { interface: 'wg9' } }, tcp }, 'bind-address-unavailable');
    expect([f.summary, f.evidence]).toEqual([
      'ssh is told to connect from BindInterface wg9 (-B), which this machine cannot use: the connection never leaves it.',
      ['192.0.2.10:2222 not tried: the source address could not be bound'],
    ]);
  });

  it('connection-refused from a bound source address: the evidence says which', () => {
    const tcp = {
      attempts: [attempt({ outcome: 'refused', errno: 'ECONNREFUSED', ms: 1, localAddress: '192.0.2.99' })],
    };
    expect(verdictOf({ ...base, tcp }, 'connection-refused').evidence).toEqual([
      '192.0.2.10:2222 from 192.0.2.99 refused (ECONNREFUSED) after 1 ms',
    ]);
  });

  it('connection-refused: each address tried, v6 in brackets', () => {
    const tcp = {
      attempts: [
        attempt({ outcome: 'refused', errno: 'ECONNREFUSED', ms: 1 }),
        attempt({ address: '2001:db8::10', outcome: 'refused', ms: 2 }),
      ],
    };
    expect(verdictOf({ ...base, tcp }, 'connection-refused')).toEqual({
      id: 'connection-refused',
      severity: 'error',
      summary:
        'web1.example:2222 refused the connection: the host is up, but nothing listens on port 2222 (or a firewall rejects it).',
      evidence: ['192.0.2.10:2222 refused (ECONNREFUSED) after 1 ms', '[2001:db8::10]:2222 refused after 2 ms'],
      next: [
        SERVER,
        'There: is sshd running (sshd -t, then start it), and which port does it listen on (ss -tlnp)?',
        'A REJECT rule in iptables/nftables/ufw also answers "refused".',
      ],
    });
  });

  it('connection-timeout, with the timeout the user gave', () => {
    const tcp = { attempts: [attempt({ outcome: 'timeout', ms: 5000 })] };
    expect(verdictOf({ ...base, tcp, input: { timeoutMs: 7000 } }, 'connection-timeout')).toEqual({
      id: 'connection-timeout',
      severity: 'error',
      summary:
        'No answer from web1.example:2222 within 7000 ms: packets are silently dropped (firewall or cloud security group) or the host is down.',
      evidence: ['192.0.2.10:2222 timeout after 5000 ms'],
      next: [
        'Check, in this order: the cloud security group / network ACL / NSG for TCP port 2222 from your address,',
        'then on the host: ufw status verbose; firewall-cmd --list-all; iptables -S INPUT; nft list ruleset.',
        SERVER,
        'No way in at all? ssh-doctor locked-out',
      ],
    });
  });

  it('connection-timeout: 5000 ms when no timeout was given; port 22 and no --user without a target', () => {
    const f = verdictOf({ tcp: { attempts: [] } }, 'connection-timeout');
    expect(f.summary).toBe(
      'No answer from the host within 5000 ms: packets are silently dropped (firewall or cloud security group) or the host is down.',
    );
    expect(f.next?.[0]).toContain('for TCP port 22 from');
    expect(f.next?.[2]).toBe('On the server (console or another session): ssh-doctor server --port 22');
  });

  it('not-ssh-service quotes what answered', () => {
    const tcp = {
      attempts: [attempt({ outcome: 'connected', ms: 4, bannerOutcome: 'other', banner: '220 mail ESMTP Postfix' })],
    };
    expect(verdictOf({ ...base, tcp }, 'not-ssh-service')).toEqual({
      id: 'not-ssh-service',
      severity: 'error',
      summary: 'Something other than SSH answers on web1.example:2222: "220 mail ESMTP Postfix".',
      evidence: ['192.0.2.10:2222 connected in 4 ms; first line: "220 mail ESMTP Postfix"'],
      next: ['Another service owns this port, or the port is wrong.', `${SERVER} shows where sshd really listens.`],
    });
  });

  it('not-ssh-service without a banner line', () => {
    const tcp = { attempts: [attempt({ outcome: 'connected', ms: 4, bannerOutcome: 'closed' })] };
    const f = verdictOf({ ...base, tcp }, 'not-ssh-service');
    expect([f.summary, f.evidence]).toEqual([
      'Something other than SSH answers on web1.example:2222.',
      ['192.0.2.10:2222 connected in 4 ms; first line: (closed)'],
    ]);
  });

  it('banner-exchange-failed: TCP and ssh evidence', () => {
    const tcp = { attempts: [attempt({ ms: 2 })] };
    const f = verdictOf(
      { ...base, tcp, login: login({ evidence: ['kex_exchange_identification: Connection closed by remote host'] }) },
      'banner-exchange-failed',
    );
    expect(f).toEqual({
      id: 'banner-exchange-failed',
      severity: 'error',
      summary: 'web1.example:2222 accepted the TCP connection but closed it before saying anything SSH.',
      evidence: [
        '192.0.2.10:2222 connected in 2 ms; first line: (nothing)',
        'kex_exchange_identification: Connection closed by remote host',
      ],
      next: [
        'Usual causes: sshd is over MaxStartups (too many unauthenticated connections), fail2ban/sshguard has banned your address,',
        'a TCP wrapper (/etc/hosts.deny), or sshd dies on each connection (its log says why).',
        SERVER,
      ],
    });
  });

  const HOST_KEY_ADVICE =
    'Best: on the server, generate a modern host key (ssh-keygen -A), list it as a HostKey in sshd_config, and reload sshd.';
  const dropLine = (keyword: string) =>
    `Best: on the server, remove the ${keyword} line from sshd_config (OpenSSH's defaults are modern), then sshd -t and reload sshd; an old server needs an OpenSSH upgrade.`;
  it.each([
    ['host key', 'HostKeyAlgorithms', HOST_KEY_ADVICE],
    ['key exchange method', 'KexAlgorithms', dropLine('KexAlgorithms')],
    ['kex', 'KexAlgorithms', dropLine('KexAlgorithms')],
    ['cipher', 'Ciphers', dropLine('Ciphers')],
    ['MAC', 'MACs', dropLine('MACs')],
    ['something new', 'HostKeyAlgorithms', HOST_KEY_ADVICE],
  ])('algorithm-mismatch on %s: the temporary option is %s', (what, option, best) => {
    const f = verdictOf(
      {
        ...base,
        login: login({
          outcome: 'algorithm-mismatch',
          algorithm: { what, theirOffer: ['ssh-rsa', 'ssh-dss'] },
          evidence: ['Unable to negotiate'],
        }),
      },
      'algorithm-mismatch',
    );
    expect(f).toEqual({
      id: 'algorithm-mismatch',
      severity: 'error',
      summary: `Your ssh and the server have no ${what} in common; the server offers only ssh-rsa, ssh-dss.`,
      evidence: ['Unable to negotiate'],
      next: [best, `Temporary, weaker: ssh -o ${option}=+ssh-rsa alice@web1.example -p 2222`],
    });
  });

  it('algorithm-mismatch without what the server offered: no weaker option to suggest', () => {
    const f = verdictOf({ ...base, login: login({ outcome: 'algorithm-mismatch' }) }, 'algorithm-mismatch');
    expect([f.summary, f.next]).toEqual(['Your ssh and the server have no algorithm in common.', [HOST_KEY_ADVICE]]);
  });

  it('private-key-permissions: the keys ssh ignores, their modes, and the chmod with its undo', () => {
    const keys = {
      files: [
        key({ mode: 0o644, tooOpen: true }),
        key({ path: '/home/alice/.ssh/id_rsa', mode: 0o600, tooOpen: false }),
        key({ path: '/home/alice/.ssh/id_ecdsa', exists: false, tooOpen: true }),
      ],
      agent: { available: false, fingerprints: [] },
    };
    const f = verdictOf(
      {
        ...base,
        keys,
        login: login({
          keysIgnored: [
            { path: '/home/alice/.ssh/id_ed25519', mode: '0644' },
            { path: '/home/alice/.ssh/id_dsa', mode: '0640' },
          ],
          evidence: ['Permissions 0644 for ... are too open.'],
        }),
      },
      'private-key-permissions',
    );
    expect(f).toEqual({
      id: 'private-key-permissions',
      severity: 'error',
      summary:
        'ssh ignores /home/alice/.ssh/id_ed25519, /home/alice/.ssh/id_dsa: its permissions let others read it, so the key is never offered.',
      evidence: [
        '/home/alice/.ssh/id_ed25519 has mode 0644; ssh requires no group/other access (0600)',
        'Permissions 0644 for ... are too open.',
      ],
      fix: {
        id: 'chmod-private-key',
        title: 'Make /home/alice/.ssh/id_ed25519 readable by you only (0600)',
        commands: [['chmod', '0600', '/home/alice/.ssh/id_ed25519']],
        risk: 'Low: only the permission bits of your own key file change.',
        undo: [['chmod', '0644', '/home/alice/.ssh/id_ed25519']],
      },
    });
  });

  it('private-key-permissions seen only in ssh’s output: named, but no fix to offer', () => {
    const f = verdictOf(
      { ...base, login: login({ keysIgnored: [{ path: '/home/alice/.ssh/id_rsa', mode: '0664' }] }) },
      'private-key-permissions',
    );
    expect([f.summary, f.evidence, f.fix]).toEqual([
      'ssh ignores /home/alice/.ssh/id_rsa: its permissions let others read it, so the key is never offered.',
      [],
      undefined,
    ]);
  });

  it('private-key-permissions with an unknown mode: the undo restores 0644', () => {
    const keys = { files: [key({ mode: undefined, tooOpen: true })], agent: { available: false, fingerprints: [] } };
    const f = verdictOf({ ...base, keys }, 'private-key-permissions');
    expect([f.evidence[0], f.fix?.undo]).toEqual([
      '/home/alice/.ssh/id_ed25519 has mode 0000; ssh requires no group/other access (0600)',
      [['chmod', '0644', '/home/alice/.ssh/id_ed25519']],
    ]);
  });

  it('too-many-auth-failures: the keys offered, and how to offer only one', () => {
    const f = verdictOf(
      {
        ...base,
        login: login({ keysOffered: ['/home/alice/.ssh/id_rsa RSA', 'agent key'], evidence: ['Too many auth'] }),
      },
      'too-many-auth-failures',
    );
    expect(f).toEqual({
      id: 'too-many-auth-failures',
      severity: 'error',
      summary:
        'The server hung up after too many failed keys (its MaxAuthTries): ssh offered 2 key(s) before the right one.',
      evidence: ['offered: /home/alice/.ssh/id_rsa RSA', 'offered: agent key', 'Too many auth'],
      next: [
        'Offer only the right key: ssh -o IdentitiesOnly=yes -i ~/.ssh/THE_KEY alice@web1.example -p 2222',
        'or set IdentitiesOnly yes and IdentityFile for this Host in ~/.ssh/config.',
      ],
    });
  });

  it('auth-publickey-denied: every key refused, and what the server accepts', () => {
    const f = verdictOf(
      {
        ...base,
        handshake: { ok: true, authMethods: ['publickey', 'keyboard-interactive'] },
        login: login({ keysOffered: ['/home/alice/.ssh/id_ed25519 ED25519'], evidence: ['Permission denied'] }),
      },
      'auth-publickey-denied',
    );
    expect(f).toEqual({
      id: 'auth-publickey-denied',
      severity: 'error',
      summary: 'The server refused every key offered for alice (1).',
      evidence: [
        'offered and refused: /home/alice/.ssh/id_ed25519 ED25519',
        'server accepts: publickey, keyboard-interactive',
        'Permission denied',
      ],
      next: [
        'Is your public key in ~alice/.ssh/authorized_keys on the server? (ssh-copy-id from a machine that can log in)',
        `${SERVER} checks authorized_keys, its modes, AllowUsers, a locked or expired account (without PAM sshd refuses it like a wrong key) and the log line that says why.`,
      ],
    });
  });

  it('auth-publickey-denied with no key offered', () => {
    const f = verdictOf({ ...base, login: login() }, 'auth-publickey-denied');
    expect([f.summary, f.evidence]).toEqual([
      'ssh had no key to offer for alice, and the server accepts only keys here.',
      [],
    ]);
  });

  it('auth-password-denied', () => {
    const f = verdictOf(
      { ...base, login: login({ methodsLeft: ['password'], evidence: ['Permission denied (password).'] }) },
      'auth-password-denied',
    );
    expect(f).toEqual({
      id: 'auth-password-denied',
      severity: 'error',
      summary:
        'The server wants a password for alice, which a batch check cannot type, and you have no key ssh could use instead.',
      evidence: ['server accepts: password', 'Permission denied (password).'],
      next: [
        'Try it by hand: ssh -o PreferredAuthentications=password alice@web1.example -p 2222',
        'For key logins, ask for your key to be added to authorized_keys, or enable PubkeyAuthentication on the server.',
      ],
    });
  });

  it('login-failed, with and without an exit code', () => {
    expect(verdictOf({ ...base, login: login({ evidence: ['weird'] }, 255) }, 'login-failed')).toEqual({
      id: 'login-failed',
      severity: 'error',
      summary: 'ssh failed in a way ssh-doctor does not recognise (exit 255).',
      evidence: ['weird'],
      next: ['See everything: ssh -vvv alice@web1.example -p 2222'],
    });
    expect(verdictOf({ ...base, login: { ...login(), exitCode: undefined } }, 'login-failed').summary).toBe(
      'ssh failed in a way ssh-doctor does not recognise.',
    );
  });

  it('which verdicts mean nothing answers as SSH (the locked-out offer)', () => {
    const unreachable = (Object.keys(CLIENT_VERDICTS) as (keyof typeof CLIENT_VERDICTS)[]).filter(isUnreachable);
    expect(unreachable).toEqual(['no-route', 'connection-refused', 'connection-timeout', 'banner-exchange-failed']);
  });

  it('the report verdict is the first finding’s id, severity and summary', () => {
    const findings = clientFindings({ ...base, login: login({}, 255) }, 'login-failed');
    expect(clientVerdict(findings)).toEqual({
      id: 'login-failed',
      severity: 'error',
      summary: 'ssh failed in a way ssh-doctor does not recognise (exit 255).',
    });
  });
});

describe('host-key-changed', () => {
  const hostKey = { type: 'ssh-ed25519', key: 'AAAAnew', fingerprint: 'SHA256:newnewnew' };
  const stored = (file: string, line: number, over = {}) => ({
    file,
    line,
    keyType: 'ssh-ed25519',
    key: 'AAAAold',
    hashed: false,
    ...over,
  });
  const NOW = /\.ssh-doctor-\d{8}T\d{6}\.\d{3}Z/;

  it('names each stale line, the key now presented, and offers to forget the stored one', () => {
    const f = verdictOf(
      {
        ...base,
        handshake: { ok: true, hostKey },
        knownHosts: {
          lookupName: '[web1.example]:2222',
          entries: [
            stored('/home/alice/.ssh/known_hosts', 3, { hashed: true }),
            stored('/home/alice/.ssh/known_hosts', 9, { keyType: 'ssh-rsa' }),
            stored('/home/alice/.ssh/known_hosts', 12, { key: 'AAAAnew' }),
          ],
          searched: [],
        },
      },
      'host-key-changed',
    );
    expect(f.summary).toBe(
      "The server's host key is not the one you stored for [web1.example]:2222. If the server was not reinstalled or re-keyed, this may be a man-in-the-middle attack.",
    );
    expect(f.evidence).toEqual([
      '/home/alice/.ssh/known_hosts:3 stores a ssh-ed25519 key for [web1.example]:2222 (hashed entry)',
      'the server now presents ssh-ed25519 SHA256:newnewnew',
      'Compare it on the server (console): ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
    ]);
    expect(f.fix?.title).toBe(
      'Forget the stored host key of [web1.example]:2222 (the next login will show SHA256:newnewnew)',
    );
    expect(f.fix?.commands.map((c) => c.join(' ').replace(NOW, '.ssh-doctor-STAMP'))).toEqual([
      'cp -p /home/alice/.ssh/known_hosts /home/alice/.ssh/known_hosts.ssh-doctor-STAMP',
      'ssh-keygen -R [web1.example]:2222 -f /home/alice/.ssh/known_hosts',
    ]);
    expect(f.next).toBeUndefined();
  });

  it('without the handshake every stored entry is suspect; ssh’s offending line is added once', () => {
    const f = verdictOf(
      {
        ...base,
        knownHosts: {
          lookupName: 'web1.example',
          entries: [stored('/home/alice/.ssh/known_hosts', 3)],
          searched: [],
        },
        login: login({ offendingKey: { file: '/home/alice/.ssh/known_hosts2', line: 5 } }),
      },
      'host-key-changed',
    );
    expect(f.evidence).toEqual([
      '/home/alice/.ssh/known_hosts:3 stores a ssh-ed25519 key for web1.example',
      'ssh: offending key in /home/alice/.ssh/known_hosts2:5',
      'Compare it on the server (console): ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
    ]);
    // known_hosts2 is not one of the user's files as ssh -G lists them: only known_hosts is edited.
    expect(f.fix?.title).toBe('Forget the stored host key of web1.example');
    expect(f.fix?.commands.filter((c) => c[0] === 'ssh-keygen')).toEqual([
      ['ssh-keygen', '-R', 'web1.example', '-f', '/home/alice/.ssh/known_hosts'],
    ]);
    expect(f.next).toEqual([
      'The stale key is in the system-wide /home/alice/.ssh/known_hosts2: an admin removes it with sudo ssh-keygen -R web1.example -f /home/alice/.ssh/known_hosts2',
    ]);
  });

  it('the offending line ssh named, already listed, is not repeated', () => {
    const f = verdictOf(
      {
        ...base,
        knownHosts: { lookupName: 'web1.example', entries: [stored('/home/alice/.ssh/known_hosts', 3)], searched: [] },
        login: login({ offendingKey: { file: '/home/alice/.ssh/known_hosts', line: 3 } }),
      },
      'host-key-changed',
    );
    expect(f.evidence.filter((e) => e.startsWith('ssh: offending'))).toEqual([]);
  });

  it('with no target and no lookup, every file counts as the user’s, and the name is empty', () => {
    const f = verdictOf(
      {
        knownHosts: { lookupName: 'h', entries: [stored('/etc/ssh/ssh_known_hosts', 1)], searched: [] },
      },
      'host-key-changed',
    );
    expect(f.fix?.commands.filter((c) => c[0] === 'ssh-keygen')).toEqual([
      ['ssh-keygen', '-R', 'h', '-f', '/etc/ssh/ssh_known_hosts'],
    ]);
    expect(verdictOf({}, 'host-key-changed').summary).toMatch(
      /^The server's host key is not the one you stored for \./,
    );
  });
});

describe('facts that are missing', () => {
  it('a verdict whose probes did not run has no evidence from them, and does not throw', () => {
    expect(verdictOf({ target }, 'ok').evidence).toEqual([]);
    expect(verdictOf({}, 'host-key-changed').evidence).toEqual([
      'Compare it on the server (console): ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
    ]);
    for (const id of ['login-failed', 'auth-password-denied', 'algorithm-mismatch'] as const)
      expect(() => verdictOf({}, id)).not.toThrow();
  });

  it('only a line that starts with "Warning: Permanently added" is left out', () => {
    const line = "debug1: Warning: Permanently added 'h' (ED25519) to the list of known hosts.";
    expect(verdictOf({ ...base, login: login({ outcome: 'ok', evidence: [line] }, 0) }, 'ok').evidence).toEqual([line]);
  });

  it.each([
    ['the same file, another line', { file: '/home/alice/.ssh/known_hosts', line: 4 }],
    ['the same line, another file', { file: '/home/alice/.ssh/known_hosts2', line: 3 }],
  ])('ssh’s offending line is added when it is not a stale line already listed: %s', (_, offendingKey) => {
    const f = verdictOf(
      {
        ...base,
        knownHosts: {
          lookupName: 'web1.example',
          entries: [
            { file: '/home/alice/.ssh/known_hosts', line: 3, keyType: 'ssh-ed25519', key: 'AAAAold', hashed: false },
          ],
          searched: [],
        },
        login: login({ offendingKey }),
      },
      'host-key-changed',
    );
    expect(f.evidence).toContain(`ssh: offending key in ${offendingKey.file}:${offendingKey.line}`);
  });
});

describe('client side findings', () => {
  const ids = (fs: Finding[]) => fs.map((f) => f.id);

  it('ssh-found-on-other-port: one per port answering SSH, with the command and the config line', () => {
    const fs = clientFindings(
      {
        ...base,
        tcp: { attempts: [attempt({ outcome: 'refused' })] },
        otherPorts: [
          { port: 22, outcome: 'connected', bannerOutcome: 'ssh', banner: 'SSH-2.0-OpenSSH_9.2' },
          { port: 2200, outcome: 'connected', bannerOutcome: 'other', banner: 'HTTP/1.1' },
          { port: 22022, outcome: 'connected', bannerOutcome: 'ssh' },
        ],
      },
      'connection-refused',
    );
    expect(fs.slice(1)).toEqual([
      {
        id: 'ssh-found-on-other-port',
        severity: 'warning',
        summary: 'SSH answers on port 22 instead.',
        evidence: ['192.0.2.10:22 says "SSH-2.0-OpenSSH_9.2"'],
        next: ['ssh -p 22 alice@web', 'or in ~/.ssh/config: Host web / Port 22'],
      },
      {
        id: 'ssh-found-on-other-port',
        severity: 'warning',
        summary: 'SSH answers on port 22022 instead.',
        evidence: ['192.0.2.10:22022 says "SSH-"'],
        next: ['ssh -p 22022 alice@web', 'or in ~/.ssh/config: Host web / Port 22022'],
      },
    ]);
  });

  describe('host-key-unknown', () => {
    const hostKey = { type: 'ssh-ed25519', key: 'AAAAnew', fingerprint: 'SHA256:fp' };
    const unknown = {
      ...base,
      handshake: { ok: true, hostKey },
      knownHosts: { lookupName: '[web1.example]:2222', entries: [], searched: [] },
    };
    it('is said with the fingerprint to check', () => {
      expect(clientFindings(unknown, 'ok').slice(1)).toEqual([
        {
          id: 'host-key-unknown',
          severity: 'warning',
          summary:
            '[web1.example]:2222 is not in your known_hosts yet: ssh will ask you to confirm its key on first login.',
          evidence: [
            'the server presents ssh-ed25519 SHA256:fp',
            'Check that fingerprint on the server before you type "yes": ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub',
          ],
        },
      ]);
    });
    it.each<[string, Partial<ClientFacts>, ClientVerdictId]>([
      [
        'the key is known',
        {
          knownHosts: {
            ...unknown.knownHosts,
            entries: [{ file: 'f', line: 1, keyType: 'ssh-ed25519', key: 'AAAAnew', hashed: false }],
          },
        },
        'ok',
      ],
      ['the verdict is already host-key-changed', {}, 'host-key-changed'],
      ['no host key was seen', { handshake: { ok: false } }, 'ok'],
      ['known_hosts was not read', { knownHosts: undefined }, 'ok'],
    ])('is not said when %s', (_, over, verdict) => {
      expect(ids(clientFindings({ ...unknown, ...over }, verdict)).slice(1)).toEqual([]);
    });
  });

  it('identity-file-missing: only for files named with -i/IdentityFile', () => {
    const keys = {
      files: [
        key({ path: '/home/alice/.ssh/work', exists: false, explicit: true }),
        key({ path: '/home/alice/.ssh/id_rsa', exists: false, explicit: false }),
        key({ path: '/home/alice/.ssh/id_ed25519', exists: true, explicit: true }),
      ],
      agent: { available: true, fingerprints: [] },
    };
    expect(clientFindings({ ...base, keys }, 'ok').slice(1)).toEqual([
      {
        id: 'identity-file-missing',
        severity: 'warning',
        summary: 'The identity file /home/alice/.ssh/work does not exist.',
        evidence: ['-i/IdentityFile names /home/alice/.ssh/work'],
      },
    ]);
  });

  it('public-key-mismatch: only when both exist and are known to differ', () => {
    const keys = {
      files: [
        key({ pubMatches: false }),
        key({ path: '/a', pubPath: '/a.pub', pubMatches: true }),
        key({ path: '/b', pubPath: '/b.pub', pubMatches: undefined }),
        key({ path: '/c', pubPath: '/c.pub', pubExists: false, pubMatches: false }),
        key({ path: '/d', pubPath: '/d.pub', exists: false, pubMatches: false }),
      ],
      agent: { available: true, fingerprints: [] },
    };
    expect(clientFindings({ ...base, keys }, 'ok').slice(1)).toEqual([
      {
        id: 'public-key-mismatch',
        severity: 'warning',
        summary:
          '/home/alice/.ssh/id_ed25519.pub does not belong to /home/alice/.ssh/id_ed25519: copying that .pub to a server would not let this key in.',
        evidence: ['ssh-keygen -y -f /home/alice/.ssh/id_ed25519 differs from /home/alice/.ssh/id_ed25519.pub'],
      },
    ]);
  });

  describe('no-identities-offered', () => {
    const denied = (over = {}) => ({ ...base, login: login(), ...over });
    it('names the key files there are and the agent', () => {
      const keys = {
        files: [key({}), key({ path: '/home/alice/.ssh/id_rsa', exists: false })],
        agent: { available: true, fingerprints: ['SHA256:a', 'SHA256:b'] },
      };
      expect(clientFindings(denied({ keys }), 'auth-publickey-denied').slice(1)).toEqual([
        {
          id: 'no-identities-offered',
          severity: 'warning',
          summary: 'ssh offered no key at all.',
          evidence: ['key files: /home/alice/.ssh/id_ed25519', 'agent holds 2 key(s)'],
          next: ['Create a key: ssh-keygen -t ed25519, then install its .pub on the server.'],
        },
      ]);
    });
    it('with no key file and no agent, says where ssh looked', () => {
      const [, f] = clientFindings(denied(), 'auth-publickey-denied');
      expect(f?.evidence).toEqual([
        'none of /home/alice/.ssh/id_ed25519, /home/alice/.ssh/id_rsa exists',
        'no ssh-agent is reachable',
      ]);
    });
    it('not when a key was offered, nor under another verdict', () => {
      expect(ids(clientFindings(denied({ login: login({ keysOffered: ['k'] }) }), 'auth-publickey-denied'))).toEqual([
        'auth-publickey-denied',
      ]);
      expect(ids(clientFindings(denied(), 'auth-password-denied'))).toEqual(['auth-password-denied']);
      expect(ids(clientFindings({ ...base }, 'auth-publickey-denied'))).toEqual([
        'auth-publickey-denied',
        'no-identities-offered',
      ]);
    });
  });

  it('side findings keep the registry’s order after the verdict', () => {
    const fs = clientFindings(
      {
        ...base,
        tcp: { attempts: [attempt({ outcome: 'refused' })] },
        otherPorts: [{ port: 22, outcome: 'connected', bannerOutcome: 'ssh' }],
        keys: {
          files: [key({ pubMatches: false }), key({ path: '/w', explicit: true, exists: false })],
          agent: { available: false, fingerprints: [] },
        },
      },
      'connection-refused',
    );
    expect(ids(fs)).toEqual([
      'connection-refused',
      'ssh-found-on-other-port',
      'identity-file-missing',
      'public-key-mismatch',
    ]);
  });
});
