import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeKit, KIT_INPUT_MAX_BYTES, KIT_TOO_LARGE, parseSections } from '../../src/locked-out/kit/decode.js';
import { kitFindings, repairScript } from '../../src/locked-out/kit/repair.js';
import { KIT_BEGIN, KIT_DAMAGED, KIT_END, kitScript } from '../../src/locked-out/kit/script.js';

const kit = kitScript('alice', 2222);

describe('console kit script', () => {
  // Past 4 KB since it reads authorized_keys, shells and chroots too (issue 11 allows it): what a
  // console's canonical-mode line discipline limits is each line (4,095 bytes), and the
  // one-liner (one line, cksum-checked) is there for consoles that drop long pastes.
  it('short lines, under 6 KiB, ASCII, without tabs or "!" (interactive shells would complete or expand them)', () => {
    for (const k of [kit, kitScript('a'.repeat(32), 65535)]) {
      expect(Buffer.byteLength(k)).toBeLessThan(6 * 1024);
      expect(Math.max(...k.split('\n').map((l) => Buffer.byteLength(l)))).toBeLessThan(1024);
    }
    expect(kit).toMatch(/^[\x20-\x7e\n]*$/);
    expect(kit).not.toContain('!');
  });

  // Run by a shell, a kit changed on the way (a line broken by the console, a character dropped)
  // runs none of its checks: it says so, and prints no block that could be decoded.
  it.each([
    ['a line broken in two', (k: string) => k.replace('netstat -tlnp', 'net\nstat -tlnp')],
    ['a character dropped', (k: string) => k.replace('ss -tlnpH', 'ss -tlpH')],
    [
      'its last lines cut off',
      (k: string) => k.slice(0, k.indexOf('\no\n') + 1) + k.slice(k.indexOf('SSH_DOCTOR_KIT_END\n)')),
    ],
  ])('damaged in copying (%s), it runs nothing', (_, damage) => {
    const damaged = damage(kit);
    expect(damaged).not.toBe(kit);
    for (const sh of [['dash'], ['busybox', 'sh']]) {
      const r = spawnSync(sh[0]!, sh.slice(1), { input: damaged, encoding: 'utf8' });
      expect(r.stdout + r.stderr).toBe(`${KIT_DAMAGED}\n`);
    }
  });

  it('parses under dash -n and busybox sh -n', () => {
    for (const sh of [
      ['dash', '-n'],
      ['busybox', 'sh', '-n'],
    ]) {
      const r = spawnSync(sh[0]!, sh.slice(1), { input: kit });
      expect(r.status, `${sh.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });

  it.runIf(existsSync('/usr/bin/checkbashisms'))('checkbashisms finds no bash-ism', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'kit-')), 'kit.sh');
    writeFileSync(f, `#!/bin/sh\n${kit}`);
    expect(() => execFileSync('checkbashisms', ['-f', '-x', f], { stdio: 'pipe' })).not.toThrow();
  });

  it('refuses a user name that would not be safe unquoted in sh', () => {
    expect(() => kitScript('alice;reboot', 22)).toThrow(/not a user name/);
    expect(() => kitScript('alice', 70000)).toThrow(/port must be/);
  });
});

const wrap = (raw: string) =>
  `${KIT_BEGIN}\nz\n${gzipSync(raw)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n${KIT_END}\n`;

describe('decoding a pasted block', () => {
  it('explains a missing or damaged block in one sentence', () => {
    expect(() => decodeKit('root@host:~# ')).toThrow(
      /No console kit block found: paste everything from -----BEGIN SSH-DOCTOR KIT-----/,
    );
    expect(() => decodeKit(`${KIT_BEGIN}\nz\nH4sIAAAA\n${KIT_END}`)).toThrow(/damaged \(it does not unpack\)/);
  });

  it('survives prompts, CRLF and re-wrapped lines around and inside the block', () => {
    const raw = ':::v 1\n:::u alice\n:::p 22\n:::id 0\n:::sshd\n';
    // A prompt before BEGIN (busybox sh prints it on stdout), a console's CRLF, a line re-wrapped
    // with trailing spaces inside the base64, and the echoed script line that quotes the marker.
    const block = wrap(raw).replace(/(\nz\n.{20})/, '$1  \n');
    const pasted = `root@web:~# echo '${KIT_BEGIN}'\n/ # ${block}root@web:~# `.replace(/\n/g, '\r\n');
    expect(decodeKit(pasted).target).toEqual({ user: 'alice', port: 22 });
  });

  it('turns a recorded result into the server findings and a repair block to paste back', () => {
    const raw = [
      ':::v 1',
      ':::u alice',
      ':::p 22',
      ':::id 0',
      ':::sshd /usr/sbin/sshd',
      ':::ps 1',
      ':::pid1 systemd',
      ':::t 255',
      'Missing privilege separation directory: /run/sshd',
      ':::pw 0',
      'alice:x:1001:1001::/home/alice:/bin/bash',
      ':::stat',
      'directory|755|0|0|root|root|/run/systemd/system',
    ].join('\n');
    const facts = decodeKit(wrap(raw));
    const ids = kitFindings(facts).map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['sshd-not-running', 'privsep-dir-missing']));
    const repair = repairScript(kitFindings(facts));
    expect(repair).toContain('# privsep-dir-missing:');
    expect(repair).toContain('install -d -m 0755 -o root -g root /run/sshd');
  });

  it('a nologin shell: the usermod -s repair when useradd -D names a listed shell, else steps with the listed ones', () => {
    const raw = (shells: string) =>
      [
        ':::v 1',
        ':::u alice',
        ':::p 22',
        ':::id 0',
        ':::sshd /usr/sbin/sshd',
        ':::pw 0',
        'alice:x:1001:1001::/home/alice:/usr/sbin/nologin',
        ':::sl',
        shells,
        ':::ud 0',
        'GROUP=100\nHOME=/home\nSHELL=/bin/sh\nSKEL=/etc/skel',
      ].join('\n');
    const shell = (text: string) =>
      kitFindings(decodeKit(wrap(raw(text)))).find((f) => f.id === 'login-shell-nologin')!;
    const fixed = shell('# /etc/shells: valid login shells\n/bin/sh\n/bin/bash\n/usr/sbin/nologin');
    expect(fixed.fix).toMatchObject({
      id: 'set-login-shell',
      commands: [['usermod', '-s', '/bin/sh', 'alice']],
      undo: [['usermod', '-s', '/usr/sbin/nologin', 'alice']],
    });
    expect(repairScript([fixed])).toContain('usermod -s /bin/sh alice');
    const steps = shell('/bin/bash\n/bin/zsh');
    expect(steps.fix).toBeUndefined();
    expect(steps.next).toEqual([
      'as root, if alice should have a shell, one of /etc/shells (/bin/bash, /bin/zsh), e.g.:',
      'usermod -s /bin/bash alice',
    ]);
  });

  it("keeps only the log lines about the kit's user, as the server probe does", () => {
    const raw = [
      ':::v 1',
      ':::u alice',
      ':::p 22',
      ':::id 0',
      ':::sshd /usr/sbin/sshd',
      ':::log journalctl',
      'Nov 25 13:00:01 web sshd[7]: Invalid user mallory from 203.0.113.9 port 5000',
      'Nov 25 13:00:02 web sshd[8]: User alice from 203.0.113.7 not allowed because not listed in AllowUsers',
    ].join('\n');
    expect(decodeKit(wrap(raw)).logs).toEqual({
      source: 'journalctl',
      lines: ['Nov 25 13:00:02 web sshd[8]: User alice from 203.0.113.7 not allowed because not listed in AllowUsers'],
    });
  });

  it('a file the kit found too big to count: the same oversize finding as the server probe, never "no key"', () => {
    const raw = [
      ':::v 1',
      ':::u alice',
      ':::p 22',
      ':::id 0',
      ':::sshd /usr/sbin/sshd',
      ':::ps 0',
      '1 0 Ss sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups',
      ':::pw 0',
      'alice:x:1001:1001::/home/alice:/bin/bash',
      ':::big 53687091200 /home/alice/.ssh/authorized_keys',
      ':::stat',
      'regular file|600|1001|1001|alice|alice|/home/alice/.ssh/authorized_keys',
    ].join('\n');
    const findings = kitFindings(decodeKit(wrap(raw)));
    expect(findings.map((f) => f.id)).toContain('authorized-keys-oversize');
    expect(findings.map((f) => f.id)).not.toContain('authorized-keys-missing');
    expect(findings.find((f) => f.id === 'authorized-keys-oversize')!.evidence).toEqual([
      '/home/alice/.ssh/authorized_keys: 53687091200 bytes (50 GiB, over the 16 MiB ssh-doctor reads); its keys were not counted',
    ]);
  });

  it('refuses input far larger than any block, and a block that unpacks without end, in one sentence', () => {
    expect(() => decodeKit('x'.repeat(KIT_INPUT_MAX_BYTES + 1))).toThrow(KIT_TOO_LARGE);
    // 200 MB of zeros gzip to some 200 KB: a block of that size is pasteable, its contents are not.
    const bomb = `${KIT_BEGIN}\nz\n${gzipSync(Buffer.alloc(200 * 1024 * 1024)).toString('base64')}\n${KIT_END}\n`;
    expect(() => decodeKit(bomb)).toThrow(
      'The console kit block unpacks to more than 64 MiB, which no kit prints: copy the block again.',
    );
  });

  it('keeps the exit status of tool sections apart from their arguments', () => {
    const s = parseSections(':::keys 3 /home/a b/.ssh/authorized_keys\n:::log /var/log/auth.log\nline\n');
    expect(s[0]).toMatchObject({ name: 'keys', status: 3, args: ['/home/a', 'b/.ssh/authorized_keys'] });
    expect(s[1]).toMatchObject({ name: 'log', status: undefined, args: ['/var/log/auth.log'], body: 'line\n\n' });
  });
});

describe('the kit asks the same questions as the server probes', () => {
  // iptables and nftables are left out: the probes list chain by chain under a time bound, the kit
  // lists the whole ruleset once (no bound on a console) and decodes it with the same parsers.
  // Each probe is run with an exec that records its argv: the kit must carry the same command,
  // or its output would not parse the same way.
  it.each([
    ['processes', async (exec: any) => (await import('../../src/server/probes/processes.js')).probeProcesses(exec)],
    ['ufw', async (exec: any) => (await import('../../src/server/probes/firewall/ufw.js')).probeUfw(exec, 22)],
  ])('%s', async (_name, probe) => {
    const seen: string[][] = [];
    await probe(async (cmd: string[]) => {
      seen.push([...cmd]);
      return { exitCode: 1, stdout: '', stderr: '', timedOut: false, missing: true, durationMs: 0 };
    });
    expect(seen.length).toBeGreaterThan(0);
    for (const cmd of seen) expect(kit).toContain(` ${cmd.join(' ')}`);
  });
});

describe('the repair block from a hostile kit result', () => {
  // A block is text pasted by a person: its fields may hold shell syntax and escape sequences.
  const block = (home: string) =>
    wrap(
      [
        ':::v 1',
        ':::u eve',
        ':::p 22',
        ':::id 0',
        ':::sshd /usr/sbin/sshd',
        ':::ps 0',
        '1 1 Ss sshd: /usr/sbin/sshd -D [listener]',
        ':::pw 0',
        `eve:x:1002:1002::${home}:/bin/bash`,
        ':::gr 0',
        'eve',
        `:::keys 1 ${home}/.ssh/authorized_keys`,
        ':::stat',
        `regular file|666|1002|1002|eve|eve|${home}/.ssh/authorized_keys`,
        `directory|700|1002|1002|eve|eve|${home}/.ssh`,
        `directory|700|1002|1002|eve|eve|${home}`,
        'directory|755|0|0|root|root|/home',
        'directory|755|0|0|root|root|/',
        'directory|755|0|0|root|root|/run/sshd',
      ].join('\n'),
    );
  const repairFor = (home: string) => repairScript(kitFindings(decodeKit(block(home))));

  it('quotes a path holding shell syntax', () => {
    expect(repairFor('/home/e$(reboot)')).toContain(`chmod 0600 '/home/e$(reboot)/.ssh/authorized_keys'`);
  });

  it('leaves out a fix whose values hold control characters, with a note, and keeps its title inert', () => {
    const repair = repairFor('/home/e\x1b]0;t\x07\r\x1b[K');
    expect(repair).toMatch(
      /# authorized-keys-permissions: .*\\x1b\]0;t\\x07\\x0d\\x1b\[K.*\n# \(command left out: a value in it holds control characters\)\n/,
    );
    // eslint-disable-next-line no-control-regex
    expect(repair).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(repair).not.toContain('chmod');
  });
});
