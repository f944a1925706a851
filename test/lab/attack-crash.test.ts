// ssh-doctor killed (SIGKILL) at every step of a config edit and of a firewall fix, through the
// real CLI (SSH_DOCTOR_TEST_CRASH_AT names the step). Afterwards: the journal knows the change,
// `undo --list` offers it, and the undo (or the rollback timer) leaves the system as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { STATE } from './fix-lab.js';

const DROP_IN = '/etc/ssh/sshd_config.d/50-hardening.conf';
const ORIGINAL = '# hardening\nPubkeyAuthentication no\n';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Listed {
  id: string;
  fixId: string;
  status: string;
}
const listed = async (lab: Lab): Promise<Listed[]> =>
  JSON.parse((await lab.cli(['undo', '--list', '--json'], { env: STATE })).stdout).entries;

async function crash(lab: Lab, port: number, step: string, env: Record<string, string> = {}) {
  const r = await lab.cli(
    ['server', '--user', 'alice', '--port', String(port), '--yes', '--json', '--rollback-seconds', '5'],
    {
      env: { ...STATE, ...env, SSH_DOCTOR_TEST_CRASH_AT: step },
      timeoutMs: 60_000,
    },
  );
  // Killed: neither a report nor one of ssh-doctor's own exit statuses.
  expect(r.exitCode === 0 || r.exitCode === 1 || r.exitCode === 2).toBe(false);
  expect(r.stdout).toBe('');
}

describe.runIf(requireLab())('crash: a config edit killed at each step', () => {
  const PORT = 2361;
  let lab: Lab;
  let originalBytes: string;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`printf '${ORIGINAL.replace(/\n/g, '\\n')}' > ${DROP_IN}\n${SERVER_SETUP(PORT)}`);
    originalBytes = (await lab.sh(`od -c ${DROP_IN}`)).stdout;
  });
  afterAll(() => lab?.close());

  // cp backup, cp tmp, sed, sshd -t -f tmp, mv, sshd -t, kill -HUP
  it.each(['journaled-pending', 'ran-1', 'ran-2', 'ran-3', 'ran-4', 'ran-5', 'ran-6', 'ran-7'])(
    'killed at %s: listed as unfinished, undo restores the original bytes',
    async (step) => {
      await lab.sh(
        `rm -rf ${STATE.SSH_DOCTOR_STATE_DIR}; rm -f /etc/ssh/sshd_config.d/*ssh-doctor*; printf '${ORIGINAL.replace(/\n/g, '\\n')}' > ${DROP_IN}`,
      );
      await crash(lab, PORT, step);
      // The rename (step 5) is the moment the edit takes effect.
      expect((await lab.sh(`od -c ${DROP_IN}`)).stdout === originalBytes).toBe(
        !['ran-5', 'ran-6', 'ran-7'].includes(step),
      );
      const entries = await listed(lab);
      expect(entries.map((e) => [e.fixId, e.status])).toEqual([['enable-pubkey-auth', 'pending']]);
      expect((await lab.cli(['undo', '--list'], { env: STATE })).stdout).toContain(
        'unfinished: ssh-doctor stopped during this change',
      );
      const undo = await lab.cli(['undo', entries[0]!.id, '--yes'], { env: STATE });
      expect(undo.exitCode).toBe(0);
      expect((await lab.sh(`od -c ${DROP_IN}`)).stdout).toBe(originalBytes);
      expect((await lab.sh('ls -A /etc/ssh/sshd_config.d')).stdout).not.toContain('ssh-doctor-tmp');
      expect((await lab.sh('/usr/sbin/sshd -t && kill -0 "$(cat /run/sshd.pid)" && echo up')).stdout.trim()).toBe('up');
      expect(await listed(lab)).toEqual([]);
    },
  );
});

describe.runIf(requireLab())('crash: a firewall fix killed mid-way', () => {
  const PORT = 2362;
  let lab: Lab;
  const allowed = async () => (await lab.sh('iptables -S INPUT')).stdout.includes('--comment ssh-doctor -j ACCEPT');
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(PORT)}\niptables -A INPUT -p tcp --dport ${PORT} -j REJECT`);
  });
  afterAll(() => lab?.close());
  const reset = () =>
    lab.sh(
      `rm -rf ${STATE.SSH_DOCTOR_STATE_DIR}; while iptables -D INPUT -p tcp --dport ${PORT} -m comment --comment ssh-doctor -j ACCEPT 2>/dev/null; do :; done`,
    );

  it.each(['journaled-pending', 'ran-1'])(
    'over SSH, killed at %s: the rollback timer still reverts whatever happened',
    async (step) => {
      await reset();
      await crash(lab, PORT, step, { SSH_CONNECTION: `127.0.0.1 50123 127.0.0.1 ${PORT}` });
      expect(await allowed()).toBe(step === 'ran-1');
      await sleep(8000);
      expect(await allowed()).toBe(false);
      expect((await lab.sh('iptables -S INPUT')).stdout).toContain(`--dport ${PORT} -j REJECT`);
      expect(await listed(lab)).toEqual([]);
    },
  );

  it.each(['journaled-pending', 'ran-1'])(
    'on a console, killed at %s: undo removes the rule only if it is there',
    async (step) => {
      await reset();
      await crash(lab, PORT, step);
      const entries = await listed(lab);
      expect(entries.map((e) => [e.fixId, e.status])).toEqual([['firewall-allow-ssh', 'pending']]);
      const undo = await lab.cli(['undo', entries[0]!.id, '--yes'], { env: STATE });
      expect(undo.exitCode).toBe(0);
      expect(undo.stdout).toContain(
        step === 'ran-1'
          ? '$ iptables -t filter -D INPUT'
          : 'not there, nothing to remove: iptables -t filter -D INPUT',
      );
      expect(await allowed()).toBe(false);
      expect((await lab.sh('iptables -S INPUT')).stdout).toContain(`--dport ${PORT} -j REJECT`);
    },
  );
});

describe.runIf(requireLab())('crash: an nft fix killed after the rule went in', () => {
  const PORT = 2363;
  let lab: Lab;
  const tagged = async () =>
    (await lab.sh('nft -a list chain inet filter input')).stdout.match(/comment "ssh-doctor"/g)?.length ?? 0;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(PORT)}
nft add table inet filter
nft add chain inet filter input '{ type filter hook input priority 0; policy accept; }'
nft add rule inet filter input tcp dport 9 accept comment '"ssh-doctor"'
nft add rule inet filter input tcp dport ${PORT} drop`);
  });
  afterAll(() => lab?.close());

  it('undo deletes the rule this change added (its handle was never journaled), not the older tagged one', async () => {
    await crash(lab, PORT, 'ran-1');
    expect(await tagged()).toBe(2);
    const [entry] = await listed(lab);
    expect(entry).toMatchObject({ fixId: 'firewall-allow-ssh', status: 'pending' });
    const undo = await lab.cli(['undo', entry!.id, '--yes'], { env: STATE });
    expect(undo.exitCode).toBe(0);
    expect(await tagged()).toBe(1);
    expect((await lab.sh('nft list chain inet filter input')).stdout).toMatch(
      /tcp dport 9 accept comment "ssh-doctor"[\s\S]*tcp dport 2363 drop/,
    );
  });
});

describe.runIf(requireLab())('crash: a permission fix killed after its first change', () => {
  const PORT = 2364;
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(PORT)}\nchmod 666 /home/alice/.ssh/authorized_keys`);
  });
  afterAll(() => lab?.close());

  it('listed as unfinished with the object it changed; undo puts that object back', async () => {
    await crash(lab, PORT, 'path-change-made');
    expect((await lab.sh('stat -c %a /home/alice/.ssh/authorized_keys')).stdout.trim()).toBe('600');
    const [entry] = await listed(lab);
    expect(entry).toMatchObject({
      fixId: 'fix-authorized-keys-permissions',
      status: 'pending',
      objects: [{ path: '/home/alice/.ssh/authorized_keys', before: { mode: 0o666 }, after: { mode: 0o600 } }],
    });
    expect((await lab.cli(['undo', entry!.id, '--yes'], { env: STATE })).exitCode).toBe(0);
    expect((await lab.sh('stat -c %a /home/alice/.ssh/authorized_keys')).stdout.trim()).toBe('666');
  });

  it('killed before any change: undo finds the object as it was and changes nothing', async () => {
    await lab.sh(`rm -rf ${STATE.SSH_DOCTOR_STATE_DIR}`);
    await crash(lab, PORT, 'path-change-journaled');
    expect((await lab.sh('stat -c %a /home/alice/.ssh/authorized_keys')).stdout.trim()).toBe('666');
    const [entry] = await listed(lab);
    const undo = await lab.cli(['undo', entry!.id, '--yes'], { env: STATE });
    expect(undo.stdout).toContain('/home/alice/.ssh/authorized_keys: already 0666');
    expect((await lab.sh('stat -c %a /home/alice/.ssh/authorized_keys')).stdout.trim()).toBe('666');
  });
});

describe.runIf(requireLab())('crash: a key line rejoin killed before and after the change', () => {
  const PORT = 2367;
  const AK = '/home/alice/.ssh/authorized_keys';
  let lab: Lab;
  let wrapped: string;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(PORT));
  });
  afterAll(() => lab?.close());
  const rewrap = async () => {
    await lab.sh(`rm -rf ${STATE.SSH_DOCTOR_STATE_DIR} ${AK}.ssh-doctor-*; k=$(cat /root/.ssh/id_ed25519.pub)
printf '%s\\n%s\\n' "\${k:0:40}" "\${k:40}" > ${AK}`);
    wrapped = (await lab.sh(`cat ${AK}`)).stdout;
  };

  it('killed after the rename: listed as unfinished; undo puts the wrapped file back', async () => {
    await rewrap();
    await crash(lab, PORT, 'rejoin-made');
    expect((await lab.sh(`cat ${AK}`)).stdout).not.toBe(wrapped);
    const [entry] = await listed(lab);
    expect(entry).toMatchObject({ fixId: 'rejoin-authorized-key', status: 'pending' });
    expect((await lab.cli(['undo', entry!.id, '--yes'], { env: STATE })).exitCode).toBe(0);
    expect((await lab.sh(`cat ${AK}`)).stdout).toBe(wrapped);
  });

  it('killed before any change: undo finds the file as it was and changes nothing', async () => {
    await rewrap();
    await crash(lab, PORT, 'rejoin-journaled');
    expect((await lab.sh(`cat ${AK}`)).stdout).toBe(wrapped);
    const [entry] = await listed(lab);
    const undo = await lab.cli(['undo', entry!.id, '--yes'], { env: STATE });
    expect(undo.stdout).toContain(`${AK}: already as it was before the fix`);
    expect((await lab.sh(`cat ${AK}`)).stdout).toBe(wrapped);
  });
});
