// One command that times out leaves its part unknown: never a refusal nor an "ok" from the facts it
// did not bring (issue 11, "never ok without knowing").
import { describe, expect, it } from 'vitest';
import { collectFacts } from '../../src/server/collect.js';
import type { Exec } from '../../src/server/exec.js';
import { known, type ServerFacts, type UserFacts } from '../../src/server/facts.js';
import { serverFindings, uncheckedParts } from '../../src/server/findings.js';
import { probeAuthFiles } from '../../src/server/probes/auth-files.js';
import { probeInit } from '../../src/server/probes/init.js';
import { probeProcesses } from '../../src/server/probes/processes.js';
import { probeUser } from '../../src/server/probes/user.js';
import type { RunResult } from '../../src/run.js';
import { healthy } from './server-facts.js';
import { ran } from './run-result.js';

const timedOut: RunResult = {
  exitCode: undefined,
  stdout: '',
  stderr: '',
  timedOut: true,
  missing: false,
  durationMs: 4000,
};
const notInstalled: RunResult = { ...timedOut, exitCode: 127, timedOut: false, missing: true, durationMs: 1 };

/** What the report shows: the findings, and checks-incomplete beside no error (as reportFor adds it). */
function seen(facts: ServerFacts): { ids: string[]; unchecked: { check: string; why: string }[] } {
  const findings = serverFindings(facts);
  const unchecked = findings.some((f) => f.severity === 'error') ? [] : uncheckedParts(facts);
  return {
    ids: [...findings.map((f) => f.id), ...(unchecked.length ? ['checks-incomplete'] : [])].sort(),
    unchecked: unchecked.map(({ check, why }) => ({ check, why })),
  };
}

/** Answers from `script` by command line; the one `slow` names times out. */
function host(slow: string, script: (line: string, cmd: readonly string[]) => RunResult | undefined): Exec {
  return async (cmd, opts = {}) => {
    const line = cmd.join(' ');
    if (line === slow) return { ...timedOut, durationMs: opts.timeoutMs ?? 4000 };
    return script(line, cmd) ?? notInstalled;
  };
}

describe('a command that timed out is unknown, not a finding and not ok', () => {
  it('/proc fallback: a cat of an sshd stat that timed out is no ground for "sshd is not running"', async () => {
    const exec = host('cat /proc/24/stat', (line, cmd) =>
      cmd[0] === 'find'
        ? ran('/proc/24/comm:sshd\n')
        : line === 'cat /proc/24/cmdline'
          ? ran('sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups\0')
          : undefined,
    );
    const processes = await probeProcesses(exec);
    expect(seen(healthy({ processes }))).toEqual({
      ids: ['checks-incomplete'],
      unchecked: [{ check: 'sshd processes', why: 'ps is not installed; cat /proc/24/stat did not answer within 4 s' }],
    });
  });

  it('id -Gn timed out under AllowGroups: the account is unknown, not "not allowed"', async () => {
    const exec = host('id -Gn alice', (line, cmd) => {
      if (line === 'id -u') return ran('0\n');
      if (line === 'printenv PATH') return ran('/usr/bin\n');
      if (cmd[0] === 'stat' && cmd.includes('/usr/sbin/sshd'))
        return ran('regular file\t755\t0\t0\troot\troot\t2049:12:1\t/usr/sbin/sshd\n');
      if (cmd[0] === '/usr/sbin/sshd' && cmd[1] === '-T') return ran('port 22\nallowgroups admins\n');
      if (line === 'getent passwd alice') return ran('alice:x:1001:1001::/home/alice:/bin/bash\n');
      return undefined;
    });
    const { facts } = await collectFacts(exec, { user: 'alice', port: 22 });
    expect(facts.user).toEqual({ unknown: 'id -Gn alice did not answer within 4 s' });
    expect(serverFindings(facts).map((f) => f.id)).not.toContain('user-not-allowed');
    expect(uncheckedParts(facts).find((u) => u.check === 'account')).toEqual({
      check: 'account',
      why: 'id -Gn alice did not answer within 4 s',
    });
    // The rest of the host as the healthy one: exactly what the user sees.
    expect(seen(healthy({ effective: known(facts.effective), user: facts.user }))).toEqual({
      ids: ['checks-incomplete'],
      unchecked: [{ check: 'account', why: 'id -Gn alice did not answer within 4 s' }],
    });
  });

  it('getent group timed out: StrictModes and access are not judged without the group', async () => {
    const AK = '/home/alice/.ssh/authorized_keys';
    const alice: UserFacts = {
      name: 'alice',
      exists: true,
      uid: 1001,
      gid: 1001,
      home: '/home/alice',
      shell: '/bin/bash',
    };
    // A group-writable home: Debian's StrictModes accepts it when alice is the group's only member.
    const exec = host('getent group 1001', (line, cmd) => {
      if (cmd[0] === 'realpath') return ran(`${AK}\n/home/alice/.ssh/authorized_keys2\n`);
      if (cmd[0] === 'stat' && cmd.includes('%s\t%n')) return ran(`40\t${AK}\n`);
      if (cmd[0] === 'stat')
        return ran(
          cmd
            .slice(cmd.indexOf('--') + 1)
            .flatMap((p) => {
              if (p.endsWith('authorized_keys2')) return [];
              const [type, mode, owner] =
                p === AK
                  ? ['regular file', '600', 1001]
                  : p === '/home/alice'
                    ? ['directory', '775', 1001]
                    : p.startsWith('/home/alice')
                      ? ['directory', '700', 1001]
                      : ['directory', '755', 0];
              const name = owner === 0 ? 'root' : 'alice';
              return [`${type}\t${mode}\t${owner}\t${owner}\t${name}\t${name}\t2049:1:1\t${p}`];
            })
            .join('\n') + '\n',
        );
      if (line === `cat -- ${AK}`)
        return ran('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGsmxWefX+7souWnSqfLqtkGnZ2IR438No8lRBMGXaDI alice\n');
      if (line === 'getent passwd') return ran('alice:x:1001:1001::/home/alice:/bin/bash\n');
      if (line === 'getent group 0') return ran('root:x:0:\n');
      return undefined;
    });
    const authFiles = await probeAuthFiles(exec, alice, undefined, false);
    expect(seen(healthy({ authFiles }))).toEqual({
      ids: ['checks-incomplete'],
      unchecked: [{ check: 'authorized_keys', why: 'getent group 1001 did not answer within 4 s' }],
    });
  });

  it('systemctl is-active timed out: a socket-activated sshd is possible, so neither "not running" nor "port taken"', async () => {
    const exec = host('systemctl is-active ssh.socket', (line, cmd) => {
      if (line === 'cat /proc/1/comm') return ran('systemd\n');
      if (cmd[0] === 'stat') return ran('directory\t755\t0\t0\troot\troot\t25:1:1\t/run/systemd/system\n');
      if (line === 'systemctl is-enabled ssh.service') return ran('disabled\n');
      return undefined;
    });
    const init = await probeInit(exec);
    const down = {
      processes: { pids: [], commands: [] },
      listeners: { source: 'ss' as const, sockets: [{ address: '0.0.0.0', port: 22, process: 'systemd', pid: 1 }] },
    };
    expect(seen(healthy({ ...down, init }))).toEqual({
      ids: ['checks-incomplete'],
      unchecked: [
        {
          check: 'service manager (socket activation)',
          why: 'systemctl is-active ssh.socket did not answer within 3 s',
        },
      ],
    });
  });

  it('as root, getent shadow timed out: the lock and expiry are unknown, the rest of the account is judged', async () => {
    const exec = host('getent shadow alice', (line) =>
      line === 'getent passwd alice' ? ran('alice:x:1001:1001::/home/alice:/usr/sbin/nologin\n') : undefined,
    );
    const user = await probeUser(exec, 'alice');
    expect(seen(healthy({ user }))).toEqual({
      ids: ['login-shell-nologin'],
      unchecked: [],
    });
    const bash = await probeUser(
      host('getent shadow alice', (line) =>
        line === 'getent passwd alice' ? ran('alice:x:1001:1001::/home/alice:/bin/bash\n') : undefined,
      ),
      'alice',
    );
    expect(seen(healthy({ user: bash }))).toEqual({
      ids: ['checks-incomplete'],
      unchecked: [{ check: 'shadow (account lock and expiry)', why: 'getent shadow alice did not answer within 4 s' }],
    });
  });
});
