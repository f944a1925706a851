// The authorized_keys probe against a user who controls the file: its size is asked first, a file
// over the cap is never read, and a read cut short by the cap leaves the count unknown.
import { describe, expect, it } from 'vitest';
import { ACCOUNTS_MAX_BYTES, type Exec } from '../../src/server/exec.js';
import type { UserFacts } from '../../src/server/facts.js';
import { AUTHORIZED_KEYS_MAX_BYTES, oversize, parseSizes, probeAuthFiles } from '../../src/server/probes/auth-files.js';
import type { RunResult } from '../../src/run.js';
import { ran } from './run-result.js';

const alice: UserFacts = { name: 'alice', exists: true, uid: 1001, gid: 1001, home: '/home/alice', shell: '/bin/bash' };
const AK = '/home/alice/.ssh/authorized_keys';

/** A host where alice's authorized_keys has `size` bytes (stat), `cat` answers `cat`, her home has `homeMode`. */
function host(size: number, cat: RunResult, homeMode = '755') {
  const calls: { cmd: string[]; maxBytes?: number }[] = [];
  const exec: Exec = async (cmd, opts = {}) => {
    calls.push({ cmd: [...cmd], maxBytes: opts.maxBytes });
    if (cmd[0] === 'realpath') return ran(`${AK}\n/home/alice/.ssh/authorized_keys2\n`);
    if (cmd[0] === 'stat' && cmd[3] === '%s\t%n') return ran(`${size}\t${AK}\n`);
    if (cmd[0] === 'stat') {
      const rows = cmd
        .slice(cmd.indexOf('--') + 1)
        .flatMap((p) =>
          p.endsWith('authorized_keys2')
            ? []
            : [
                `${p === AK ? 'regular file' : 'directory'}\t${p === AK ? '600' : p === '/home/alice' ? homeMode : '755'}\t1001\t1001\talice\talice\t${p}`,
              ],
        );
      return ran(rows.join('\n') + '\n');
    }
    if (cmd[0] === 'cat') return cat;
    if (cmd[0] === 'getent' && cmd[1] === 'passwd') return ran('alice:x:1001:1001::/home/alice:/bin/bash\n');
    if (cmd[0] === 'getent' && cmd[1] === 'group') return ran('alice:x:1001:\n');
    throw new Error(`unexpected ${cmd.join(' ')}`);
  };
  return { exec, calls };
}

describe('probeAuthFiles: sizes first', () => {
  it('a 50 GiB file is never read: unread with its size, no key count', async () => {
    const { exec, calls } = host(50 * 1024 ** 3, ran('never'));
    const r = await probeAuthFiles(exec, alice, undefined);
    expect(calls.some((c) => c.cmd[0] === 'cat')).toBe(false);
    expect(r).toMatchObject({
      keyCounts: {},
      unread: [{ path: AK, bytes: 50 * 1024 ** 3, why: '50 GiB, over the 16 MiB ssh-doctor reads' }],
    });
  });

  it('a small file is read with the cap (it can grow between stat and cat) and counted', async () => {
    const { exec, calls } = host(40, ran('# mine\nssh-ed25519 AAAA a\n\nssh-rsa BBBB b\n'));
    const r = await probeAuthFiles(exec, alice, undefined);
    expect(calls.find((c) => c.cmd[0] === 'cat')).toEqual({
      cmd: ['cat', '--', AK],
      maxBytes: AUTHORIZED_KEYS_MAX_BYTES,
    });
    expect(r).toMatchObject({ keyCounts: { [AK]: 2 } });
    expect(r).not.toHaveProperty('unread');
  });

  it('a file that grew past the cap while read: count unknown, with why', async () => {
    const { exec } = host(
      40,
      ran('ssh-ed25519 AAAA a\n', {
        exitCode: undefined,
        truncated: { stream: 'stdout', maxBytes: AUTHORIZED_KEYS_MAX_BYTES },
      }),
    );
    const r = await probeAuthFiles(exec, alice, undefined);
    expect(r).toMatchObject({
      keyCounts: {},
      unread: [{ path: AK, why: `cat -- ${AK} printed more than 16 MiB on stdout; stopped reading it` }],
    });
  });

  // Every account is read only to judge a group-writable path (Debian's StrictModes): a host of
  // 50,000 accounts pays for that listing only then.
  it('reads every account only when a path is group writable, and then names whose primary group it is', async () => {
    const plain = host(40, ran('ssh-ed25519 AAAA a\n'));
    const r = await probeAuthFiles(plain.exec, alice, undefined);
    expect(plain.calls.some((c) => c.cmd.join(' ') === 'getent passwd')).toBe(false);
    expect(r).toMatchObject({ groups: [{ gid: 1001, primaryOf: [] }] });

    const writable = host(40, ran('ssh-ed25519 AAAA a\n'), '775');
    const w = await probeAuthFiles(writable.exec, alice, undefined);
    expect(writable.calls.filter((c) => c.cmd.join(' ') === 'getent passwd')).toEqual([
      { cmd: ['getent', 'passwd'], maxBytes: ACCOUNTS_MAX_BYTES },
    ]);
    expect(w).toMatchObject({ groups: [{ gid: 1001, primaryOf: [{ name: 'alice', uid: 1001 }] }] });
  });

  it('a getent passwd cut short is unknown, not a partial list of accounts', async () => {
    const { exec } = host(40, ran('ssh-ed25519 AAAA a\n'), '775');
    const cut: Exec = async (cmd, opts) =>
      cmd[0] === 'getent' && cmd[1] === 'passwd'
        ? ran('alice:x:1001:1001::/home/alice:/bin/bash\n', {
            exitCode: undefined,
            truncated: { stream: 'stdout', maxBytes: ACCOUNTS_MAX_BYTES },
          })
        : exec(cmd, opts);
    expect(await probeAuthFiles(cut, alice, undefined)).toEqual({
      unknown: 'getent passwd printed more than 32 MiB on stdout; stopped reading it',
    });
  });
});

describe('size rule (pure)', () => {
  it('parseSizes reads `stat -c %s\\t%n`, names with spaces included', () => {
    expect([...parseSizes('53687091200\t/home/a b/.ssh/authorized_keys\n12\t/x\n')]).toEqual([
      ['/home/a b/.ssh/authorized_keys', 53687091200],
      ['/x', 12],
    ]);
  });
  it('oversize: only above the cap, and unknown sizes are read', () => {
    expect(oversize(AUTHORIZED_KEYS_MAX_BYTES)).toBeUndefined();
    expect(oversize(AUTHORIZED_KEYS_MAX_BYTES + 1)).toBe('16 MiB, over the 16 MiB ssh-doctor reads');
    expect(oversize(undefined)).toBeUndefined();
  });
});
