// lookupKnownHosts with a fake runner answering what `ssh-keygen -F` really printed for
// test/fixtures/client/keygen-F/known_hosts (OpenSSH 9.2p1): which files it searches, under which
// name, and which answers leave a file unsearched.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupKnownHosts, parseKeygenF } from '../../../src/client/probes/known-hosts.js';
import type { Command } from '../../../src/report.js';
import type { RunOptions, RunResult } from '../../../src/run.js';
import { ran } from '../../server/run-result.js';

const KF = join(import.meta.dirname, '../../fixtures/client/keygen-F');
const KH = join(KF, 'known_hosts');
/** Another file that exists: what is in it does not matter, the fake answers for it. */
const KH2 = join(KF, 'keys.txt');
const kf = (name: string) => readFileSync(join(KF, name), 'utf8');

function fakeKeygen(answer: (file: string) => RunResult) {
  const calls: { cmd: Command; opts: RunOptions }[] = [];
  const runner = async (cmd: Command, opts: RunOptions) => {
    calls.push({ cmd, opts });
    return answer(cmd.at(-1)!);
  };
  return { runner, calls };
}

describe('lookupKnownHosts', () => {
  it('asks ssh-keygen -F once per existing file, under the bracketed name, and keeps where each entry came from', async () => {
    const { runner, calls } = fakeKeygen((f) =>
      f === KH ? ran(kf('plain-with-revoked.txt')) : ran('', { exitCode: 1 }),
    );
    const r = await lookupKnownHosts(
      { host: '127.0.0.1', port: 2201, files: [KH, '/nonexistent/known_hosts', KH2, KH], timeoutMs: 700 },
      runner,
    );
    expect(calls).toEqual([
      { cmd: ['ssh-keygen', '-F', '[127.0.0.1]:2201', '-f', KH], opts: { timeoutMs: 700 } },
      { cmd: ['ssh-keygen', '-F', '[127.0.0.1]:2201', '-f', KH2], opts: { timeoutMs: 700 } },
    ]);
    expect(r.lookupName).toBe('[127.0.0.1]:2201');
    expect(r.searched).toEqual([KH, KH2]);
    expect(r.entries.map((e) => [e.file, e.line, e.keyType, e.marker])).toEqual([
      [KH, 2, 'ssh-ed25519', undefined],
      [KH, 4, 'ecdsa-sha2-nistp256', '@revoked'],
    ]);
  });

  it('looks up HostKeyAlias as it is', async () => {
    const { runner, calls } = fakeKeygen(() => ran(kf('cert-authority.txt')));
    const r = await lookupKnownHosts(
      { host: '127.0.0.1', port: 2201, hostKeyAlias: 'x.example', files: [KH], timeoutMs: 700 },
      runner,
    );
    expect(calls[0]!.cmd).toEqual(['ssh-keygen', '-F', 'x.example', '-f', KH]);
    expect(r.entries).toMatchObject([{ file: KH, line: 5, marker: '@cert-authority' }]);
  });

  it.each([
    ['ssh-keygen missing', ran('', { exitCode: undefined, missing: true })],
    ['a hang', ran('', { exitCode: undefined, timedOut: true })],
    ['a file ssh-keygen cannot read', ran('', { exitCode: 255, stderr: `Cannot stat ${KH}: Permission denied\n` })],
    ['endless output, cut', ran(kf('plain-with-revoked.txt'), { truncated: { stream: 'stdout', maxBytes: 10 } })],
  ])('%s: the file is not searched, and nothing it printed counts', async (_, answer) => {
    const { runner } = fakeKeygen((f) => (f === KH ? answer : ran(kf('hashed.txt'))));
    const r = await lookupKnownHosts({ host: '127.0.0.1', port: 2201, files: [KH, KH2], timeoutMs: 700 }, runner);
    expect(r.searched).toEqual([KH2]);
    expect(r.entries.map((e) => [e.file, e.line, e.hashed])).toEqual([
      [KH2, 2, true],
      [KH2, 5, false],
    ]);
  });

  it('no file exists: nothing searched, nothing run', async () => {
    const { runner, calls } = fakeKeygen(() => ran(''));
    const r = await lookupKnownHosts({ host: 'web', port: 22, files: ['/nonexistent/kh'], timeoutMs: 700 }, runner);
    expect(r).toEqual({ lookupName: 'web', entries: [], searched: [] });
    expect(calls).toEqual([]);
  });
});

it('parseKeygenF: a line past 9, written by hand with a tab and double spaces (ssh-keygen -F prints it as it is)', () => {
  const [, key] = kf('../keys/k1.pub').split(' ');
  expect(parseKeygenF(kf('line-12-tabs.txt'), '/kh')).toEqual([
    { file: '/kh', line: 12, keyType: 'ssh-ed25519', key, hashed: false },
  ]);
});
