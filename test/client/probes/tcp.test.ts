// The TCP and banner probe against in-process loopback listeners (127.0.0.1, port 0), each
// answering as the lab's listeners do in tcp.lab.test.ts: sshd's identification (the lab's Debian
// OpenSSH 9.2p1 line), a mail server, a web server that waits for the client, silence, a close,
// a reset; and a refused port, a source address that is not this machine's, one of the wrong family.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAndReadBanner, probeOtherPorts, probeTcp } from '../../../src/client/probes/tcp.js';

const SSHD = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n';

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((srv) => new Promise<void>((r) => srv.close(() => r()))));
});

/** A listener on 127.0.0.1 and what each connection sent it. */
async function listen(onConnection: (s: Socket) => void): Promise<{ port: number; received: string[] }> {
  const received: string[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
    s.on('data', (d) => received.push(d.toString('latin1')));
    onConnection(s);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as { port: number }).port, received };
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('connectAndReadBanner on loopback', () => {
  it('sshd: its identification, read at once, nothing sent to it', async () => {
    const { port, received } = await listen((s) => s.write(SSHD));
    const a = await connectAndReadBanner('127.0.0.1', port, 3000);
    expect(a).toEqual({
      address: '127.0.0.1',
      port,
      ms: expect.any(Number),
      outcome: 'connected',
      bannerOutcome: 'ssh',
      banner: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10',
    });
    expect(a.ms).toBeLessThan(1000);
    expect(received).toEqual([]);
  });

  it('a mail server speaks first: other, not nudged', async () => {
    const { port } = await listen((s) => s.write('220 mail.example ESMTP Postfix\r\n'));
    expect(await connectAndReadBanner('127.0.0.1', port, 3000)).toMatchObject({
      outcome: 'connected',
      bannerOutcome: 'other',
      banner: '220 mail.example ESMTP Postfix',
    });
  });

  it('a web server waits for the client: our identification draws its answer', async () => {
    const { port, received } = await listen((s) =>
      s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')),
    );
    const started = Date.now();
    const a = await connectAndReadBanner('127.0.0.1', port, 3000);
    expect(a).toMatchObject({
      outcome: 'connected',
      bannerOutcome: 'other',
      banner: 'HTTP/1.1 400 Bad Request',
      nudged: true,
    });
    expect(received.join('')).toBe('SSH-2.0-ssh_doctor_probe\r\n');
    // Nudged after half a second (a quarter of the timeout when that is less), not at once.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('the nudge comes at a quarter of a short timeout', async () => {
    let accepted = 0;
    let nudgedAfter = 0;
    const { port } = await listen((s) => {
      accepted = Date.now();
      s.once('data', () => {
        nudgedAfter = Date.now() - accepted;
        s.end('HTTP/1.1 400 Bad Request\r\n');
      });
    });
    const a = await connectAndReadBanner('127.0.0.1', port, 400);
    expect(a).toMatchObject({ bannerOutcome: 'other', nudged: true });
    expect(nudgedAfter).toBeGreaterThanOrEqual(90);
    expect(nudgedAfter).toBeLessThan(400);
  });

  it('silence, even after our identification: silent, ended by our timer', async () => {
    const { port, received } = await listen(() => {});
    const started = Date.now();
    const a = await connectAndReadBanner('127.0.0.1', port, 1200);
    const took = Date.now() - started;
    expect(a).toEqual({
      address: '127.0.0.1',
      port,
      ms: expect.any(Number),
      outcome: 'connected',
      bannerOutcome: 'silent',
      nudged: true,
    });
    expect(received.join('')).toBe('SSH-2.0-ssh_doctor_probe\r\n');
    expect(took).toBeGreaterThanOrEqual(1100);
    expect(took).toBeLessThan(3000);
  });

  it('a close at once: closed, not nudged', async () => {
    const { port } = await listen((s) => s.end());
    expect(await connectAndReadBanner('127.0.0.1', port, 3000)).toEqual({
      address: '127.0.0.1',
      port,
      ms: expect.any(Number),
      outcome: 'connected',
      bannerOutcome: 'closed',
    });
  });

  it('a reset after the connect: reset', async () => {
    const { port } = await listen((s) => setTimeout(() => s.resetAndDestroy(), 100));
    expect(await connectAndReadBanner('127.0.0.1', port, 3000)).toMatchObject({
      outcome: 'connected',
      bannerOutcome: 'reset',
    });
  });

  it('a refused port: refused, with its errno, quickly', async () => {
    const port = await closedPort();
    const a = await connectAndReadBanner('127.0.0.1', port, 3000);
    expect(a).toEqual({
      address: '127.0.0.1',
      port,
      ms: expect.any(Number),
      outcome: 'refused',
      errno: 'ECONNREFUSED',
    });
    expect(a.ms).toBeLessThan(1000);
  });

  it('a BindAddress of this machine: the connection leaves from it, and says so', async () => {
    const { port } = await listen((s) => s.write(SSHD));
    expect(await connectAndReadBanner('127.0.0.1', port, 3000, { address: '127.0.0.1' })).toMatchObject({
      outcome: 'connected',
      bannerOutcome: 'ssh',
      localAddress: '127.0.0.1',
    });
  });

  it('a BindAddress that is not this machine’s: bind-failed, as ssh says it', async () => {
    const { port } = await listen((s) => s.write(SSHD));
    expect(await connectAndReadBanner('127.0.0.1', port, 3000, { address: '192.0.2.77' })).toEqual({
      address: '127.0.0.1',
      port,
      ms: expect.any(Number),
      localAddress: '192.0.2.77',
      outcome: 'bind-failed',
      errno: 'EADDRNOTAVAIL',
      bindProblem:
        'BindAddress 192.0.2.77: this machine has no address 192.0.2.77 (ssh says "bind 192.0.2.77: Cannot assign requested address")',
    });
  });

  it('a BindAddress of the other family: bind-failed before any connection', async () => {
    const { port, received } = await listen((s) => s.write(SSHD));
    expect(await connectAndReadBanner('127.0.0.1', port, 3000, { address: '::1' })).toEqual({
      address: '127.0.0.1',
      port,
      ms: expect.any(Number),
      outcome: 'bind-failed',
      bindProblem: 'BindAddress ::1 is an IPv6 address, and the destination is IPv4',
    });
    expect(sockets).toEqual([]);
    expect(received).toEqual([]);
  });
});

describe('probeTcp and probeOtherPorts', () => {
  it('one attempt per address, in order', async () => {
    const { port } = await listen((s) => s.write(SSHD));
    const r = await probeTcp({ addresses: ['127.0.0.1', '127.0.0.1'], port, timeoutMs: 3000 });
    expect(r.attempts.map((a) => [a.address, a.port, a.outcome, a.bannerOutcome])).toEqual([
      ['127.0.0.1', port, 'connected', 'ssh'],
      ['127.0.0.1', port, 'connected', 'ssh'],
    ]);
  });

  it('another port: only what the report needs, per port', async () => {
    const ssh = await listen((s) => s.write(SSHD));
    const closed = await listen((s) => s.end());
    const refused = await closedPort();
    expect(
      await probeOtherPorts({ address: '127.0.0.1', ports: [refused, ssh.port, closed.port], timeoutMs: 3000 }),
    ).toEqual([
      { port: refused, outcome: 'refused' },
      { port: ssh.port, outcome: 'connected', bannerOutcome: 'ssh', banner: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10' },
      { port: closed.port, outcome: 'connected', bannerOutcome: 'closed' },
    ]);
  });

  it('the bind applies to the other ports too', async () => {
    const ssh = await listen((s) => s.write(SSHD));
    expect(
      await probeOtherPorts({ address: '127.0.0.1', ports: [ssh.port], timeoutMs: 3000, bind: { address: '::1' } }),
    ).toEqual([{ port: ssh.port, outcome: 'bind-failed' }]);
  });
});
