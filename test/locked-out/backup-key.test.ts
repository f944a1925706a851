// "Create the backup key" run for real, for a user who has never had a ~/.ssh.
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyFix } from '../../src/fixes/apply.js';
import { preventionAdvice } from '../../src/locked-out/prevention.js';

describe('create-backup-key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'backup-key-'));
  });

  it('makes ~/.ssh (0700) when there is none, then the key', async () => {
    const key = join(dir, 'home', '.ssh', 'id_ed25519_rescue');
    const fix = preventionAdvice({ user: 'alice', port: 22, backupKeyPath: key, backupKeyExists: false }).find(
      (f) => f.id === 'prevent-backup-key',
    )!.fix!;
    const r = await applyFix(fix, { journalFile: join(dir, 'state', 'journal.jsonl') });
    expect(r).toMatchObject({ ok: true });
    expect(statSync(join(dir, 'home', '.ssh')).mode & 0o777).toBe(0o700);
    expect(existsSync(key) && existsSync(`${key}.pub`)).toBe(true);
  });
});
