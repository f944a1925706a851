import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rememberSource } from '../../../src/server/fixes/config-edit.js';
import { runFix } from '../../../src/server/fixes/run-fixes.js';
import { readJournal } from '../../../src/fixes/journal.js';
import type { Command } from '../../../src/report.js';
import type { Exec } from '../../../src/server/exec.js';
import type { Host } from '../../../src/server/host.js';

/** The program a local rollback timer would start. */
const SELF = ['/usr/bin/node', '/opt/ssh-doctor/ssh-doctor.mjs'] as const;

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
    const fix = rememberSource(
      { id: 'disable-usedns', title: 't', commands: [['touch', marker]], risk: '', undo: [] },
      file,
      'UseDNS yes\n',
    );
    writeFileSync(file, '# someone edited this\nUseDNS yes\n');
    const r = await runFix(fix, { env: {}, envOnly: true, self: SELF, journalFile: join(dir, 'journal.jsonl') });
    expect(r).toEqual({
      ok: false,
      log: [`refused: ${file} changed since it was checked; run ssh-doctor server again`],
    });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, 'journal.jsonl'))).toBe(false);
  });

  it('runs an unchanged one, and journals it with its undo and backups', async () => {
    const file = join(dir, 'f');
    writeFileSync(file, 'x\n');
    const backup = `${file}.ssh-doctor-20261125T120000.000Z`;
    const fix = rememberSource(
      { id: 'k', title: 't', commands: [['cp', '-p', file, backup]], risk: '', undo: [['rm', backup]] },
      file,
      'x\n',
    );
    const r = await runFix(fix, { env: {}, envOnly: true, self: SELF, journalFile: join(dir, 'journal.jsonl') });
    expect(r.ok).toBe(true);
    const [entry] = await readJournal(join(dir, 'journal.jsonl'));
    expect(entry).toMatchObject({
      id: r.journalId,
      fixId: 'k',
      status: 'applied',
      backups: [backup],
      undo: [['rm', backup]],
    });
  });

  it('--dry-run runs nothing and says so, including the rollback it would arm over SSH', async () => {
    const marker = join(dir, 'ran');
    const r = await runFix(
      { id: 'firewall-allow-ssh', title: 't', commands: [['touch', marker]], risk: '', undo: [] },
      {
        dryRun: true,
        env: { SSH_CONNECTION: '1.2.3.4 5 6.7.8.9 22' },
        envOnly: true,
        self: SELF,
        journalFile: join(dir, 'journal.jsonl'),
      },
    );
    expect(r.log).toEqual([
      `(dry run) $ touch ${marker}`,
      '(dry run) over SSH this change would be rolled back after 60 s unless confirmed from a new connection',
    ]);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('runFix on a --via host', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ssh-doctor-runfix-via-'));
    process.env.SSH_DOCTOR_STATE_DIR = dir;
  });
  afterEach(() => {
    delete process.env.SSH_DOCTOR_STATE_DIR;
  });
  const via = { user: 'root', host: 'h.example', port: 2200 };
  /** A remote host whose commands are recorded (and succeed unless `fails` says otherwise). */
  function fakeHost(files: Record<string, string> = {}, fails: (c: Command) => boolean = () => false) {
    const ran: Command[] = [];
    const exec: Exec = async (c) => {
      ran.push(c);
      const bad = fails(c);
      return {
        exitCode: bad ? 1 : 0,
        stdout: '',
        stderr: bad ? 'nope' : '',
        timedOut: false,
        missing: false,
        durationMs: 1,
      };
    };
    const host: Host = {
      exec,
      via,
      readFile: async (p) => files[p],
      listDir: async () => [],
      sha256: async (p) => (p in files ? 'abc' : undefined),
    };
    return { host, ran };
  }
  const journal = () => readJournal(join(dir, 'journal.jsonl'));
  const allow = ['iptables', '-t', 'filter', '-I', 'INPUT', '1', '-p', 'tcp', '--dport', '2222', '-j', 'ACCEPT'];
  const remove = ['iptables', '-t', 'filter', '-D', 'INPUT', '-p', 'tcp', '--dport', '2222', '-j', 'ACCEPT'];
  const firewall = { id: 'firewall-allow-ssh', title: 'Allow 2222', commands: [allow], risk: '', undo: [remove] };

  it('runs the commands there, checks staleness there, and journals the host for undo', async () => {
    const { host, ran } = fakeHost({ '/etc/ssh/sshd_config': 'UseDNS yes\n' });
    const fix = rememberSource(
      {
        id: 'disable-usedns',
        title: 't',
        commands: [['mv', '/etc/ssh/.sshd_config.ssh-doctor-tmp', '/etc/ssh/sshd_config']],
        risk: '',
        undo: [['true']],
      },
      '/etc/ssh/sshd_config',
      'UseDNS yes\n',
    );
    const r = await runFix(fix, {
      host,
      env: { SSH_CONNECTION: '1 2 3 4' },
      envOnly: true,
      self: SELF,
      journalFile: join(dir, 'journal.jsonl'),
    });
    expect(r.ok).toBe(true);
    expect(ran).toEqual([['mv', '/etc/ssh/.sshd_config.ssh-doctor-tmp', '/etc/ssh/sshd_config']]);
    expect(await journal()).toEqual([
      expect.objectContaining({
        id: r.journalId,
        status: 'applied',
        via,
        results: [{ path: '/etc/ssh/sshd_config', sha256: 'abc' }],
      }),
    ]);
  });

  it('a config file changed there since diagnosis: refused, nothing run', async () => {
    const { host, ran } = fakeHost({ '/etc/ssh/sshd_config': '# edited\nUseDNS yes\n' });
    const fix = rememberSource(
      { id: 'disable-usedns', title: 't', commands: [['true']], risk: '', undo: [] },
      '/etc/ssh/sshd_config',
      'UseDNS yes\n',
    );
    expect(await runFix(fix, { host, env: process.env, self: SELF, journalFile: join(dir, 'journal.jsonl') })).toEqual({
      ok: false,
      log: ['refused: /etc/ssh/sshd_config changed since it was checked; run ssh-doctor server again'],
    });
    expect(ran).toEqual([]);
  });

  it('firewall: timer written and armed there first; a NEW connection that claims its token keeps the change', async () => {
    const { host, ran } = fakeHost({}, (c) => c[0] === 'test');
    const fresh = fakeHost();
    const r = await runFix(firewall, {
      host,
      env: process.env,
      self: SELF,
      journalFile: join(dir, 'journal.jsonl'),
      reconnect: async () => ({ ...fresh.host, close: () => {} }),
      rollbackSeconds: 30,
    });
    expect(r.ok).toBe(true);
    const id = r.journalId!;
    expect(ran).toEqual([
      [
        'sh',
        '-c',
        'umask 077 && cat > "$1" && : > "$2"',
        'sh',
        `/run/ssh-doctor-rollback-${id}.sh`,
        `/run/ssh-doctor-rollback-${id}.armed`,
      ],
      ['test', '-d', '/run/systemd/system'],
      [
        'sh',
        '-c',
        `setsid sh -c 'sleep 30; exec sh '\\''/run/ssh-doctor-rollback-${id}.sh'\\''' </dev/null >/dev/null 2>&1 &`,
      ],
      allow,
    ]);
    expect(fresh.ran).toEqual([['rm', `/run/ssh-doctor-rollback-${id}.armed`]]);
    expect(r.log.at(-1)).toBe(
      'A new SSH connection to root@h.example:2200 got in after the change: kept, and its rollback timer disarmed.',
    );
    expect((await journal()).map((e) => [e.status, e.undoes, e.via])).toEqual([
      ['applied', undefined, via],
      ['confirmed', id, via],
    ]);
  });

  it('firewall: the new connection gets in only after the timer claimed the token: reported, not kept', async () => {
    const { host } = fakeHost();
    const fresh = fakeHost({}, (c) => c[0] === 'rm');
    const r = await runFix(firewall, {
      host,
      env: process.env,
      self: SELF,
      journalFile: join(dir, 'journal.jsonl'),
      systemd: true,
      reconnect: async () => ({ ...fresh.host, close: () => {} }),
    });
    expect(r.ok).toBe(false);
    expect(r.log.at(-1)).toMatch(/only after its rollback timer had started reverting the change/);
    expect((await journal()).map((e) => e.status)).toEqual(['applied', 'rolled-back']);
  });

  it('firewall: no new connection gets in, so it is reverted through this one, then the token claimed', async () => {
    const { host, ran } = fakeHost();
    const r = await runFix(firewall, {
      host,
      env: process.env,
      self: SELF,
      journalFile: join(dir, 'journal.jsonl'),
      systemd: true,
      reconnect: async () => {
        throw new Error('connect ETIMEDOUT');
      },
    });
    expect(r.ok).toBe(false);
    expect(ran.map((c) => c[0])).toEqual(['sh', 'systemd-run', 'iptables', 'iptables', 'rm']);
    expect(ran[3]).toEqual(remove);
    expect(r.log).toContain(
      'A new SSH connection to root@h.example:2200 failed (connect ETIMEDOUT), so the change was rolled back:',
    );
    expect((await journal()).map((e) => e.status)).toEqual(['applied', 'rolled-back']);
  });

  it('firewall: the timer cannot be written (/run not writable, not root): refused before any change', async () => {
    const { host, ran } = fakeHost({}, (c) => c[0] === 'sh');
    const r = await runFix(firewall, { host, env: process.env, self: SELF, journalFile: join(dir, 'journal.jsonl') });
    expect(r.log).toEqual([
      'refused: the rollback timer could not be written to /run on h.example (nope), and a firewall change is not made there without one',
    ]);
    expect(ran.map((c) => c[0])).toEqual(['sh']);
  });

  it('firewall whose undo is only known afterwards, with no nft chain to list: refused over --via', async () => {
    const { host, ran } = fakeHost();
    const r = await runFix(
      { ...firewall, undo: 'nft delete rule inet filter input handle <the handle printed when the rule was added>' },
      { host, env: process.env, self: SELF, journalFile: join(dir, 'journal.jsonl') },
    );
    expect(r.ok).toBe(false);
    expect(r.log[0]).toMatch(
      /^refused: over --via this change needs an automatic rollback, and its undo is only known once made/,
    );
    expect(ran).toEqual([]);
  });
});
