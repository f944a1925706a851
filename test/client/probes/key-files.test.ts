// inspectKeyFiles on real files in a temporary directory (modes as the user left them), with a fake
// runner answering what ssh-keygen and ssh-add really printed (OpenSSH 9.2p1; test/fixtures/client/
// keys and tools). The private key files' contents do not matter: only ssh-keygen reads them.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explicitIdentityFiles, inspectKeyFiles } from '../../../src/client/probes/key-files.js';
import { parseSshG } from '../../../src/client/probes/ssh-config.js';
import type { Command } from '../../../src/report.js';
import type { RunOptions, RunResult } from '../../../src/run.js';
import { ran } from '../../server/run-result.js';

const FIX = join(import.meta.dirname, '../../fixtures/client');
const fixture = (p: string) => readFile(join(FIX, p), 'utf8');

/** ssh-keygen -l -f k1, as captured: the fingerprint of keys/k1.pub. */
const K1_PRINT = 'SHA256:utbDk5dlOpDE1X/LrtUnJfj4tBSMm1RF8msqN3u+J5A';
const ENC_PRINT = 'SHA256:/pEwSQZHyIzOr3utYwS382kRNYJaCwGMXPpOxHPnne8';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssh-doctor-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true });
});

async function key(name: string, mode: number, pub?: string) {
  const path = join(dir, name);
  await writeFile(path, '-----BEGIN OPENSSH PRIVATE KEY-----\n');
  await chmod(path, mode);
  if (pub !== undefined) await writeFile(`${path}.pub`, await fixture(pub));
  return path;
}

/** Answers by program and file: `ssh-keygen -y`, `ssh-keygen -l`, `ssh-add -l`. */
function fake(answers: { y?: Record<string, RunResult>; l?: Record<string, RunResult>; agent?: RunResult }) {
  const calls: { cmd: Command; opts: RunOptions }[] = [];
  const runner = async (cmd: Command, opts: RunOptions) => {
    calls.push({ cmd, opts });
    const file = cmd.at(-1)!;
    const a =
      cmd[0] === 'ssh-add'
        ? answers.agent
        : cmd[1] === '-y'
          ? answers.y?.[file]
          : cmd[1] === '-l'
            ? answers.l?.[file]
            : undefined;
    if (!a) throw new Error(`unexpected: ${cmd.join(' ')}`);
    return a;
  };
  return { runner, calls };
}

/** ssh-add runs beside the key files: compare calls in a fixed order. */
const byCommand = <T extends { cmd: Command }>(calls: T[]) =>
  [...calls].sort((a, b) => a.cmd.join(' ').localeCompare(b.cmd.join(' ')));

const noAgent = async () => ran(await fixture('tools/ssh-add-l-no-agent.stdout'), { exitCode: 2 });

describe('inspectKeyFiles', () => {
  it('a 0600 key whose .pub matches: fingerprint from the key itself, no ssh-keygen -l', async () => {
    const k1 = await key('k1', 0o600, 'keys/k1.pub');
    const { runner, calls } = fake({
      y: { [k1]: ran(await fixture('keys/ssh-keygen-y-k1.stdout')) },
      agent: await noAgent(),
    });
    const r = await inspectKeyFiles({ identityFiles: [k1, k1], explicit: [k1], timeoutMs: 600, uid: 0 }, runner);
    expect(r.files).toEqual([
      {
        path: k1,
        exists: true,
        pubPath: `${k1}.pub`,
        pubExists: true,
        explicit: true,
        mode: 0o600,
        ownerUid: process.getuid!(),
        tooOpen: false,
        pubMatches: true,
        type: 'ED25519',
        fingerprint: K1_PRINT,
      },
    ]);
    expect(byCommand(calls)).toEqual([
      { cmd: ['ssh-add', '-l'], opts: { timeoutMs: 600 } },
      { cmd: ['ssh-keygen', '-y', '-P', '', '-f', k1], opts: { timeoutMs: 600 } },
    ]);
    expect(r.agent).toEqual({ available: false, fingerprints: [] });
  });

  it('a .pub of another key beside it: pubMatches false, the fingerprint is the key’s', async () => {
    const k1 = await key('k1', 0o600, 'keys/k2.pub');
    const { runner } = fake({ y: { [k1]: ran(await fixture('keys/ssh-keygen-y-k1.stdout')) }, agent: await noAgent() });
    const [f] = (await inspectKeyFiles({ identityFiles: [k1], explicit: [], timeoutMs: 600, uid: 0 }, runner)).files;
    expect(f).toMatchObject({ pubMatches: false, fingerprint: K1_PRINT, explicit: false });
  });

  it('a 0644 key ssh-keygen refuses: too open, fingerprint from its .pub, no pubMatches', async () => {
    const k1 = await key('k1', 0o644, 'keys/k1.pub');
    const refused = ran('', { exitCode: 255, stderr: await fixture('tools/ssh-keygen-y-too-open.stderr') });
    const { runner, calls } = fake({ y: { [k1]: refused }, agent: await noAgent() });
    const [f] = (await inspectKeyFiles({ identityFiles: [k1], explicit: [], timeoutMs: 600, uid: 0 }, runner)).files;
    expect(f).toEqual({
      path: k1,
      exists: true,
      pubPath: `${k1}.pub`,
      pubExists: true,
      explicit: false,
      mode: 0o644,
      ownerUid: process.getuid!(),
      tooOpen: true,
      type: 'ED25519',
      fingerprint: K1_PRINT,
    });
    expect(byCommand(calls).map((c) => c.cmd.slice(0, 2))).toEqual([
      ['ssh-add', '-l'],
      ['ssh-keygen', '-y'],
    ]);
  });

  it('the same 0644 key is not too open for a user who does not own it (ssh checks only the owner’s)', async () => {
    const k1 = await key('k1', 0o644, 'keys/k1.pub');
    const { runner } = fake({ y: { [k1]: ran(await fixture('keys/ssh-keygen-y-k1.stdout')) }, agent: await noAgent() });
    const [f] = (await inspectKeyFiles({ identityFiles: [k1], explicit: [], timeoutMs: 600, uid: 4242 }, runner)).files;
    expect(f!.tooOpen).toBe(false);
    const own = fake({ y: { [k1]: ran(await fixture('keys/ssh-keygen-y-k1.stdout')) }, agent: await noAgent() });
    const [g] = (
      await inspectKeyFiles({ identityFiles: [k1], explicit: [], timeoutMs: 600, uid: undefined }, own.runner)
    ).files;
    expect(g!.tooOpen).toBe(true);
  });

  it('an encrypted key without .pub: encrypted, and ssh-keygen -l names it', async () => {
    const enc = await key('enc', 0o600);
    const { runner, calls } = fake({
      y: { [enc]: ran('', { exitCode: 255, stderr: await fixture('tools/ssh-keygen-y-encrypted.stderr') }) },
      l: { [enc]: ran(await fixture('keys/ssh-keygen-l-enc.stdout')) },
      agent: await noAgent(),
    });
    const [f] = (await inspectKeyFiles({ identityFiles: [enc], explicit: [], timeoutMs: 600, uid: 0 }, runner)).files;
    expect(f).toEqual({
      path: enc,
      exists: true,
      pubPath: `${enc}.pub`,
      pubExists: false,
      explicit: false,
      mode: 0o600,
      ownerUid: process.getuid!(),
      tooOpen: false,
      encrypted: true,
      type: 'ED25519',
      fingerprint: ENC_PRINT,
    });
    expect(byCommand(calls)).toEqual([
      { cmd: ['ssh-add', '-l'], opts: { timeoutMs: 600 } },
      { cmd: ['ssh-keygen', '-l', '-f', enc], opts: { timeoutMs: 600 } },
      { cmd: ['ssh-keygen', '-y', '-P', '', '-f', enc], opts: { timeoutMs: 600 } },
    ]);
  });

  it('ssh-keygen -l printing nothing either: no fingerprint, no type', async () => {
    const k = await key('k', 0o600);
    const { runner } = fake({
      y: { [k]: ran('', { exitCode: undefined, timedOut: true }) },
      l: { [k]: ran('', { exitCode: undefined, timedOut: true }) },
      agent: await noAgent(),
    });
    const [f] = (await inspectKeyFiles({ identityFiles: [k], explicit: [], timeoutMs: 600, uid: 0 }, runner)).files;
    expect(f).not.toHaveProperty('fingerprint');
    expect(f).not.toHaveProperty('type');
    expect(f).not.toHaveProperty('encrypted');
  });

  it('a .pub bigger than a key line is no .pub', async () => {
    const k1 = await key('k1', 0o644);
    await writeFile(`${k1}.pub`, `${(await fixture('keys/k1.pub')).trim()} ${'x'.repeat(1024 * 1024)}\n`);
    const refused = ran('', { exitCode: 255, stderr: await fixture('tools/ssh-keygen-y-too-open.stderr') });
    const { runner } = fake({ y: { [k1]: refused }, l: { [k1]: ran('', { exitCode: 255 }) }, agent: await noAgent() });
    const [f] = (await inspectKeyFiles({ identityFiles: [k1], explicit: [], timeoutMs: 600, uid: 0 }, runner)).files;
    expect(f).toMatchObject({ pubExists: false });
    expect(f).not.toHaveProperty('fingerprint');
  });

  it('a missing file (named with ~): not there, nothing run for it, still named explicitly', async () => {
    const { runner, calls } = fake({ agent: await noAgent() });
    const r = await inspectKeyFiles(
      {
        identityFiles: ['~/.ssh/ssh-doctor-test-missing'],
        explicit: ['~/.ssh/ssh-doctor-test-missing'],
        timeoutMs: 600,
        uid: 0,
      },
      runner,
    );
    const path = `${homedir()}/.ssh/ssh-doctor-test-missing`;
    expect(r.files).toEqual([{ path, exists: false, pubPath: `${path}.pub`, pubExists: false, explicit: true }]);
    expect(calls.map((c) => c.cmd[0])).toEqual(['ssh-add']);
  });

  it.each([
    [
      'keys loaded',
      async () => ran(await fixture('tools/ssh-add-l-keys.stdout')),
      {
        available: true,
        fingerprints: [
          'SHA256:OcJcuXF5iTSAB4iQUzGvFdPYbX2xUJMeEd7wqLqfjg4',
          'SHA256:Xc/Iv92e1PAIKhfvrkdeXCmoM44kt4Clt0Wyl62GJ7E',
        ],
      },
    ],
    [
      'an agent with no keys (exit 1)',
      async () => ran(await fixture('tools/ssh-add-l-empty.stdout'), { exitCode: 1 }),
      { available: true, fingerprints: [] },
    ],
    ['no agent (exit 2)', noAgent, { available: false, fingerprints: [] }],
  ])('the agent: %s', async (_, answer, agent) => {
    const { runner } = fake({ agent: await answer() });
    expect((await inspectKeyFiles({ identityFiles: [], explicit: [], timeoutMs: 600, uid: 0 }, runner)).agent).toEqual(
      agent,
    );
  });
});

it('none of the seven files ssh -G lists by default counts as named (ssh -G -F none, captured)', async () => {
  const defaults = parseSshG(await fixture('tools/ssh-G-none.stdout'), '127.0.0.1', '/root').identityFiles;
  expect(defaults).toHaveLength(7);
  expect(explicitIdentityFiles(defaults, [], '/root')).toEqual([]);
  expect(explicitIdentityFiles(defaults, ['-i', '~/.ssh/id_xmss'], '/root')).toEqual(['/root/.ssh/id_xmss']);
});
