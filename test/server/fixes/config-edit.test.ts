import { describe, expect, it } from 'vitest';
import { backupsOf, editCommands, recoveryFor } from '../../../src/server/fixes/config-edit.js';

const now = new Date('2026-11-25T12:00:00Z');
const dropIn = '/etc/ssh/sshd_config.d/50-x.conf';

describe('config edit commands', () => {
  const { commands, undo, backup } = editCommands(
    { file: dropIn, isMain: false, changes: [{ line: 2, action: 'replace', text: 'PubkeyAuthentication yes' }] },
    '/usr/sbin/sshd',
    { apply: [['kill', '-HUP', '42']], undo: [['pkill', '-HUP', '--pidfile', '/run/sshd.pid', '-x', 'sshd']] },
    now,
  );
  const tmp = '/etc/ssh/sshd_config.d/.50-x.conf.ssh-doctor-tmp';

  it('shows every step that really runs: backup, copy, edit, validate, rename, validate all, reload', () => {
    expect(backup).toBe(`${dropIn}.ssh-doctor-20261125T120000.000Z`);
    expect(commands).toEqual([
      ['cp', '-p', dropIn, backup],
      ['cp', '-p', dropIn, tmp],
      ['sed', '-i', '-e', '2c PubkeyAuthentication yes', tmp],
      ['/usr/sbin/sshd', '-t', '-f', tmp],
      ['mv', tmp, dropIn],
      ['/usr/sbin/sshd', '-t'],
      ['kill', '-HUP', '42'],
    ]);
    expect(undo).toEqual([
      ['cp', '-p', backup, dropIn],
      ['/usr/sbin/sshd', '-t'],
      ['pkill', '-HUP', '--pidfile', '/run/sshd.pid', '-x', 'sshd'],
    ]);
  });

  it('lists the backup, not the temporary copy, as what the fix keeps', () =>
    expect(backupsOf(commands)).toEqual([backup]));

  it('the temporary copy never matches *.conf', () => expect(tmp.endsWith('.conf')).toBe(false));

  it.each([
    [3, [['rm', '-f', tmp, backup]]], // sshd -t -f TMP refused: the original was never touched
    [5, [['cp', '-p', backup, dropIn]]], // the whole config refused after the rename: put the backup back
    [1, [['rm', '-f', backup]]], // the temporary copy failed: the backup is pointless
    [0, []], // the backup copy itself failed: nothing to clean
  ])('after step %i fails, recovery is %j', (failedAt, want) => expect(recoveryFor(commands, failedAt)).toEqual(want));

  it('refuses text sed would misread', () => {
    expect(() =>
      editCommands(
        { file: dropIn, isMain: false, changes: [{ line: 1, action: 'insert', text: 'Banner a\\nb' }] },
        'sshd',
        undefined,
        now,
      ),
    ).toThrow();
  });
});
