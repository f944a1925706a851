import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type LoginPhase,
  loginTimeline,
  type PhaseTime,
  SLOW_PHASE_MS,
  slowPhase,
  slowPhaseHint,
  type TimedLine,
} from '../../../src/client/probes/login-phases.js';

const DIR = join(import.meta.dirname, '../../fixtures/client/ssh-v-timed');
/** A timed capture: its lines, and when ssh ended (the last line). */
function capture(name: string): { lines: TimedLine[]; endMs: number } {
  const rows = readFileSync(join(DIR, name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((r) => {
      const tab = r.indexOf('\t');
      return { ms: Number(r.slice(0, tab)), line: r.slice(tab + 1) };
    });
  return { lines: rows.slice(0, -1), endMs: rows.at(-1)!.ms };
}

describe('login phases from timed ssh -v lines (real captures)', () => {
  it.each([
    ['usedns.tsv', 'authentication', 3400, 3500, 'debug1: SSH2_MSG_SERVICE_ACCEPT received', /UseDNS no/, true],
    ['session.tsv', 'session start', 4100, 4200, 'debug1: pledge: fork', /ForceCommand/, true],
  ] as const)('%s: %s is slow', (file, phase, min, max, after, hint, pastKex) => {
    const { lines, endMs } = capture(file);
    const t = loginTimeline(lines, endMs);
    expect(t.phases.map((p) => p.phase)).toEqual([
      'name lookup',
      'TCP connect',
      'banner wait',
      'key exchange',
      'authentication',
      'session start',
    ]);
    expect(t.pastKeyExchange).toBe(pastKex);
    const slow = slowPhase(t)!;
    expect(slow.phase).toBe(phase);
    expect(slow.ms).toBeGreaterThanOrEqual(min);
    expect(slow.ms).toBeLessThan(max);
    expect(slow.longestWait?.after).toBe(after);
    expect(slowPhaseHint(slow)).toMatch(hint);
    // Everything else on loopback is quick.
    expect(t.phases.filter((p) => p !== slow).every((p) => p.ms < 1000)).toBe(true);
  });

  it('stall.tsv: a banner, then nothing: stuck in key exchange, not past it', () => {
    const { lines, endMs } = capture('stall.tsv');
    const t = loginTimeline(lines, endMs);
    expect(t.phases.map((p) => p.phase)).toEqual(['name lookup', 'TCP connect', 'banner wait', 'key exchange']);
    expect(t.pastKeyExchange).toBe(false);
    expect(slowPhase(t)).toMatchObject({
      phase: 'key exchange',
      ms: 3960,
      longestWait: { ms: 3960, after: 'debug1: SSH2_MSG_KEXINIT sent' },
    });
  });

  it('ipv6-first.tsv: the IPv6 address waited on, then the next one: one TCP connect phase, the IPv6 hint', () => {
    const { lines, endMs } = capture('ipv6-first.tsv');
    const t = loginTimeline(lines, endMs);
    expect(t).toEqual({
      phases: [
        {
          phase: 'name lookup',
          ms: 59 - 57,
          longestWait: { ms: 1, after: 'OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL 3.0.19 27 Jan 2026' },
        },
        {
          phase: 'TCP connect',
          ms: 3075 - 59,
          longestWait: { ms: 3014, after: 'debug1: Connecting to dual [::1] port 2.' },
        },
      ],
      pastKeyExchange: false,
    });
    expect(slowPhaseHint(slowPhase(t)!)).toMatch(/IPv6 address is tried first/);
  });

  it('no lines at all: no phases', () => {
    expect(loginTimeline([], 100)).toEqual({ phases: [], pastKeyExchange: false });
  });

  it('a re-key after authentication does not restart the phases', () => {
    const t = loginTimeline(
      [
        { ms: 0, line: 'debug1: Connecting to h [10.0.0.1] port 22.' },
        { ms: 5, line: 'debug1: Connection established.' },
        { ms: 9, line: 'debug1: Remote protocol version 2.0, remote software version OpenSSH_9.2' },
        { ms: 20, line: 'debug1: SSH2_MSG_NEWKEYS received' },
        { ms: 30, line: 'Authenticated to h ([10.0.0.1]:22) using "publickey".' },
        { ms: 40, line: 'debug1: SSH2_MSG_NEWKEYS received' },
      ],
      50,
    );
    expect(t.phases.map((p) => [p.phase, p.ms])).toEqual([
      ['name lookup', 0],
      ['TCP connect', 5],
      ['banner wait', 4],
      ['key exchange', 11],
      ['authentication', 10],
      ['session start', 20],
    ]);
  });
});

describe('what makes a slow phase slow, judged by the line ssh waited after (real ssh -v lines)', () => {
  const v6 = readFileSync(join(DIR, '../ssh-v/refused-ipv6.stderr'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('debug1: Connecting to '))!;
  it.each<[LoginPhase, string, RegExp]>([
    ['name lookup', 'debug1: /etc/ssh/ssh_config line 21: Applying options for *', /resolv\.conf/],
    // ssh tries the addresses in turn: waiting on an IPv6 one ("[::1]") is the AddressFamily case.
    ['TCP connect', v6, /IPv6 address is tried first.*ssh -4/],
    [
      'TCP connect',
      'debug1: Connecting to 127.0.0.1 [127.0.0.1] port 2201.',
      /first address does not answer.*getent ahosts/,
    ],
    ['banner wait', 'debug1: Connection established.', /MaxStartups/],
    ['key exchange', 'debug1: SSH2_MSG_KEXINIT sent', /slow at key exchange/],
    ['authentication', 'debug1: SSH2_MSG_SERVICE_ACCEPT received', /UseDNS no/],
    // sshconnect2.c: debug("Next authentication method: %s", method->name), its GSSAPI method's name.
    ['authentication', 'debug1: Next authentication method: gssapi-with-mic', /GSSAPIAuthentication no/],
    ['authentication', 'debug1: Next authentication method: publickey', /PAM modules/],
    ['session start', 'debug1: pledge: fork', /shell startup files/],
  ])('%s after %s', (phase, after, hint) => {
    expect(slowPhaseHint({ phase, ms: 5000, longestWait: { ms: 4900, after } })).toMatch(hint);
  });

  it('without a line to judge by, the phase alone decides', () => {
    expect(slowPhaseHint({ phase: 'TCP connect', ms: 5000 })).toMatch(/first address does not answer/);
    expect(slowPhaseHint({ phase: 'authentication', ms: 5000 })).toMatch(/PAM modules/);
  });
});

describe('which phase is slow', () => {
  const phase = (p: LoginPhase, ms: number) => ({ phase: p, ms });
  it.each<[PhaseTime[], LoginPhase | undefined]>([
    [[phase('name lookup', 10), phase('TCP connect', 2999)], undefined],
    [[phase('name lookup', 10), phase('TCP connect', SLOW_PHASE_MS)], 'TCP connect'],
    [[phase('TCP connect', 3100), phase('authentication', 4000), phase('session start', 3200)], 'authentication'],
    [[], undefined],
  ])('%j → %s', (phases, slow) => {
    expect(slowPhase({ phases, pastKeyExchange: true })?.phase).toBe(slow);
  });
});
