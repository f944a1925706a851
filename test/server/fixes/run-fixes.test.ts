import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rememberSource } from '../../../src/server/fixes/config-edit.js';
import { runFix } from '../../../src/server/fixes/run-fixes.js';

describe('runFix', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ssh-doctor-runfix-'));
    process.env.SSH_DOCTOR_STATE_DIR = dir;
  });
  afterEach(() => {
    delete process.env.SSH_DOCTOR_STATE_DIR;
  });

  it('refuses a config fix whose file changed after diagnosis, running nothing', async () => {
    const file = join(dir, 'sshd_config');
    writeFileSync(file, 'UseDNS yes\n');
    const marker = join(dir, 'ran');
    const fix = rememberSource({ id: 'disable-usedns', title: 't', commands: [['touch', marker]], risk: '', undo: [] }, file, 'UseDNS yes\n');
    writeFileSync(file, '# someone edited this\nUseDNS yes\n');
    const r = await runFix(fix, { env: {} });
    expect(r).toEqual({ ok: false, log: [`refused: ${file} changed since it was checked; run ssh-doctor server again`] });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, 'journal.jsonl'))).toBe(false);
  });

  it('runs an unchanged one, and journals it with its undo and backups', async () => {
    const file = join(dir, 'f');
    writeFileSync(file, 'x\n');
    const backup = `${file}.ssh-doctor-20261125T120000Z`;
    const fix = rememberSource({ id: 'k', title: 't', commands: [['cp', '-p', file, backup]], risk: '', undo: [['rm', backup]] }, file, 'x\n');
    const r = await runFix(fix, { env: {} });
    expect(r.ok).toBe(true);
    const entry = JSON.parse(readFileSync(join(dir, 'journal.jsonl'), 'utf8').trim());
    expect(entry).toMatchObject({ id: r.journalId, fixId: 'k', status: 'applied', backups: [backup], undo: [['rm', backup]] });
  });

  it('--dry-run runs nothing and says so, including the rollback it would arm over SSH', async () => {
    const marker = join(dir, 'ran');
    const r = await runFix({ id: 'firewall-allow-ssh', title: 't', commands: [['touch', marker]], risk: '', undo: [] }, { dryRun: true, env: { SSH_CONNECTION: '1.2.3.4 5 6.7.8.9 22' } });
    expect(r.log).toEqual([`(dry run) $ touch ${marker}`, '(dry run) over SSH this change would be rolled back after 60 s unless confirmed from a new connection']);
    expect(existsSync(marker)).toBe(false);
  });
});
