// The package as people get it: packed from a checkout with no dist/ (prepack builds), installed
// globally into a temporary prefix by an unprivileged user who cannot see the source tree (it is
// hidden inside the lab), offline, then every mode run from that install against the lab's sshd.
import { execa } from 'execa';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/shell-quote.js';
import { REPO, requireLab, SERVER_SETUP, startLab, type ExecResult, type Lab } from './lab.js';

const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
const asAlice = (script: string) =>
  `runuser -u alice -- env HOME=/home/alice PATH=/home/alice/prefix/bin:/usr/bin:/bin bash -euc ${shellQuote(script)}`;

describe.runIf(requireLab(['/usr/sbin/runuser']))('the packed tarball, installed with npm -g', () => {
  let lab: Lab;
  let checkout: string;
  let packDir: string;
  let tarball: string;
  let files: string[];
  let install: ExecResult;

  beforeAll(async () => {
    // A clean checkout: the sources without dist/, sharing the repo's node_modules (pack once).
    checkout = mkdtempSync(join(tmpdir(), 'ssh-doctor-checkout-'));
    cpSync(REPO, checkout, {
      recursive: true,
      filter: (src) => !/\/(node_modules|dist|\.git|\.stryker-tmp|reports|\.bench)$/.test(src),
    });
    symlinkSync(join(REPO, 'node_modules'), join(checkout, 'node_modules'));
    packDir = mkdtempSync(join(tmpdir(), 'ssh-doctor-pack-'));
    chmodSync(packDir, 0o755);
    const packed = await execa('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: checkout });
    const info = JSON.parse(packed.stdout)[0] as { filename: string; files: { path: string }[] };
    tarball = join(packDir, info.filename);
    files = info.files.map((f) => f.path).sort();
    console.log(`packed ${info.filename}: ${statSync(tarball).size} bytes, ${files.length} files`);

    lab = await startLab();
    const setup = await lab.sh(`${SERVER_SETUP(22).replace('-o ListenAddress=127.0.0.1 ', '')}
echo '127.0.0.1 server completion' >> /etc/hosts
mount -t tmpfs -o mode=0700 tmpfs ${shellQuote(REPO)}
mount -t tmpfs -o mode=0700 tmpfs ${shellQuote(checkout)}
${asAlice(`ssh-keygen -q -t ed25519 -N '' -f ~/.ssh/id_ed25519
cat ~/.ssh/id_ed25519.pub >> ~/.ssh/authorized_keys
printf 'Host lab-alias\\n  HostName 127.0.0.1\\nHost *.wild\\n' > ~/.ssh/config
printf '127.0.0.9 ssh-ed25519 AAAA\\n|1|abc=|def= ssh-ed25519 AAAA\\n' > ~/.ssh/known_hosts`)}`);
    if (setup.exitCode !== 0) throw new Error(`setup failed: ${setup.stderr}`);
    install = await lab.sh(
      asAlice(
        `npm install -g --offline --no-audit --no-fund --cache ~/.npm-empty --prefix ~/prefix ${shellQuote(tarball)}`,
      ),
      120_000,
    );
  }, 240_000);

  afterAll(async () => {
    await lab?.close();
    for (const d of [checkout, packDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('ships the bundle, the man page and the documents; no sources, no tests', () => {
    expect(files).toContain('dist/ssh-doctor.mjs');
    expect(files).toContain('dist/ssh-doctor.1');
    expect(files.filter((f) => !f.startsWith('dist/chunks/'))).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'SECURITY.md',
      'dist/headless.cache',
      'dist/headless.cjs',
      'dist/ssh-doctor.1',
      'dist/ssh-doctor.mjs',
      'package.json',
    ]);
    expect(files.filter((f) => !/^dist\/chunks\/[\w-]+\.mjs$/.test(f) && f.startsWith('dist/chunks/'))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('installs offline as a user who cannot read the checkout, with no warning', async () => {
    const hidden = await lab.exec(['runuser', '-u', 'alice', '--', 'ls', REPO]);
    expect(hidden.exitCode).not.toBe(0);
    expect(install.stderr).toBe('');
    expect(install.stdout.trim()).toMatch(/^added 1 package in/);
    expect(install.exitCode).toBe(0);
    const man = await lab.sh(asAlice('readlink -f ~/prefix/share/man/man1/ssh-doctor.1'));
    expect(man.stdout.trim()).toBe('/home/alice/prefix/lib/node_modules/ssh-doctor/dist/ssh-doctor.1');
  });

  it('--version is the package version; every mode has its --help', async () => {
    const v = await lab.sh(asAlice('ssh-doctor --version'));
    expect(v.stdout).toBe(`ssh-doctor ${version}`);
    // The installed copy's headless build starts from its own code cache (not compiled from source).
    const g = await lab.sh(asAlice('SSH_DOCTOR_DEBUG=1 ssh-doctor -G web1 </dev/null'));
    expect(g.stderr).toMatch(/^ssh-doctor: headless build, from the code cache\n/);
    for (const mode of ['', 'server', 'locked-out', 'undo', 'completion']) {
      const h = await lab.sh(asAlice(`ssh-doctor ${mode} --help`));
      expect(h.exitCode).toBe(0);
      expect(h.stdout).toMatch(mode ? new RegExp(`^Usage: ssh-doctor ${mode} `) : /^ssh-doctor \S+ — /);
    }
  });

  it('client and server --json runs against the lab sshd', async () => {
    const client = await lab.sh(asAlice('ssh-doctor --json lab-alias || true'));
    const report = JSON.parse(client.stdout);
    expect(report.verdict.id).toBe('ok');
    expect(report.target).toEqual({ user: 'alice', host: '127.0.0.1', port: 22 });
    expect(report.findings.map((f: { id: string }) => f.id)).toEqual(['ok', 'host-key-unknown']);

    // A host named like a mode is reached after "--".
    for (const host of ['server', 'completion']) {
      const named = JSON.parse((await lab.sh(asAlice(`ssh-doctor --json -- ${host} || true`))).stdout);
      expect(named.target).toEqual({ user: 'alice', host, port: 22 });
      expect(named.verdict.id).toBe('ok');
    }

    // The server checks need root: root runs alice's install (it cannot see the checkout either).
    const server = await lab.sh('/home/alice/prefix/bin/ssh-doctor server --json --user alice --port 22 || true');
    const sreport = JSON.parse(server.stdout);
    expect(sreport.mode).toBe('server');
    expect(sreport.verdict.id).toBe('server-ok');
    expect(sreport.findings).toEqual([]);
  });

  it('bash completion: registered, completes a Host alias and known hosts, skips patterns and hashed entries', async () => {
    const complete = (words: string[]) =>
      lab.sh(
        asAlice(`eval "$(ssh-doctor completion bash)"
complete -p ssh-doctor
COMP_WORDS=(${words.map(shellQuote).join(' ')}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_ssh_doctor
printf '%s\\n' "\${COMPREPLY[@]}"`),
      );
    const hosts = (await complete(['ssh-doctor', ''])).stdout.split('\n');
    expect(hosts[0]).toBe('complete -F _ssh_doctor ssh-doctor');
    expect(hosts.slice(1).sort()).toEqual(['127.0.0.9', 'completion', 'lab-alias', 'locked-out', 'server', 'undo']);
    expect((await complete(['ssh-doctor', 'alice@lab'])).stdout.split('\n').slice(1)).toEqual(['alice@lab-alias']);
    expect((await complete(['ssh-doctor', 'locked-out', '--provider', 'h'])).stdout.split('\n').slice(1)).toEqual([
      'hetzner',
      'hypervisor',
    ]);
  });

  /** A real interactive shell as alice in tmux: type a line, press Tab, read what it became. */
  async function tabIn(shell: string[], load: string, typed: string): Promise<string> {
    const socket = `/run/ssh-doctor-package-tmux-${process.pid}`;
    const tmux = (...a: string[]) => lab.exec(['tmux', '-S', socket, ...a]);
    const env = ['env', 'HOME=/home/alice', 'PATH=/home/alice/prefix/bin:/usr/bin:/bin', 'TERM=xterm', 'PS1=$ '];
    await tmux(
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      't',
      '-x',
      '120',
      '-y',
      '20',
      '--',
      'runuser',
      '-u',
      'alice',
      '--',
      ...env,
      ...shell,
    );
    try {
      const screen = async () => (await tmux('capture-pane', '-p', '-t', 't')).stdout;
      const waitFor = async (re: RegExp) => {
        for (let i = 0; i < 100; i++) {
          const now = await screen();
          if (re.test(now)) return now;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`screen never matched ${re}:\n${await screen()}`);
      };
      // Keys typed before the shell's line editor starts can be lost (zsh drops them): wait for
      // its prompt first.
      await waitFor(/\S/);
      await tmux('send-keys', '-t', 't', '-l', `${load}; echo loaded`);
      await tmux('send-keys', '-t', 't', 'Enter');
      await waitFor(/^loaded$/m);
      await tmux('send-keys', '-t', 't', '-l', typed);
      await tmux('send-keys', '-t', 't', 'Tab');
      const escaped = typed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const line = new RegExp(`${escaped}\\S+`);
      return line.exec(await waitFor(line))![0];
    } finally {
      await tmux('kill-server');
    }
  }

  it('bash completes on Tab in a real terminal', async () => {
    const load = 'eval "$(ssh-doctor completion bash)"';
    expect(await tabIn(['bash', '--norc', '--noprofile', '-i'], load, 'ssh-doctor lab')).toBe('ssh-doctor lab-alias');
  });

  it.runIf(existsSync('/usr/bin/zsh'))('zsh completes on Tab in a real terminal', async () => {
    const load = 'autoload -Uz compinit && compinit -u && eval "$(ssh-doctor completion zsh)"';
    expect(await tabIn(['zsh', '-f'], load, 'ssh-doctor lab')).toBe('ssh-doctor lab-alias');
    expect(await tabIn(['zsh', '-f'], load, 'ssh-doctor alice@lab')).toBe('ssh-doctor alice@lab-alias');
    expect(await tabIn(['zsh', '-f'], load, 'ssh-doctor locked-out --provider=hetz')).toBe(
      'ssh-doctor locked-out --provider=hetzner',
    );
  });

  it.runIf(existsSync('/usr/bin/fish'))('fish completes with its own engine (complete -C)', async () => {
    const fish = async (line: string) =>
      (
        await lab.sh(
          asAlice(`fish -c ${shellQuote(`ssh-doctor completion fish | source; complete -C ${shellQuote(line)}`)}`),
        )
      ).stdout
        .split('\n')
        .map((l) => l.split('\t')[0]);
    expect(await fish('ssh-doctor lab')).toEqual(['lab-alias']);
    expect(await fish('ssh-doctor server --via lab')).toEqual(['lab-alias']);
    expect(await fish('ssh-doctor locked-out --provider h')).toEqual(['hetzner', 'hypervisor']);
    expect(await fish('ssh-doctor completion ')).toEqual(['bash', 'fish', 'zsh']);
  });

  it("npm 10 (Node 20's own) installs it the same way", async () => {
    const prefix = join(packDir, 'npm10');
    const npx = (args: string[]) => execa('npx', ['-y', 'npm@10', ...args], { cwd: packDir, reject: false });
    expect((await npx(['--version'])).stdout).toMatch(/^10\./);
    const r = await npx([
      'install',
      '-g',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--cache',
      join(packDir, 'cache10'),
      '--prefix',
      prefix,
      tarball,
    ]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect((await execa(join(prefix, 'bin', 'ssh-doctor'), ['--version'])).stdout).toBe(`ssh-doctor ${version}`);
  }, 120_000);
});
