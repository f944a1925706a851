// probeHandshake against in-process loopback servers (127.0.0.1, port 0): an ssh2 Server calling
// itself what the lab's sshd is (OpenSSH 9.2p1 Debian), with fixed test host keys, that refuses or
// accepts auth "none"; a listener that never speaks; a refused port. The real sshd is in
// handshake.lab.test.ts.
import { readFileSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { probeHandshake } from '../../../src/client/probes/handshake.js';
import { publicKeyFromBlob } from '../../../src/client/probes/ssh-key.js';

const { Server, utils } = ssh2;
// Made once by ssh-keygen for these tests (ssh2's own generateKeyPairSync makes an ed25519 key its
// parser rejects about once in a hundred).
const KEYS = join(import.meta.dirname, '../../fixtures/client/keys');
const ED25519 = readFileSync(join(KEYS, 'host_ed25519'), 'utf8');
const ECDSA = readFileSync(join(KEYS, 'host_ecdsa'), 'utf8');
const hostKeyOf = (priv: string) => {
  const key = utils.parseKey(priv);
  if (key instanceof Error) throw key;
  const { type, key: b64, fingerprint } = publicKeyFromBlob(key.getPublicSSH());
  return { type, key: b64, fingerprint };
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** An SSH server on 127.0.0.1 that answers auth "none" with `none`; what it was asked. */
async function sshServer(none: 'reject' | 'accept', hostKeys = [ED25519]) {
  const methods: string[] = [];
  const clients: { end(): unknown }[] = [];
  const server = new Server({ hostKeys, ident: 'OpenSSH_9.2p1 Debian-2+deb12u10' }, (client) => {
    clients.push(client);
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      methods.push(ctx.method);
      if (ctx.method === 'none' && none === 'accept') ctx.accept();
      else ctx.reject(['publickey', 'password']);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(async () => {
    for (const c of clients) c.end();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return { port: (server.address() as { port: number }).port, methods };
}

async function netServer(onConnection: (s: Socket) => void): Promise<number> {
  const sockets: Socket[] = [];
  const server: NetServer = createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return (server.address() as { port: number }).port;
}

describe('probeHandshake on loopback', () => {
  it('an SSH server refusing auth "none": its identification, proposal, host key and methods; only "none" asked', async () => {
    const { port, methods } = await sshServer('reject');
    const r = await probeHandshake({ address: '127.0.0.1', port, user: 'alice', timeoutMs: 5000 });
    expect(r).toEqual({
      ok: true,
      hostKey: hostKeyOf(ED25519),
      serverAlgorithms: {
        kex: expect.arrayContaining(['curve25519-sha256']),
        hostKey: ['ssh-ed25519'],
        cipher: expect.arrayContaining(['aes128-gcm@openssh.com']),
        mac: expect.arrayContaining(['hmac-sha2-256']),
      },
      authMethods: ['publickey', 'password'],
      serverVersion: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10',
    });
    expect(r.serverAlgorithms!.kex.some((k) => /^(kex-strict|ext-info)-/.test(k))).toBe(false);
    expect(methods).toEqual(['none']);
  });

  it('a server letting the user in with "none": no methods to list, still ok', async () => {
    const { port } = await sshServer('accept');
    const r = await probeHandshake({ address: '127.0.0.1', port, user: 'alice', timeoutMs: 5000 });
    expect(r).toMatchObject({ ok: true, authMethods: [], hostKey: hostKeyOf(ED25519) });
    expect(r.error).toBeUndefined();
  });

  it('asks first for the host key types already known, whichever the server prefers', async () => {
    const { port } = await sshServer('reject', [ED25519, ECDSA]);
    const base = { address: '127.0.0.1', port, user: 'alice', timeoutMs: 5000 };
    expect((await probeHandshake({ ...base, preferredHostKeyTypes: ['ecdsa-sha2-nistp256'] })).hostKey).toEqual(
      hostKeyOf(ECDSA),
    );
    expect((await probeHandshake({ ...base, preferredHostKeyTypes: ['ssh-ed25519'] })).hostKey).toEqual(
      hostKeyOf(ED25519),
    );
  });

  it('binds the source address it is given, and says so', async () => {
    const { port } = await sshServer('reject');
    const r = await probeHandshake({
      address: '127.0.0.1',
      port,
      user: 'alice',
      timeoutMs: 5000,
      localAddress: '127.0.0.1',
    });
    expect(r).toMatchObject({ ok: true, localAddress: '127.0.0.1' });
  });

  it('a listener that never speaks: not ok, a timeout, bounded by timeoutMs', async () => {
    const port = await netServer(() => {});
    const started = Date.now();
    const r = await probeHandshake({ address: '127.0.0.1', port, user: 'alice', timeoutMs: 800 });
    expect(r).toEqual({
      ok: false,
      error: { level: 'client-timeout', message: 'Timed out while waiting for handshake' },
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a service that is not SSH and hangs up: not ok, with why', async () => {
    const port = await netServer((s) => s.end('220 mail.example ESMTP Postfix\r\n'));
    const r = await probeHandshake({ address: '127.0.0.1', port, user: 'alice', timeoutMs: 3000 });
    expect(r.ok).toBe(false);
    expect(r.hostKey).toBeUndefined();
    expect(r.error).toBeDefined();
  });

  it('a refused port: not ok, the socket error', async () => {
    const port = await netServer(() => {});
    await closers.pop()!();
    const r = await probeHandshake({ address: '127.0.0.1', port, user: 'alice', timeoutMs: 3000 });
    expect(r).toEqual({
      ok: false,
      error: { level: 'client-socket', message: expect.stringContaining('ECONNREFUSED') },
    });
  });
});
