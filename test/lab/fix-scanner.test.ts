// The pure "which line sets it" scanner must agree with the real sshd (-T) on which value wins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { readingOrder, whereSet, type ConfigSource } from '../../src/server/fixes/sshd-config.js';

describe.runIf(requireLab())('sshd_config scanner vs sshd -T', () => {
  let lab: Lab;
  let sources: ConfigSource[];
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`mkdir -p /run/sshd; ssh-keygen -A >/dev/null; D=/etc/ssh/sshd_config.d; mkdir -p $D /etc/ssh/extra
printf 'UseDNS yes\\nPubkeyAuthentication no\\nMatch User alice\\n  X11Forwarding yes\\n' > $D/10-a.conf
printf 'UseDNS no\\nPermitRootLogin no\\nX11Forwarding no\\n' > $D/20-b.conf
printf 'LoginGraceTime 30\\nInclude extra/*.conf\\n' > $D/05-c.conf
printf 'MaxAuthTries 3\\n' > /etc/ssh/extra/1.conf
printf 'UseDNS no\\nMaxSessions 2\\n' > $D/ignored.txt
printf 'PermitRootLogin yes\\nMaxAuthTries 6\\nMaxSessions 4\\n' >> /etc/ssh/sshd_config`);
    const files = (await lab.sh('ls /etc/ssh/sshd_config /etc/ssh/sshd_config.d/* /etc/ssh/extra/*')).stdout.split(
      '\n',
    );
    sources = await Promise.all(files.map(async (path) => ({ path, text: (await lab.exec(['cat', path])).stdout })));
  });
  afterAll(() => lab?.close());

  it.each([
    'UseDNS',
    'PubkeyAuthentication',
    'PermitRootLogin',
    'LoginGraceTime',
    'MaxAuthTries',
    'MaxSessions',
    'X11Forwarding',
  ])('%s: the first global line the scanner finds holds the value sshd uses', async (kw) => {
    const t = await lab.exec(['/usr/sbin/sshd', '-T', '-C', 'user=bob,host=client,addr=192.0.2.1']);
    const sshdValue = new RegExp(`^${kw.toLowerCase()} (.*)$`, 'm').exec(t.stdout)?.[1];
    const line = whereSet(readingOrder('/etc/ssh/sshd_config', sources), kw)!;
    expect(line.args.join(' ').toLowerCase()).toBe(sshdValue);
  });
});
