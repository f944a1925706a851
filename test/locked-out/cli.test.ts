// The built command, run as a user would, with stand-in cloud CLIs first on PATH.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIT_BEGIN } from '../../src/locked-out/kit/script.js';

const REPO = resolve(import.meta.dirname, '../..');
const CLI = join(REPO, 'dist/ssh-doctor.mjs');
const FIX = join(REPO, 'test/fixtures/cloud');

async function cli(args: string[], scenario = 'aws-blocked', input?: string, path = `${FIX}/bin:/usr/bin:/bin`) {
  const dir = await mkdtemp(join(tmpdir(), 'locked-out-'));
  const log = join(dir, 'calls');
  const r = await execa('node', [CLI, 'locked-out', ...args], {
    reject: false,
    cwd: dir,
    input,
    stdin: input === undefined ? 'ignore' : undefined,
    env: {
      PATH: path,
      CLOUD_FIXTURE: join(FIX, 'scenarios', scenario),
      CLOUD_FIXTURE_LOG: log,
      SSH_DOCTOR_STATE_DIR: dir,
      USER: 'alice',
      HOME: dir,
    },
    extendEnv: false,
  });
  const calls = existsSync(log) ? (await readFile(log, 'utf8')).trim().split('\n') : [];
  return { ...r, dir, calls };
}

describe.runIf(existsSync(CLI))('ssh-doctor locked-out (built CLI)', () => {
  it('--json: one report with the cloud findings and the exact /32 ingress command; nothing is changed', async () => {
    const r = await cli(['--provider', 'aws', '--instance', 'i-1234567890abcdef0', '--my-ip', '203.0.113.7', '--json']);
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      schema: 'ssh-doctor/report@1',
      mode: 'locked-out',
      verdict: { id: 'cloud-firewall-blocks-ssh', severity: 'error' },
    });
    expect(report.findings.map((f: any) => f.id)).toEqual([
      'cloud-firewall-blocks-ssh',
      'cloud-session-manager-ready',
      'cloud-serial-console-disabled',
      'prevent-second-sshd',
      'prevent-backup-key',
      'prevent-keep-session',
    ]);
    expect(report.findings[0].fix.commands).toEqual([
      [
        'aws',
        'ec2',
        'authorize-security-group-ingress',
        '--group-id',
        'sg-0abc1234def567890',
        '--protocol',
        'tcp',
        '--port',
        '22',
        '--cidr',
        '203.0.113.7/32',
      ],
    ]);
    expect(r.calls.every((c) => / describe-| get-/.test(c))).toBe(true);
  });

  it('--yes runs the proposed commands (through the stand-in aws) and journals them', async () => {
    const r = await cli(['--provider', 'aws', '--instance', 'i-1', '--my-ip', '203.0.113.7', '--yes']);
    expect(r.calls).toContain(
      'aws ec2 authorize-security-group-ingress --group-id sg-0abc1234def567890 --protocol tcp --port 22 --cidr 203.0.113.7/32',
    );
    expect(r.calls).toContain('aws ec2 enable-serial-console-access');
    expect(r.stderr).toContain('Applied cloud-allow-my-ip: ok');
    const journal = await readFile(join(r.dir, 'journal.jsonl'), 'utf8');
    expect(journal).toContain('"fixId":"cloud-allow-my-ip"');
  });

  it('--yes --json: the applied fixes are in the report, with their outcome and log', async () => {
    const r = await cli(['--provider', 'aws', '--instance', 'i-1', '--my-ip', '203.0.113.7', '--yes', '--json']);
    const report = JSON.parse(r.stdout);
    expect(report.applied.map((a: any) => [a.fixId, a.ok])).toEqual([
      ['cloud-allow-my-ip', true],
      ['cloud-enable-serial-console', true],
    ]);
    expect(report.applied[0].log.length).toBeGreaterThan(0);
  });

  it('a user name the kit cannot carry (e.g. from the client) is one sentence and exit 2', async () => {
    for (const args of [
      ['--user', 'alice@corp', '--port', '22'],
      ['--kit', 'k.sh', '--user', 'alice@corp'],
    ]) {
      const r = await cli(args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim()).toBe('ssh-doctor: "alice@corp" is not a user name the console kit can check.');
    }
  });

  it('--json carries the ways in that the text shows: every route, its needs, steps and commands', async () => {
    const args = ['--provider', 'aws', '--instance', 'i-1234567890abcdef0', '--my-ip', '203.0.113.7'];
    const [json, text] = await Promise.all([cli([...args, '--json']), cli(args)]);
    const routes: { title: string; needs: string; steps: { text: string; command?: string }[] }[] = JSON.parse(
      json.stdout,
    ).routes;
    expect(routes.map((r) => r.title)).toEqual([
      'EC2 Serial Console',
      'Systems Manager Session Manager',
      'Root volume rescue on a helper instance',
    ]);
    for (const r of routes) {
      expect(text.stdout).toContain(r.title);
      expect(text.stdout).toContain(`Needs: ${r.needs}`);
      for (const s of r.steps) if (s.command) expect(text.stdout).toContain(`$ ${s.command}`);
    }
  });

  it('without the CLI: one sentence, then the console steps', async () => {
    const r = await cli(['--provider', 'gcp', '--instance', 'web-1', '--my-ip', '203.0.113.7'], 'gcp-not-logged-in');
    expect(r.stdout).toContain('gcloud is installed but not logged in, so here are the console steps instead.');
    expect(r.stdout).toContain('Ways into Google Cloud (Compute Engine) without SSH:');
    expect(r.stdout).toContain(
      '$ gcloud compute instances add-metadata <vm> --zone <zone> --metadata serial-port-enable=TRUE',
    );
  });

  it('without doctl on PATH: no check runs, one sentence, then the DigitalOcean steps', async () => {
    const r = await cli(
      ['--provider', 'digitalocean', '--instance', '386734086', '--my-ip', '203.0.113.7', '--json'],
      'do-blocked',
      undefined,
      '/usr/bin:/bin',
    );
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toEqual({
      id: 'console-route',
      severity: 'info',
      summary: 'The doctl command is not installed here, so here are the console steps instead.',
    });
    expect(report.findings[0].id).toBe('cloud-cli-missing');
    expect(r.calls).toEqual([]);
  });

  it('a provider without a CLI check prints its steps', async () => {
    const r = await cli(['--provider', 'linode']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('1. Lish console');
    expect(r.stdout).toContain('$ ssh -t <cloud-manager-user>@lish-<region>.linode.com <linode-label>');
  });

  it('--kit prints the kit and saves it', async () => {
    const r = await cli(['--kit', 'kit.sh', '--user', 'bob', '--port', '2222']);
    expect(r.stdout).toContain('U=bob P=2222');
    expect(r.stderr).toMatch(/Saved to .*kit\.sh \(\d+ bytes\)/);
    expect((await readFile(join(r.dir, 'kit.sh'), 'utf8')).trimEnd()).toBe(r.stdout.trimEnd());
    expect((await stat(join(r.dir, 'kit.sh'))).mode & 0o777).toBe(0o644);
  });

  it('--decode -: a bad paste is one sentence and exit 2', async () => {
    const r = await cli(['--decode', '-'], 'aws-blocked', 'root@host:~#\n');
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe(
      `ssh-doctor: No console kit block found: paste everything from ${KIT_BEGIN} to -----END SSH-DOCTOR KIT-----.`,
    );
  });

  it('--decode - with 200 MB on stdin: stops reading at 16 MiB, one sentence, exit 2, no crash', async () => {
    const tooBig = `ssh-doctor: The input is over 16 MiB, far more than a console kit block: paste only what the kit printed, from BEGIN to END.`;
    const started = Date.now();
    const r = await execa('head', ['-c', String(200 * 1024 * 1024), '/dev/zero'], {
      reject: false,
      stdin: 'ignore',
      buffer: false,
    }).pipe('node', [CLI, 'locked-out', '--decode', '-'], {
      reject: false,
      env: { PATH: '/usr/bin:/bin', HOME: tmpdir() },
      extendEnv: false,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(tooBig);
    // The same from a file (50 GB, sparse), which is not read past the cap either.
    const huge = join(await mkdtemp(join(tmpdir(), 'decode-')), 'huge');
    await writeFile(huge, '');
    await truncate(huge, 50 * 1024 ** 3);
    const f = await cli(['--decode', huge]);
    expect(f.exitCode).toBe(2);
    expect(f.stderr).toBe(tooBig);
    await rm(huge);
  });

  it('refuses a --my-ip that is not an address', async () => {
    const r = await cli(['--provider', 'aws', '--my-ip', 'example.com']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('ssh-doctor: --my-ip takes an IPv4 or IPv6 address, not "example.com".');
  });
});
