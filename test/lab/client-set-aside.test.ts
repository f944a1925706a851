// Every ssh flag that does not shape the connection, and a remote command, is read and set aside:
// one CLI run each against the same working sshd, the verdict still ok, the report naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, SERVER_SETUP, startLab, type Lab } from './lab.js';

/** [the words typed before the host, what the report's setAside.flags says] */
const FLAGS: [string[], string[]][] = [
  ...['-A', '-a', '-t', '-T', '-X', '-x', '-Y', '-C', '-N', '-f', '-n', '-q', '-v', '-M', '-g', '-k', '-K', '-s'].map(
    (f): [string[], string[]] => [[f], [f]],
  ),
  [['-vvv'], ['-v', '-v', '-v']],
  [
    ['-E', '/root/ssh.log'],
    ['-E', '/root/ssh.log'],
  ],
  [
    ['-L', '8080:localhost:80'],
    ['-L', '8080:localhost:80'],
  ],
  [
    ['-R', '9090:localhost:22'],
    ['-R', '9090:localhost:22'],
  ],
  [
    ['-D', '1080'],
    ['-D', '1080'],
  ],
  [
    ['-W', 'localhost:22'],
    ['-W', 'localhost:22'],
  ],
  [
    ['-w', '0:0'],
    ['-w', '0:0'],
  ],
  [
    ['-S', '/root/ctl'],
    ['-S', '/root/ctl'],
  ],
  [
    ['-e', 'none'],
    ['-e', 'none'],
  ],
];

describe.runIf(requireLab())('set-aside ssh flags against a working sshd', () => {
  let l: Lab;
  beforeAll(async () => {
    l = await startLab();
    // ssh-keyscan gets nothing while sshd is still starting (it failed once under load): retry.
    const r = await l.sh(`${SERVER_SETUP(22)}
for i in $(seq 100); do ssh-keyscan 127.0.0.1 > /root/.ssh/known_hosts 2>/dev/null; [ -s /root/.ssh/known_hosts ] && break; sleep 0.1; done
[ -s /root/.ssh/known_hosts ]`);
    if (r.exitCode !== 0) throw new Error(`lab setup failed: ${r.stderr}${r.stdout}`);
  });
  afterAll(() => l?.close());

  it.each(FLAGS)('%j', async (typed, named) => {
    const { exitCode, report } = await l.json([...typed, 'alice@127.0.0.1']);
    expect(report.verdict.id).toBe('ok');
    expect(exitCode).toBe(0);
    expect(report.setAside).toEqual({ flags: named, command: [] });
  });

  it('a remote command, with a set-aside flag after the host', async () => {
    // After the host, ssh reads flags up to the first other word; all after it is the command
    // (a --json there would be too), so ssh-doctor's own option goes first.
    const r = await l.cli(['--json', 'alice@127.0.0.1', '-t', 'uptime', '-p']);
    const report = JSON.parse(r.stdout);
    expect(report.verdict.id).toBe('ok');
    expect(report.setAside).toEqual({ flags: ['-t'], command: ['uptime', '-p'] });
  });

  it('the text report says it too, and nothing ran or was written on their account', async () => {
    const r = await l.cli([
      '-E',
      '/root/ssh.log',
      '-S',
      '/root/ctl',
      '-M',
      '-f',
      'alice@127.0.0.1',
      'touch',
      '/tmp/ran',
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /^Set aside \(not used by the diagnosis\): -E \/root\/ssh\.log -S \/root\/ctl -M -f; the remote command "touch \/tmp\/ran"$/m,
    );
    expect(r.stdout).toMatch(/^Verdict: ok /m);
    expect((await l.sh('ls /root/ssh.log /root/ctl /tmp/ran 2>&1 || true')).stdout).not.toMatch(/^\/\S+$/m);
  });

  it('with only shaping flags there is nothing set aside', async () => {
    const { report } = await l.json([
      '-p',
      '22',
      '-o',
      'ConnectTimeout=3',
      '-c',
      'aes128-ctr',
      '-m',
      'hmac-sha2-256',
      '-b',
      '127.0.0.1',
      '-B',
      'lo',
      '-4',
      'alice@127.0.0.1',
    ]);
    expect(report.verdict.id).toBe('ok');
    expect(report.setAside).toBeUndefined();
  });
});
