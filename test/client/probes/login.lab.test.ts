// ssh -G resolution, DNS, key files and the one real ssh -v login, against the lab's sshd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, SERVER_SETUP, startLab, type Lab } from '../../lab/lab.js';
import { buildDriver, probe, startSshd } from './lab-driver.js';
import type { DnsResult, KeyFilesResult, LoginResult, ResolvedTarget } from '../../../src/client/probes/types.js';

describe.runIf(requireLab())('client config, DNS, key-file and login probes (lab)', () => {
  let lab: Lab;
  beforeAll(async () => {
    await buildDriver();
    lab = await startLab();
    await lab.sh(SERVER_SETUP(2201));
    await lab.sh(`printf 'Host web\\n  HostName 127.0.0.1\\n  Port 2201\\n  User alice\\nHost old\\n  Port 2222\\n' > /root/.ssh/config
id bob >/dev/null 2>&1 || useradd -m -s /bin/bash bob`);
  }, 60_000);
  afterAll(() => lab?.close());

  const login = (destination: string, sshFlags: string[] = [], knownHostsFiles = ['/root/.ssh/known_hosts']) =>
    probe<LoginResult>(lab, 'attemptLogin', { destination, sshFlags, knownHostsFiles, timeoutMs: 3000 });
  const fileState = async () =>
    (await lab.sh('ls -l --time-style=+%s.%N /root/.ssh/; md5sum /root/.ssh/known_hosts 2>/dev/null || true')).stdout;

  it('resolves an alias through ssh -G and collects config ports', async () => {
    const r = await probe<ResolvedTarget>(lab, 'resolveTarget', {
      destination: 'web',
      sshFlags: ['-i', '/root/.ssh/nope'],
      timeoutMs: 3000,
    });
    expect(r.result).toMatchObject({
      alias: 'web',
      host: '127.0.0.1',
      port: 2201,
      user: 'alice',
      configPorts: [2201, 2222],
    });
    // ssh -G drops an -i file that does not exist (ssh then falls back to the defaults); we keep
    // it first so the key probe can say so.
    expect(r.result.identityFiles[0]).toBe('/root/.ssh/nope');
    expect(r.result.identityFiles).toContain('/root/.ssh/id_ed25519');
  });

  it("turns a bad -F file or -o option into a one-sentence usage error with ssh's message", async () => {
    const f = await probe(lab, 'resolveTarget', {
      destination: 'web',
      sshFlags: ['-F', '/root/nothere'],
      timeoutMs: 3000,
    });
    expect(f.error).toEqual({
      name: 'UsageError',
      message: expect.stringMatching(/Can't open user config file \/root\/nothere/),
    });
    const o = await probe(lab, 'resolveTarget', { destination: 'web', sshFlags: ['-o', 'Bogus=1'], timeoutMs: 3000 });
    expect(o.error?.message).toMatch(/Bad configuration option: bogus/);
  });

  it('resolves names and says where the answer came from', async () => {
    await lab.sh(`printf '127.0.0.1 web.lab\\n::1 web.lab\\n' >> /etc/hosts`);
    const hosts = await probe<DnsResult>(lab, 'resolveHost', { host: 'web.lab', family: 'any', timeoutMs: 2000 });
    expect(hosts.result.source).toBe('hosts');
    expect(hosts.result.addresses).toEqual(
      expect.arrayContaining([
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ]),
    );
    const v6 = await probe<DnsResult>(lab, 'resolveHost', { host: 'web.lab', family: 'inet6', timeoutMs: 2000 });
    expect(v6.result.addresses).toEqual([{ address: '::1', family: 6 }]);
    const literal = await probe<DnsResult>(lab, 'resolveHost', { host: '::1', family: 'any', timeoutMs: 2000 });
    expect(literal.result).toEqual({ addresses: [{ address: '::1', family: 6 }], source: 'literal' });
    const missing = await probe<DnsResult>(lab, 'resolveHost', {
      host: 'no-such-host.invalid',
      family: 'any',
      timeoutMs: 2000,
    });
    expect(missing.result.addresses).toEqual([]);
    expect(missing.result.error).toMatch(/^E[A-Z_]+$/);
  });

  it('inspects key files: modes, .pub match, encryption, missing files, no agent', async () => {
    await lab.sh(`cd /root/.ssh
cp id_ed25519 open && cp id_ed25519.pub open.pub && chmod 644 open
ssh-keygen -q -t ed25519 -N '' -f other && cp id_ed25519 swapped && chmod 600 swapped && cp other.pub swapped.pub
ssh-keygen -q -t ed25519 -N secret -f enc`);
    const p = (n: string) => `/root/.ssh/${n}`;
    const r = await probe<KeyFilesResult>(lab, 'inspectKeyFiles', {
      identityFiles: [p('id_ed25519'), p('open'), p('swapped'), p('enc'), p('id_rsa')],
      explicit: [p('open')],
      timeoutMs: 3000,
    });
    const byName = Object.fromEntries(r.result.files.map((f) => [f.path.split('/').pop(), f]));
    expect(byName.id_ed25519).toMatchObject({
      exists: true,
      mode: 0o600,
      ownerUid: 0,
      tooOpen: false,
      pubExists: true,
      pubMatches: true,
      type: 'ED25519',
      explicit: false,
      fingerprint: expect.stringMatching(/^SHA256:/),
    });
    expect(byName.id_ed25519!.fingerprint).toBe(
      (await lab.sh('ssh-keygen -l -f /root/.ssh/id_ed25519')).stdout.split(' ')[1],
    );
    expect(byName.open).toMatchObject({
      mode: 0o644,
      tooOpen: true,
      explicit: true,
      type: 'ED25519',
      fingerprint: byName.id_ed25519!.fingerprint,
    });
    // ssh would use the private key, so that is the fingerprint shown, not the stray .pub's.
    expect(byName.swapped!.fingerprint).toBe(byName.id_ed25519!.fingerprint);
    expect(byName.swapped).toMatchObject({ tooOpen: false, pubMatches: false });
    expect(byName.enc).toMatchObject({
      encrypted: true,
      pubExists: true,
      fingerprint: expect.stringMatching(/^SHA256:/),
    });
    expect(byName.enc!.pubMatches).toBeUndefined();
    expect(byName.id_rsa).toMatchObject({ exists: false, pubExists: false });
    expect(r.result.agent).toEqual({ available: false, fingerprints: [] });
  });

  it('logs in once, and an unknown host key only goes into a temporary copy', async () => {
    await lab.sh('rm -f /root/.ssh/known_hosts');
    const before = await fileState();
    const r = await login('web');
    expect(r.result).toMatchObject({
      exitCode: 0,
      timedOut: false,
      debug: { outcome: 'ok', hostKeyAdded: true, keysOffered: ['/root/.ssh/id_ed25519'] },
    });
    expect(await fileState()).toBe(before);
  });

  it("reports a changed host key with the user's own file and line, without touching it", async () => {
    await lab.sh(
      `{ echo '# keep'; ssh-keygen -q -t ed25519 -N '' -f /root/fake >/dev/null; echo "[127.0.0.1]:2201 $(cut -d' ' -f1,2 /root/fake.pub)"; } > /root/.ssh/known_hosts`,
    );
    const before = await fileState();
    const r = await login('web');
    expect(r.result.debug).toMatchObject({
      outcome: 'host-key-changed',
      offendingKey: { file: '/root/.ssh/known_hosts', line: 2 },
    });
    expect(r.result.debug.evidence.join('\n')).toContain('Offending ED25519 key in /root/.ssh/known_hosts:2');
    expect(r.result.debug.evidence.join('\n')).not.toMatch(/ssh-doctor-kh-/);
    expect(await fileState()).toBe(before);
  });

  it('reports denied publickey auth with the keys offered and what the server accepts', async () => {
    await lab.sh('rm -f /root/.ssh/known_hosts');
    await startSshd(lab, 2202, 'PasswordAuthentication=no');
    const r = await login('127.0.0.1', ['-p', '2202', '-l', 'bob']);
    expect(r.result.debug).toMatchObject({
      outcome: 'auth-denied',
      methodsLeft: ['publickey'],
      keysOffered: expect.arrayContaining(['/root/.ssh/id_ed25519']),
    });
  });

  it('a dropped SYN ends at our timeout, a closed port at once', async () => {
    await lab.sh('iptables -A INPUT -p tcp --dport 2298 -j DROP');
    const t = await probe<LoginResult>(lab, 'attemptLogin', {
      destination: '127.0.0.1',
      sshFlags: ['-p', '2298'],
      knownHostsFiles: [],
      timeoutMs: 1000,
    });
    expect(t.result.debug).toMatchObject({
      outcome: 'connection-timeout',
      evidence: ['ssh: connect to host 127.0.0.1 port 2298: Connection timed out'],
    });
    expect(t.ms).toBeLessThan(4000); // ConnectTimeout=1, not the OS's two minutes
    const r = await probe<LoginResult>(lab, 'attemptLogin', {
      destination: '127.0.0.1',
      sshFlags: ['-p', '2299'],
      knownHostsFiles: [],
      timeoutMs: 1000,
    });
    expect(r.result.debug.outcome).toBe('connection-refused');
  });

  it('user flags cannot switch our safety options off (first value wins)', async () => {
    await lab.sh(`{ echo "[127.0.0.1]:2201 $(cut -d' ' -f1,2 /root/fake.pub)"; } > /root/.ssh/known_hosts`);
    const r = await login('web', ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null']);
    expect(r.result.debug.outcome).toBe('host-key-changed');
  });
});
