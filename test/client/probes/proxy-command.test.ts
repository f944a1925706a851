import { describe, expect, it } from 'vitest';
import {
  expandProxyTokens,
  hopFailure,
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
