// parseSshDebug line by line: each message OpenSSH prints (the texts of ssh.c, sshconnect.c,
// kex.c, as Linux and macOS/BSD word them) and the outcome it means. The captured runs are in
// login.test.ts; these rows pin each pattern alone, so one wrong character in a pattern fails.
import { describe, expect, it } from 'vitest';
import { parseSshDebug } from '../../../src/client/probes/login.js';
import type { LoginOutcome } from '../../../src/client/probes/types.js';

describe('one line, one outcome', () => {
  it.each<[string, LoginOutcome]>([
    ['ssh: Could not resolve hostname web1.example: Name or service not known', 'dns-unresolved'],
    ['ssh: Could not resolve hostname web1.example: nodename nor servname provided, or not known', 'dns-unresolved'],
    ['ssh: connect to host 192.0.2.10 port 2222: Connection refused', 'connection-refused'],
    ['ssh: connect to host 192.0.2.10 port 22: Connection timed out', 'connection-timeout'],
    // macOS and the BSDs say ETIMEDOUT this way.
    ['ssh: connect to host 192.0.2.10 port 22: Operation timed out', 'connection-timeout'],
    ['ssh: connect to host 192.0.2.10 port 22: No route to host', 'no-route'],
    ['ssh: connect to host 2001:db8::1 port 22: Network is unreachable', 'no-route'],
    ['kex_exchange_identification: Connection closed by remote host', 'banner-exchange-failed'],
    ['kex_exchange_identification: read: Connection reset by peer', 'banner-exchange-failed'],
    ['debug1: kex_exchange_identification: Connection closed by remote host', 'banner-exchange-failed'],
    ['ssh_exchange_identification: Connection closed by remote host', 'banner-exchange-failed'],
    ['Connection timed out during banner exchange', 'banner-exchange-failed'],
    ['ssh: connect to host 192.0.2.10 port 22: Connection reset by peer', 'banner-exchange-failed'],
    ['Connection reset by 192.0.2.10 port 22', 'banner-exchange-failed'],
    ['Connection reset by 192.0.2.10 port -1', 'banner-exchange-failed'],
    [
      'Unable to negotiate with 192.0.2.10 port 22: no matching host key type found. Their offer: ssh-rsa,ssh-dss',
      'algorithm-mismatch',
    ],
    ['@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @', 'host-key-changed'],
    ['Offending ECDSA key in /home/alice/.ssh/known_hosts:3', 'host-key-changed'],
    ['Host key for web1.example has changed and you have requested strict checking.', 'host-key-changed'],
    ['No ED25519 host key is known for web1.example and you have requested strict checking.', 'host-key-unknown'],
    ['Received disconnect from 192.0.2.10 port 22:2: Too many authentication failures', 'too-many-auth-failures'],
    ['alice@web1.example: Permission denied (publickey,password).', 'auth-denied'],
  ])('%s', (line, outcome) => {
    const d = parseSshDebug(`debug1: Reading configuration data /etc/ssh/ssh_config\n${line}\n`, 255);
    expect([d.outcome, d.evidence]).toEqual([outcome, [line]]);
  });

  it.each([
    // The banner lines of a non-SSH server are kept as "server said", not taken for a failure alone.
    'debug1: kex_exchange_identification: banner line 0: 220 mail ESMTP',
    'ssh: connect to host 192.0.2.10 port 22: Connection timed out after 5 s',
    'xssh: Could not resolve hostname h: x',
    'Permission denied (publickey).',
    'Host key for web1.example has changed and you have requested strict checking',
    'Offending key for IP in /etc/ssh/ssh_known_hosts:3 - ',
    'Connection reset by peer',
    'Unable to negotiate with 192.0.2.10 port 22: no matching cipher found.',
    ' Authenticated to web1.example',
  ])('no outcome from a line that only looks alike: %s', (line) => {
    expect(parseSshDebug(`${line}\n`, 255).outcome).toBe('other');
  });

  it('exit 0 without a telling line is ok; any other exit is "other"', () => {
    expect(parseSshDebug('', 0).outcome).toBe('ok');
    expect(parseSshDebug('', 1).outcome).toBe('other');
    expect(parseSshDebug('', undefined).outcome).toBe('other');
  });

  it('the first outcome in priority order wins, whatever the line order', () => {
    const d = parseSshDebug(
      ['alice@h: Permission denied (publickey).', 'ssh: connect to host h port 22: Connection refused'].join('\n'),
      255,
    );
    expect([d.outcome, d.evidence]).toEqual([
      'connection-refused',
      ['ssh: connect to host h port 22: Connection refused'],
    ]);
  });
});

describe('the facts around the outcome', () => {
  it('server version, the last methods list, offered keys, too-open and missing keys (once each)', () => {
    const d = parseSshDebug(
      [
        'debug1: Remote protocol version 2.0, remote software version OpenSSH_9.2p1 Debian-2+deb12u3',
        'debug1: Authentications that can continue: publickey,password',
        'Warning: Identity file /home/alice/.ssh/work not accessible: No such file or directory.',
        'debug1: no such identity: /home/alice/.ssh/id_rsa: No such file or directory',
        'debug1: no such identity: /home/alice/.ssh/id_rsa: No such file or directory',
        "Permissions 0644 for '/home/alice/.ssh/id_ed25519' are too open.",
        'debug1: Offering public key: /home/alice/.ssh/id_ecdsa ECDSA SHA256:abc explicit',
        'debug1: Offering public key: alice@laptop ED25519 SHA256:def agent',
        'debug1: Authentications that can continue: publickey',
        'alice@h: Permission denied (publickey).',
      ].join('\n'),
      255,
    );
    expect(d).toEqual({
      outcome: 'auth-denied',
      serverVersion: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3',
      methodsLeft: ['publickey'],
      keysOffered: ['/home/alice/.ssh/id_ecdsa', 'alice@laptop'],
      keysIgnored: [{ path: '/home/alice/.ssh/id_ed25519', mode: '0644' }],
      keysMissing: ['/home/alice/.ssh/work', '/home/alice/.ssh/id_rsa'],
      keysAccepted: [],
      keysSkipped: [],
      evidence: [
        'alice@h: Permission denied (publickey).',
        "Permissions 0644 for '/home/alice/.ssh/id_ed25519' are too open.",
      ],
    });
  });

  it('auth-denied: the final "Permission denied" list is what the server accepts', () => {
    const d = parseSshDebug(
      'debug1: Authentications that can continue: publickey,password\nalice@h: Permission denied (publickey,keyboard-interactive).\n',
      255,
    );
    expect(d.methodsLeft).toEqual(['publickey', 'keyboard-interactive']);
  });

  it('algorithm-mismatch: what did not match and the offer, without kex-strict markers', () => {
    const d = parseSshDebug(
      'Unable to negotiate with 192.0.2.10 port 22: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1,kex-strict-s-v00@openssh.com,,x\n',
      255,
    );
    expect(d.algorithm).toEqual({ what: 'key exchange method', theirOffer: ['diffie-hellman-group1-sha1', 'x'] });
  });

  it('host-key-changed: the offending line, and the fingerprint lines after the first evidence', () => {
    const d = parseSshDebug(
      [
        '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
        'The fingerprint for the ED25519 key sent by the remote host is',
        'SHA256:newnewnew.',
        'Offending ED25519 key in /home/alice/.ssh/known_hosts:7',
        'Host key for h has changed and you have requested strict checking.',
      ].join('\n'),
      255,
    );
    expect(d.offendingKey).toEqual({ file: '/home/alice/.ssh/known_hosts', line: 7 });
    expect(d.evidence).toEqual([
      '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
      'The fingerprint for the ED25519 key sent by the remote host is',
      'SHA256:newnewnew.',
      'Offending ED25519 key in /home/alice/.ssh/known_hosts:7',
      'Host key for h has changed and you have requested strict checking.',
    ]);
  });

  it('a revoked key: no outcome of its own, said in ssh’s words without the @ frame', () => {
    const d = parseSshDebug(
      [
        '@       WARNING: REVOKED HOST KEY DETECTED!               @',
        'ED25519 host key for h was revoked and you have requested strict checking.',
      ].join('\n'),
      255,
    );
    expect([d.outcome, d.hostKeyRevoked, d.evidence]).toEqual([
      'other',
      true,
      [
        'WARNING: REVOKED HOST KEY DETECTED!',
        'ED25519 host key for h was revoked and you have requested strict checking.',
      ],
    ]);
  });

  it('a revoked key beside a real outcome leaves that outcome alone', () => {
    const d = parseSshDebug(
      '@ WARNING: REVOKED HOST KEY DETECTED! @\nssh: connect to host h port 22: Connection refused\n',
      255,
    );
    expect([d.outcome, d.hostKeyRevoked]).toEqual(['connection-refused', undefined]);
  });

  it('banner-exchange-failed: what the server said first comes first', () => {
    const d = parseSshDebug(
      [
        'debug1: kex_exchange_identification: banner line 0: 220 mail ESMTP Postfix',
        'debug1: kex_exchange_identification: banner line 1: 221 Bye',
        'kex_exchange_identification: Connection closed by remote host',
      ].join('\n'),
      255,
    );
    expect([d.preBanner, d.evidence]).toEqual([
      ['220 mail ESMTP Postfix', '221 Bye'],
      [
        'server said: 220 mail ESMTP Postfix',
        'server said: 221 Bye',
        'kex_exchange_identification: Connection closed by remote host',
      ],
    ]);
  });

  it('a host key accepted into the probe’s copy of known_hosts is noted', () => {
    const line = "Warning: Permanently added '[h]:2222' (ED25519) to the list of known hosts.";
    const d = parseSshDebug(`${line}\r\nAuthenticated to h ([192.0.2.1]:2222).\r\n`, 0);
    expect([d.outcome, d.hostKeyAdded, d.evidence]).toEqual([
      'ok',
      true,
      // It was the probe's temporary copy, not the user's file: never shown as evidence.
      ['Authenticated to h ([192.0.2.1]:2222).'],
    ]);
  });
});
