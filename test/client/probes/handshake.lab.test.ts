// The ssh2 handshake probe and the known_hosts lookup against a real sshd in the lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, SERVER_SETUP, startLab, type Lab } from '../../lab/lab.js';
import { buildDriver, probe, startSshd } from './lab-driver.js';
import { compareHostKey } from '../../../src/client/compare-host-key.js';
import type { HandshakeResult, KnownHostsResult } from '../../../src/client/probes/types.js';

describe.runIf(requireLab())('client handshake and known_hosts probes (lab)', () => {
  let lab: Lab;
  const fingerprint = async (type: string) =>
    (await lab.sh(`ssh-keygen -l -f /etc/ssh/ssh_host_${type}_key.pub`)).stdout.split(' ')[1];
  beforeAll(async () => {
    await buildDriver();
    lab = await startLab();
    await lab.sh(SERVER_SETUP(2201));
    await startSshd(lab, 2203, 'PubkeyAuthentication=no', 'PasswordAuthentication=yes');
    await startSshd(lab, 2207, 'KexAlgorithms=diffie-hellman-group14-sha1');
  }, 60_000);
  afterAll(() => lab?.close());

  const handshake = (port: number, extra: object = {}) =>
    probe<HandshakeResult>(lab, 'probeHandshake', {
      address: '127.0.0.1',
      port,
      user: 'alice',
      timeoutMs: 3000,
      ...extra,
    });

  it('learns the host key, the server proposal and the methods after auth "none"', async () => {
    const r = await handshake(2201);
    expect(r.result).toMatchObject({
      ok: true,
      authMethods: ['publickey', 'password'],
      serverVersion: expect.stringMatching(/^SSH-2\.0-OpenSSH_9/),
    });
    expect(r.result.hostKey!.type).toBe('ssh-ed25519');
    expect(r.result.hostKey!.fingerprint).toBe(await fingerprint('ed25519'));
    expect(r.result.serverAlgorithms!.hostKey).toContain('ssh-ed25519');
    expect(r.result.serverAlgorithms!.kex).toContain('curve25519-sha256');
    // Nothing but "none" was tried: sshd logged no publickey or password attempt.
    const log = (await lab.sh('cat /var/log/auth.log')).stdout;
    expect(log).not.toMatch(/Failed (publickey|password)|Accepted/);
  });

  it('asks for the key type already in known_hosts first, as OpenSSH does', async () => {
    const r = await handshake(2201, { preferredHostKeyTypes: ['ecdsa-sha2-nistp256'] });
    expect(r.result.hostKey).toMatchObject({ type: 'ecdsa-sha2-nistp256', fingerprint: await fingerprint('ecdsa') });
    const rsa = await handshake(2201, { preferredHostKeyTypes: ['ssh-rsa'] });
    expect(rsa.result.hostKey).toMatchObject({ type: 'ssh-rsa', fingerprint: await fingerprint('rsa') });
  });

  it('skips known key types ssh2 cannot verify (security keys) instead of failing', async () => {
    const r = await handshake(2201, { preferredHostKeyTypes: ['sk-ssh-ed25519@openssh.com', 'ssh-ed25519'] });
    expect(r.result).toMatchObject({ ok: true, hostKey: { type: 'ssh-ed25519' } });
  });

  it('lists password as the only method of a password-only server', async () => {
    expect((await handshake(2203)).result.authMethods).toEqual(['password']);
  });

  it('still learns a legacy-only server (sha1 kex) that OpenSSH refuses', async () => {
    const r = await handshake(2207);
    expect(r.result.ok).toBe(true);
    expect(r.result.serverAlgorithms!.kex).toEqual(['diffie-hellman-group14-sha1']);
  });

  it('keeps ssh2 error level and message on a refused port', async () => {
    const r = await handshake(2299);
    expect(r.result).toMatchObject({
      ok: false,
      error: { level: 'client-socket', message: expect.stringMatching(/ECONNREFUSED/) },
    });
  });

  it('finds a hashed known_hosts entry with its line, and the handshake key matches it', async () => {
    await lab.sh(`mkdir -p /root/.ssh && echo '# first line' > /root/.ssh/known_hosts
ssh-keyscan -t ed25519 -p 2201 127.0.0.1 2>/dev/null >> /root/.ssh/known_hosts
ssh-keygen -H -f /root/.ssh/known_hosts >/dev/null 2>&1 && rm -f /root/.ssh/known_hosts.old`);
    expect((await lab.sh('sed -n 2p /root/.ssh/known_hosts')).stdout).toMatch(/^\|1\|/);
    const before = (await lab.sh('md5sum /root/.ssh/known_hosts')).stdout;
    const kh = await probe<KnownHostsResult>(lab, 'lookupKnownHosts', {
      host: '127.0.0.1',
      port: 2201,
      files: ['/root/.ssh/known_hosts', '/root/.ssh/known_hosts2'],
      timeoutMs: 3000,
    });
    expect(kh.result).toMatchObject({ lookupName: '[127.0.0.1]:2201', searched: ['/root/.ssh/known_hosts'] });
    expect(kh.result.entries).toEqual([
      expect.objectContaining({ file: '/root/.ssh/known_hosts', line: 2, keyType: 'ssh-ed25519', hashed: true }),
    ]);
    const hs = await handshake(2201, { preferredHostKeyTypes: kh.result.entries.map((e) => e.keyType) });
    expect(compareHostKey(kh.result.entries, hs.result.hostKey!)).toBe('match');
    expect((await lab.sh('md5sum /root/.ssh/known_hosts')).stdout).toBe(before);
  });

  it('sees the host key as changed after the server regenerates it', async () => {
    await lab.sh(`mkdir -p /etc/ssh/regen && ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/regen/ed25519
/usr/sbin/sshd -p 2211 -o ListenAddress=127.0.0.1 -h /etc/ssh/regen/ed25519 -E /var/log/auth-2211.log
ssh-keyscan -t ed25519 -p 2201 127.0.0.1 2>/dev/null | sed 's/:2201/:2211/' >> /root/.ssh/known_hosts`);
    const kh = await probe<KnownHostsResult>(lab, 'lookupKnownHosts', {
      host: '127.0.0.1',
      port: 2211,
      files: ['/root/.ssh/known_hosts'],
      timeoutMs: 3000,
    });
    const hs = await handshake(2211, { preferredHostKeyTypes: kh.result.entries.map((e) => e.keyType) });
    expect(kh.result.entries).toEqual([expect.objectContaining({ line: 3, hashed: false })]);
    expect(compareHostKey(kh.result.entries, hs.result.hostKey!)).toBe('changed');
  });
});
