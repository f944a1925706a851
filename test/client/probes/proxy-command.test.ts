import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  expandProxyTokens,
  hopFailure,
  PROXY_WRAPPER,
  parseProxyFiles,
  proxyFailure,
} from '../../../src/client/probes/proxy-command.js';

describe('ProxyCommand tokens, as ssh expands them', () => {
  const t = { host: '10.0.0.5', port: 2222, user: 'alice', alias: 'alice@web1' };
  it.each([
    [
      'aws ssm start-session --target %h --parameters portNumber=%p',
      'aws ssm start-session --target 10.0.0.5 --parameters portNumber=2222',
    ],
    ['ssh -W %h:%p bastion', 'ssh -W 10.0.0.5:2222 bastion'],
    ['tsh proxy ssh %r@%n:%p', 'tsh proxy ssh alice@web1:2222'],
    ['printf 100%%', 'printf 100%'],
    ['unknown %x stays', 'unknown %x stays'],
  ])('%s', (template, expanded) => {
    expect(expandProxyTokens(template, t)).toBe(expanded);
  });
});

describe("the wrapper's files", () => {
  it.each([
    ['127\n', 'bash: line 1: exec: no-such-proxy: not found\n', 127, 'its program was not found'],
    ['126\n', 'bash: line 1: /opt/p: Permission denied\n', 126, 'its program cannot be run'],
    [
      '255\n',
      'channel 0: open failed: connect failed: Connection refused\r\nstdio forwarding failed\n',
      255,
      'it exited with status 255',
    ],
    [undefined, 'kex warning\n', undefined, 'it printed an error'],
    [undefined, '', undefined, 'no SSH server answered through it'],
    ['garbage', '', undefined, 'no SSH server answered through it'],
  ])('status %j, stderr %j', (status, stderr, exitStatus, why) => {
    const p = parseProxyFiles('cmd', status, stderr);
    expect(p.exitStatus).toBe(exitStatus);
    expect(p.stderr).toEqual(stderr.split(/\r?\n/).filter(Boolean));
    expect(proxyFailure(p)).toBe(why);
  });
});

describe('a jump host that cannot open the connection on (ssh -J stderr, OpenSSH 9.2p1 in the lab)', () => {
  it.each([
    [
      'channel 0: open failed: connect failed: Connection refused\r\nstdio forwarding failed\r\nkex_exchange_identification: Connection closed by remote host\r\nConnection closed by UNKNOWN port 65535\r\n',
      {
        reason: 'connect failed: Connection refused',
        evidence: ['channel 0: open failed: connect failed: Connection refused', 'stdio forwarding failed'],
      },
    ],
    [
      'channel 0: open failed: administratively prohibited: open failed\nstdio forwarding failed\n',
      {
        reason: 'administratively prohibited: open failed',
        evidence: ['channel 0: open failed: administratively prohibited: open failed', 'stdio forwarding failed'],
      },
    ],
    ['kex_exchange_identification: Connection closed by remote host\n', undefined],
  ])('%j', (stderr, want) => {
    expect(hopFailure(stderr)).toEqual(want);
  });
});

describe('the wrapper, run by /bin/sh as ssh runs it (ProxyCommand=/bin/sh DIR/proxy.sh)', () => {
  /** Runs the wrapper around `command` with `input` on stdin; what it passed on, and its files. */
  async function wrap(command: string, input: string) {
    const dir = await mkdtemp(join(tmpdir(), 'ssh-doctor-proxy-'));
    try {
      await writeFile(join(dir, 'proxy.cmd'), command);
      await writeFile(join(dir, 'proxy.sh'), PROXY_WRAPPER);
      const stdout = execFileSync('/bin/sh', [join(dir, 'proxy.sh')], {
        input,
        env: { ...process.env, SHELL: '/bin/sh' },
        encoding: 'utf8',
        timeout: 10_000,
      });
      const read = (f: string) => readFile(join(dir, f), 'utf8').catch(() => undefined);
      return { stdout, status: await read('proxy.status'), stderr: (await read('proxy.err')) ?? '' };
    } finally {
      await rm(dir, { recursive: true });
    }
  }

  it("gives the command ssh's stdin and stdout, and writes down its exit status", async () => {
    const w = await wrap('cat', 'SSH-2.0-OpenSSH_9.2p1\r\n');
    expect(w).toEqual({ stdout: 'SSH-2.0-OpenSSH_9.2p1\r\n', status: '0\n', stderr: '' });
  });

  it('a program that is not there: status 127, and the shell saying so', async () => {
    const w = await wrap('no-such-proxy-program --target web1', '');
    expect(parseProxyFiles('no-such-proxy-program', w.status, w.stderr)).toEqual({
      command: 'no-such-proxy-program',
      exitStatus: 127,
      stderr: ['/bin/sh: 1: exec: no-such-proxy-program: not found'],
    });
  });

  it('a proxy failing with several lines: kept line by line, indentation kept', async () => {
    const w = await wrap("python3 -c 'import no_such_proxy_module'", '');
    expect(parseProxyFiles('p', w.status, w.stderr)).toEqual({
      command: 'p',
      exitStatus: 1,
      stderr: [
        'Traceback (most recent call last):',
        '  File "<string>", line 1, in <module>',
        "ModuleNotFoundError: No module named 'no_such_proxy_module'",
      ],
    });
  });
});
