// Shared set-up for the server lab scenarios: a real sshd reachable on every lab address (the lab
// network namespace has only loopback) so the "loopback only" finding does not fire by accident.
import { expect } from 'vitest';
import type { Lab } from '../lab/lab.js';
import { SERVER_SETUP } from '../lab/lab.js';

export const PORT = 2201;

/** SERVER_SETUP, but sshd listens on all of the namespace's (loopback-only) addresses. */
export const SETUP = SERVER_SETUP(PORT).replace('-o ListenAddress=127.0.0.1 ', '');

/** Stop the lab's sshd and wait until no live sshd is left (zombies stay: pid 1 is `sleep` and never reaps). */
export const STOP_SSHD = `pkill -x sshd; for i in $(seq 50); do [ -n "$(ps -C sshd -o stat= | grep -v '^Z')" ] || break; sleep 0.1; done; [ -z "$(ps -C sshd -o stat= | grep -v '^Z')" ]`;

/** `ssh-doctor server --json --user alice --port PORT` inside the lab (lab.json puts --json first). */
export async function diagnose(lab: Lab, extra: string[] = [], env?: Record<string, string>) {
  const r = await lab.cli(['server', '--json', '--user', 'alice', '--port', String(PORT), ...extra], {
    timeoutMs: 30_000,
    env,
  });
  let report: any;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`no JSON report (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
  }
  return {
    exitCode: r.exitCode,
    report,
    stderr: r.stderr,
    ids: (report.findings as { id: string }[]).map((f) => f.id),
  };
}

export function finding(
  report: any,
  id: string,
): { id: string; severity: string; summary: string; evidence: string[]; next?: string[] } {
  const f = report.findings.find((x: { id: string }) => x.id === id);
  expect(f, `finding ${id} in ${JSON.stringify(report.findings.map((x: { id: string }) => x.id))}`).toBeDefined();
  return f;
}

/**
 * The real client as alice would run it against the lab's sshd (its own unknown-host handling kept
 * out of the way): `extra` ssh options, then the remote command.
 */
export function aliceSsh(extra: readonly string[] = [], command: readonly string[] = ['id', '-un']): string[] {
  return [
    'ssh',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    ...extra,
    '-p',
    String(PORT),
    'alice@127.0.0.1',
    ...command,
  ];
}

/** Can alice log in with root's key right now? (the real client against the real sshd) */
export async function canLogin(lab: Lab): Promise<boolean> {
  const r = await lab.exec(aliceSsh(['-o', 'LogLevel=ERROR']));
  return r.stdout.trim() === 'alice';
}

export async function sh(lab: Lab, script: string): Promise<string> {
  const r = await lab.sh(script);
  if (r.exitCode !== 0) throw new Error(`lab script failed (${r.exitCode}): ${r.stderr}`);
  return r.stdout;
}
