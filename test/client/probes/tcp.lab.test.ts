// TCP connect and banner classification against real listeners in the lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, SERVER_SETUP, startLab, type Lab } from '../../lab/lab.js';
import { buildDriver, probe, startResponder, startSshd } from './lab-driver.js';
import type { OtherPortResult, TcpResult } from '../../../src/client/probes/types.js';

describe.runIf(requireLab())('client TCP and banner probe (lab)', () => {
  let lab: Lab;
  beforeAll(async () => {
    await buildDriver();
    lab = await startLab();
    await lab.sh(SERVER_SETUP(2201));
    await startSshd(lab, 2222);
    await startResponder(lab, 2294, `s.write('220 mail.example ESMTP Postfix\\r\\n')`);
    await startResponder(lab, 2293, `s.once('data', () => s.end('HTTP/1.1 400 Bad Request\\r\\n\\r\\n'))`);
    await startResponder(lab, 2296, 's.end()');
    await startResponder(lab, 2292, '');
    await startResponder(lab, 2291, 'setTimeout(() => s.resetAndDestroy(), 100)');
    await lab.sh(
      'iptables -A INPUT -p tcp --dport 2298 -j DROP; iptables -A OUTPUT -p tcp --dport 2297 -j REJECT --reject-with icmp-host-unreachable',
    );
  }, 60_000);
  afterAll(() => lab?.close());

  const tcp = (port: number, timeoutMs = 1000) =>
    probe<TcpResult>(lab, 'probeTcp', { addresses: ['127.0.0.1'], port, timeoutMs });

  it('reads the SSH identification from sshd on the same connection', async () => {
    const r = await tcp(2201);
    expect(r.result.attempts).toEqual([
      expect.objectContaining({
        address: '127.0.0.1',
        port: 2201,
        outcome: 'connected',
        bannerOutcome: 'ssh',
        banner: expect.stringMatching(/^SSH-2\.0-OpenSSH_/),
      }),
    ]);
  });

  it.each([
    [2299, { outcome: 'refused', errno: 'ECONNREFUSED' }],
    [2297, { outcome: 'unreachable', errno: 'EHOSTUNREACH' }],
    [2294, { outcome: 'connected', bannerOutcome: 'other', banner: '220 mail.example ESMTP Postfix' }],
    // A web server waits for the client to speak: our SSH identification draws its answer.
    [2293, { outcome: 'connected', bannerOutcome: 'other', banner: 'HTTP/1.1 400 Bad Request', nudged: true }],
    [2292, { outcome: 'connected', bannerOutcome: 'silent', nudged: true }],
    [2296, { outcome: 'connected', bannerOutcome: 'closed' }],
    [2291, { outcome: 'connected', bannerOutcome: 'reset' }],
  ])('port %i → %j', async (port, expected) => {
    const r = await tcp(port, 600);
    expect(r.result.attempts[0]).toMatchObject(expected);
  });

  it('tries every address in parallel: sshd on 127.0.0.1 only, so ::1 refuses', async () => {
    const r = await probe<TcpResult>(lab, 'probeTcp', { addresses: ['::1', '127.0.0.1'], port: 2201, timeoutMs: 1000 });
    expect(r.result.attempts).toEqual([
      expect.objectContaining({ address: '::1', outcome: 'refused' }),
      expect.objectContaining({ address: '127.0.0.1', outcome: 'connected', bannerOutcome: 'ssh' }),
    ]);
  });

  it('a dropped SYN is a timeout bounded by our timer, not the OS', async () => {
    const r = await tcp(2298, 700);
    expect(r.result.attempts[0]).toMatchObject({ outcome: 'timeout' });
    expect(r.ms).toBeGreaterThanOrEqual(650);
    expect(r.ms).toBeLessThan(3000); // the OS would wait ~2 minutes
  });

  it('finds sshd on another port when the asked one refuses', async () => {
    const r = await probe<OtherPortResult[]>(lab, 'probeOtherPorts', {
      address: '127.0.0.1',
      ports: [2222, 2200, 22222, 8022, 2294],
      timeoutMs: 1000,
    });
    expect(r.result.find((p) => p.port === 2222)).toMatchObject({ outcome: 'connected', bannerOutcome: 'ssh' });
    expect(r.result.find((p) => p.port === 2200)).toMatchObject({ outcome: 'refused' });
    expect(r.result.find((p) => p.port === 2294)).toMatchObject({ bannerOutcome: 'other' });
  });
});
