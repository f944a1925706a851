// ssh-doctor reads the client's command line the way ssh does, checked against ssh itself:
// `ssh -G` (prints the configuration ssh would use, connects nowhere) on the very same argv.
import { execa } from 'execa';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseClientArgs } from '../src/commands/client/command.js';

const dir = mkdtempSync(join(tmpdir(), 'ssh-g-'));
// ssh -G lists an identity file only when it exists.
const K1 = join(dir, 'k1');
const K2 = join(dir, 'k2');
const CONFIG = join(dir, 'config');
writeFileSync(K1, '');
writeFileSync(K2, '');
writeFileSync(CONFIG, `Host alias\n  HostName 127.0.0.9\n  Port 2201\n  User carol\n  IdentityFile ${K1}\n`);

/** ssh -G's settings, one line each ("port 2200", "identityfile /k1"); -F /dev/null keeps the machine's config out. */
async function sshG(argv: readonly string[]): Promise<{ ok: boolean; lines: string[] }> {
  const r = await execa('ssh', ['-G', '-F', '/dev/null', ...argv], { reject: false, stdin: 'ignore' });
  return { ok: r.exitCode === 0, lines: r.stdout.split('\n') };
}

/** Where a mistake in reading argv shows: what the probes resolve the target by. */
const TARGET_KEYS = ['hostname', 'port', 'user', 'identityfile', 'proxyjump', 'addressfamily'];

const agreed: string[][] = [
  ['alice@web1'],
  ['-l', 'bob', 'alice@web1'],
  ['alice@web1', '-l', 'bob', '-p', '2200'],
  ['-p2222', 'ssh://h:2200'],
  ['ssh://bob@h:2200', '-p', '2222'],
  ['-o', 'Port=2200', '-p', '2222', 'h'],
  ['-oUser=carol', '-oConnectTimeout=7', 'alice@h'],
  ['-4vvvA', '-i', K1, `-i${K2}`, '-oBatchMode=yes', 'h', '-T', '-D', '1080', '--', 'ls'],
  ['-J', 'bob@j1:2200,j2', '-6', 'h', 'uptime', '-v', '-p', '9'],
  ['-F', CONFIG, 'alias'],
  ['-F', CONFIG, '-p', '2222', 'bob@alias', '-i', K2],
  ['-CqgXYxKkNn', '-c', 'aes128-ctr', '-m', 'hmac-sha2-256', '-b', '127.0.0.1', '-B', 'lo', 'h'],
  // Not -P tag: ssh before 9.4 (Debian 12 has 9.2) takes -P for an obsolete flag without a value.
  ['-L', '8080:localhost:80', '-R9090:localhost:90', '-w', '1:2', '-S', join(dir, 'ctl'), '-MM', 'h'],
  ['-e', '^A', '-E', join(dir, 'log'), '-I', join(dir, 'p11.so'), 'h'],
  ['-W', 'target:22', 'h'],
  ['-t', '-s', 'h', 'sftp'],
  ['-a', 'h', '--', '-p', '1'],
  ['h', '-o', 'StrictHostKeyChecking=no', '-'],
];

describe.runIf(existsSync('/usr/bin/ssh'))('the client reads argv as ssh -G does', () => {
  it.each(agreed.map((argv) => [argv.join(' '), argv]))('%s', async (_, argv) => {
    const theirs = await sshG(argv);
    expect(theirs.ok).toBe(true);
    const ours = parseClientArgs(argv);
    // Everything, flags set aside included, put back together in ssh-doctor's reading: the same configuration.
    const rebuilt = await sshG([...ours.sshFlags, ...ours.setAside, '--', ours.destination, ...ours.command]);
    expect(rebuilt.lines).toEqual(theirs.lines);
    // What the probes get (ssh -G FLAGS -- HOST): the same target and the same -o options.
    const probed = await sshG([...ours.sshFlags, '--', ours.destination]);
    const oKeys = ours.sshFlags.flatMap((f, i) =>
      f === '-o' ? [ours.sshFlags[i + 1]!.split(/[= ]/)[0]!.toLowerCase()] : [],
    );
    const pick = (lines: string[]) => lines.filter((l) => [...TARGET_KEYS, ...oKeys].includes(l.split(' ')[0]!));
    expect(pick(probed.lines)).toEqual(pick(theirs.lines));
  });

  it.each([
    [['-p', '0', 'h']],
    [['-evil']],
    [['-x9', 'h']],
    [['h', '-p']],
    [['-J', 'a', '-J', 'b', 'h']],
    [['-e', 'ab', 'h']],
    [['-o', 'justtext', 'h']],
    [['--', '-evil']],
    [['@h']],
  ])('both refuse %j', async (argv) => {
    expect((await sshG(argv)).ok).toBe(false);
    expect(() => parseClientArgs(argv)).toThrow();
  });

  // Where ssh-doctor is stricter than ssh, on purpose (see src/ssh-args.ts).
  it.each([
    [['-i', '-x', 'h']], // a value that a later tool could read as a flag
    [['-y', 'h']], // once ssh-doctor's --yes; ssh's syslog would hide ssh's messages from the diagnosis
    [['-V']], // no connection: nothing to diagnose (-G, -O, -Q likewise)
    [['h', 'echo', '\u0007']], // control characters
  ])('ssh-doctor alone refuses %j', async (argv) => {
    expect((await sshG(argv)).ok).toBe(true);
    expect(() => parseClientArgs(argv)).toThrow();
  });
});
