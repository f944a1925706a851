// Every mode run in-process through the command layer, with its own streams, terminal and
// environment: usage errors, --help generated from the option declarations, and real runs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/commands/main.js';
import { parseUndoArgs } from '../../src/commands/undo/command.js';
import { KIT_BEGIN, KIT_END } from '../../src/locked-out/kit/script.js';
import { fakeIo, type FakeIoOptions } from '../helpers/terminal.js';

async function run(argv: string[], opts?: FakeIoOptions) {
  const { io, written } = fakeIo(opts);
  const code = await main(argv, io);
  return { code, stdout: written.stdout, stderr: written.stderr };
}

describe('usage errors: one sentence on stderr, exit 2, nothing on stdout', () => {
  it.each([
    [['server', '--port', '0'], '--port must be a number from 1 to 65535, not "0".'],
    [['server', '--port=70000'], '--port must be a number from 1 to 65535, not "70000".'],
    [['locked-out', '--port', 'x'], '--port must be a number from 1 to 65535, not "x".'],
    [['-p', '99999', 'alice@h'], '-p must be a number from 1 to 65535, not "99999".'],
    [['server', '--frobnicate'], 'Unknown option --frobnicate for "server" (see ssh-doctor server --help).'],
    [
      ['locked-out', '--frobnicate=1'],
      'Unknown option --frobnicate for "locked-out" (see ssh-doctor locked-out --help).',
    ],
    [['undo', '--frobnicate'], 'Unknown option --frobnicate for "undo" (see ssh-doctor undo --help).'],
    [['--frobnicate', 'h'], 'Unknown option --frobnicate (see ssh-doctor --help).'],
    [['server', 'extra'], 'Unexpected argument "extra" for "server" (see ssh-doctor server --help).'],
    [['undo', 'a1', 'b2'], 'Unexpected argument "b2" for "undo" (see ssh-doctor undo --help).'],
    [['server', '--json=yes'], '--json takes no value.'],
    [['server', '--user'], '--user needs a value.'],
    // --name=value works for every mode, undo included.
    [['undo', '--rollback-after=abc', 'ab12'], '--rollback-after takes seconds, not "abc".'],
    [['undo', '--confirm=no/such'], '--confirm needs a change id from "ssh-doctor undo --list", not "no/such".'],
    // Long options only: a single letter is ssh's.
    [['server', '-y'], "-y is an ssh option; ssh-doctor's own options are long: --yes."],
    [['locked-out', '-y'], "-y is an ssh option; ssh-doctor's own options are long: --yes."],
    [['undo', '-y', 'ab12'], "-y is an ssh option; ssh-doctor's own options are long: --yes."],
    [['undo', '-h'], 'Unknown option -h for "undo"; ssh-doctor\'s own options are long: --help.'],
    [['server', '-p', '22'], "-p is an ssh option; ssh-doctor's own options are long: --port."],
    [
      ['locked-out', '-p', 'aws'],
      "-p is an ssh option; ssh-doctor's own options are long: see ssh-doctor locked-out --help.",
    ],
    [
      ['-y', 'h'],
      "-y is an ssh option (log to syslog, where the diagnosis cannot read ssh's messages); ssh-doctor's own options are long: --yes.",
    ],
    [
      ['-V'],
      "-V makes ssh print its version instead of connecting, so there is nothing to diagnose (ssh-doctor's own version: --version).",
    ],
    // Without a terminal, what the wizard would ask must be on the command line.
    [[], 'Name the host to diagnose, e.g. ssh-doctor user@host (see --help).'],
    [['undo'], 'Say which change to undo: ssh-doctor undo ID --yes (ids: ssh-doctor undo --list).'],
    [
      ['locked-out'],
      'Without a terminal, say where the host lives with --provider (see ssh-doctor locked-out --help).',
    ],
  ])('%j', async (argv, sentence) => {
    const r = await run(argv);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `ssh-doctor: ${sentence}\n` });
  });

  it('a user from the environment that the console kit cannot carry', async () => {
    const r = await run(['locked-out', '--provider', 'linode'], { env: { USER: 'alice@corp' } });
    expect(r.stderr).toBe(
      'ssh-doctor: "alice@corp" is not a user name the console kit can check (give one with --user NAME).\n',
    );
    expect(r.code).toBe(2);
  });

  it('reads undo --confirm=ID and --confirm ID alike', () => {
    expect(parseUndoArgs(['--confirm=ab12'])).toMatchObject({ confirm: 'ab12' });
    expect(parseUndoArgs(['--confirm', 'ab12'])).toMatchObject({ confirm: 'ab12' });
  });
});

describe('--help comes from the option declarations', () => {
  it('undo --help', async () => {
    const r = await run(['undo', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Usage: ssh-doctor undo [ID] [options]

Lists the changes ssh-doctor made (the journal) and reverts the one you choose. Without ID, pick
a change in the terminal, see its undo commands, confirm.

Options:
  --list        the changes that can still be undone
  --json        that list as JSON (schema ssh-doctor/journal@1)
  --yes         revert ID without a prompt
  --dry-run     show the undo commands; change nothing
  --force       revert even when a file the change wrote was modified since
  --confirm ID  keep a firewall change made over SSH (run it from a NEW connection)
  --help        this text
`);
  });

  it('server --help: every option, a long label on its own column, continuation lines indented', async () => {
    const r = await run(['server', '--help']);
    expect(r.stdout).toContain(`Options:
  --user NAME           the account people log in as (default: whoever ran sudo; root is asked)
  --port N              the port clients use (default 22)
  --from ADDR           the locked-out person's address (for from=, USER@HOST, Match Address, bans)
                        (default: the address of the user's last refusal in sshd's log)
  --json                no prompts; print one JSON report (mode "server") on stdout
  --redact              print the report with user names, host names, addresses, key fingerprints
                        and home paths replaced by placeholders, to share it (no wizard)
  --yes                 apply every proposed fix without asking (each is still printed)
  --dry-run             show what would run; change nothing
  --via DEST            run the same checks, and the fixes you confirm, on another host over SSH
                        (its host key must be known; logs in with your ssh agent)
  --rollback-seconds N  a firewall change made over SSH is undone after N seconds (default 60)
                        unless a new connection is confirmed (over --via ssh-doctor opens it itself)
  --help                this text
`);
  });

  it('locked-out --help: an optional value in brackets; nothing wider than 100 columns', async () => {
    const r = await run(['locked-out', '--help']);
    expect(r.stdout).toContain('  --kit [FILE]         print the console kit and save it');
    expect(r.stdout).toContain('  --resource-group RG  the Azure resource group to look in\n');
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('ssh-doctor --help: each mode in one line, the ssh flags the diagnosis uses, the client options', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage:
  ssh-doctor [ssh options] [user@]host[:port]   diagnose a connection (replace "ssh" by "ssh-doctor")
  ssh-doctor server [options]                   on the server itself: why does sshd refuse people?
  ssh-doctor locked-out [options]               no SSH at all: the way back in, per provider
  ssh-doctor undo [ID] [options]                list changes ssh-doctor made and revert one
`);
    expect(r.stdout).toContain(`The diagnosis uses
  -4  -6  -B bind_interface  -b bind_address  -c cipher_spec  -F configfile
  -I pkcs11  -i identity_file  -J destination  -l login_name  -m mac_spec
  -o option  -p port
and sets the others aside (the report names them).`);
    expect(r.stdout).toMatch(/second login attempt/);
    expect(r.stdout).toContain('  --timeout MS  one deadline for the whole run (default 5000)\n');
    expect(r.stdout).not.toMatch(/--yes, -y|--help, -h|--version, -V/);
  });

  it('--help wins over what it is given with, and is never an error', async () => {
    expect((await run(['locked-out', '--help'], { env: { USER: 'alice@corp' } })).code).toBe(0);
    expect((await run(['server', '--yes', '--dry-run', '--help'])).code).toBe(0);
  });

  it('--version', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, stdout: 'ssh-doctor dev\n', stderr: '' });
  });
});

describe('modes run in-process', () => {
  it('undo --list --json: the journal report on stdout, from the journal io.env names', async () => {
    const state = mkdtempSync(join(tmpdir(), 'modes-state-'));
    const r = await run(['undo', '--list', '--json'], { env: { SSH_DOCTOR_STATE_DIR: state } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      schema: 'ssh-doctor/journal@1',
      journal: join(state, 'journal.jsonl'),
      entries: [],
    });
    expect(r.stderr).toBe('');
  });

  it('locked-out --provider linode: the report and the steps on stdout', async () => {
    const r = await run(['locked-out', '--provider', 'linode']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1. Lish console');
    expect(r.stderr).toBe('');
  });

  it('locked-out --decode - reads io.stdin: a paste without the block is one sentence', async () => {
    const r = await run(['locked-out', '--decode', '-'], { stdin: 'root@host:~#\n' });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `ssh-doctor: No console kit block found: paste everything from ${KIT_BEGIN} to ${KIT_END}.\n`,
    });
  });
});
