import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { driver, fixInLab, login, STATE } from './fix-lab.js';

const DROP_IN = '/etc/ssh/sshd_config.d/50-hardening.conf';
const sha = async (lab: Lab, f: string) => (await lab.sh(`sha256sum ${f} | cut -d' ' -f1`)).stdout.trim();

describe.runIf(requireLab())('fix: config edits through a validated temporary copy', () => {
  let lab: Lab;
  let original: string;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`printf '# hardening\\nPasswordAuthentication no\\nPubkeyAuthentication no\\n' > ${DROP_IN}
${SERVER_SETUP(2313)}`);
    original = await sha(lab, DROP_IN);
  });
  afterAll(() => lab?.close());

  it('an edit sshd -t rejects leaves the original byte-for-byte and reports the sshd -t error', async () => {
    const out = await driver(lab, ['--edit', DROP_IN, '3', 'PubkeyAuthentication maybe']);
    const r = out.applied[0]!.result;
    expect(r.ok).toBe(false);
    expect(r.log.join('\n')).toMatch(/sshd -t -f \S+ssh-doctor-tmp\n {2}failed: .*unsupported option "maybe"/);
    expect(r.log.join('\n')).toContain('put back: $ rm -f /etc/ssh/sshd_config.d/.50-hardening.conf.ssh-doctor-tmp');
    expect(await sha(lab, DROP_IN)).toBe(original);
    expect((await lab.sh('ls -A /etc/ssh/sshd_config.d')).stdout.trim().split('\n')).toEqual(['50-hardening.conf']);
  });

  it('PubkeyAuthentication no in a drop-in: the drop-in is edited, sshd reloaded, a backup kept, login works', async () => {
    expect((await login(lab, 2313)).exitCode).not.toBe(0);
    const pidBefore = (await lab.sh('cat /run/sshd.pid')).stdout.trim();
    const out = await fixInLab(lab, 2313, ['pubkey-auth-disabled']);
    const a = out.applied[0]!;
    expect(a.fix.commands.map((c) => c[0])).toEqual([
      'cp',
      'cp',
      'sed',
      '/usr/sbin/sshd',
      'mv',
      '/usr/sbin/sshd',
      'kill',
    ]);
    expect(a.fix.commands[2]).toEqual([
      'sed',
      '-i',
      '-e',
      '3c PubkeyAuthentication yes',
      '/etc/ssh/sshd_config.d/.50-hardening.conf.ssh-doctor-tmp',
    ]);
    expect(a.fix.commands[6]).toEqual(['kill', '-HUP', pidBefore]);
    expect(a.result.ok).toBe(true);
    expect((await lab.sh(`cat ${DROP_IN}`)).stdout).toBe(
      '# hardening\nPasswordAuthentication no\nPubkeyAuthentication yes',
    );
    const backup = a.fix.commands[0]![3]!;
    expect(await sha(lab, backup)).toBe(original);
    // Reloaded, not restarted: same listener pid.
    expect((await lab.sh('cat /run/sshd.pid')).stdout.trim()).toBe(pidBefore);
    expect((await login(lab, 2313)).stdout.trim()).toBe('alice');
  });

  it('undo lists the change and reverts it: the original bytes are back and key login is refused again', async () => {
    const listed = await lab.cli(['undo', '--list', '--json'], { env: STATE });
    const entries = JSON.parse(listed.stdout).entries as { id: string; fixId: string; backups: string[] }[];
    const e = entries.find((x) => x.fixId === 'enable-pubkey-auth')!;
    expect(e.backups).toHaveLength(1);
    const r = await lab.cli(['undo', e.id, '--yes'], { env: STATE });
    expect(r.stdout).toContain('Undone.');
    expect(await sha(lab, DROP_IN)).toBe(original);
    expect((await login(lab, 2313)).exitCode).not.toBe(0);
    const again = JSON.parse((await lab.cli(['undo', '--list', '--json'], { env: STATE })).stdout).entries as {
      id: string;
    }[];
    expect(again.map((x) => x.id)).not.toContain(e.id);
  });
});

describe.runIf(requireLab())('fix: two edits of one drop-in, undone in reverse order', () => {
  let lab: Lab;
  const FILE = '/etc/ssh/sshd_config.d/60-two.conf';
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`printf 'UseDNS yes\\nPubkeyAuthentication no\\n' > ${FILE}
${SERVER_SETUP(2321)}`);
  });
  afterAll(() => lab?.close());

  it('server --yes applies both; undoing the older one first is refused; in reverse order the original comes back', async () => {
    const original = await sha(lab, FILE);
    const r = await lab.json(['server', '--yes', '--user', 'alice', '--port', '2321'], { env: STATE });
    // The lab's sshd listens on 127.0.0.1 only, given with -o: no edit fixes that.
    expect(r.report.findings.map((f: { id: string }) => f.id)).toEqual(['sshd-listen-address']);
    expect((await lab.sh(`cat ${FILE}`)).stdout).toBe('UseDNS no\nPubkeyAuthentication yes');
    expect((await login(lab, 2321)).stdout.trim()).toBe('alice');
    const entries = JSON.parse((await lab.cli(['undo', '--list', '--json'], { env: STATE })).stdout).entries as {
      id: string;
      fixId: string;
    }[];
    expect(entries.map((e) => e.fixId).sort()).toEqual(['disable-usedns', 'enable-pubkey-auth']);
    const older = entries[0]!;
    const newer = entries[1]!;
    const refused = await lab.cli(['undo', older.id, '--yes'], { env: STATE });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain(`${FILE} changed after this change was made`);
    expect((await lab.cli(['undo', newer.id, '--yes'], { env: STATE })).exitCode).toBe(0);
    expect((await lab.cli(['undo', older.id, '--yes'], { env: STATE })).exitCode).toBe(0);
    expect(await sha(lab, FILE)).toBe(original);
  });
});

describe.runIf(requireLab())('fix: an option this sshd does not know', () => {
  let lab: Lab;
  const BAD = '/etc/ssh/sshd_config.d/60-new.conf';
  beforeAll(async () => {
    lab = await startLab();
    // sshd started with a good configuration (on every lab address); then someone adds an option it does not know.
    await lab.sh(`${SERVER_SETUP(2329).replace('-o ListenAddress=127.0.0.1 ', '')}
printf '# from a newer OpenSSH\\nPerSourcePenalties no\\nX11Forwarding no\\n' > ${BAD}`);
  });
  afterAll(() => lab?.close());

  it('server --yes comments out exactly that line, sshd -t passes again, the reload keeps sshd up, login works', async () => {
    const before = await lab.json(['server', '--user', 'alice', '--port', '2329'], { env: STATE });
    expect(before.report.findings.map((f: { id: string }) => f.id)).toEqual(['sshd-config-invalid']);
    expect(before.report.findings[0].fix).toMatchObject({
      id: 'disable-unknown-option',
      title:
        'Comment out what this sshd does not understand: line 2 "PerSourcePenalties no" (in /etc/ssh/sshd_config.d/60-new.conf)',
    });
    const r = await lab.json(['server', '--yes', '--user', 'alice', '--port', '2329'], { env: STATE });
    expect(r.report.applied).toEqual([expect.objectContaining({ fixId: 'disable-unknown-option', ok: true })]);
    expect(r.report.findings).toEqual([]);
    expect((await lab.sh(`cat ${BAD}`)).stdout).toBe(
      '# from a newer OpenSSH\n# PerSourcePenalties no  (disabled by ssh-doctor: unknown to this sshd)\nX11Forwarding no',
    );
    expect((await lab.sh('/usr/sbin/sshd -t')).exitCode).toBe(0);
    expect((await login(lab, 2329)).stdout.trim()).toBe('alice');
  });
});
