// --redact: the report keeps its ids and verdicts but none of the lab's user names, host names,
// addresses, key fingerprints or home paths, in JSON and in text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { openTerminal, waitForScreen } from './tmux.js';

const PORT = 2238;
const shape = (r: any) => ({
  verdict: [r.verdict.id, r.verdict.severity],
  findings: r.findings.map((f: any) => [f.id, f.severity, f.fix?.id]),
  // Probes run in parallel: their order is when each finished.
  probes: r.probes.map((p: any) => `${p.id} ${p.status}`).sort(),
});
const FINGERPRINT = /SHA256:[A-Za-z0-9+/]{43}/g;

describe.runIf(requireLab())('--redact', () => {
  let lab: Lab;
  let hostname = '';
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(PORT));
    await lab.sh(
      `ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o ConnectTimeout=3 -p ${PORT} nosuchuser@127.0.0.1 true >/dev/null 2>&1 || true`,
    );
    hostname = (await lab.sh('hostname')).stdout.trim();
  }, 60_000);
  afterAll(() => lab?.close());

  for (const [name, argv] of [
    ['client', ['alice@127.0.0.1', '-p', String(PORT)]],
    ['server', ['server', '--user', 'alice', '--port', String(PORT)]],
  ] as const)
    it(`${name}: the same ids and verdict, none of the real names, addresses or fingerprints`, async () => {
      const plain = await lab.json([...argv]);
      const redacted = await lab.json([...argv, '--redact']);
      const text = await lab.cli([...argv, '--redact']);
      const raw = JSON.stringify(plain.report);
      const core = ['alice', '127.0.0.1', ...(name === 'server' ? [hostname] : [])];
      // The plain report does hold these: otherwise this test would prove nothing.
      for (const s of core) expect(raw, s).toContain(s);
      if (name === 'client') expect(raw).toMatch(FINGERPRINT);
      const real = [
        ...core,
        ...['/home/alice', 'nosuchuser'].filter((s) => raw.includes(s)),
        ...(raw.match(FINGERPRINT) ?? []),
      ];
      for (const out of [JSON.stringify(redacted.report), text.stdout])
        for (const s of real) expect(out, s).not.toContain(s);
      expect(shape(redacted.report)).toEqual(shape(plain.report));
      expect(redacted.exitCode).toBe(plain.exitCode);
      expect(JSON.stringify(redacted.report)).toMatch(/user1/);
      expect(JSON.stringify(redacted.report)).toMatch(/203\.0\.113\.1/);
    });

  // On a terminal the wizard would draw the real names (and its fix screens the real paths):
  // --redact prints the shareable report instead and ends, without a menu.
  for (const [name, argv] of [
    ['client', ['alice@127.0.0.1', '-p', String(PORT)]],
    ['server', ['server', '--user', 'alice', '--port', String(PORT)]],
  ] as const)
    it(`${name} on a terminal: the redacted report, no wizard`, async () => {
      const term = await openTerminal(lab, [...argv, '--redact'], { size: [100, 40] });
      const screen = await waitForScreen(term, /\[exited \d+\]/, 30_000);
      const all = await term.history();
      expect(all).toMatch(/user1/);
      for (const s of ['alice', '127.0.0.1', ...(name === 'server' ? [hostname] : [])]) expect(all, s).not.toContain(s);
      expect(screen).not.toContain('❯');
    });
});
