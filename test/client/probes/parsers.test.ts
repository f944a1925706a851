// The pure parsers of the client probes, on real output captured in the lab
// (test/fixtures/client/capture.ts) where the input comes from a program.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEtcHosts } from '../../../src/client/probes/dns.js';
import { hostKeyAlgorithmsFor, parseSsh2Debug } from '../../../src/client/probes/handshake.js';
import { keyTypeLabel, publicKeyFromBlob } from '../../../src/client/probes/ssh-key.js';
import {
  classifyKeygenY,
  explicitIdentityFiles,
  isTooOpen,
  parseFingerprintLines,
  publicKeyBlob,
} from '../../../src/client/probes/key-files.js';
import { compareHostKey } from '../../../src/client/compare-host-key.js';
import { knownHostsName, parseKeygenF } from '../../../src/client/probes/known-hosts.js';
import { expandHome, parseConfigPorts, parseSshG } from '../../../src/client/probes/ssh-config.js';
import { otherPortCandidates } from '../../../src/client/other-ports.js';
import { classifyBanner, classifyErrno } from '../../../src/client/probes/tcp.js';
import type { KnownHostEntry } from '../../../src/client/probes/types.js';

const FIX = join(import.meta.dirname, '../../fixtures/client');
const tool = (name: string) => readFileSync(join(FIX, 'tools', name), 'utf8');

describe('parseSshG', () => {
  it('resolves a Host alias from the config: HostName, Port, User, IdentityFile (~ expanded), HostKeyAlias', () => {
    const t = parseSshG(tool('ssh-G-alias.stdout'), 'web', '/root');
    expect(t).toMatchObject({
      alias: 'web',
      host: '127.0.0.1',
      user: 'alice',
      port: 2201,
      hostKeyAlias: 'webkey',
      addressFamily: 'any',
      identityFiles: ['/root/.ssh/k1'],
      userKnownHostsFiles: ['/root/.ssh/known_hosts', '/root/.ssh/known_hosts2'],
      globalKnownHostsFiles: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
    });
    expect(t.proxyJump).toBeUndefined();
  });

  it('applies command-line flags: -l -p -J -6 -i and a two-file UserKnownHostsFile', () => {
    const t = parseSshG(tool('ssh-G-flags.stdout'), '127.0.0.1', '/root');
    expect(t).toMatchObject({
      user: 'bob',
      port: 2200,
      proxyJump: 'jump@bastion',
      addressFamily: 'inet6',
      identityFiles: ['/root/.ssh/k2'],
      userKnownHostsFiles: ['/root/.ssh/kh1', '/root/.ssh/kh2'],
    });
  });

  it('reads -b and BindInterface (printed only when set)', () => {
    expect(parseSshG(tool('ssh-G-bind.stdout'), '127.0.0.1', '/root').bind).toEqual({
      address: '127.0.0.2',
      interface: 'lo',
    });
    expect(parseSshG(tool('ssh-G-flags.stdout'), '127.0.0.1', '/root').bind).toBeUndefined();
  });

  it('expands only a leading ~/', () => {
    expect(expandHome('~/.ssh/id', '/home/a')).toBe('/home/a/.ssh/id');
    expect(expandHome('/x/~/y', '/home/a')).toBe('/x/~/y');
  });
});

describe('parseConfigPorts', () => {
  it('collects Port lines from every Host block, in either syntax, once each', () => {
    expect(
      parseConfigPorts(
        'Host web\n  HostName 127.0.0.1\n  Port 2201\nHost other\n  Port=2222\n  port 2201 # again\n#Port 9999\n  Port 70000\n',
      ),
    ).toEqual([2201, 2222]);
  });
});

describe('parseEtcHosts', () => {
  it('maps every alias to its addresses and skips comments', () => {
    const h = parseEtcHosts(tool('etc-hosts.stdout'));
    expect(h.get('localhost')).toEqual(['127.0.0.1', '::1']);
    expect(h.get('db')).toEqual(['10.0.0.5']);
    expect(h.has('the')).toBe(false);
  });
});

describe('classifyBanner', () => {
  it.each([
    ['SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n', 'line', 'ssh', 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10'],
    ['220 mail.example ESMTP Postfix\r\n', 'line', 'other', '220 mail.example ESMTP Postfix'],
    ['HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n', 'line', 'other', 'HTTP/1.1 400 Bad Request'],
    ['\x1b[31mSSH', 'fin', 'other', '[31mSSH'],
    ['Exceeded MaxStartups\r\n', 'fin', 'closed', 'Exceeded MaxStartups'],
    ['', 'fin', 'closed', undefined],
    ['', 'reset', 'reset', undefined],
    ['', 'timeout', 'silent', undefined],
  ] as const)('%j ended by %s is %s', (data, end, outcome, banner) => {
    expect(classifyBanner(Buffer.from(data, 'latin1'), end)).toEqual(
      banner === undefined ? { outcome } : { outcome, banner },
    );
  });

  it('maps connect errnos', () => {
    expect(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EACCES'].map(classifyErrno)).toEqual([
      'refused',
      'timeout',
      'unreachable',
      'unreachable',
      'error',
    ]);
  });

  it('tries the default port, the usual alternatives and config ports, never the refused one twice', () => {
    expect(otherPortCandidates(2222, [2201, 2200, 22])).toEqual([22, 2200, 22222, 8022, 2201]);
    expect(otherPortCandidates(22, [2201])).toEqual([2222, 2200, 22222, 8022, 2201]);
  });
});

describe('known_hosts', () => {
  const kf = (name: string) => readFileSync(join(FIX, 'keygen-F', name), 'utf8');
  const [ed25519, ecdsa] = kf('keys.txt')
    .trim()
    .split('\n')
    .map((l) => ({ type: l.split(' ')[0]!, key: l.split(' ')[1]! }));

  it('names [host]:port unless the port is 22, and HostKeyAlias as is', () => {
    expect(knownHostsName('Web.Example', 22)).toBe('web.example');
    expect(knownHostsName('127.0.0.1', 2201)).toBe('[127.0.0.1]:2201');
    expect(knownHostsName('127.0.0.1', 2201, 'webkey')).toBe('webkey');
  });

  it('parses ssh-keygen -F output with line numbers and markers', () => {
    expect(parseKeygenF(kf('plain-with-revoked.txt'), '/kh')).toEqual([
      { file: '/kh', line: 2, keyType: 'ssh-ed25519', key: ed25519!.key, hashed: false },
      { file: '/kh', line: 4, keyType: 'ecdsa-sha2-nistp256', key: ecdsa!.key, hashed: false, marker: '@revoked' },
    ]);
    expect(parseKeygenF(kf('hashed.txt'), '/kh')[0]).toMatchObject({ line: 2, hashed: true, keyType: 'ssh-ed25519' });
    expect(parseKeygenF(kf('cert-authority.txt'), '/kh')[0]).toMatchObject({ line: 5, marker: '@cert-authority' });
    expect(parseKeygenF('', '/kh')).toEqual([]);
  });

  it('compares a presented key the way OpenSSH does', () => {
    const e = (keyType: string, key: string, marker?: KnownHostEntry['marker']): KnownHostEntry => ({
      file: '/kh',
      line: 1,
      keyType,
      key,
      hashed: false,
      ...(marker ? { marker } : {}),
    });
    expect(compareHostKey([e(ed25519!.type, ed25519!.key)], ed25519!)).toBe('match');
    expect(compareHostKey([e('ssh-ed25519', 'AAAAother')], ed25519!)).toBe('changed');
    // Captured: only an ECDSA key known, ED25519 presented → ssh says "No ED25519 host key is known".
    expect(compareHostKey([e(ecdsa!.type, ecdsa!.key)], ed25519!)).toBe('unknown');
    expect(compareHostKey([], ed25519!)).toBe('unknown');
    expect(compareHostKey([e(ed25519!.type, ed25519!.key), e(ed25519!.type, ed25519!.key, '@revoked')], ed25519!)).toBe(
      'revoked',
    );
    expect(compareHostKey([e(ecdsa!.type, ed25519!.key, '@cert-authority')], ed25519!)).toBe('unknown');
  });
});

describe('ssh2 handshake debug', () => {
  it('reads the server proposal, ident and auth methods', () => {
    const f = parseSsh2Debug(tool('ssh2-debug-ok.stdout').split('\n'));
    expect(f.serverVersion).toBe('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10');
    expect(f.authMethods).toEqual(['publickey', 'password']);
    expect(f.serverAlgorithms!.hostKey).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ecdsa-sha2-nistp256', 'ssh-ed25519']);
    expect(f.serverAlgorithms!.kex).toContain('curve25519-sha256');
    expect(f.serverAlgorithms!.kex).not.toContain('kex-strict-s-v00@openssh.com');
    expect(f.serverAlgorithms!.cipher[0]).toBe('chacha20-poly1305@openssh.com');
    expect(f.serverAlgorithms!.mac).toContain('hmac-sha2-256');
  });

  it('sees a legacy-only server as it is', () => {
    expect(parseSsh2Debug(tool('ssh2-debug-sha1-kex.stdout').split('\n')).serverAlgorithms!.kex).toEqual([
      'diffie-hellman-group14-sha1',
    ]);
    expect(parseSsh2Debug(tool('ssh2-debug-ssh-rsa-only.stdout').split('\n')).serverAlgorithms!.hostKey).toEqual([
      'ssh-rsa',
    ]);
    expect(parseSsh2Debug(tool('ssh2-debug-password-only.stdout').split('\n')).authMethods).toEqual(['password']);
  });

  it('fingerprints a host key blob like ssh-keygen -l', () => {
    const [type, b64] = readFileSync(join(FIX, 'keygen-F', 'keys.txt'), 'utf8')
      .split('\n')[0]!
      .split(' ');
    const k = publicKeyFromBlob(Buffer.from(b64!, 'base64'));
    expect(k.type).toBe(type);
    expect(k.key).toBe(b64);
    // ssh-keygen -l -f k1.pub, captured next to the key.
    expect(k.fingerprint).toBe(readFileSync(join(FIX, 'keygen-F', 'k1.fingerprint'), 'utf8').split(' ')[1]);
  });

  it('a blob too short to hold its type length (a cut .pub) has no type, and still a fingerprint', () => {
    const k = publicKeyFromBlob(Buffer.from('AAA', 'base64'));
    expect(k.type).toBe('');
    expect(k.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('labels key types as ssh-keygen -l does', () => {
    const label = readFileSync(join(FIX, 'keygen-F', 'k1.fingerprint'), 'utf8').match(/\((\S+)\)/)![1];
    expect(keyTypeLabel('ssh-ed25519')).toBe(label);
    expect(['ssh-rsa', 'ecdsa-sha2-nistp384', 'sk-ssh-ed25519@openssh.com'].map(keyTypeLabel)).toEqual([
      'RSA',
      'ECDSA',
      'ED25519-SK',
    ]);
    // sshkey.c's short names for the rest; an unknown type is shown as it is, upper-cased.
    expect(['ssh-dss', 'sk-ecdsa-sha2-nistp256@openssh.com', 'ssh-xmss@openssh.com'].map(keyTypeLabel)).toEqual([
      'DSA',
      'ECDSA-SK',
      'SSH-XMSS@OPENSSH.COM',
    ]);
  });

  it('asks for known key types first, RSA in its three signature forms', () => {
    expect(hostKeyAlgorithmsFor(['ssh-rsa', 'ssh-ed25519'])).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-ed25519',
    ]);
  });
});

describe('key files', () => {
  it('flags group/other access only for a key the user owns (sshkey_perm_ok)', () => {
    expect(isTooOpen(0o600, 1000, 1000)).toBe(false);
    expect(isTooOpen(0o400, 1000, 1000)).toBe(false);
    expect(isTooOpen(0o644, 1000, 1000)).toBe(true);
    expect(isTooOpen(0o640, 1000, 1000)).toBe(true);
    expect(isTooOpen(0o604, 1000, 1000)).toBe(true);
    expect(isTooOpen(0o644, 0, 1000)).toBe(false);
  });

  it("tells named identity files from ssh's defaults", () => {
    const defaults = parseSshG(
      tool('ssh-G-flags.stdout').replace(
        /^identityfile .*$/m,
        ['id_rsa', 'id_ed25519'].map((n) => `identityfile ~/.ssh/${n}`).join('\n'),
      ),
      'x',
      '/root',
    ).identityFiles;
    expect(explicitIdentityFiles(defaults, [], '/root')).toEqual([]);
    expect(
      explicitIdentityFiles(parseSshG(tool('ssh-G-alias.stdout'), 'web', '/root').identityFiles, [], '/root'),
    ).toEqual(['/root/.ssh/k1']);
    expect(explicitIdentityFiles(['/root/.ssh/id_rsa'], ['-p', '22', '-i', '~/.ssh/id_rsa'], '/root')).toEqual([
      '/root/.ssh/id_rsa',
    ]);
  });

  it('parses ssh-keygen -l and ssh-add -l lines', () => {
    expect(parseFingerprintLines(tool('ssh-keygen-l.stdout'))).toEqual([
      { fingerprint: expect.stringMatching(/^SHA256:/), type: 'ED25519' },
    ]);
    expect(parseFingerprintLines(tool('ssh-add-l-keys.stdout'))).toHaveLength(2);
    expect(parseFingerprintLines(tool('ssh-add-l-empty.stdout'))).toEqual([]);
  });

  it('tells an encrypted key from one ssh-keygen refuses for its modes', () => {
    expect(classifyKeygenY({ exitCode: 255, stdout: '', stderr: tool('ssh-keygen-y-encrypted.stderr') })).toEqual({
      encrypted: true,
    });
    expect(classifyKeygenY({ exitCode: 255, stdout: '', stderr: tool('ssh-keygen-y-too-open.stderr') })).toEqual({});
    expect(classifyKeygenY({ exitCode: 0, stdout: 'ssh-ed25519 AAAAC3Nz root@vm\n', stderr: '' })).toEqual({
      blob: 'AAAAC3Nz',
    });
    expect(publicKeyBlob('ssh-ed25519 AAAAC3Nz comment with spaces')).toBe('AAAAC3Nz');
  });
});
