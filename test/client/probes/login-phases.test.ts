import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loginTimeline, slowPhase, slowPhaseHint, type TimedLine } from '../../../src/client/probes/login-phases.js';

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
