// resolveTarget with a fake runner answering what `ssh -G` really printed (OpenSSH 9.2p1 Debian,
// captured as root with the config files beside the captures, see capture.ts): the calls it makes,
// the errors it turns into one sentence, and what it adds to ssh's own answer.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import {
  expandHome,
  firstHopArgs,
  parseConfigPorts,
  parseSshG,
  resolveTarget,
} from '../../../src/client/probes/ssh-config.js';
import type { RunOptions, RunResult } from '../../../src/run.js';
import type { Command } from '../../../src/report.js';
import { ran } from '../../server/run-result.js';

const TOOLS = join(import.meta.dirname, '../../fixtures/client/tools');
const tool = (name: string) => readFileSync(join(TOOLS, name), 'utf8');

/** A runner answering each call in turn, and what it was asked. */
function fakeSsh(...answers: RunResult[]) {
  const calls: { cmd: Command; opts: RunOptions }[] = [];
  const runner = async (cmd: Command, opts: RunOptions) => {
    calls.push({ cmd, opts });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected call: ${cmd.join(' ')}`);
    return next;
  };
  return { runner, calls };
}

const failed = (stderr: string, over: Partial<RunResult> = {}) => ran('', { exitCode: 255, stderr, ...over });

const DEFAULT_IDS = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'].map(
  (n) => `/root/.ssh/${n}`,
);
const USER_KH = ['/root/.ssh/known_hosts', '/root/.ssh/known_hosts2'];
const GLOBAL_KH = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

describe('parseSshG, whole answers', () => {
  it.each([
    [
      'ssh-G-alias.stdout',
      'web',
      {
        alias: 'web',
        host: '127.0.0.1',
        user: 'alice',
        port: 2201,
        identityFiles: ['/root/.ssh/k1'],
        certificateFiles: [],
        userKnownHostsFiles: USER_KH,
        globalKnownHostsFiles: GLOBAL_KH,
        hostKeyAlias: 'webkey',
        addressFamily: 'any',
        configPorts: [],
      },
    ],
    [
      // -l bob -p 2200 -J jump@bastion -6 -i k2, two UserKnownHostsFiles
      'ssh-G-flags.stdout',
      '127.0.0.1',
      {
        alias: '127.0.0.1',
        host: '127.0.0.1',
        user: 'bob',
        port: 2200,
        identityFiles: ['/root/.ssh/k2'],
        certificateFiles: [],
        userKnownHostsFiles: ['/root/.ssh/kh1', '/root/.ssh/kh2'],
        globalKnownHostsFiles: GLOBAL_KH,
        proxyJump: 'jump@bastion',
        addressFamily: 'inet6',
        configPorts: [],
      },
    ],
    [
      // HostKeyAlias=none (printed as is), ProxyJump=none and ProxyCommand=none (not printed), -4, -b alone
      'ssh-G-none.stdout',
      '127.0.0.1',
      {
        alias: '127.0.0.1',
        host: '127.0.0.1',
        user: 'root',
        port: 22,
        identityFiles: DEFAULT_IDS,
        certificateFiles: [],
        userKnownHostsFiles: USER_KH,
        globalKnownHostsFiles: GLOBAL_KH,
        addressFamily: 'inet',
        bind: { address: '127.0.0.2' },
        configPorts: [],
      },
    ],
    [
      // ProxyCommand, two CertificateFiles (one with ~), -B alone, two GlobalKnownHostsFiles
      'ssh-G-proxy.stdout',
      '127.0.0.1',
      {
        alias: '127.0.0.1',
        host: '127.0.0.1',
        user: 'root',
        port: 22,
        identityFiles: DEFAULT_IDS,
        certificateFiles: ['/root/.ssh/c1', '/etc/ssh/c2'],
        userKnownHostsFiles: USER_KH,
        globalKnownHostsFiles: ['/etc/ssh/kh_a', '/etc/ssh/kh_b'],
        proxyCommand: 'ssh -W %h:%p bastion',
        addressFamily: 'any',
        bind: { interface: 'lo' },
        configPorts: [],
      },
    ],
  ])('%s', (file, alias, target) => {
    expect(parseSshG(tool(file), alias, '/root')).toStrictEqual(target);
  });

  it('~ alone is the home directory', () => {
    expect(expandHome('~', '/home/a')).toBe('/home/a');
    expect(expandHome('~alice/x', '/home/a')).toBe('~alice/x');
  });
});

describe('parseConfigPorts, edge rows', () => {
  it.each([
    ['Port 1\n', [1]],
    ['Port 65535\n', [65535]],
    ['Port 0\nPort 65536\n', []],
    ['Host web\n  Port 2222 # moved from 22\n', [2222]],
    ['Host web\n  Port 2222#moved\n', [2222]],
    ['Host web\n  Port "2222"\n', [2222]],
    ['Host web\n  Port 22O\n', []],
    ['Host web\n  Port 2222 2223\n', []],
    ['Host web\n  Ports 2222\n', []],
  ])('%j', (text, ports) => {
    expect(parseConfigPorts(text)).toEqual(ports);
  });
});

describe('resolveTarget', () => {
  it('asks ssh -G once, keeps the -i files ssh dropped (first, once each), and reads Port lines from the -F file', async () => {
    const config = join(TOOLS, 'ssh-G-missing-i.config');
    const { runner, calls } = fakeSsh(ran(tool('ssh-G-missing-i.stdout'), { stderr: tool('ssh-G-missing-i.stderr') }));
    const flags = ['-F', config, '-i', '~/.ssh/nope', '-i', '/tmp/ssh-doctor-capture/k2', '-i', '~/.ssh/nope'];
    const t = await resolveTarget({ destination: 'web', sshFlags: flags, timeoutMs: 1234 }, runner, '/root');
    expect(calls).toEqual([{ cmd: ['ssh', '-G', ...flags, '--', 'web'], opts: { timeoutMs: 1234 } }]);
    expect(t).toMatchObject({ alias: 'web', host: '127.0.0.1', port: 2201, user: 'alice', configPorts: [2201, 2222] });
    expect(t.identityFiles).toEqual(['/root/.ssh/nope', '/tmp/ssh-doctor-capture/k2', '/tmp/ssh-doctor-capture/k1']);
    expect(t.canonicalizeFailed).toBeUndefined();
  });

  it('reads Port lines from ~/.ssh/config when no -F is given, ~ expanded in -F, and from the last -F when several are', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ssh-doctor-home-'));
    try {
      await mkdir(join(home, '.ssh'));
      await writeFile(join(home, '.ssh/config'), 'Host web\n  Port 2299\n');
      const out = tool('ssh-G-missing-i.stdout');
      expect(
        (await resolveTarget({ destination: 'web', sshFlags: [], timeoutMs: 1000 }, fakeSsh(ran(out)).runner, home))
          .configPorts,
      ).toEqual([2299]);
      const tilde = ['-F', '~/.ssh/config'];
      expect(
        (await resolveTarget({ destination: 'web', sshFlags: tilde, timeoutMs: 1000 }, fakeSsh(ran(out)).runner, home))
          .configPorts,
      ).toEqual([2299]);
      const twice = ['-F', join(home, '.ssh/config'), '-F', join(TOOLS, 'ssh-G-missing-i.config')];
      expect(
        (await resolveTarget({ destination: 'web', sshFlags: twice, timeoutMs: 1000 }, fakeSsh(ran(out)).runner, home))
          .configPorts,
      ).toEqual([2201, 2222]);
    } finally {
      await rm(home, { recursive: true });
    }
  });

  it('a jump host: asks ssh -G for the first hop as ssh starts it, and keeps where that hop really is', async () => {
    const config = join(TOOLS, 'ssh-G-jump.config');
    const { runner, calls } = fakeSsh(ran(tool('ssh-G-jump-target.stdout')), ran(tool('ssh-G-jump-hop.stdout')));
    const t = await resolveTarget({ destination: 'web', sshFlags: ['-F', config], timeoutMs: 900 }, runner, '/root');
    expect(calls.map((c) => c.cmd)).toEqual([
      ['ssh', '-G', '-F', config, '--', 'web'],
      ['ssh', '-G', '-l', 'ops', '-p', '2222', '-F', config, '--', 'bastion'],
    ]);
    expect(calls[1]!.opts).toEqual({ timeoutMs: 900 });
    expect(t.proxyJump).toBe('ops@bastion:2222');
    // The hop's HostName, the Port its spec gives (over the config's 2200), its own family and bind.
    expect(t.firstHop).toEqual({ host: '10.0.0.9', port: 2222, addressFamily: 'inet', bind: { address: '127.0.0.2' } });
  });

  it("a jump host whose ssh -G fails: no firstHop (probed as written), the target's answer stands", async () => {
    const { runner } = fakeSsh(ran(tool('ssh-G-jump-target.stdout')), failed('ssh: some failure'));
    const t = await resolveTarget({ destination: 'web', sshFlags: [], timeoutMs: 900 }, runner, '/root');
    expect(t.host).toBe('127.0.0.1');
    expect(t.firstHop).toBeUndefined();
  });

  it.each([
    ['bastion', [], ['ssh', '-G', '--', 'bastion']],
    [
      'ops@bastion:2222,second',
      ['-F', '/c', '-o', 'Port=1'],
      ['ssh', '-G', '-l', 'ops', '-p', '2222', '-F', '/c', '--', 'bastion'],
    ],
    [
      'ssh://ops@[2001:db8::1]:2200',
      ['-F', '/a', '-F', '/b'],
      ['ssh', '-G', '-l', 'ops', '-p', '2200', '-F', '/b', '--', '2001:db8::1'],
    ],
    ['a@b@host', [], ['ssh', '-G', '-l', 'a@b', '--', 'host']],
  ])('firstHopArgs(%s): only -l, -p and -F reach the hop', (jump, flags, argv) => {
    expect(firstHopArgs(jump, flags)).toEqual(argv);
  });

  it('an -F file it cannot read adds no ports (ssh -G judged the config already)', async () => {
    // (That capture has -J jump@bastion: the hop's ssh -G comes second.)
    const { runner } = fakeSsh(ran(tool('ssh-G-flags.stdout')), ran(tool('ssh-G-jump-hop.stdout')));
    const t = await resolveTarget({ destination: '127.0.0.1', sshFlags: ['-F', 'none'], timeoutMs: 1000 }, runner);
    expect(t.configPorts).toEqual([]);
  });

  it('a name CanonicalDomains cannot resolve: asks again without canonicalising, and says which names were tried', async () => {
    const flags = ['-F', join(TOOLS, 'ssh-G-canonical.config')];
    const { runner, calls } = fakeSsh(
      failed(tool('ssh-G-canonical-fail.stderr')),
      ran(tool('ssh-G-canonical-retry.stdout'), { stderr: tool('ssh-G-canonical-retry.stderr') }),
    );
    const t = await resolveTarget({ destination: 'web9', sshFlags: flags, timeoutMs: 900 }, runner);
    expect(calls).toEqual([
      { cmd: ['ssh', '-G', ...flags, '--', 'web9'], opts: { timeoutMs: 900 } },
      { cmd: ['ssh', '-G', '-o', 'CanonicalizeHostname=no', ...flags, '--', 'web9'], opts: { timeoutMs: 900 } },
    ]);
    expect(t).toMatchObject({ host: 'web9', port: 22, configPorts: [2222] });
    expect(t.canonicalizeFailed).toEqual({
      tried: ['web9.example.invalid', 'web9.corp.invalid'],
      sshSaid: 'ssh: Could not resolve host "web9"',
    });
  });

  it.each([
    [
      'a bad config file',
      failed(tool('ssh-G-bad-config.stderr')),
      'ssh rejects these settings: /tmp/ssh-doctor-capture/bad.config: line 3: Bad configuration option: bogus.',
    ],
    [
      'a bad -p, ending without a full stop',
      failed(tool('ssh-G-bad-port.stderr')),
      "ssh rejects these settings: Bad port '0'.",
    ],
    [
      'a bad token after the Pseudo-terminal notice',
      failed(tool('ssh-G-percent.stderr')),
      'ssh rejects these settings: percent_dollar_expand: failed.',
    ],
    [
      'a timeout with only the Pseudo-terminal notice',
      failed(tool('ssh-G-canonical-retry.stderr'), { exitCode: undefined, timedOut: true }),
      'ssh rejects these settings: ssh -G timed out.',
    ],
    ['an exit with nothing said', failed('\n'), 'ssh rejects these settings: ssh -G exited with 255.'],
  ])('%s is one sentence of usage error', async (_, answer, message) => {
    const { runner, calls } = fakeSsh(answer);
    const err = await resolveTarget({ destination: 'web', sshFlags: [], timeoutMs: 1000 }, runner).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe(message);
    expect(calls).toHaveLength(1);
  });

  it('the retry without canonicalising failing too is that failure', async () => {
    const { runner } = fakeSsh(failed(tool('ssh-G-canonical-fail.stderr')), failed(tool('ssh-G-bad-port.stderr')));
    await expect(resolveTarget({ destination: 'web9', sshFlags: [], timeoutMs: 1000 }, runner)).rejects.toThrow(
      "ssh rejects these settings: Bad port '0'.",
    );
  });

  it('no ssh installed: says which package to install', async () => {
    const { runner } = fakeSsh(ran('', { exitCode: undefined, missing: true }));
    const err = await resolveTarget({ destination: 'web', sshFlags: [], timeoutMs: 1000 }, runner).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe('ssh is not installed (the OpenSSH client is needed: apt-get install openssh-client).');
  });
});
