// The ufw fix through the real command: the allow must land before the DENY (an appended allow
// loses to it), the real ssh client then logs in, and undo leaves `ufw status numbered` exactly
// as it was. ufw accepts all loopback traffic in before.rules; the lab (private /etc) drops that
// line so 127.0.0.1 is filtered like a remote client would be.
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { login, STATE } from './fix-lab.js';

const PORT = 2318;
const hasUfw = existsSync('/usr/sbin/ufw');
const numbered = async (lab: Lab) => (await lab.sh('ufw status numbered')).stdout;
const server = (lab: Lab) =>
  lab.json(['server', '--yes', '--user', 'alice', '--port', String(PORT)], { env: STATE, timeoutMs: 90_000 });

async function undoFirewallFix(lab: Lab) {
  const entries = JSON.parse((await lab.cli(['undo', '--list', '--json'], { env: STATE })).stdout).entries as {
    id: string;
    fixId: string;
    undo: string[][];
  }[];
  const e = entries.find((x) => x.fixId === 'firewall-allow-ssh');
  expect(e, JSON.stringify(entries)).toBeDefined();
  const r = await lab.cli(['undo', e!.id, '--yes'], { env: STATE, timeoutMs: 60_000 });
  expect(r.exitCode, r.stderr).toBe(0);
  return e!;
}

describe.runIf(requireLab() && hasUfw)('fix: ufw allow rule, before the DENY', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await lab.sh(
      `${SERVER_SETUP(PORT)}
sed -i '/-A ufw6\\?-before-input -i lo -j ACCEPT/d' /etc/ufw/before.rules /etc/ufw/before6.rules
ufw --force enable >/dev/null </dev/null`,
      60_000,
    );
  });
  afterEach(() => lab?.close());

  it('`deny PORT/tcp` before `allow PORT`: the deny is swapped for the allow, login works, undo restores the list exactly', async () => {
    await lab.sh(`ufw deny ${PORT}/tcp >/dev/null; ufw allow ${PORT} >/dev/null; ufw allow 80/tcp >/dev/null`, 60_000);
    const before = await numbered(lab);
    expect(before).toMatch(new RegExp(`\\[ 1\\] ${PORT}/tcp\\s+DENY IN\\s+Anywhere`));
    expect((await login(lab, PORT)).exitCode).not.toBe(0);

    const r = await server(lab);
    expect(r.report.findings.map((f: { id: string }) => f.id)).toEqual(['sshd-listen-address']); // the lab's sshd: 127.0.0.1 only
    expect(await numbered(lab)).toMatch(
      new RegExp(`\\[ 1\\] ${PORT}/tcp\\s+ALLOW IN\\s+Anywhere\\s*\\n\\[ 2\\] ${PORT}\\s+ALLOW IN`),
    );
    expect(await numbered(lab)).toMatch(new RegExp(`\\[ 4\\] ${PORT}/tcp \\(v6\\)\\s+ALLOW IN\\s+Anywhere \\(v6\\)`));
    expect((await login(lab, PORT)).stdout.trim()).toBe('alice');

    const e = await undoFirewallFix(lab);
    expect(e.undo).toEqual([
      ['ufw', 'delete', 'allow', `${PORT}/tcp`],
      ['ufw', 'insert', '1', 'deny', `${PORT}/tcp`],
    ]);
    expect(await numbered(lab)).toBe(before);
    expect((await login(lab, PORT)).exitCode).not.toBe(0);
  });

  it('`deny PORT` (tcp and udp) after another rule: `ufw insert 2 allow PORT/tcp`, undo deletes only that', async () => {
    await lab.sh(`ufw allow 80/tcp >/dev/null; ufw deny ${PORT} >/dev/null; ufw allow 53/udp >/dev/null`, 60_000);
    const before = await numbered(lab);
    expect(before).toMatch(new RegExp(`\\[ 2\\] ${PORT}\\s+DENY IN\\s+Anywhere`));
    expect((await login(lab, PORT)).exitCode).not.toBe(0);

    const r = await server(lab);
    expect(r.report.findings.map((f: { id: string }) => f.id)).toEqual(['sshd-listen-address']); // the lab's sshd: 127.0.0.1 only
    const after = await numbered(lab);
    expect(after).toMatch(new RegExp(`\\[ 2\\] ${PORT}/tcp\\s+ALLOW IN\\s+Anywhere\\s*\\n\\[ 3\\] ${PORT}\\s+DENY IN`));
    expect((await login(lab, PORT)).stdout.trim()).toBe('alice');

    const e = await undoFirewallFix(lab);
    expect(e.undo).toEqual([['ufw', 'delete', 'allow', `${PORT}/tcp`]]);
    expect(await numbered(lab)).toBe(before);
  });
});
