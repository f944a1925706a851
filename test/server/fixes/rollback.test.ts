import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/fixes/journal.js';
import { confirmationRefusal, needsRollbackGuard, remoteRollbackTimer, rollbackDecision, rollbackTimer } from '../../../src/server/fixes/rollback.js';

const applied: JournalEntry = {
  id: 'ab12', at: '2026-01-01T00:00:00Z', fixId: 'firewall-allow-ssh', title: 'Allow 22', commands: [['iptables']],
  undo: [['iptables', '-D']], backups: [], status: 'applied',
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
  ])('%s', (_n, entries, want) => expect(rollbackDecision(entries, 'ab12').action).toBe(want));

  it('is armed only for firewall fixes made over SSH', () => {
    const fix = { id: 'firewall-allow-ssh', title: '', commands: [], risk: '', undo: [] };
    expect(needsRollbackGuard(fix, { SSH_CONNECTION: '10.0.0.5 51000 10.0.0.1 22' })).toBe(true);
    expect(needsRollbackGuard(fix, {})).toBe(false);
    expect(needsRollbackGuard({ ...fix, id: 'start-sshd' }, { SSH_CONNECTION: '1 2 3 4' })).toBe(false);
  });

  it('accepts a confirmation only from a new connection and before the deadline', () => {
    const before = new Date('2026-01-01T00:00:30Z');
    expect(confirmationRefusal(applied, { SSH_CONNECTION: '10.0.0.5 51000 10.0.0.1 22' }, before)).toMatch(/NEW ssh connection/);
    expect(confirmationRefusal(applied, { SSH_CONNECTION: '10.0.0.5 51002 10.0.0.1 22' }, before)).toBeUndefined();
    expect(confirmationRefusal(applied, { SSH_CONNECTION: '10.0.0.5 51002 10.0.0.1 22' }, new Date('2026-01-01T00:02:00Z'))).toMatch(/too late/);
  });
});

describe('how the rollback timer is started', () => {
  const how = { node: '/usr/bin/node', cli: '/usr/lib/ssh-doctor.mjs', stateDir: '/var/lib/x' };
  it('without systemd: a detached ssh-doctor process that sleeps first', () => {
    expect(rollbackTimer('ab12', 60, { ...how, systemd: false })).toEqual({
      command: ['/usr/bin/node', '/usr/lib/ssh-doctor.mjs', 'undo', '--rollback-after', '60', 'ab12'], detached: true,
    });
  });
  it('under systemd: a transient timer outside the SSH session\'s scope, with the journal location', () => {
    expect(rollbackTimer('ab12', 60, { ...how, systemd: true })).toEqual({
      command: ['systemd-run', '--quiet', '--unit=ssh-doctor-rollback-ab12', '--on-active=60', '--timer-property=AccuracySec=1s',
        '--setenv=SSH_DOCTOR_STATE_DIR=/var/lib/x', '/usr/bin/node', '/usr/lib/ssh-doctor.mjs', 'undo', '--rollback-after', '0', 'ab12'],
      detached: false,
    });
  });
});

describe('the rollback timer on a --via host (plain sh: ssh-doctor is not installed there)', () => {
  const undo = [['iptables', '-t', 'filter', '-D', 'INPUT', '-p', 'tcp', '--dport', '2222', '-m', 'comment', '--comment', 'ssh-doctor', '-j', 'ACCEPT'], ['echo', "it's"]];
  const script = "if [ -e '/run/ssh-doctor-rollback-ab12.settled' ]; then rm -f '/run/ssh-doctor-rollback-ab12.settled'; else "
    + "'iptables' '-t' 'filter' '-D' 'INPUT' '-p' 'tcp' '--dport' '2222' '-m' 'comment' '--comment' 'ssh-doctor' '-j' 'ACCEPT' && 'echo' 'it'\\''s'; fi";
  it('without systemd: setsid -f, output closed at once, sleeps, then undoes unless settled', () => {
    expect(remoteRollbackTimer('ab12', 60, undo, false)).toEqual(['setsid', '-f', 'sh', '-c', `exec </dev/null >/dev/null 2>&1; sleep 60; ${script}`]);
  });
  it('under systemd: a transient timer running the same script', () => {
    expect(remoteRollbackTimer('ab12', 60, undo, true)).toEqual(['systemd-run', '--quiet', '--unit=ssh-doctor-rollback-ab12', '--on-active=60', '--timer-property=AccuracySec=1s', 'sh', '-c', script]);
  });
});
