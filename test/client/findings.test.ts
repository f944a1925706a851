// The host-key fix touches only the user's own known_hosts; a stale system-wide entry is named for an admin.
import { describe, expect, it } from 'vitest';
import { clientFindings } from '../../src/client/findings.js';
import * as fx from '../flows/client-fixtures.js';

const entry = (file: string, line: number) => ({ file, line, keyType: 'ssh-ed25519', key: 'AAAAold', hashed: false });

describe('host-key-changed fix', () => {
  it('only the user file is edited when both files hold a stale key', () => {
    const [f] = clientFindings(
      {
        target: fx.target,
        handshake: fx.handshake.newKey,
        knownHosts: { lookupName: '127.0.0.1', entries: [entry('/root/.ssh/known_hosts', 2), entry('/etc/ssh/ssh_known_hosts', 7)], searched: [] },
      },
      'host-key-changed',
    );
    const edited = f!.fix!.commands.filter((c) => c[0] === 'ssh-keygen').map((c) => c.at(-1));
    expect(edited).toEqual(['/root/.ssh/known_hosts']);
    expect(f!.next).toEqual(['The stale key is in the system-wide /etc/ssh/ssh_known_hosts: an admin removes it with sudo ssh-keygen -R 127.0.0.1 -f /etc/ssh/ssh_known_hosts']);
  });

  it('no fix at all when only the system-wide file is stale', () => {
    const [f] = clientFindings(
      { target: fx.target, handshake: fx.handshake.newKey, knownHosts: { lookupName: '127.0.0.1', entries: [entry('/etc/ssh/ssh_known_hosts', 7)], searched: [] } },
      'host-key-changed',
    );
    expect(f!.fix).toBeUndefined();
    expect(f!.evidence.join('\n')).toContain('/etc/ssh/ssh_known_hosts:7 stores a ssh-ed25519 key');
  });
});
