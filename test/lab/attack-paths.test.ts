// An unprivileged user attacks root's permission fixes and their undo (issue: symlinks, a swap
// between check and change, hard links). Each test asserts the state of the files the attack
// aimed at, not only what ssh-doctor said.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { fixInLab, STATE } from './fix-lab.js';
import { shellQuote } from '../../src/shell-quote.js';

const PORT = 2360;
const ids = (out: { findings: { id: string }[] }) => out.findings.map((f) => f.id);
const asAlice = (script: string) => `runuser -u alice -- bash -euc ${shellQuote(script)}`;

describe.runIf(requireLab())("attack: a user steers root's permission fixes", () => {
  let lab: Lab;
  const modes = async (...paths: string[]) =>
    (await lab.sh(`stat -c '%n %a %U:%G' ${paths.join(' ')}`)).stdout.trim().split('\n');
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(PORT)}
useradd -m -s /bin/bash bob
echo 'bob rc' > /home/bob/.bashrc; chown bob:bob /home/bob/.bashrc; chmod 644 /home/bob/.bashrc
install -d -m 1777 /run/shared`);
  });
  afterAll(() => lab?.close());
  const reset = () =>
    lab.sh(`rm -rf /home/alice/.ssh /home/alice/.ssh.real /home/alice/other
install -d -m 700 -o alice -g alice /home/alice/.ssh
install -m 600 -o alice -g alice /root/.ssh/id_ed25519.pub /home/alice/.ssh/authorized_keys
rm -rf ${STATE.SSH_DOCTOR_STATE_DIR}`);

  it("authorized_keys made a symlink to another user's file: reported, never chowned", async () => {
    await reset();
    await lab.sh(asAlice('ln -sf /home/bob/.bashrc ~/.ssh/authorized_keys'));
    const out = await fixInLab(lab, PORT, []);
    // sshd listens on loopback only in the lab (sshd-listen-address); bob's "bob rc", read as alice
    // the way sshd reads it, is no key (authorized-keys-malformed).
    expect(ids(out)).toEqual([
      'sshd-listen-address',
      'authorized-keys-malformed',
      'authorized-keys-permissions',
      'home-permissions',
      'unsafe-path',
    ]);
    expect(out.findings.find((f) => f.id === 'unsafe-path')).toMatchObject({
      evidence: expect.arrayContaining([
        '/home/alice/.ssh/authorized_keys is a symlink owned by alice (to /home/bob/.bashrc)',
      ]),
    });
    expect(out.applied).toEqual([]);
    expect(await modes('/home/bob/.bashrc', '/home/bob')).toEqual([
      '/home/bob/.bashrc 644 bob:bob',
      '/home/bob 755 bob:bob',
    ]);
  });

  it('authorized_keys made a symlink to /etc/shadow: read as alice (as sshd does), so root reads nothing of it', async () => {
    await reset();
    await lab.sh(asAlice('ln -sf /etc/shadow ~/.ssh/authorized_keys'));
    const { report } = await lab.json(['server', '--user', 'alice', '--port', String(PORT)]);
    expect(report.probes.find((p: { id: string }) => p.id === 'auth-files').detail).toBe(
      '1 authorized_keys file(s); not read: /etc/shadow (alice cannot read it, and sshd reads it as alice)',
    );
    // sshd, reading as alice, cannot open it either: a refusal, named, and through her link no fix.
    expect(ids(report)).toEqual(['sshd-listen-address', 'authorized-keys-permissions', 'unsafe-path']);
    expect(report.findings.some((f: { fix?: unknown }) => f.fix)).toBe(false);
  });

  it('~/.ssh made a symlink to a world-writable system directory: its sticky 1777 stays', async () => {
    await reset();
    await lab.sh(
      asAlice(
        'mv ~/.ssh ~/.ssh.real && ln -s /run/shared ~/.ssh && cp ~/.ssh.real/authorized_keys /run/shared/authorized_keys',
      ),
    );
    const out = await fixInLab(lab, PORT, []);
    expect(ids(out)).toEqual(['sshd-listen-address', 'home-permissions', 'unsafe-path']);
    expect(out.applied).toEqual([]);
    expect(await modes('/run/shared')).toEqual(['/run/shared 1777 root:root']);
  });

  it('a hard link the kernel allows (to her own file): the fix is refused, neither file changes', async () => {
    await reset();
    await lab.sh(asAlice('chmod 666 ~/.ssh/authorized_keys && ln ~/.ssh/authorized_keys ~/other'));
    const out = await fixInLab(lab, PORT, []);
    expect(ids(out)).toEqual(['sshd-listen-address', 'authorized-keys-permissions', 'unsafe-path']);
    expect(out.findings.find((f) => f.id === 'unsafe-path')!).toMatchObject({
      evidence: ['/home/alice/.ssh/authorized_keys has 2 hard links, so it is also another file'],
    });
    expect(out.applied).toEqual([]);
    expect(await modes('/home/alice/other')).toEqual(['/home/alice/other 666 alice:alice']);
  });

  it('swapped for a symlink to /etc after diagnosis, before the fix: refused, /etc and /etc/shadow untouched', async () => {
    await reset();
    await lab.sh('chmod 777 /home/alice/.ssh && chown root:root /home/alice/.ssh');
    const before = await modes('/etc', '/etc/shadow');
    const out = await fixInLab(lab, PORT, ['ssh-dir-permissions'], [], {
      LAB_BETWEEN:
        'mv /home/alice/.ssh /home/alice/.ssh.real && ln -s /etc /home/alice/.ssh && chown -h alice:alice /home/alice/.ssh',
    });
    expect(out.applied.map((a) => [a.fix.commands, a.result.ok, a.result.log])).toEqual([
      [
        [
          ['chown', 'alice:alice', '/home/alice/.ssh'],
          ['chmod', '0700', '/home/alice/.ssh'],
        ],
        false,
        [
          'refused: /home/alice/.ssh is a symlink owned by alice (to /etc); ssh-doctor does not follow links that users control',
        ],
      ],
    ]);
    expect(await modes('/etc', '/etc/shadow')).toEqual(before);
  });

  it('swapped for another directory of hers: refused as no longer the object checked', async () => {
    await reset();
    await lab.sh('chmod 777 /home/alice/.ssh');
    const out = await fixInLab(lab, PORT, ['ssh-dir-permissions'], [], {
      LAB_BETWEEN: 'mv /home/alice/.ssh /home/alice/.ssh.real && install -d -m 777 -o alice -g alice /home/alice/.ssh',
    });
    expect(out.applied[0]!.result).toMatchObject({
      ok: false,
      log: ['refused: /home/alice/.ssh changed since it was checked; run ssh-doctor server again'],
    });
    expect(await modes('/home/alice/.ssh', '/home/alice/.ssh.real')).toEqual([
      '/home/alice/.ssh 777 alice:alice',
      '/home/alice/.ssh.real 777 alice:alice',
    ]);
  });

  it('undo after the fixed file became a symlink to /etc/shadow: refused, even with --force', async () => {
    await reset();
    await lab.sh('chmod 666 /home/alice/.ssh/authorized_keys');
    const out = await fixInLab(lab, PORT, ['authorized-keys-permissions']);
    expect(out.applied[0]!.result.ok).toBe(true);
    expect(await modes('/home/alice/.ssh/authorized_keys')).toEqual([
      '/home/alice/.ssh/authorized_keys 600 alice:alice',
    ]);
    const id = out.applied[0]!.result.journalId!;
    const shadow = await modes('/etc/shadow');
    await lab.sh(asAlice('rm ~/.ssh/authorized_keys && ln -s /etc/shadow ~/.ssh/authorized_keys'));
    for (const force of [[], ['--force']]) {
      const r = await lab.cli(['undo', id, '--yes', ...force], { env: STATE });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain(
        'Refused: /home/alice/.ssh/authorized_keys is a symlink owned by alice (to /etc/shadow); ssh-doctor does not follow links that users control.',
      );
    }
    expect(await modes('/etc/shadow')).toEqual(shadow);
    // Replaced by another file of hers (a new inode): still refused, and that file keeps its mode.
    await lab.sh(
      asAlice('rm ~/.ssh/authorized_keys && touch ~/.ssh/authorized_keys && chmod 644 ~/.ssh/authorized_keys'),
    );
    const r = await lab.cli(['undo', id, '--yes', '--force'], { env: STATE });
    expect(r.stdout).toContain(
      'Refused: /home/alice/.ssh/authorized_keys is no longer the object ssh-doctor changed (its inode changed since); nothing was undone.',
    );
    expect(await modes('/home/alice/.ssh/authorized_keys')).toEqual([
      '/home/alice/.ssh/authorized_keys 644 alice:alice',
    ]);
    // A refusal changes nothing, so the change is still listed for undo.
    expect((await lab.cli(['undo', '--list'], { env: STATE })).stdout).toContain(id);
  });

  // alice keeps swapping her authorized_keys and a symlink to /etc/shadow (both keep their inodes),
  // in her own session with no file descriptor of ours, until every process of hers is killed.
  const FLIP = `cd /home/alice/.ssh && runuser -u alice -- ln -sf /etc/shadow l
setpriv --reuid=alice --regid=alice --init-groups setsid bash -c 'cd /home/alice/.ssh; while :; do mv -T authorized_keys k; mv -T l authorized_keys; mv -T authorized_keys l; mv -T k authorized_keys; done' </dev/null >/dev/null 2>&1 &`;
  const stopFlipping = () =>
    lab.sh(
      'pkill -KILL -u alice || true; sleep 0.2; cd /home/alice/.ssh; if [ -L authorized_keys ]; then mv -T authorized_keys l; fi; [ -e authorized_keys ] || mv -T k authorized_keys; rm -f l k',
    );

  it('the swap loop runs from diagnosis to fix: her file is fixed or the fix refused, /etc/shadow never changes', async () => {
    const shadow = await modes('/etc/shadow');
    for (let i = 0; i < 4; i++) {
      await reset();
      await lab.sh('chmod 666 /home/alice/.ssh/authorized_keys');
      try {
        const out = await fixInLab(lab, PORT, ['authorized-keys-permissions'], [], { LAB_BETWEEN: FLIP });
        // Either her own file was there at that instant (the same inode: fixed), or it was refused.
        const r = out.applied[0]!.result;
        if (!r.ok)
          expect(r.log[0]).toMatch(
            /^refused: \/home\/alice\/\.ssh\/(authorized_keys (is a symlink owned by alice|does not exist|changed while it was being checked)|authorized_keys changed since it was checked)/,
          );
      } finally {
        await stopFlipping();
      }
      expect(await modes('/etc/shadow')).toEqual(shadow);
    }
  }, 60_000);

  it('the swap loop runs during undo: undo acts only on her file (or refuses), /etc/shadow never changes', async () => {
    const shadow = await modes('/etc/shadow');
    await reset();
    await lab.sh('chmod 666 /home/alice/.ssh/authorized_keys');
    const out = await fixInLab(lab, PORT, ['authorized-keys-permissions']);
    const id = out.applied[0]!.result.journalId!;
    await lab.sh(FLIP);
    let undone = false;
    try {
      for (let i = 0; i < 20 && !undone; i++) {
        const r = await lab.cli(['undo', id, '--yes'], { env: STATE });
        undone = r.exitCode === 0;
        if (!undone)
          expect(r.stdout).toMatch(
            /Refused: \/home\/alice\/\.ssh\/authorized_keys (is a symlink owned by alice|does not exist|changed while it was being checked)/,
          );
        expect(await modes('/etc/shadow')).toEqual(shadow);
      }
    } finally {
      await stopFlipping();
    }
    expect(undone).toBe(true);
    expect(await modes('/home/alice/.ssh/authorized_keys', '/etc/shadow')).toEqual([
      '/home/alice/.ssh/authorized_keys 666 alice:alice',
      ...shadow,
    ]);
  }, 60_000);

  it('undo of the same object puts the exact old mode back, chmod run as alice', async () => {
    await reset();
    await lab.sh('chmod 646 /home/alice/.ssh/authorized_keys');
    const out = await fixInLab(lab, PORT, ['authorized-keys-permissions']);
    expect(out.applied[0]!.result.log).toEqual([
      '$ chmod 0600 /home/alice/.ssh/authorized_keys',
      expect.stringMatching(/^ {2}made on the object checked \(inode \d+\), not by its path$/),
    ]);
    const r = await lab.cli(['undo', out.applied[0]!.result.journalId!, '--yes'], { env: STATE });
    expect(r.exitCode).toBe(0);
    expect(await modes('/home/alice/.ssh/authorized_keys')).toEqual([
      '/home/alice/.ssh/authorized_keys 646 alice:alice',
    ]);
  });
});
