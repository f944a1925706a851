// parseSshDebug on real `ssh -v` stderr captured from the lab (test/fixtures/client/capture.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jumpConfig, loginArgs, parseSshDebug, splitConfigFlag } from '../../../src/client/probes/login.js';
import type { SshDebug } from '../../../src/client/probes/types.js';

const DIR = join(import.meta.dirname, '../../fixtures/client/ssh-v');
const codes: Record<string, number> = JSON.parse(readFileSync(join(DIR, 'exit-codes.json'), 'utf8'));
const parse = (name: string) => parseSshDebug(readFileSync(join(DIR, `${name}.stderr`), 'utf8'), codes[name]);

const cases: [string, Partial<SshDebug>, RegExp][] = [
  [
    'ok',
    { outcome: 'ok', keysOffered: ['/root/.ssh/id_ed25519'], serverVersion: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10' },
    /^Authenticated to 127\.0\.0\.1/,
  ],
  [
    'unknown-host-accept-new',
    // "Permanently added" names our temporary copy: a fact (hostKeyAdded), never evidence.
    { outcome: 'ok', hostKeyAdded: true },
    /^Authenticated to /,
  ],
  ['unknown-host-strict', { outcome: 'host-key-unknown' }, /^No ED25519 host key is known for \[127\.0\.0\.1\]:2201/],
  ['other-type-known', { outcome: 'host-key-unknown' }, /^No ED25519 host key is known/],
  [
    'host-key-changed',
    { outcome: 'host-key-changed', offendingKey: { file: '/root/kh-known', line: 33 } },
    /REMOTE HOST IDENTIFICATION HAS CHANGED/,
  ],
  [
    'host-key-revoked',
    { outcome: 'other', hostKeyRevoked: true },
    /^ED25519 host key for \[127\.0\.0\.1\]:2201 was revoked/,
  ],
  [
    'denied-publickey',
    { outcome: 'auth-denied', methodsLeft: ['publickey'], keysOffered: ['/root/.ssh/id_ed25519'] },
    /^bob@127\.0\.0\.1: Permission denied \(publickey\)\.$/,
  ],
  [
    'denied-publickey-password',
    { outcome: 'auth-denied', methodsLeft: ['publickey', 'password'] },
    /Permission denied \(publickey,password\)/,
  ],
  [
    'denied-password-only',
    { outcome: 'auth-denied', methodsLeft: ['password'], keysOffered: [] },
    /^alice@127\.0\.0\.1: Permission denied \(password\)\.$/,
  ],
  ['denied-denyusers', { outcome: 'auth-denied', methodsLeft: ['publickey', 'password'] }, /Permission denied/],
  ['no-such-identity', { outcome: 'auth-denied', keysMissing: ['/root/.ssh/missing_key'] }, /Permission denied/],
  [
    'too-many-auth-failures',
    { outcome: 'too-many-auth-failures', keysOffered: ['/root/.ssh/k1', '/root/.ssh/k2'] },
    /^Received disconnect from 127\.0\.0\.1 port 2205:2: Too many authentication failures$/,
  ],
  [
    'key-too-open',
    { outcome: 'auth-denied', keysIgnored: [{ path: '/root/.ssh/id_ed25519', mode: '0644' }] },
    /Permission denied/,
  ],
  [
    'mismatch-hostkey',
    { outcome: 'algorithm-mismatch', algorithm: { what: 'host key type', theirOffer: ['ssh-rsa'] } },
    /no matching host key type found/,
  ],
  [
    'mismatch-kex',
    {
      outcome: 'algorithm-mismatch',
      algorithm: { what: 'key exchange method', theirOffer: ['diffie-hellman-group14-sha1'] },
    },
    /no matching key exchange method/,
  ],
  [
    'mismatch-cipher',
    { outcome: 'algorithm-mismatch', algorithm: { what: 'cipher', theirOffer: ['aes128-cbc'] } },
    /no matching cipher/,
  ],
  [
    'mismatch-mac',
    { outcome: 'algorithm-mismatch', algorithm: { what: 'MAC', theirOffer: ['hmac-md5'] } },
    /no matching MAC/,
  ],
  ['refused', { outcome: 'connection-refused' }, /^ssh: connect to host 127\.0\.0\.1 port 2299: Connection refused$/],
  ['timeout', { outcome: 'connection-timeout' }, /port 2298: Connection timed out$/],
  ['no-route', { outcome: 'no-route' }, /port 2297: No route to host$/],
  ['dns-unresolved', { outcome: 'dns-unresolved' }, /^ssh: Could not resolve hostname no-such-host\.invalid/],
  [
    'banner-closed',
    { outcome: 'banner-exchange-failed' },
    /^kex_exchange_identification: Connection closed by remote host$/,
  ],
  [
    'banner-reset',
    { outcome: 'banner-exchange-failed' },
    /^kex_exchange_identification: read: Connection reset by peer$/,
  ],
  ['banner-reset-at-accept', { outcome: 'banner-exchange-failed' }, /Connection reset by peer$/],
  // Same responder, another timing (kept from a capture run: the reset races ssh's first write).
  ['banner-reset-write', { outcome: 'banner-exchange-failed' }, /^Connection reset by UNKNOWN port -1$/],
  ['banner-silent', { outcome: 'banner-exchange-failed' }, /^Connection timed out during banner exchange$/],
  [
    'not-ssh-smtp',
    { outcome: 'banner-exchange-failed', preBanner: ['220 mail.example ESMTP Postfix', '421 timeout'] },
    /^server said: 220 mail\.example ESMTP Postfix$/,
  ],
  ['not-ssh-http', { outcome: 'banner-exchange-failed' }, /^server said: HTTP\/1\.1 400 Bad Request$/],
];

describe('parseSshDebug on captured ssh -v output', () => {
  it.each(cases)('%s', (name, expected, evidence) => {
    const d = parse(name);
    expect(d).toMatchObject(expected);
    expect(
      d.evidence.some((l) => evidence.test(l)),
      d.evidence.join('\n'),
    ).toBe(true);
  });

  it('gives the changed key fingerprint and the offending line as evidence', () => {
    const d = parse('host-key-changed');
    expect(d.evidence).toContain('Offending ED25519 key in /root/kh-known:33');
    expect(d.evidence.some((l) => /^SHA256:\S+\.$/.test(l))).toBe(true);
  });

  it('never reports an outcome it did not see: empty output with a failure is "other"', () => {
    expect(parseSshDebug('', 255)).toMatchObject({ outcome: 'other', evidence: [] });
  });

  // ssh's log encodes ESC as \033 but leaves a server's CR and BEL as they are.
  it('a CR in the names a server offers neither throws nor hides the outcome', () => {
    const offer = parseSshDebug(
      'Unable to negotiate with 127.0.0.1 port 22: no matching host key type found. Their offer: $(x),a\r\x07b\n',
      255,
    );
    expect(offer.algorithm).toEqual({ what: 'host key type', theirOffer: ['$(x)', 'a\r\x07b'] });
    const denied = parseSshDebug('alice@127.0.0.1: Permission denied (publickey,pass\rword).\n', 255);
    expect(denied).toMatchObject({ outcome: 'auth-denied', methodsLeft: ['publickey', 'pass\rword'] });
  });
});

describe('loginArgs', () => {
  it('puts our options before the user flags (ssh keeps the first value) and never names the user files', () => {
    const argv = loginArgs({
      knownHosts: ['/tmp/x/known_hosts_0', '/tmp/x/known_hosts_1'],
      timeoutMs: 2500,
      sshFlags: ['-o', 'StrictHostKeyChecking=no', '-p', '2222'],
      destination: 'web',
    });
    expect(argv.slice(0, 2)).toEqual(['ssh', '-v']);
    expect(argv.indexOf('StrictHostKeyChecking=accept-new')).toBeLessThan(argv.indexOf('StrictHostKeyChecking=no'));
    expect(argv).toContain('UserKnownHostsFile=/tmp/x/known_hosts_0 /tmp/x/known_hosts_1');
    expect(argv).toContain('ConnectTimeout=2');
    expect(argv.slice(-3)).toEqual(['--', 'web', 'true']);
  });

  it('every safety option, each after its own -o: nothing forwarded, nothing run locally, no prompt', () => {
    const argv = loginArgs({ knownHosts: ['/tmp/x/kh'], timeoutMs: 999, sshFlags: [], destination: 'web' });
    expect(argv).toEqual([
      'ssh',
      '-v',
      ...[
        'BatchMode=yes',
        'StrictHostKeyChecking=accept-new',
        'UserKnownHostsFile=/tmp/x/kh',
        'UpdateHostKeys=no',
        'ControlMaster=no',
        'ControlPath=none',
        // Never 0 (which would mean no timeout at all).
        'ConnectTimeout=1',
        'ConnectionAttempts=1',
        'ForwardAgent=no',
        'ForwardX11=no',
        'ClearAllForwardings=yes',
        'PermitLocalCommand=no',
        'RequestTTY=no',
      ].flatMap((kv) => ['-o', kv]),
      '--',
      'web',
      'true',
    ]);
  });
});

describe('through a jump host: our options reach the hop too (ssh hands it -F, never -o)', () => {
  it('puts them first in a config that includes the user’s file and the system’s', () => {
    const text = jumpConfig({
      knownHosts: ['/tmp/d/known_hosts_0.copy'],
      timeoutMs: 2500,
      userConfig: '/home/u/.ssh/config',
    });
    const lines = text
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#'));
    expect(lines.slice(0, 3)).toEqual([
      'BatchMode=yes',
      'StrictHostKeyChecking=accept-new',
      'UserKnownHostsFile=/tmp/d/known_hosts_0.copy',
    ]);
    expect(lines).toContain('ConnectTimeout=2');
    expect(lines.slice(-2)).toEqual(['Include /home/u/.ssh/config', 'Include /etc/ssh/ssh_config']);
    // Whoever finds the file (a leftover after a crash) learns whose it is.
    expect(text.split('\n')[0]).toMatch(/^# written by ssh-doctor/);
  });

  it('takes the user’s -F out of the flags and includes it instead', () => {
    expect(splitConfigFlag(['-J', 'j', '-F', '/cfg', '-p', '22'], '/home/u')).toEqual({
      userConfig: '/cfg',
      rest: ['-J', 'j', '-p', '22'],
    });
    expect(splitConfigFlag(['-J', 'j'], '/home/u').userConfig).toBe('/home/u/.ssh/config');
    // A trailing -F without its file is left for ssh to refuse.
    expect(splitConfigFlag(['-p', '22', '-F'], '/home/u')).toEqual({
      userConfig: '/home/u/.ssh/config',
      rest: ['-p', '22', '-F'],
    });
  });
});
