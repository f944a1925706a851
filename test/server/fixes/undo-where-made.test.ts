// A person's undo never removes the firewall rule their own SSH session came in by (unless
// --force), judged by the session's port here, or by the --via port for a change made there.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/fixes/journal.js';
import { revertWhereMade } from '../../../src/server/fixes/undo-where-made.js';

const journalFile = join(mkdtempSync(join(tmpdir(), 'undo-where-')), 'journal.jsonl');
const allow = (port: number): JournalEntry => ({
  id: 'f1a2b3c4',
  at: '2026-11-25T12:00:00.000Z',
  fixId: 'firewall-allow-ssh',
  title: `Allow TCP port ${port}`,
  commands: [['iptables', '-t', 'filter', '-I', 'INPUT', '1', '-p', 'tcp', '--dport', String(port), '-j', 'ACCEPT']],
  // A by-hand undo: whatever gets past the refusal stops at "no automatic undo", running nothing.
  undo: `iptables -D INPUT -p tcp --dport ${port} -j ACCEPT`,
  backups: [],
  status: 'applied',
});
const NO_AUTO = (port: number) => [
  `This change has no automatic undo. By hand: iptables -D INPUT -p tcp --dport ${port} -j ACCEPT`,
];
const OVER_SSH_22 = { SSH_CONNECTION: '192.0.2.7 51000 192.0.2.1 22' };

describe('revertWhereMade', () => {
  it('refuses to remove the rule this SSH session came in on', async () => {
    expect(await revertWhereMade(allow(22), { env: OVER_SSH_22, journalFile })).toEqual({
      ok: false,
      log: [
        'Refused: this SSH session came in on port 22, and the undo removes the rule that lets that port in. Undo it from a console or another route in, or add --force.',
      ],
    });
  });

  it('a rule for another port than the session, no SSH session, --force, --dry-run: not refused', async () => {
    expect((await revertWhereMade(allow(2222), { env: OVER_SSH_22, journalFile })).log).toEqual(NO_AUTO(2222));
    expect((await revertWhereMade(allow(22), { env: {}, journalFile })).log).toEqual(NO_AUTO(22));
    expect((await revertWhereMade(allow(22), { env: OVER_SSH_22, journalFile, force: true })).log).toEqual(NO_AUTO(22));
    expect((await revertWhereMade(allow(22), { env: OVER_SSH_22, journalFile, dryRun: true })).log).toEqual(
      NO_AUTO(22),
    );
  });

  it('a change made over --via is judged by the port ssh-doctor reached that host on', async () => {
    const entry = { ...allow(2200), via: { user: 'root', host: 'h.example', port: 2200 } };
    expect(await revertWhereMade(entry, { env: {}, journalFile })).toEqual({
      ok: false,
      log: [
        'Refused: this SSH session came in on port 2200, and the undo removes the rule that lets that port in. Undo it from a console or another route in, or add --force.',
      ],
    });
  });

  it('a change made over --via is undone there: connecting first, and saying so when that fails', async () => {
    // Not in any known_hosts here, so connectVia stops before any connection is attempted.
    const entry: JournalEntry = {
      ...allow(22),
      fixId: 'disable-usedns',
      undo: [['true']],
      via: { user: 'root', host: 'ssh-doctor-test.example', port: 2200 },
    };
    const r = await revertWhereMade(entry, { env: {}, journalFile });
    expect(r.ok).toBe(false);
    expect(r.log).toEqual([
      'This change was made on root@ssh-doctor-test.example:2200, and connecting there failed: [ssh-doctor-test.example]:2200 is not in your known_hosts: connect once with ssh and check its fingerprint first.',
    ]);
  });
});
