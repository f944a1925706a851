// User certificates: `ssh-keygen -L` and `ssh -v` captured from the lab (test/fixtures/client/capture-certs.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSshDebug } from '../../../src/client/probes/login.js';
import { certificateCandidates, inspectCertificates, parseKeygenL } from '../../../src/client/probes/user-cert.js';
import type { Command } from '../../../src/report.js';
import type { RunOptions, RunResult } from '../../../src/run.js';
import { ran } from '../../server/run-result.js';
import { certificateProblems } from '../../../src/client/user-certificate.js';

const FIX = join(import.meta.dirname, '../../fixtures/client');
const keygenL = (name: string) =>
  parseKeygenL(readFileSync(join(FIX, 'keygen-L', `${name}.txt`), 'utf8'), '/root/.ssh/id_ed25519-cert.pub');
const codes: Record<string, number> = JSON.parse(readFileSync(join(FIX, 'ssh-v', 'exit-codes.json'), 'utf8'));
const sshV = (name: string) => parseSshDebug(readFileSync(join(FIX, 'ssh-v', `${name}.stderr`), 'utf8'), codes[name]);

const KEY = 'SHA256:ivmb/wrzRrxVC43Fw3ks72+WxMnl+5a8rIP2LdxOVXk';
const CA = 'ED25519 SHA256:1xMH1giMaujL60yW6WaJC0wadxR5gLmBGjW8Hfg7Sps (using ssh-ed25519)';
/** A moment inside every "+520w" certificate the capture signed. */
const NOW = Date.parse('2030-06-01T00:00:00Z');

// [fixture, what ssh-keygen -L says, why sshd refuses it for alice at NOW]
const table: [string, Partial<ReturnType<typeof parseKeygenL>>, string[]][] = [
  ['cert-valid', { validFrom: '2026-11-30T12:59:00', validTo: '2036-11-17T13:00:08', principals: ['alice'] }, []],
  [
    'cert-expired',
    { validFrom: '2020-01-01T00:00:00', validTo: '2020-01-02T00:00:00', principals: ['alice'] },
    ['it expired on 2020-01-02 00:00:00 UTC'],
  ],
  [
    'cert-not-yet-valid',
    { validFrom: '2099-01-01T00:00:00', validTo: '2099-12-31T00:00:00' },
    ['it is not valid before 2099-01-01 00:00:00 UTC'],
  ],
  ['cert-other-principals', { principals: ['bob', 'carol'] }, ['it is for bob, carol, not alice']],
  ['cert-no-principals', { principals: [] }, ['it names no principal, so sshd accepts it for no user']],
  [
    'cert-untrusted-ca',
    { signingCa: 'ED25519 SHA256:TgJavNTFhuLG16eh8HgT4wddLDHgPm77MULlkIZJZ+Q (using ssh-ed25519)' },
    [],
  ],
  ['cert-forever', { validFrom: undefined, validTo: undefined }, []],
  ['cert-before', { validFrom: undefined, validTo: '2020-01-01T00:00:00' }, ['it expired on 2020-01-01 00:00:00 UTC']],
  [
    'cert-after',
    { validFrom: '2099-01-01T00:00:00', validTo: undefined },
    ['it is not valid before 2099-01-01 00:00:00 UTC'],
  ],
];

describe('parseKeygenL and certificateProblems', () => {
  for (const [name, expected, problems] of table) {
    it(name, () => {
      const cert = keygenL(name);
      expect(cert).toMatchObject({
        path: '/root/.ssh/id_ed25519-cert.pub',
        kind: 'user',
        fingerprint: KEY,
        keyId: name,
        ...(name === 'cert-untrusted-ca' ? {} : { signingCa: CA }),
      });
      for (const [k, v] of Object.entries(expected)) expect(cert[k as keyof typeof cert]).toEqual(v);
      expect(cert.error).toBeUndefined();
      expect(certificateProblems(cert, 'alice', NOW)).toEqual(problems);
    });
  }

  it('the bounds are sshd’s: valid from its first second, expired at its last', () => {
    const cert = keygenL('cert-expired');
    expect(certificateProblems(cert, 'alice', Date.parse('2020-01-01T00:00:00Z'))).toEqual([]);
    expect(certificateProblems(cert, 'alice', Date.parse('2020-01-02T00:00:00Z'))).toEqual([
      'it expired on 2020-01-02 00:00:00 UTC',
    ]);
  });

  it('text that is no certificate is an error, never a valid certificate', () => {
    const cert = parseKeygenL('', '/x');
    expect(cert.error).toBeDefined();
    expect(certificateProblems(cert, 'alice', NOW)).toEqual([]);
  });
});

describe('ssh -v: the certificates ssh offered', () => {
  it.each(['cert-valid', 'cert-expired', 'cert-not-yet-valid', 'cert-other-principals', 'cert-untrusted-ca'])(
    '%s: the -cert.pub beside the key',
    (name) => {
      expect(sshV(name).certificatesOffered).toEqual([
        {
          fingerprint: KEY,
          line: `debug1: Offering public key: /root/.ssh/id_ed25519 ED25519-CERT ${KEY}`,
        },
      ]);
      expect(sshV(name).outcome).toBe(name === 'cert-valid' ? 'ok' : 'auth-denied');
    },
  );

  it('CertificateFile', () => {
    expect(sshV('cert-file-option').certificatesOffered).toEqual([
      {
        fingerprint: KEY,
        line: `debug1: Offering public key: /root/elsewhere-cert.pub ED25519-CERT ${KEY} explicit`,
      },
    ]);
  });

  it('a login without certificates offers none', () => {
    expect(sshV('denied-publickey').certificatesOffered).toBeUndefined();
  });
});

it('candidates: beside each identity file, and each CertificateFile', () => {
  expect(certificateCandidates(['/root/.ssh/id_ed25519', '/root/.ssh/id_rsa'], ['/root/c-cert.pub'])).toEqual([
    '/root/.ssh/id_ed25519-cert.pub',
    '/root/.ssh/id_rsa-cert.pub',
    '/root/c-cert.pub',
  ]);
});

describe('inspectCertificates (a fake runner answering what ssh-keygen -L printed)', () => {
  const L = join(FIX, 'keygen-L');
  const VALID = join(L, 'cert-valid.txt');
  const EXPIRED = join(L, 'cert-expired.txt');
  const fake = (answer: (path: string) => RunResult) => {
    const calls: { cmd: Command; opts: RunOptions }[] = [];
    const runner = async (cmd: Command, opts: RunOptions) => {
      calls.push({ cmd, opts });
      return answer(cmd.at(-1)!);
    };
    return { runner, calls };
  };

  it('reads each file that exists, in UTC, and only those (not a directory, not a missing file)', async () => {
    const { runner, calls } = fake((p) => ran(readFileSync(p, 'utf8')));
    const certs = await inspectCertificates(
      { paths: ['/nonexistent-cert.pub', VALID, L, EXPIRED], timeoutMs: 800 },
      runner,
    );
    expect(calls).toEqual([
      { cmd: ['ssh-keygen', '-L', '-f', VALID], opts: { timeoutMs: 800, env: { TZ: 'UTC0' } } },
      { cmd: ['ssh-keygen', '-L', '-f', EXPIRED], opts: { timeoutMs: 800, env: { TZ: 'UTC0' } } },
    ]);
    expect(certs.map((c) => [c.path, c.keyId, c.validTo, c.error])).toEqual([
      [VALID, 'cert-valid', '2036-11-17T13:00:08', undefined],
      [EXPIRED, 'cert-expired', '2020-01-02T00:00:00', undefined],
    ]);
  });

  it.each([
    [
      'a .pub that is no certificate',
      ran('', { exitCode: 1, stderr: readFileSync(join(L, 'not-a-cert.stderr'), 'utf8') }),
      '/tmp/ssh-doctor-capture/k1-cert.pub:1 is not a certificate',
    ],
    [
      'garbage',
      ran('', { exitCode: 1, stderr: readFileSync(join(L, 'invalid-format.stderr'), 'utf8') }),
      '/tmp/ssh-doctor-capture/junk-cert.pub:1: invalid key: invalid format',
    ],
    ['an empty file (ssh-keygen says nothing)', ran('', { exitCode: 1 }), 'ssh-keygen -L exited 1'],
    ['a hang', ran('', { exitCode: undefined, timedOut: true }), 'ssh-keygen -L timed out'],
    [
      'output cut at the cap',
      ran(readFileSync(VALID, 'utf8'), { truncated: { stream: 'stdout', maxBytes: 100 } }),
      'ssh-keygen -L printed more than a certificate holds',
    ],
  ])('%s: an error naming why, never a certificate', async (_, answer, error) => {
    const { runner } = fake(() => answer);
    expect(await inspectCertificates({ paths: [VALID], timeoutMs: 800 }, runner)).toEqual([
      { path: VALID, principals: [], error },
    ]);
  });
});
