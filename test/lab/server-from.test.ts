// --from and the address assumed for the locked-out person: AllowUsers USER@HOST decided for that
// address, checked first with the real client against the lab's real sshd.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { canLogin, diagnose, finding, PORT, SETUP, sh, STOP_SSHD } from '../server/lab-helpers.js';

const RESTART = `${STOP_SSHD}\n/usr/sbin/sshd -p ${PORT} -E /var/log/auth.log`;

describe.runIf(requireLab())('server --from: rules decided by the client address', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, SETUP);
  });
  afterEach(() => lab?.close());

  it('no refusal in the log, no --from: AllowUsers alice@10.0.0.1 is reported as depending on the address', async () => {
    await sh(lab, `echo 'AllowUsers alice@10.0.0.1' >> /etc/ssh/sshd_config\n${RESTART}`);
    const { report, ids, exitCode } = await diagnose(lab);
    expect(ids).toEqual(['user-not-allowed']);
    const f = finding(report, 'user-not-allowed');
    expect(f.severity).toBe('warning');
    expect(f.summary).toContain('only as alice@10.0.0.1: whether that lets them in depends on the address');
    expect(report.client).toEqual({
      source: 'none',
      why: "no refusal of alice with an address in sshd's log; rules that depend on the client address are reported as depending on it (give --from ADDR)",
    });
    expect(exitCode).toBe(0);
  });

  it("after a real refusal, the log's address is assumed: AllowUsers alice@10.0.0.1 refuses 127.0.0.1; --from 10.0.0.1 is let in", async () => {
    await sh(lab, `echo 'AllowUsers alice@10.0.0.1' >> /etc/ssh/sshd_config\n${RESTART}`);
    expect(await canLogin(lab)).toBe(false);
    await sh(lab, `for i in $(seq 50); do grep -q 'not allowed because' /var/log/auth.log && break; sleep 0.1; done`);
    const { report, ids, exitCode } = await diagnose(lab);
    expect(ids).toEqual(['user-not-allowed', 'sshd-log-refusal']);
    const f = finding(report, 'user-not-allowed');
    expect(f.severity).toBe('error');
    expect(f.summary).toBe(
      'sshd does not allow alice to log in: AllowUsers admits alice only as alice@10.0.0.1, not from 127.0.0.1.',
    );
    expect(f.evidence).toEqual([
      'sshd -T: allowusers alice@10.0.0.1',
      "client address: 127.0.0.1 (the last refusal of alice in sshd's log: User alice from 127.0.0.1 not allowed because not listed in AllowUsers)",
    ]);
    expect(report.client).toMatchObject({ address: '127.0.0.1', source: 'log' });
    expect(exitCode).toBe(1);

    const other = await diagnose(lab, ['--from', '10.0.0.1']);
    expect(other.ids).toEqual(['sshd-log-refusal']);
    expect(other.report.client).toEqual({ address: '10.0.0.1', source: 'option', why: 'given with --from' });

    // The text report says which address was assumed, too.
    const text = await lab.cli(['server', '--user', 'alice', '--port', String(PORT), '--from', '10.0.0.1']);
    expect(text.stdout).toContain('client address: 10.0.0.1 (given with --from)');
  });

  it('Match Address is decided for the --from address (sshd -T -C …,addr=ADDR)', async () => {
    await sh(
      lab,
      `printf 'Match Address 10.0.0.0/8\\n  PubkeyAuthentication no\\n' >> /etc/ssh/sshd_config\n${RESTART}`,
    );
    expect(await canLogin(lab)).toBe(true); // 127.0.0.1 is outside the Match
    expect((await diagnose(lab, ['--from', '127.0.0.1'])).ids).toEqual([]);
    const { ids, report } = await diagnose(lab, ['--from', '10.1.2.3']);
    expect(ids).toEqual(['pubkey-auth-disabled']);
    expect(finding(report, 'pubkey-auth-disabled').evidence).toEqual([
      'sshd -T -C user=alice,host=10.1.2.3,addr=10.1.2.3: pubkeyauthentication no',
    ]);
  });

  it('no address known: Match Address blocks that refuse are named with their settings and the rerun; --from inside a block gives its verdict', async () => {
    await sh(
      lab,
      `printf 'Match Address 10.0.0.0/8\\n  PubkeyAuthentication no\\nMatch Address 192.168.0.0/16\\n  AllowUsers bob\\n' >> /etc/ssh/sshd_config\n${RESTART}`,
    );
    expect(await canLogin(lab)).toBe(true); // 127.0.0.1 is in neither block
    const { ids, report, exitCode } = await diagnose(lab);
    expect(ids).toEqual(['config-depends-on-address']);
    expect(report.verdict).toMatchObject({ id: 'config-depends-on-address', severity: 'warning' });
    expect(exitCode).toBe(0);
    const f = finding(report, 'config-depends-on-address');
    expect(f.summary).toBe(
      "Whether alice can log in depends on the address they connect from: from an address in Match Address 10.0.0.0/8 (pubkey-auth-disabled) or Match Address 192.168.0.0/16 (user-not-allowed), sshd's settings refuse the login. The rest of this report holds for a sample address (203.0.113.10).",
    );
    expect(f.evidence).toEqual([
      "this report's sshd -T -C user=alice,host=client.invalid,addr=203.0.113.10: a sample address, since alice's is not known",
      'Match Address 10.0.0.0/8: sshd -T -C user=alice,host=10.0.0.1,addr=10.0.0.1: pubkeyauthentication no (sample: yes); there ssh-doctor finds pubkey-auth-disabled',
      'Match Address 192.168.0.0/16: sshd -T -C user=alice,host=192.168.0.1,addr=192.168.0.1: allowusers bob (sample: (not set)); there ssh-doctor finds user-not-allowed',
    ]);
    expect(f.next).toEqual([
      'as root, rerun with the address alice connects from in place of ADDR, to have every rule decided for it:',
      `ssh-doctor server --user alice --port ${PORT} --from ADDR`,
    ]);

    // The rerun as the admin would type it, with an address in each block, and one in neither.
    const rerun = async (addr: string) => {
      const [cmd, ...args] = f.next![1]!.replace('ADDR', addr).split(' ');
      expect(cmd).toBe('ssh-doctor');
      const r = await lab.cli([...args, '--json'], { timeoutMs: 30_000 });
      const rep = JSON.parse(r.stdout);
      return { report: rep, ids: rep.findings.map((x: { id: string }) => x.id) };
    };
    const in10 = await rerun('10.1.2.3');
    expect(in10.ids).toEqual(['pubkey-auth-disabled']);
    expect(finding(in10.report, 'pubkey-auth-disabled').evidence).toEqual([
      'sshd -T -C user=alice,host=10.1.2.3,addr=10.1.2.3: pubkeyauthentication no',
    ]);
    const in192 = await rerun('192.168.7.8');
    expect(in192.ids).toEqual(['user-not-allowed']);
    expect(finding(in192.report, 'user-not-allowed').summary).toBe(
      'sshd does not allow alice to log in: AllowUsers does not include alice.',
    );
    expect((await rerun('127.0.0.1')).ids).toEqual([]);
  });

  it('no address known: Match blocks that do not depend on the address, or change no login setting, say nothing', async () => {
    await sh(
      lab,
      `printf 'Match User bob\\n  PubkeyAuthentication no\\nMatch Address 10.0.0.0/8\\n  X11Forwarding no\\n' >> /etc/ssh/sshd_config\n${RESTART}`,
    );
    const { ids, report } = await diagnose(lab);
    expect(ids).toEqual([]);
    expect(report.verdict.id).toBe('server-ok');
    expect(report.probes.find((p: { id: string }) => p.id === 'match-blocks')).toMatchObject({
      status: 'ok',
      detail: 'no Match Address/Host block changes a login setting',
    });
  });

  it('--from takes only an address', async () => {
    const r = await lab.cli(['server', '--user', 'alice', '--from', 'example.org']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--from takes an IPv4 or IPv6 address, not "example.org".');
  });
});
