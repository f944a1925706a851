// authorized_keys contents sshd decides on: each scenario first has the real client refused by the
// lab's real sshd, then `server --json` names the cause with the line and sshd's own log line.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { STATE } from './fix-lab.js';
import { aliceSsh, canLogin, diagnose, finding, PORT, SETUP, sh, STOP_SSHD } from '../server/lab-helpers.js';

const RESTART = `${STOP_SSHD}\n/usr/sbin/sshd -p ${PORT} -E /var/log/auth.log`;
const AK = '/home/alice/.ssh/authorized_keys';
/** Waits for sshd to have logged a line matching `re` (its log write follows the client's exit). */
const logged = (re: string) =>
  `for i in $(seq 50); do grep -q -- '${re}' /var/log/auth.log && exit 0; sleep 0.1; done; exit 1`;

describe.runIf(requireLab())('server diagnosis: authorized_keys contents', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, SETUP);
  });
  afterEach(() => lab?.close());

  it('authorized-keys-malformed: her key wrapped over two lines; rejoined (owner, mode kept), then undone', async () => {
    await sh(lab, `chmod 0640 ${AK}`);
    const whole = await sh(lab, `cat ${AK}`);
    await sh(lab, `k=$(cat ${AK}); printf '%s\\n%s\\n' "\${k:0:40}" "\${k:40}" > ${AK}`);
    const wrapped = await sh(lab, `cat ${AK}`);
    const owner = () => sh(lab, `stat -c '%a %U:%G %h %F' ${AK}`);
    expect(await owner()).toBe('640 alice:alice 1 regular file');
    expect(await canLogin(lab)).toBe(false);
    await sh(lab, logged('Connection closed by authenticating user alice'));
    const { report, ids, exitCode } = await diagnose(lab);
    expect(ids).toEqual(['authorized-keys-malformed', 'sshd-log-refusal']);
    const f = finding(report, 'authorized-keys-malformed') as ReturnType<typeof finding> & { fix: any };
    expect(f.severity).toBe('error');
    const [l1, l2] = wrapped.trim().split('\n');
    expect(f.evidence).toEqual([
      `${AK}:1-2: one key wrapped over two lines; sshd reads each line alone and skips both: ${l1} / ${l2}`,
    ]);
    expect(exitCode).toBe(1);
    // The exact change: both lines and the line they make, then a backup and the join.
    expect(f.fix.id).toBe('rejoin-authorized-key');
    expect(f.fix.title).toBe(
      `Rejoin lines 1-2 of ${AK} into the one key line they were: "${l1}" + "${l2}" → "${whole.trim()}"`,
    );
    const backup = f.fix.commands[0][3] as string;
    expect(backup).toMatch(/^\/home\/alice\/\.ssh\/authorized_keys\.ssh-doctor-\d{8}T\d{6}\.\d{3}Z$/);
    expect(f.fix.commands).toEqual([
      ['cp', '-p', AK, backup],
      ['sed', '-i', '-e', '1{N;s/[ \\t]*\\n[ \\t]*//}', AK],
    ]);
    expect(f.fix.undo).toEqual([['cp', '-p', backup, AK]]);

    const r = await lab.json(['server', '--yes', '--user', 'alice', '--port', String(PORT)], { env: STATE });
    expect(r.report.applied).toEqual([expect.objectContaining({ fixId: 'rejoin-authorized-key', ok: true })]);
    expect(await sh(lab, `cat ${AK}`)).toBe(whole);
    expect(await owner()).toBe('640 alice:alice 1 regular file');
    // This run's backup (its name has this run's time), with the file as it was, owner and mode.
    const made = await sh(lab, `ls ${AK}.ssh-doctor-*`);
    expect(made).toMatch(/^\/home\/alice\/\.ssh\/authorized_keys\.ssh-doctor-\S+$/);
    expect(await sh(lab, `stat -c '%a %U:%G' ${made}; cat ${made}`)).toBe(`640 alice:alice\n${wrapped}`);
    expect(await canLogin(lab)).toBe(true);

    const list = JSON.parse((await lab.cli(['undo', '--list', '--json'], { env: STATE })).stdout).entries as {
      id: string;
      fixId: string;
    }[];
    expect(list.map((e) => e.fixId)).toEqual(['rejoin-authorized-key']);
    const undo = await lab.cli(['undo', list[0]!.id, '--yes'], { env: STATE });
    expect(undo.exitCode).toBe(0);
    expect(await sh(lab, `cat ${AK}`)).toBe(wrapped);
    expect(await owner()).toBe('640 alice:alice 1 regular file');
    expect(await canLogin(lab)).toBe(false);
  });

  it('authorized-keys-malformed through her symlink: found, but ssh-doctor as root does not rejoin it', async () => {
    await sh(
      lab,
      `k=$(cat ${AK}); printf '%s\\n%s\\n' "\${k:0:40}" "\${k:40}" > /home/alice/keys; chown alice:alice /home/alice/keys; rm ${AK}; ln -s /home/alice/keys ${AK}; chown -h alice:alice ${AK}`,
    );
    expect(await canLogin(lab)).toBe(false);
    await sh(lab, logged('Connection closed by authenticating user alice'));
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['authorized-keys-malformed', 'sshd-log-refusal']);
    expect((finding(report, 'authorized-keys-malformed') as { fix?: unknown }).fix).toBeUndefined();
  });

  it('authorized-keys-from-restricted: from="10.0.0.0/8" and she comes from 127.0.0.1 (the address in the log)', async () => {
    await sh(lab, `sed -i 's|^|from="10.0.0.0/8" |' ${AK}`);
    expect(await canLogin(lab)).toBe(false);
    await sh(lab, logged('not from a permitted host'));
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['authorized-keys-from-restricted', 'sshd-log-refusal']);
    const f = finding(report, 'authorized-keys-from-restricted');
    expect(f.severity).toBe('error');
    expect(f.evidence).toEqual([
      `${AK}:1: from="10.0.0.0/8" does not admit 127.0.0.1`,
      "client address: 127.0.0.1 (the last refusal of alice in sshd's log: Connection closed by authenticating user alice 127.0.0.1 port " +
        f.evidence[1]!.split(' port ')[1],
    ]);
    expect(finding(report, 'sshd-log-refusal').evidence[0]).toBe(
      `${AK}:1: Authentication tried for alice with correct key but not from a permitted host (host=127.0.0.1, ip=127.0.0.1, required=10.0.0.0/8).`,
    );
    // For someone inside 10.0.0.0/8 the same key is fine.
    expect((await diagnose(lab, ['--from', '10.1.2.3'])).ids).toEqual(['sshd-log-refusal']);
  });

  it('authorized-keys-type-not-accepted: only a DSA key, which this sshd no longer accepts', async () => {
    await sh(lab, `ssh-keygen -q -t dsa -N '' -f /root/.ssh/id_dsa && cp /root/.ssh/id_dsa.pub ${AK}`);
    const dsaLogin = aliceSsh([
      '-o',
      'IdentitiesOnly=yes',
      '-i',
      '/root/.ssh/id_dsa',
      '-o',
      'PubkeyAcceptedAlgorithms=+ssh-dss',
    ]);
    // The client offers the DSA key; the server refuses it.
    const refused = await lab.exec(dsaLogin);
    expect(refused.stdout.trim()).toBe('');
    expect(refused.stderr).toContain('Permission denied (publickey');
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['authorized-keys-type-not-accepted', 'sshd-log-refusal']);
    const f = finding(report, 'authorized-keys-type-not-accepted');
    expect(f.severity).toBe('error');
    expect(f.evidence[0]).toMatch(
      new RegExp(
        `^${AK}:1: a ssh-dss key; sshd accepts none of ssh-dss \\(sshd -T: pubkeyacceptedalgorithms .*rsa-sha2-256\\)$`,
      ),
    );
    // The server's setting is the cause: accepting DSA again lets the same key in, and the finding goes.
    await sh(lab, `echo 'PubkeyAcceptedAlgorithms +ssh-dss' >> /etc/ssh/sshd_config\n${RESTART}`);
    expect((await lab.exec(dsaLogin)).stdout.trim()).toBe('alice');
    expect((await diagnose(lab)).ids).not.toContain('authorized-keys-type-not-accepted');
  });

  it('authorized-keys-options: command= runs only that command (info); restrict alone is harmless', async () => {
    await sh(lab, `sed -i 's|^|command="/bin/echo forced" |' ${AK}`);
    const r = await lab.exec(aliceSsh());
    expect(r.stdout.trim()).toBe('forced');
    const { report, ids, exitCode } = await diagnose(lab);
    expect(ids).toEqual(['authorized-keys-options']);
    expect(finding(report, 'authorized-keys-options').evidence).toEqual([
      `${AK}:1: command="/bin/echo forced": each login with this key runs only that command, then the session ends (no shell)`,
    ]);
    expect(exitCode).toBe(0);

    await sh(lab, `sed -i 's|^command="/bin/echo forced" |restrict |' ${AK}`);
    expect(await canLogin(lab)).toBe(true);
    const again = await diagnose(lab);
    expect(again.ids).toEqual(['authorized-keys-options']);
    expect(finding(again.report, 'authorized-keys-options').evidence).toEqual([
      `${AK}:1: restrict: harmless to a key login (no terminal, no forwarding; commands and a shell still run)`,
    ]);
  });
});
