// What `ssh-doctor server` reports beyond findings: the fixes that ran (--yes --json), and where
// to rerun as root when the checks ran on another host (--via).
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, toPromise } from 'xstate';
import { serverFlow, type Gathered, type ServerContext } from '../../flows/server.js';
import { reportFor } from '../../src/commands/server/run.js';
import { parseServerArgs } from '../../src/commands/server/command.js';
import type { ServerFacts } from '../../src/server/facts.js';
import { renderText, type Fix } from '../../src/report.js';
import { buildServerReport, serverExitCode } from '../../src/server/server-report.js';

const broken: ServerFacts = {
  target: { user: 'alice', port: 22 },
  root: true,
  privsepDir: { path: '/run/sshd', exists: false },
};
const healed: ServerFacts = { ...broken, privsepDir: { path: '/run/sshd', exists: true } };
const fix: Fix = {
  id: 'create-privsep-dir',
  title: 'Create /run/sshd',
  commands: [['install', '-d', '/run/sshd']],
  risk: 'none',
  undo: [['rmdir', '/run/sshd']],
};

/** Run the real flow in --yes mode with fake probes and a fake fix runner. */
async function runYes(applied: { ok: boolean; log: string[] }, after: ServerFacts): Promise<ServerContext> {
  let gathers = 0;
  const machine = serverFlow.provide({
    actors: {
      gather: fromPromise(async (): Promise<Gathered> => ({ facts: gathers++ === 0 ? broken : after, probes: [] })),
      applyFix: fromPromise(async () => applied),
    },
  });
  const actor = createActor(machine, {
    input: { mode: 'yes', proposeFix: (id: string) => (id === 'privsep-dir-missing' ? fix : undefined) },
  }).start();
  await toPromise(actor);
  return actor.getSnapshot().context;
}

describe('server report: applied fixes', () => {
  const args = parseServerArgs(['--yes', '--json', '--user', 'alice'], {});

  it('--yes --json lists a fix that ran and worked', async () => {
    const report = reportFor(await runYes({ ok: true, log: ['$ install -d /run/sshd'] }, healed), args, Date.now());
    expect(report.applied).toEqual([{ fixId: 'create-privsep-dir', ok: true, log: ['$ install -d /run/sshd'] }]);
    expect(report.findings.map((f) => f.id)).not.toContain('privsep-dir-missing');
  });

  it('a fix that failed is listed as not ok, with its log', async () => {
    const report = reportFor(
      await runYes({ ok: false, log: ['install: permission denied'] }, broken),
      args,
      Date.now(),
    );
    expect(report.applied).toEqual([{ fixId: 'create-privsep-dir', ok: false, log: ['install: permission denied'] }]);
  });

  it('a fix that ran but left the problem in place is not ok', async () => {
    const report = reportFor(await runYes({ ok: true, log: ['$ install -d /run/sshd'] }, broken), args, Date.now());
    expect(report.applied).toEqual([
      {
        fixId: 'create-privsep-dir',
        ok: false,
        log: ['$ install -d /run/sshd', 'privsep-dir-missing is still there after the fix'],
      },
    ]);
  });

  it('no fix ran: no applied array', async () => {
    const ctx = await runYes({ ok: true, log: [] }, healed);
    const report = reportFor({ ...ctx, outcomes: [{ ...ctx.outcomes[0]!, status: 'declined' }] }, args, Date.now());
    expect(report).not.toHaveProperty('applied');
  });
});

describe('server report: needs root', () => {
  const notRoot = (): ServerContext => ({
    input: { mode: 'report' },
    probes: [],
    findings: [],
    handled: [],
    outcomes: [],
    facts: {
      target: { user: 'alice', port: 2201 },
      root: false,
      effective: { unknown: 'sshd must read its host keys: run as root', needsRoot: true },
    },
  });

  it('locally: the exact sudo command', () => {
    const report = reportFor(
      notRoot(),
      parseServerArgs(['--json', '--user', 'alice', '--port', '2201'], {}),
      Date.now(),
    );
    const f = report.findings.find((x) => x.id === 'needs-root')!;
    expect(f.evidence).toEqual(['rerun: sudo ssh-doctor server --user alice --port 2201 --json']);
  });

  it('--via: run it on the remote host, or connect as root (a local sudo would check this machine)', () => {
    const report = reportFor(
      notRoot(),
      parseServerArgs(['--json', '--via', 'bob@db1.example:2222', '--user', 'alice', '--port', '2201'], {}),
      Date.now(),
    );
    const f = report.findings.find((x) => x.id === 'needs-root')!;
    expect(f.summary).toBe(
      'Some checks need root on db1.example (sshd -T); run ssh-doctor there as root, or connect as root with --via.',
    );
    expect(f.evidence).toEqual([
      'on db1.example: sudo ssh-doctor server --user alice --port 2201 --json',
      'or here: ssh-doctor server --user alice --port 2201 --json --via root@db1.example:2222',
    ]);
  });
});

describe('server report: checks that did not run', () => {
  const args = parseServerArgs(['--json', '--user', 'alice', '--port', '2201'], {});
  const ctx = (facts: ServerFacts, findings: ServerContext['findings'] = []): ServerContext => ({
    input: { mode: 'report' },
    probes: [],
    findings,
    handled: [],
    outcomes: [],
    facts,
  });
  const root: ServerFacts = { target: { user: 'alice', port: 2201 }, root: true };

  it('every check known: server-ok, exit 0', () => {
    const report = reportFor(ctx({ ...root, listeners: { source: 'ss', sockets: [] } }), args, Date.now());
    expect([report.verdict.id, serverExitCode(report)]).toEqual(['server-ok', 0]);
  });

  it('a missing tool and a firewall listing that timed out: checks-incomplete, exit 1, each named', () => {
    const report = reportFor(
      ctx({
        ...root,
        listeners: { unknown: 'neither ss nor netstat answered (ss is not installed; netstat is not installed)' },
        firewall: [{ name: 'nftables', state: 'unknown', detail: 'nft -j list ruleset did not answer within 4 s' }],
      }),
      args,
      Date.now(),
    );
    expect(report.verdict.id).toBe('checks-incomplete');
    expect(report.verdict.severity).toBe('warning');
    expect(serverExitCode(report)).toBe(1);
    const f = report.findings.find((x) => x.id === 'checks-incomplete')!;
    expect(f.evidence).toEqual([
      'listening sockets: neither ss nor netstat answered (ss is not installed; netstat is not installed)',
      'nftables: nft -j list ruleset did not answer within 4 s',
    ]);
    expect(f.next).toEqual([
      'then listening sockets, nftables: install what is missing, or rerun when the command answers (a tool that timed out may answer on a quieter host)',
    ]);
  });

  it('the TCP wrappers and the session checks count too: unknown is not ok', () => {
    const report = reportFor(
      ctx({
        ...root,
        listeners: { source: 'ss', sockets: [] },
        tcpWrappers: { unknown: 'ldd is not installed' },
        session: { unknown: 'stat timed out' },
      }),
      args,
      Date.now(),
    );
    expect(report.verdict.id).toBe('checks-incomplete');
    expect(report.findings.find((x) => x.id === 'checks-incomplete')!.evidence).toEqual([
      'TCP wrappers (hosts.allow, hosts.deny): ldd is not installed',
      'ChrootDirectory and ForceCommand: stat timed out',
    ]);
  });

  it('not root: the sudo rerun runs them', () => {
    const report = reportFor(
      ctx({
        ...root,
        root: false,
        effective: { unknown: 'sshd must read its host keys: run as root', needsRoot: true },
      }),
      args,
      Date.now(),
    );
    expect(report.findings.map((f) => f.id)).toEqual(['needs-root', 'checks-incomplete']);
    expect(report.findings[1]!.next).toEqual([
      'as root, to run sshd -T: sudo ssh-doctor server --user alice --port 2201 --json',
    ]);
    expect(serverExitCode(report)).toBe(1);
  });

  it('an error found is the verdict; the unknown checks are left to the probes', () => {
    const report = reportFor(
      ctx({ ...root, listeners: { unknown: 'ss is not installed' } }, [
        { id: 'sshd-not-running', severity: 'error', summary: 'sshd is not running.', evidence: [] },
      ]),
      args,
      Date.now(),
    );
    expect(report.findings.map((f) => f.id)).toEqual(['sshd-not-running']);
  });

  it('a warning finding does not hide them', () => {
    const report = reportFor(
      ctx({ ...root, listeners: { unknown: 'ss is not installed' } }, [
        { id: 'usedns-enabled', severity: 'warning', summary: 'UseDNS is on.', evidence: [] },
      ]),
      args,
      Date.now(),
    );
    expect(report.verdict.id).toBe('checks-incomplete');
  });
});

describe('text report', () => {
  it('shows the steps for a person under their finding', () => {
    const report = buildServerReport({
      findings: [
        {
          id: 'authorized-keys-missing',
          severity: 'error',
          summary: 'alice has no authorized key.',
          evidence: ['/home/alice/.ssh/authorized_keys does not exist'],
          next: ['as root, with the key:', 'install -d -m 700 /home/alice/.ssh'],
        },
      ],
      probes: [],
      target: { user: 'alice', host: 'web1', port: 22 },
      durationMs: 5,
    });
    expect(renderText(report)).toContain(
      'ERROR authorized-keys-missing: alice has no authorized key.\n    /home/alice/.ssh/authorized_keys does not exist\n  → as root, with the key:\n  → install -d -m 700 /home/alice/.ssh\n',
    );
  });
});

describe('text report of hostile names', () => {
  it('shows escape sequences from a file name, a log line and a fix escaped, never raw', () => {
    const path = '/home/e\x1b]52;c;cHduZWQ=\x07\r\x1b[K/.ssh/authorized_keys';
    const report = buildServerReport({
      findings: [
        {
          id: 'authorized-keys-permissions',
          severity: 'error',
          summary: `authorized_keys\x9b2J has unsafe modes.`,
          evidence: [`${path}: mode 0666`, 'sshd[8]: User eve\x7f not allowed \u202eevil'],
          fix: {
            id: 'fix-authorized-keys-permissions',
            title: `chmod ${path}`,
            commands: [['chmod', '0600', path]],
            risk: 'low',
            undo: [['chmod', '0666', path]],
          },
        },
      ],
      probes: [{ id: 'stat', status: 'ok', durationMs: 1, detail: 'banner \x1b[2J' }],
      target: { user: 'eve\x1b[2J', host: 'web1', port: 22 },
      durationMs: 5,
    });
    const text = renderText(report);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain('    /home/e\\x1b]52;c;cHduZWQ=\\x07\\x0d\\x1b[K/.ssh/authorized_keys: mode 0666\n');
    expect(text).toContain('    sshd[8]: User eve\\x7f not allowed \\u202eevil\n');
    expect(text).toContain(
      `    $ # not for pasting, a value holds control characters (shown escaped): chmod 0600 '/home/e\\x1b]52;c;cHduZWQ=\\x07\\x0d\\x1b[K/.ssh/authorized_keys'\n`,
    );
    expect(text).toContain('ssh-doctor server: eve\\x1b[2J@web1:22\n');
  });
});
