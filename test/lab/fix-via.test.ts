// `server --via --yes`: fixes applied on the --via host over SSH, and undone there. In the lab this
// machine and the --via host share one filesystem, so ssh-doctor runs as `ops`, an unprivileged
// user with root's key in its own agent: it cannot chmod alice's files or touch iptables itself,
// so every change that lands was made by root on the far side of the SSH connection.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, requireLab, startLab, type Lab } from './lab.js';
import { canLogin, PORT, SETUP, sh } from '../server/lab-helpers.js';

const OPS_SETUP = `cat /root/.ssh/id_ed25519.pub > /root/.ssh/authorized_keys; chmod 600 /root/.ssh/authorized_keys
useradd -m ops; install -d -m 700 -o ops -g ops /home/ops/.ssh
install -m 600 -o ops -g ops /root/.ssh/id_ed25519 /home/ops/.ssh/root_key
ssh-keyscan -p ${PORT} 127.0.0.1 2>/dev/null > /home/ops/.ssh/known_hosts; chown ops: /home/ops/.ssh/known_hosts
runuser -u ops -- ssh-agent -a /home/ops/agent.sock >/dev/null
runuser -u ops -- env SSH_AUTH_SOCK=/home/ops/agent.sock ssh-add -q /home/ops/.ssh/root_key`;

/** ssh-doctor as ops. */
function asOps(lab: Lab, args: string[], timeoutMs = 60_000) {
  return lab.exec(
    [
      'runuser',
      '-u',
      'ops',
      '--',
      'env',
      'HOME=/home/ops',
      'USER=ops',
      'SSH_AUTH_SOCK=/home/ops/agent.sock',
      'PATH=/usr/local/bin:/usr/bin:/bin',
      'node',
      CLI,
      ...args,
    ],
    { timeoutMs },
  );
}

const VIA = ['--via', `root@127.0.0.1:${PORT}`];

async function fixVia(lab: Lab, extra: string[] = []) {
  const r = await asOps(lab, [
    'server',
    '--json',
    '--yes',
    ...VIA,
    '--user',
    'alice',
    '--port',
    String(PORT),
    ...extra,
  ]);
  try {
    return { ...r, report: JSON.parse(r.stdout) };
  } catch {
    throw new Error(`no JSON report (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
  }
}

async function journal(lab: Lab) {
  const r = await asOps(lab, ['undo', '--list', '--json']);
  return JSON.parse(r.stdout) as {
    journal: string;
    entries: { id: string; fixId: string; via?: unknown; results?: unknown[] }[];
  };
}

describe.runIf(requireLab())('fixes over --via, made and undone on the remote host', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, `${SETUP}\n${OPS_SETUP}`);
  });
  afterEach(() => lab?.close());

  it('ssh-dir-permissions: chmod runs there (ops could not), alice logs in, undo over --via puts the mode back', async () => {
    await sh(lab, 'chmod 777 /home/alice/.ssh');
    expect(await canLogin(lab)).toBe(false);
    // ops itself cannot change the mode: the fix below has to happen as root on the far side.
    expect((await lab.exec(['runuser', '-u', 'ops', '--', 'chmod', '0700', '/home/alice/.ssh'])).exitCode).not.toBe(0);

    const { exitCode, report, stderr } = await fixVia(lab);
    expect(report.applied).toEqual([expect.objectContaining({ fixId: 'fix-ssh-dir-permissions', ok: true })]);
    expect(stderr).toContain(
      "Fix for ssh-dir-permissions: Set the modes sshd's StrictModes requires: /home/alice/.ssh 0777 → 0700 [applied]",
    );
    // Run there as alice (who can only change her own files), then read back with stat.
    expect(stderr).toMatch(/\$ setpriv --reuid=\d+ --regid=\d+ --clear-groups chmod 0700 \/home\/alice\/\.ssh\n/);
    expect(stderr).toContain('verified: /home/alice/.ssh is 0700');
    expect(exitCode).toBe(0);
    expect((await sh(lab, 'stat -c %a /home/alice/.ssh')).trim()).toBe('700');
    expect(await canLogin(lab)).toBe(true);

    const { journal: path, entries } = await journal(lab);
    expect(path).toBe('/home/ops/.local/state/ssh-doctor/journal.jsonl');
    expect(entries).toEqual([
      expect.objectContaining({
        fixId: 'fix-ssh-dir-permissions',
        via: { user: 'root', host: '127.0.0.1', port: PORT },
      }),
    ]);
    const undo = await asOps(lab, ['undo', entries[0]!.id, '--yes']);
    expect(undo.stdout).toContain(`(on root@127.0.0.1:${PORT}, over SSH)`);
    expect(undo.exitCode).toBe(0);
    expect((await sh(lab, 'stat -c %a /home/alice/.ssh')).trim()).toBe('777');
  }, 90_000);

  it('pubkey-auth-disabled in a Match block of a drop-in: edited there through a validated copy, backup kept', async () => {
    await sh(
      lab,
      `printf '# ops test\\nMatch User alice\\n    PubkeyAuthentication no\\n' > /etc/ssh/sshd_config.d/50-alice.conf; pkill -HUP -x -o sshd; sleep 0.5`,
    );
    expect(await canLogin(lab)).toBe(false);

    const { exitCode, report } = await fixVia(lab);
    expect(report.applied).toEqual([expect.objectContaining({ fixId: 'enable-pubkey-auth', ok: true })]);
    expect(exitCode).toBe(0);
    expect(await sh(lab, 'cat /etc/ssh/sshd_config.d/50-alice.conf')).toBe(
      '# ops test\nMatch User alice\nPubkeyAuthentication yes',
    );
    expect(await sh(lab, 'cat /etc/ssh/sshd_config.d/50-alice.conf.ssh-doctor-*')).toBe(
      '# ops test\nMatch User alice\n    PubkeyAuthentication no',
    );
    expect(await canLogin(lab)).toBe(true);
    // The hash undo checks against was taken there, of the file as the fix left it.
    const { entries } = await journal(lab);
    expect(entries[0]).toMatchObject({
      fixId: 'enable-pubkey-auth',
      results: [{ path: '/etc/ssh/sshd_config.d/50-alice.conf', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }],
    });
  }, 90_000);

  describe('firewall-blocks-ssh on a second port, with the way in (--via port) open', () => {
    const PORT2 = PORT + 1;
    const BLOCK = `iptables -A INPUT -p tcp --dport ${PORT2} -j DROP`;
    // New connections to the --via port dropped, established ones kept: the way in just got cut.
    const CUT_NEW = `iptables -I INPUT 1 -p tcp --dport ${PORT} -m conntrack --ctstate NEW -j DROP`;
    // "Established" needs conntrack to have seen the session from its start, as on a host with a
    // stateful firewall. In a fresh namespace CUT_NEW would be the first rule to turn tracking on:
    // conntrack then picks the session up mid-stream, and if ssh-doctor's packet comes first, that
    // direction is NEW and dropped, every retransmit too, and the session hangs. A rule that
    // matches on conntrack, in a chain ssh-doctor does not read, turns tracking on before it connects.
    const TRACK = 'iptables -A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT';
    const ALLOW = `-A INPUT -p tcp -m tcp --dport ${PORT2} -m comment --comment ssh-doctor -j ACCEPT`;
    const rules = async () => (await sh(lab, 'iptables -S INPUT')).split('\n').filter((l) => l.startsWith('-A'));
    const login2 = () =>
      lab.exec([
        'ssh',
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        '-o',
        'ConnectTimeout=3',
        '-p',
        String(PORT2),
        'alice@127.0.0.1',
        'id',
        '-un',
      ]);
    const run = (extra: string[] = []) =>
      asOps(lab, ['server', '--json', '--yes', ...VIA, '--user', 'alice', '--port', String(PORT2), ...extra]);
    // The lab's bash runs with pipefail, so these polls use `grep -c`, which reads to the end:
    // `grep -q` exits at the first match and the writer's SIGPIPE would fail the pipeline.
    /** Once ssh-doctor's own connection is up, block new ones (as a fix gone wrong would). */
    // Once the run's own session is in (sshd logged its login: an established TCP connection alone
    // may be the host-key lookup before it, and cutting then would also cut the session).
    const logins = async () =>
      Number((await lab.sh("grep -c 'Accepted publickey for root' /var/log/auth.log || true")).stdout.trim());
    async function cutNewConnectionsOnceConnected(before: number) {
      await sh(
        lab,
        `for i in $(seq 300); do [ "$(grep -c 'Accepted publickey for root' /var/log/auth.log)" -gt ${before} ] && break; sleep 0.1; done; ${CUT_NEW}`,
      );
    }
    beforeEach(async () => {
      await sh(
        lab,
        `${TRACK}; pkill -x sshd; sleep 0.3; /usr/sbin/sshd -p ${PORT} -p ${PORT2} -E /var/log/auth.log; ${BLOCK}`,
      );
    });

    it('allowed before the DROP; a new connection gets in, so the change is kept and its timer disarmed', async () => {
      const r = await run(['--rollback-seconds', '8']);
      expect(r.stderr).toContain(
        `A new SSH connection to root@127.0.0.1:${PORT} got in after the change: kept, and its rollback timer disarmed.`,
      );
      expect(r.stderr).toMatch(
        /rollback armed on 127\.0\.0\.1 \(\/run\/ssh-doctor-rollback-\w+\.sh\): \$ sh -c 'setsid sh -c '\\''sleep 8; exec sh /,
      );
      expect(r.exitCode).toBe(0);
      expect(await rules()).toEqual([ALLOW, `-A INPUT -p tcp -m tcp --dport ${PORT2} -j DROP`]);
      expect((await login2()).stdout.trim()).toBe('alice');
      expect((await journal(lab)).entries.map((e) => e.fixId)).toEqual(['firewall-allow-ssh']);
      // The timer fires, finds its token claimed, leaves the change, and removes its script.
      await sh(lab, 'for i in $(seq 150); do ls /run/ssh-doctor-rollback-* >/dev/null 2>&1 || break; sleep 0.1; done');
      expect(await sh(lab, 'ls /run | grep ssh-doctor || true')).toBe('');
      expect(await rules()).toContain(ALLOW);
    }, 90_000);

    it('no new connection gets in after the change: reverted at once through the open session', async () => {
      const before = await logins();
      const running = run();
      await cutNewConnectionsOnceConnected(before);
      const r = await running;
      expect(r.stderr).toMatch(
        new RegExp(
          `A new SSH connection to root@127\\.0\\.0\\.1:${PORT} failed \\(.+\\), so the change was rolled back:`,
        ),
      );
      expect(r.exitCode).toBe(1);
      expect(await rules()).not.toContain(ALLOW);
      expect((await journal(lab)).entries).toEqual([]);
    }, 90_000);

    it('the session dies right after the change: the timer on the host reverts it after --rollback-seconds', async () => {
      const before = await logins();
      const running = run(['--rollback-seconds', '6']);
      await cutNewConnectionsOnceConnected(before);
      // The allow is in, ssh-doctor is waiting for its new connection: kill it and its SSH session.
      await sh(
        lab,
        `for i in $(seq 100); do iptables -S INPUT | grep -c -- '--comment ssh-doctor' >/dev/null && break; sleep 0.1; done; pkill -KILL -u ops -f ssh-doctor.mjs`,
      );
      await running;
      expect(await rules()).toContain(ALLOW);
      await sh(
        lab,
        `for i in $(seq 150); do iptables -S INPUT | grep -c -- '--comment ssh-doctor' >/dev/null || break; sleep 0.1; done`,
      );
      expect(await rules()).toEqual([
        `-A INPUT -p tcp -m tcp --dport ${PORT} -m conntrack --ctstate NEW -j DROP`,
        `-A INPUT -p tcp -m tcp --dport ${PORT2} -j DROP`,
      ]);
      // ssh-doctor died before settling it: the journal cannot know, undo --list says what most likely happened.
      expect((await asOps(lab, ['undo', '--list'])).stdout).toMatch(
        new RegExp(
          `probably already reverted: its rollback timer on root@127\\.0\\.0\\.1:${PORT} was due at \\S+ and ssh-doctor never confirmed it`,
        ),
      );
    }, 90_000);

    it('nftables, session dies: the timer deletes only the rule this change added (its handle was unknown when armed)', async () => {
      // The block moves to nftables; an older ssh-doctor rule in the same chain must survive.
      await sh(
        lab,
        `iptables -F INPUT
nft add table inet lab; nft add chain inet lab input '{ type filter hook input priority 0; }'
nft add rule inet lab input tcp dport 2299 accept comment '"ssh-doctor"'; nft add rule inet lab input tcp dport ${PORT2} drop`,
      );
      const nftRules = async () =>
        (await sh(lab, 'nft list chain inet lab input'))
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l.startsWith('tcp'));
      const before = await logins();
      const running = run(['--rollback-seconds', '6']);
      await cutNewConnectionsOnceConnected(before);
      await sh(
        lab,
        `for i in $(seq 100); do nft list chain inet lab input | grep -c 'dport ${PORT2} accept' >/dev/null && break; sleep 0.1; done; pkill -KILL -u ops -f ssh-doctor.mjs`,
      );
      await running;
      expect(await nftRules()).toEqual([
        'tcp dport 2299 accept comment "ssh-doctor"',
        `tcp dport ${PORT2} accept comment "ssh-doctor"`,
        `tcp dport ${PORT2} drop`,
      ]);
      await sh(
        lab,
        `for i in $(seq 150); do nft list chain inet lab input | grep -c 'dport ${PORT2} accept' >/dev/null || break; sleep 0.1; done`,
      );
      expect(await nftRules()).toEqual(['tcp dport 2299 accept comment "ssh-doctor"', `tcp dport ${PORT2} drop`]);
    }, 90_000);
  });
});
