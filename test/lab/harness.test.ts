import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';

describe.runIf(requireLab())('lab harness', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(() => lab?.close());

  it('runs a private sshd that only the namespace sees, and the client logs in', async () => {
    await lab.sh(SERVER_SETUP(2201));
    const r = await lab.exec([
      'ssh',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=accept-new',
      '-p',
      '2201',
      'alice@127.0.0.1',
      'id',
      '-un',
    ]);
    expect(r.stdout.trim()).toBe('alice');
    const outside = await lab.sh('ip -o addr show | grep -v " lo " || true');
    expect(outside.stdout.trim()).toBe('');
  });
});
