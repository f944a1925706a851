// sshd-crashing (seed guide Step 7): the parsers on output captured in the lab (a damaged
// libwrap.so.0 bind-mounted over the real one; a changed /usr/sbin/sshd), and the finding.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelLines, libraryPath, parseLdd, parseVerify } from '../../src/server/probes/crash.js';
import { serverFindings } from '../../src/server/findings.js';
import { proposeFix } from '../../src/server/fixes/propose.js';
import type { ServerFacts } from '../../src/server/facts.js';

const fx = (name: string) => readFileSync(new URL(`../fixtures/server/${name}`, import.meta.url), 'utf8');
const DAMAGED =
  '/usr/sbin/sshd: error while loading shared libraries: /lib/x86_64-linux-gnu/libwrap.so.0: invalid ELF header';

describe('crash parsers', () => {
  it('ldd of an sshd whose library is damaged', () => {
    expect(parseLdd(fx('ldd-damaged-lib.txt'), '')).toEqual([DAMAGED]);
    expect(libraryPath(DAMAGED)).toBe('/lib/x86_64-linux-gnu/libwrap.so.0');
  });
  it.each([
    ['\tlibwrap.so.0 => not found', 'libwrap.so.0 => not found', undefined],
    [
      "/usr/sbin/sshd: /lib/x86_64-linux-gnu/libcrypto.so.3: version `OPENSSL_3.2.0' not found (required by /usr/sbin/sshd)",
      "/usr/sbin/sshd: /lib/x86_64-linux-gnu/libcrypto.so.3: version `OPENSSL_3.2.0' not found (required by /usr/sbin/sshd)",
      '/lib/x86_64-linux-gnu/libcrypto.so.3',
    ],
  ])('ldd: %s', (line, kept, path) => {
    expect(parseLdd(line, '')).toEqual([kept]);
    expect(libraryPath(kept)).toBe(path);
  });
  it('a healthy ldd says nothing', () => {
    expect(parseLdd('\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n', '')).toEqual([]);
  });
  it('dpkg --verify: the changed binary, never a changed configuration file', () => {
    expect(parseVerify(fx('dpkg-verify-changed.txt'))).toEqual(['??5??????   /usr/sbin/sshd']);
    expect(parseVerify('??5?????? c /etc/ssh/sshd_config\nS.5....T.  c /etc/ssh/sshd_config\n')).toEqual([]);
    expect(parseVerify('S.5....T.    /usr/sbin/sshd\n')).toEqual(['S.5....T.    /usr/sbin/sshd']);
    // Captured in the lab, whose /var/log is a tmpfs.
    expect(parseVerify('missing     /var/log/runit\nmissing     /usr/sbin/sshd\n')).toEqual([
      'missing     /usr/sbin/sshd',
    ]);
  });
  it("kernel lines: sshd's segfaults and machine checks, nobody else's segfaults", () => {
    const log = [
      'Nov 30 10:00:01 h kernel: sshd[4521]: segfault at 0 ip 00007f8a1b2c3d4e sp 00007fff error 4 in libcrypto.so.3',
      'Nov 30 10:00:02 h kernel: nginx[77]: segfault at 0 ip 0000 sp 0000 error 4 in libc.so.6',
      'Nov 30 10:00:03 h kernel: mce: [Hardware Error]: Machine check events logged',
    ].join('\n');
    expect(kernelLines(log)).toEqual({
      segfaults: [
        'Nov 30 10:00:01 h kernel: sshd[4521]: segfault at 0 ip 00007f8a1b2c3d4e sp 00007fff error 4 in libcrypto.so.3',
      ],
      machineChecks: ['Nov 30 10:00:03 h kernel: mce: [Hardware Error]: Machine check events logged'],
    });
  });
});

describe('sshd-crashing', () => {
  const facts: ServerFacts = {
    target: { user: 'alice', port: 22 },
    root: true,
    sshd: { path: '/usr/sbin/sshd', package: { manager: 'dpkg', name: 'openssh-server', version: '1:9.2p1-2' } },
    processes: { pids: [], commands: [] },
    init: { system: 'none' },
    crash: {
      libraries: [DAMAGED],
      libraryPackages: ['libwrap0'],
      changedFiles: [],
      verifyCommand: 'dpkg --verify openssh-server',
      segfaults: [],
      machineChecks: [],
    },
  };
  it('names the library, gives the reinstall as a step, and offers no start while sshd cannot load', () => {
    const out = serverFindings(facts, { proposeFix: (id, f) => proposeFix(id, f) });
    expect(out.map((f) => f.id)).toEqual(['sshd-crashing', 'sshd-not-running']);
    expect(out[0]).toEqual({
      id: 'sshd-crashing',
      severity: 'error',
      summary: 'sshd cannot load its libraries, so it cannot start.',
      evidence: [`ldd: ${DAMAGED}`],
      next: [
        'as root, with the network (the package manager downloads the files again; sshd_config is kept):',
        'apt-get install --reinstall openssh-server libwrap0',
      ],
    });
    expect(out.every((f) => f.fix === undefined)).toBe(true);
  });
});
