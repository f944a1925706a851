import { describe, expect, it } from 'vitest';
import {
  backupPath,
  backupsOf,
  editCommands,
  recoveryFor,
  rememberSource,
  safeLineText,
  sourceOf,
  staleSource,
  tmpPath,
} from '../../../src/server/fixes/config-edit.js';

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

describe('config edit details', () => {
  it.each([
    ['PubkeyAuthentication yes', true],
    ['# ListenAddress 127.0.0.1  (disabled by ssh-doctor)', true],
    ['Banner a\\nb', false],
    ['UseDNS no\nUsePAM no', false],
    ['UseDNS\tno', false],
    [`UseDNS no${String.fromCharCode(0x7f)}`, false],
    [' UseDNS no', false],
    ['1c x', false],
    ['', false],
    ['Match User ä', true],
  ])('sed line text %j is safe: %s', (text, safe) => expect(safeLineText(text)).toBe(safe));

  it('the main file: an insert, no whole-config check after the rename (sshd -t -f already was one), no reload', () => {
    const r = editCommands(
      { file: '/etc/ssh/sshd_config', isMain: true, changes: [{ line: 1, action: 'insert', text: 'UseDNS no' }] },
      '/usr/sbin/sshd',
      undefined,
      now,
    );
    const tmp = '/etc/ssh/.sshd_config.ssh-doctor-tmp';
    expect(r.commands).toEqual([
      ['cp', '-p', '/etc/ssh/sshd_config', r.backup],
      ['cp', '-p', '/etc/ssh/sshd_config', tmp],
      ['sed', '-i', '-e', '1i UseDNS no', tmp],
      ['/usr/sbin/sshd', '-t', '-f', tmp],
      ['mv', tmp, '/etc/ssh/sshd_config'],
    ]);
    expect(r.undo).toEqual([
      ['cp', '-p', r.backup, '/etc/ssh/sshd_config'],
      ['/usr/sbin/sshd', '-t'],
    ]);
    expect(tmpPath('/etc/ssh/sshd_config.d/a.conf')).toBe('/etc/ssh/sshd_config.d/.a.conf.ssh-doctor-tmp');
    expect(backupPath('/etc/nologin', now)).toBe('/etc/nologin.ssh-doctor-20261125T120000.000Z');
  });

  it('the refusal names the text sed would misread', () => {
    expect(() =>
      editCommands(
        { file: dropIn, isMain: false, changes: [{ line: 1, action: 'replace', text: 'Banner a\\nb' }] },
        'sshd',
        undefined,
        now,
      ),
    ).toThrow('refusing to write "Banner a\\nb" with sed');
  });

  it('recovery after the rename without a backup step: nothing to put back; files moved aside are kept backups', () => {
    const tmp = '/etc/ssh/.x.ssh-doctor-tmp';
    expect(recoveryFor([['cp', '-p', '/etc/ssh/x', tmp], ['mv', tmp, '/etc/ssh/x'], ['false']], 2)).toEqual([]);
    // A cp whose target merely contains the infix but is the temporary copy is not a backup.
    expect(recoveryFor([['cp', '-p', '/etc/ssh/x', '/etc/ssh/.x.ssh-doctor-tmp']], 1)).toEqual([
      ['rm', '-f', '/etc/ssh/.x.ssh-doctor-tmp'],
    ]);
    expect(
      backupsOf([
        ['mv', '/etc/nologin', '/etc/nologin.ssh-doctor-20261125T120000.000Z'],
        ['cp', '-p', '/a', '/a.copy'],
        ['cp', '-p', '/a', '/.a.ssh-doctor-tmp'],
        ['sed', '-i', '/a.ssh-doctor-1'],
      ]),
    ).toEqual(['/etc/nologin.ssh-doctor-20261125T120000.000Z']);
  });
});

describe('a config fix whose file changed after diagnosis', () => {
  const fix = () => ({ id: 'disable-usedns', title: 't', commands: [], risk: '', undo: [] });
  it('remembers the file as read; refuses when it changed or cannot be read', async () => {
    const f = rememberSource(fix(), '/etc/ssh/sshd_config', 'UseDNS yes\n');
    expect(sourceOf(f)).toEqual({ file: '/etc/ssh/sshd_config', text: 'UseDNS yes\n' });
    expect(await staleSource(f, async () => 'UseDNS yes\n')).toBeUndefined();
    expect(await staleSource(f, async () => 'UseDNS yes\n# later\n')).toBe(
      '/etc/ssh/sshd_config changed since it was checked; run ssh-doctor server again',
    );
    expect(await staleSource(f, async () => undefined)).toBe('/etc/ssh/sshd_config can no longer be read');
    // A fix that edits no config file is never stale.
    expect(sourceOf(fix())).toBeUndefined();
    expect(await staleSource(fix(), async () => undefined)).toBeUndefined();
  });
});
