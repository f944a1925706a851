import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/fixes/journal.js';
import {
  confirmationRefusal,
  needsRollbackGuard,
  nftTaggedUndoScript,
  remoteTimerScript,
  remoteTimerStart,
  remoteTimerWrite,
  rollbackDecision,
  rollbackTimer,
  taggedHandles,
  undoScript,
} from '../../../src/server/fixes/rollback.js';

const applied: JournalEntry = {
  id: 'ab12',
  at: '2026-01-01T00:00:00Z',
  fixId: 'firewall-allow-ssh',
  title: 'Allow 22',
  commands: [['iptables']],
  undo: [['iptables', '-D']],
  backups: [],
  status: 'applied',
  rollback: { deadline: '2026-01-01T00:01:00Z', sshConnection: '10.0.0.5 51000 10.0.0.1 22', command: ['node'] },
};
const follow = (status: JournalEntry['status']): JournalEntry => ({ ...applied, id: `ab12-x`, status, undoes: 'ab12' });

describe('the rollback decision, from the journal', () => {
  it.each([
    ['an unconfirmed change is rolled back', [applied], 'roll-back'],
    ['a confirmed change is kept', [applied, follow('confirmed')], 'keep'],
    ['an undone change is left alone', [applied, follow('undone')], 'nothing'],
    ['a failed change is left alone', [{ ...applied, status: 'failed' as const }], 'nothing'],
    ['a change not journaled yet: wait', [], 'wait'],
    [
      'a change ssh-doctor never finished (pending: it may have applied) is rolled back',
      [{ ...applied, status: 'pending' as const }],
      'roll-back',
    ],
  ])('%s', (_n, entries, want) => expect(rollbackDecision(entries, 'ab12').action).toBe(want));

  it('is armed only for firewall fixes made over SSH', () => {
    const fix = { id: 'firewall-allow-ssh', title: '', commands: [], risk: '', undo: [] };
    expect(needsRollbackGuard(fix, { connection: '10.0.0.5 51000 10.0.0.1 22' })).toBe(true);
    expect(needsRollbackGuard(fix, undefined)).toBe(false);
    expect(needsRollbackGuard({ ...fix, id: 'start-sshd' }, { sshdPid: 812 })).toBe(false);
  });

  it('the same session is told by its sshd, which survives sudo dropping SSH_CONNECTION', () => {
    const withPid: JournalEntry = { ...applied, rollback: { ...applied.rollback!, sshdPid: 812 } };
    const before = new Date('2026-01-01T00:00:30Z');
    expect(confirmationRefusal(withPid, { sshdPid: 812 }, before)).toMatch(/NEW ssh connection/);
    expect(confirmationRefusal(withPid, { sshdPid: 977 }, before)).toBeUndefined();
  });

  it('accepts a confirmation only from a new connection and before the deadline', () => {
    const before = new Date('2026-01-01T00:00:30Z');
    expect(confirmationRefusal(applied, { connection: '10.0.0.5 51000 10.0.0.1 22' }, before)).toMatch(
      /NEW ssh connection/,
    );
    expect(confirmationRefusal(applied, { connection: '10.0.0.5 51002 10.0.0.1 22' }, before)).toBeUndefined();
    expect(
      confirmationRefusal(applied, { connection: '10.0.0.5 51002 10.0.0.1 22' }, new Date('2026-01-01T00:02:00Z')),
    ).toMatch(/too late/);
  });
});

describe('how the rollback timer is started', () => {
  const how = { node: '/usr/bin/node', cli: '/usr/lib/ssh-doctor.mjs', stateDir: '/var/lib/x' };
  it('without systemd: a detached ssh-doctor process that sleeps first', () => {
    expect(rollbackTimer('ab12', 60, { ...how, systemd: false })).toEqual({
      command: ['/usr/bin/node', '/usr/lib/ssh-doctor.mjs', 'undo', '--rollback-after', '60', 'ab12'],
      detached: true,
    });
  });
  it("under systemd: a transient timer outside the SSH session's scope, with the journal location", () => {
    expect(rollbackTimer('ab12', 60, { ...how, systemd: true })).toEqual({
      command: [
        'systemd-run',
        '--quiet',
        '--unit=ssh-doctor-rollback-ab12',
        '--on-active=60',
        '--timer-property=AccuracySec=1s',
        '--setenv=SSH_DOCTOR_STATE_DIR=/var/lib/x',
        '/usr/bin/node',
        '/usr/lib/ssh-doctor.mjs',
        'undo',
        '--rollback-after',
        '0',
        'ab12',
      ],
      detached: false,
    });
  });
});

describe('the rollback timer on a --via host (plain sh: ssh-doctor is not installed there)', () => {
  const undo = [
    ['iptables', '-t', 'filter', '-D', 'INPUT', '-p', 'tcp', '--dport', '2222', '-j', 'ACCEPT'],
    ['echo', "it's"],
  ];
  it('the undo: each command bounded by $t, stopping at the first failure', () => {
    expect(undoScript(undo)).toBe(
      "$t 'iptables' '-t' 'filter' '-D' 'INPUT' '-p' 'tcp' '--dport' '2222' '-j' 'ACCEPT' && $t 'echo' 'it'\\''s'",
    );
    expect(undoScript([])).toBe(':');
  });
  it('the script runs the undo only if it removes the token first, then removes itself', () => {
    expect(remoteTimerScript('ab12', ':').split('\n')).toEqual([
      'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
      't=; command -v timeout >/dev/null 2>&1 && t="timeout 30"',
      "if rm '/run/ssh-doctor-rollback-ab12.armed' 2>/dev/null; then :; fi",
      "rm -f '/run/ssh-doctor-rollback-ab12.sh'",
      '',
    ]);
    expect(remoteTimerWrite('ab12')).toEqual([
      'sh',
      '-c',
      'umask 077 && cat > "$1" && : > "$2"',
      'sh',
      '/run/ssh-doctor-rollback-ab12.sh',
      '/run/ssh-doctor-rollback-ab12.armed',
    ]);
  });
  it('without systemd: a background sh that setsid detaches (no -f: busybox has none)', () => {
    expect(remoteTimerStart('ab12', 60, false)).toEqual([
      'sh',
      '-c',
      `setsid sh -c 'sleep 60; exec sh '\\''/run/ssh-doctor-rollback-ab12.sh'\\''' </dev/null >/dev/null 2>&1 &`,
    ]);
  });
  it('under systemd: a transient timer running the script file (no "$" for systemd-run to expand)', () => {
    expect(remoteTimerStart('ab12', 60, true)).toEqual([
      'systemd-run',
      '--quiet',
      '--unit=ssh-doctor-rollback-ab12',
      '--on-active=60',
      '--timer-property=AccuracySec=1s',
      'sh',
      '/run/ssh-doctor-rollback-ab12.sh',
    ]);
  });
  it("a change made with --via is never rolled back by this machine's timer", () => {
    expect(rollbackDecision([{ ...applied, via: { host: 'db1', port: 22 } }], 'ab12')).toMatchObject({
      action: 'nothing',
    });
  });
});

describe('nft over --via: the timer deletes the tagged rules that were not there before', () => {
  // `nft -a list chain inet t input` after the fix added handle 3 (captured on Debian 12, nft 1.0.6).
  const listing =
    'table inet t {\n\tchain input { # handle 1\n\t\ttype filter hook input priority filter; policy accept;\n' +
    '\t\ttcp dport 2202 accept comment "ssh-doctor" # handle 3\n\t\ttcp dport 2200 accept comment "ssh-doctor" # handle 5\n\t\ttcp dport 2202 drop # handle 2\n\t}\n}\n';
  it('finds the tagged handles', () => expect(taggedHandles(listing)).toEqual([3, 5]));
  it('run by sh against that listing, deletes exactly the new one', async () => {
    const { execa } = await import('execa');
    const script = nftTaggedUndoScript('inet', 't', 'input', [5]);
    // A stand-in nft: prints the listing, and echoes what it would delete.
    const fake = `t=; nft() { if [ "$1" = -a ]; then printf '%s' "$LISTING"; else echo "nft $*"; fi; }; ${script}`;
    const r = await execa('sh', ['-c', fake], { env: { LISTING: listing } });
    expect(r.stdout).toBe('nft delete rule inet t input handle 3');
  });
});
