// Server diagnosis scenarios about who may log in and StrictModes, each checked against the real
// sshd: the finding must appear exactly when a real key login fails.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { canLogin, diagnose, finding, SETUP, sh, STOP_SSHD, PORT } from '../server/lab-helpers.js';

const RESTART = `${STOP_SSHD}\n/usr/sbin/sshd -p ${PORT} -E /var/log/auth.log`;

describe.runIf(requireLab())('server diagnosis: access', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await sh(lab, SETUP);
  });
  afterEach(() => lab?.close());

  // StrictModes as this (Debian) sshd applies it: each mode is tried with a real login, and the
  // findings (all of them) must be present exactly when the login is refused.
  const strict: [string, string[], string | undefined][] = [
    ['chmod 0757 /home/alice', ['home-permissions'], '/home/alice: writable by everyone (mode 0757)'],
    ['chmod 0775 /home/alice', [], undefined], // Debian: private group alice, no other member
    [
      'useradd -M bob; usermod -aG alice bob; chmod 0775 /home/alice',
      ['home-permissions'],
      '/home/alice: writable by group alice (mode 0775), which has other members',
    ],
    ['chmod 0777 /home', [], undefined], // sshd stops walking at the home directory
    ['chmod 0757 /home/alice/.ssh', ['ssh-dir-permissions'], '/home/alice/.ssh: writable by everyone (mode 0757)'],
    ['chmod 0755 /home/alice/.ssh', [], undefined],
    [
      'chown root:root /home/alice/.ssh; chmod 0777 /home/alice/.ssh',
      ['ssh-dir-permissions'],
      '/home/alice/.ssh: writable by everyone (mode 0777)',
    ],
    [
      'chmod 0646 /home/alice/.ssh/authorized_keys',
      ['authorized-keys-permissions'],
      '/home/alice/.ssh/authorized_keys: writable by everyone (mode 0646)',
    ],
    ['chmod 0664 /home/alice/.ssh/authorized_keys', [], undefined],
    // Another account's file: ssh-doctor as root will not change it.
    [
      'useradd -M carol; chown carol /home/alice/.ssh/authorized_keys',
      ['authorized-keys-permissions', 'unsafe-path'],
      '/home/alice/.ssh/authorized_keys: owned by carol, not by the user or root',
    ],
  ];
  for (const [script, expected, evidence] of strict) {
    it(`StrictModes: ${script} → ${expected.join(', ') || 'no finding'} (and the real sshd agrees)`, async () => {
      await sh(lab, script);
      const { ids, report } = await diagnose(lab);
      expect(ids).toEqual(expected);
      if (evidence) expect(finding(report, expected[0]!).evidence).toContain(evidence);
      expect(await canLogin(lab)).toBe(expected.length === 0);
    });
  }

  it('authorized-keys-missing', async () => {
    await sh(lab, 'rm /home/alice/.ssh/authorized_keys');
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['authorized-keys-missing']);
    const f = finding(report, 'authorized-keys-missing');
    expect(f.evidence).toContain('/home/alice/.ssh/authorized_keys does not exist');
    // Only alice has her public key, so the steps are for a person: run them as written, with the
    // placeholder replaced by her key, and she logs in.
    expect(f.next![0]).toBe(
      "as root, with alice's PUBLIC key (one line of their id_ed25519.pub; never the private key):",
    );
    const key = (await sh(lab, 'cat /root/.ssh/id_ed25519.pub')).trim();
    await sh(
      lab,
      f
        .next!.slice(1)
        .map((l) => l.replace('ssh-ed25519 AAAA…paste…', key))
        .join('\n'),
    );
    expect(await canLogin(lab)).toBe(true);
    expect((await sh(lab, 'stat -c "%a %U" /home/alice/.ssh/authorized_keys')).trim()).toBe('600 alice');
  });

  it("user-not-allowed: AllowUsers without alice (Match and Include are sshd's business: read via sshd -T)", async () => {
    await sh(
      lab,
      `mkdir -p /etc/ssh/sshd_config.d; echo 'AllowUsers bob root' > /etc/ssh/sshd_config.d/10-allow.conf\n${RESTART}`,
    );
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['user-not-allowed']);
    const f = finding(report, 'user-not-allowed');
    expect(f.summary).toContain('AllowUsers does not include alice');
    expect(f.evidence).toContain('sshd -T: allowusers bob root');
    expect(await canLogin(lab)).toBe(false);
  });

  it('user-not-allowed: DenyGroups names one of her groups', async () => {
    await sh(
      lab,
      `groupadd sshblocked; usermod -aG sshblocked alice; echo 'DenyGroups sshblocked' >> /etc/ssh/sshd_config\n${RESTART}`,
    );
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['user-not-allowed']);
    const f = finding(report, 'user-not-allowed');
    expect(f.summary).toContain('DenyGroups names group sshblocked');
    expect(await canLogin(lab)).toBe(false);
    expect(f.next).toEqual(['as root, if alice should not be in sshblocked:', 'gpasswd -d alice sshblocked']);
    await sh(lab, f.next![1]!);
    expect(await canLogin(lab)).toBe(true);
  });

  it('user-not-allowed: AllowGroups without any of her groups; the step given, run as written, lets her in', async () => {
    await sh(lab, `groupadd sshusers; echo 'AllowGroups sshusers' >> /etc/ssh/sshd_config\n${RESTART}`);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['user-not-allowed']);
    const f = finding(report, 'user-not-allowed');
    expect(f.summary).toContain('AllowGroups does not include any group of alice');
    expect(await canLogin(lab)).toBe(false);
    expect(f.next).toEqual([
      'as root, if alice belongs in sshusers (its members may have other rights too):',
      'usermod -aG sshusers alice',
    ]);
    await sh(lab, f.next![1]!);
    expect(await canLogin(lab)).toBe(true);
  });

  it('account-locked: expired account (PAM refuses even keys); a "!" password alone is NOT a finding with UsePAM yes', async () => {
    expect((await diagnose(lab)).ids).toEqual([]); // useradd leaves "!" in shadow
    expect(await canLogin(lab)).toBe(true);
    await sh(lab, 'usermod -e 1 alice');
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['account-locked']);
    const f = finding(report, 'account-locked');
    expect(f.evidence[0]).toBe('account expired (account expired on 1970-01-02)');
    expect(await canLogin(lab)).toBe(false);
    // The steps for a person, run as written, unlock it.
    expect(f.next).toEqual([
      'as root, if the account should be usable:',
      'chage -E -1 alice    # remove the account expiry date',
    ]);
    await sh(lab, f.next![1]!);
    expect(await canLogin(lab)).toBe(true);
  });

  it('account-locked: "!" password with UsePAM no', async () => {
    await sh(lab, `sed -i '1i UsePAM no' /etc/ssh/sshd_config\n${RESTART}`);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['account-locked']);
    const f = finding(report, 'account-locked');
    expect(f.evidence[0]).toMatch(/starts with "!" and UsePAM is no/);
    expect(await canLogin(lab)).toBe(false);
    await sh(lab, f.next![1]!);
    expect(await canLogin(lab)).toBe(true);
  });

  it('nologin-present', async () => {
    await sh(lab, 'echo "maintenance until 14:00" > /etc/nologin');
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['nologin-present']);
    expect(finding(report, 'nologin-present').evidence[0]).toBe('/etc/nologin exists: "maintenance until 14:00"');
    expect(await canLogin(lab)).toBe(false);
  });

  it('pubkey-auth-disabled, only inside a Match block', async () => {
    await sh(lab, `printf 'Match User alice\\n  PubkeyAuthentication no\\n' >> /etc/ssh/sshd_config\n${RESTART}`);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['pubkey-auth-disabled']);
    expect(finding(report, 'pubkey-auth-disabled').evidence[0]).toMatch(
      /sshd -T -C user=alice,.*: pubkeyauthentication no/,
    );
    expect(await canLogin(lab)).toBe(false);
  });

  it('usedns-enabled', async () => {
    await sh(lab, `sed -i '1i UseDNS yes' /etc/ssh/sshd_config\n${RESTART}`);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['usedns-enabled']);
    expect(finding(report, 'usedns-enabled').severity).toBe('warning');
  });

  it('sshd-log-refusal quotes the log line that explains a refused login', async () => {
    await sh(lab, 'chmod 0757 /home/alice');
    expect(await canLogin(lab)).toBe(false);
    const { report, ids } = await diagnose(lab);
    expect(ids).toEqual(['home-permissions', 'sshd-log-refusal']);
    expect(finding(report, 'sshd-log-refusal').evidence.join('\n')).toContain(
      'Authentication refused: bad ownership or modes for directory /home/alice',
    );
  });
});
