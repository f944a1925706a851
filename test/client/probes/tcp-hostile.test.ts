// A hostile server on the other end of the banner read (in-process, loopback): a megabyte with no
// newline, or a byte at a time forever. The read must stop at RFC 4253's 255 bytes, or at our
// timer, whatever the server does.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAndReadBanner } from '../../../src/client/probes/tcp.js';

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

function listen(onConnection: (s: Socket) => void): Promise<number> {
  server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
    onConnection(s);
  });
  return new Promise((r) => server!.listen(0, '127.0.0.1', () => r((server!.address() as { port: number }).port)));
}

describe('banner read against a hostile server', () => {
  it('1 MB without a newline: cut at 255 bytes, at once, classified as not SSH', async () => {
    const port = await listen((s) => s.write(Buffer.alloc(1024 * 1024, 'A')));
    const started = Date.now();
    const a = await connectAndReadBanner('127.0.0.1', port, 3000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(a).toMatchObject({ outcome: 'connected', bannerOutcome: 'other' });
    expect(a.banner).toBe('A'.repeat(255));
  });

  it('an SSH-looking line that never ends is still cut at 255 bytes', async () => {
    const port = await listen((s) => s.write(`SSH-2.0-${'x'.repeat(100_000)}`));
    const a = await connectAndReadBanner('127.0.0.1', port, 3000);
    expect(a.bannerOutcome).toBe('ssh');
    expect(a.banner!.length).toBeLessThanOrEqual(255);
  });

  it('one byte every 50 ms, never a newline: ends by our timer, with what came', async () => {
    let timer: NodeJS.Timeout | undefined;
    const port = await listen((s) => {
      timer = setInterval(() => s.write('S'), 50);
      s.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const a = await connectAndReadBanner('127.0.0.1', port, 1000);
    clearInterval(timer);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(2000);
    expect(a).toMatchObject({ outcome: 'connected', bannerOutcome: 'other' });
    expect(a.banner).toMatch(/^S{5,25}$/);
  });
});
