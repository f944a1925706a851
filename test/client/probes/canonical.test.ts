import { describe, expect, it } from 'vitest';
import { canonicalizeFailure, canonicalNamesTried } from '../../../src/client/probes/ssh-config.js';

describe('CanonicalizeHostname failures, from ssh -G (OpenSSH 9.2p1, captured in the lab)', () => {
  it.each([
    [
      'ssh: Could not resolve hostname web9.example.internal.: Temporary failure in name resolution\nssh: Could not resolve host "web9"\n',
      'ssh: Could not resolve host "web9"',
    ],
    ['/root/.ssh/config: line 3: Bad configuration option: canonicalisehostname\n', undefined],
    ['ssh: Could not resolve hostname web9: Name or service not known\n', undefined],
  ])('%j', (stderr, line) => {
    expect(canonicalizeFailure(stderr)).toBe(line);
  });

  it.each([
    ['canonicaldomains example.internal corp.lan\n', ['web9.example.internal', 'web9.corp.lan']],
    ['canonicaldomains none\n', []],
    ['hostname web9\n', []],
  ])('names tried from %j', (sshG, tried) => {
    expect(canonicalNamesTried(sshG, 'web9')).toEqual(tried);
  });
});
