// The completion scripts are generated from the mode declarations: every option --help shows is
// offered, nothing else; host names come from ssh_config Host lines and known_hosts as ssh's own
// completion reads them. The shared sh logic and the awk program run here for real.
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCompletionArgs } from '../../src/commands/completion/command.js';
import { completionScript, specOf } from '../../src/commands/completion/script.js';
import { allModes } from '../../src/commands/modes.js';
import { optionName } from '../../src/commands/options.js';
import { PROVIDERS } from '../../src/locked-out/providers.js';

const modes = await allModes();
const spec = specOf(modes);
const bash = completionScript('bash', spec, '9.9.9');
const zsh = completionScript('zsh', spec, '9.9.9');
const fish = completionScript('fish', spec, '9.9.9');

const home = mkdtempSync(join(tmpdir(), 'completion-home-'));
mkdirSync(join(home, '.ssh'));
writeFileSync(
  join(home, '.ssh', 'config'),
  'Host web1 web2 *.corp !bad\n  HostName 10.0.0.1\nhost=db-prod\nHostName not-a-host\n# Host commented\n  Host\tindented\n',
);
writeFileSync(
  join(home, '.ssh', 'known_hosts'),
  'known1,10.1.1.1 ssh-ed25519 AAAA\n[known2]:2222 ssh-ed25519 AAAA\n|1|abc=|def= ssh-ed25519 AAAA\n@cert-authority *.ca ssh-ed25519 AAAA\n@revoked revoked1 ssh-ed25519 AAAA\n# known-comment\n',
);

/** Runs the bash script's shared functions (`_ssh_doctor_what CUR WORD…`) in a shell. */
async function inShell(shell: string, script: string, call: string): Promise<string[]> {
  const r = await execa(shell, ['-c', `${script}\n${call}`], {
    env: { HOME: home, PATH: process.env.PATH },
    extendEnv: false,
  });
  return r.stdout.split('\n').filter(Boolean);
}
const what = (...words: string[]) => inShell('bash', bash, `_ssh_doctor_what ${words.map((w) => `'${w}'`).join(' ')}`);

describe('generated from the declarations', () => {
  it.each(modes.map((m) => [m.name || '(client)', m] as const))(
    '%s: every option --help shows, and no other',
    async (_, m) => {
      const shown = Object.entries(m.options)
        .filter(([, o]) => !o.hidden)
        .map(([k]) => optionName(k));
      const offered = await what('-', ...(m.name ? [m.name] : []));
      expect(offered).toEqual(['words', ...shown]);
      for (const o of shown) expect(fish).toContain(` -l ${o.slice(2)} `);
    },
  );

  it('a hidden option (the rollback timer`s --rollback-after) is offered nowhere', () => {
    for (const s of [bash, zsh, fish]) expect(s).not.toContain('rollback-after');
  });

  it('--provider offers the provider ids, in every shell', async () => {
    const ids = PROVIDERS.map((p) => p.id);
    expect(await what('', 'locked-out', '--provider')).toEqual(['words', ...ids]);
    expect(fish).toContain(`-l provider -x -a '${ids.join(' ')}'`);
  });

  it.each([
    [['', 'server', '--via'], ['host']],
    [['', 'locked-out', '--kit'], ['file']],
    [['', '-i'], ['file']],
    [['', '-p'], ['none']],
    [['', '-p', '2222'], ['host']],
    [['', '--json'], ['host']],
    [[''], ['host', 'server', 'locked-out', 'undo', 'completion']],
    [['', '--'], ['host']],
    [['-', '--'], ['host']],
    [['', 'web1'], []],
    [
      ['', 'completion'],
      ['words', 'bash', 'zsh', 'fish'],
    ],
    [['', 'completion', 'bash'], []],
    [['', 'undo'], []],
  ])('_ssh_doctor_what %j → %j', async (words, expected) => {
    expect(await what(...words)).toEqual(expected);
  });
});

describe('host names, as ssh completion reads them', () => {
  const expected = ['web1', 'web2', 'db-prod', 'indented', 'known1', '10.1.1.1', 'known2'];
  it('bash: Host entries (no patterns), known_hosts (hashed and marked lines skipped, [host]:port unwrapped)', async () => {
    expect(await inShell('bash', bash, '_ssh_doctor_hosts')).toEqual(expected);
  });

  it.runIf(existsSync('/usr/bin/zsh'))('zsh: the same names', async () => {
    expect(await inShell('zsh', `compdef() { :; }\n${zsh}`, '_ssh_doctor_hosts')).toEqual(expected);
  });

  it.runIf(existsSync('/bin/busybox'))('busybox awk reads them the same (the program is plain POSIX awk)', async () => {
    const awk = mkdtempSync(join(tmpdir(), 'completion-awk-'));
    await execa('ln', ['-s', '/bin/busybox', join(awk, 'awk')]);
    const r = await execa('bash', ['-c', `${bash}\n_ssh_doctor_hosts`], {
      env: { HOME: home, PATH: `${awk}:${process.env.PATH}` },
      extendEnv: false,
    });
    expect(r.stdout.split('\n')).toEqual(expected);
  });
});

describe('the scripts parse in their shells', () => {
  it('bash -n', async () => {
    expect((await execa('bash', ['-n'], { input: bash })).exitCode).toBe(0);
  });
  it.runIf(existsSync('/usr/bin/zsh'))('zsh -n', async () => {
    expect((await execa('zsh', ['-n'], { input: zsh })).exitCode).toBe(0);
  });
  it.runIf(existsSync('/usr/bin/fish'))('fish -n', async () => {
    const file = join(home, 'ssh-doctor.fish');
    writeFileSync(file, fish);
    expect((await execa('fish', ['-n', file])).exitCode).toBe(0);
  });
});

describe('ssh-doctor completion SHELL', () => {
  it.each([
    [[], 'Name a shell: ssh-doctor completion bash|zsh|fish.'],
    [['tcsh'], 'No completion for "tcsh": use one of bash, zsh, fish.'],
    [['bash', 'zsh'], 'Unexpected argument "zsh" for "completion" (see ssh-doctor completion --help).'],
  ])('%j → usage error', (argv, msg) => expect(() => parseCompletionArgs(argv)).toThrow(msg));
  it('names the shell', () => expect(parseCompletionArgs(['zsh'])).toEqual({ shell: 'zsh', help: false }));
});
