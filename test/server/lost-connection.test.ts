// A --via connection lost mid-run: commands it did not run are "unknown", never the ground for a
// finding, and the report says the connection was lost.
import { describe, expect, it } from 'vitest';
import { collectFacts } from '../../src/server/collect.js';
import { failure, type Exec } from '../../src/server/exec.js';
import { serverFindings, uncheckedParts } from '../../src/server/findings.js';
import { lostResult } from '../../src/server/remote.js';
import { checksIncompleteFinding } from '../../src/server/server-report.js';
import type { RunResult } from '../../src/run.js';
import { ran } from './run-result.js';

const HOST = 'root@db.example:2222';
const LOST = `could not run: the connection to ${HOST} was lost`;

const notInstalled: RunResult = {
  exitCode: 127,
  stdout: '',
  stderr: '',
  timedOut: false,
  missing: true,
  durationMs: 1,
};

/**
 * A host whose sshd -T has AllowGroups admins, alice being in admins; the connection is lost at the
 * first command `lostAt` names, and stays lost. Tools not scripted here are not installed.
 */
function host(lostAt: (cmd: readonly string[]) => boolean): Exec {
  let lost = false;
  return async (cmd) => {
    lost ||= lostAt(cmd);
    if (lost) return lostResult(HOST, 1);
    const line = cmd.join(' ');
    if (line === 'id -u') return ran('0\n');
    if (line === 'printenv PATH') return ran('/usr/bin\n');
    if (cmd[0] === 'stat' && cmd.includes('/usr/sbin/sshd'))
      return ran('regular file\t755\t0\t0\troot\troot\t2049:12:1\t/usr/sbin/sshd\n');
    if (cmd[0] === '/usr/sbin/sshd' && cmd[1] === '-T') return ran('port 22\nallowgroups admins\n');
    if (line === 'getent passwd alice') return ran('alice:x:1001:1001::/home/alice:/bin/bash\n');
    if (line === 'id -Gn alice') return ran('alice admins\n');
    return notInstalled;
  };
}
const target = { user: 'alice', port: 22 };

describe('a lost --via connection', () => {
  it('failure(): the command could not run, and the connection to which host was lost', () => {
    expect(failure(lostResult(HOST, 15_000), ['stat', '-L', '--', '/usr/sbin/sshd'])).toBe(
      `stat -L -- /usr/sbin/sshd ${LOST}`,
    );
  });

  it('lost from the first probe: every check unknown, no "sshd is not installed" from a stat that never ran', async () => {
    // Lost from the first command on (the probes start side by side).
    const { facts, probes } = await collectFacts(
      host(() => true),
      target,
    );
    // The first of its commands the connection did not run is the one named.
    expect(facts.sshd).toEqual({ unknown: `printenv PATH ${LOST}` });
    expect(facts.connectionLost).toBe(HOST);
    expect(serverFindings(facts)).toEqual([]);
    expect(probes.filter((p) => p.status !== 'unknown')).toEqual([]);
    const unchecked = uncheckedParts(facts);
    expect(unchecked.map((u) => u.check)).toEqual([
      'sshd binary',
      'sshd processes',
      'listening sockets',
      'local addresses',
      'privilege separation directory',
      'host keys',
      'account',
      'nologin',
      'ufw',
      'firewalld',
      'iptables',
      'ip6tables',
      'nftables',
    ]);
    for (const u of unchecked) expect(u.why.endsWith(LOST), u.why).toBe(true);
  });

  it('lost while reading the groups AllowGroups needs: the account is unknown, not "not allowed"', async () => {
    const { facts } = await collectFacts(
      host((cmd) => cmd[0] === 'id' && cmd[1] === '-Gn'),
      target,
    );
    expect(facts.user).toEqual({ unknown: `id -Gn alice ${LOST}` });
    expect(serverFindings(facts).map((f) => f.id)).toEqual([]);
    expect(uncheckedParts(facts).find((u) => u.check === 'account')).toEqual({
      check: 'account',
      why: `id -Gn alice ${LOST}`,
    });
  });

  it('not root, lost while looking for firewall tools off PATH: unknown, not "not installed"', async () => {
    const up = host((cmd) => cmd[0] === 'stat' && cmd.includes('/usr/sbin/ufw'));
    const { facts } = await collectFacts(
      (cmd, opts) => (cmd.join(' ') === 'id -u' ? Promise.resolve(ran('1000\n')) : up(cmd, opts)),
      target,
    );
    expect(facts.root).toBe(false);
    expect(facts.firewall?.map((l) => [l.name, l.state, l.detail?.endsWith(LOST)])).toEqual(
      ['ufw', 'firewalld', 'iptables', 'ip6tables', 'nftables'].map((n) => [n, 'unknown', true]),
    );
  });

  it('the same host with the connection up: alice is allowed (the groups are read)', async () => {
    const { facts } = await collectFacts(
      host(() => false),
      target,
    );
    expect(facts.user).toMatchObject({ name: 'alice', exists: true, groups: ['alice', 'admins'] });
    expect(facts.connectionLost).toBeUndefined();
  });

  it('the report names the host and that the connection was lost, and what would run the checks', () => {
    const f = checksIncompleteFinding(
      [
        { check: 'sshd -T', why: `sshd -T ${LOST}` },
        { check: 'account', why: `getent passwd alice ${LOST}` },
      ],
      'ssh-doctor server --via root@db.example:2222',
      HOST,
    );
    expect(f).toEqual({
      id: 'checks-incomplete',
      severity: 'warning',
      summary: `The connection to ${HOST} was lost during the checks: 2 checks that could explain a refusal did not run (sshd -T, account): not known to be ok.`,
      evidence: [`sshd -T: sshd -T ${LOST}`, `account: getent passwd alice ${LOST}`],
      next: [`then sshd -T, account: rerun when ${HOST} answers again over SSH`],
    });
  });
});
