// Hostile input against the built CLI: a server with escape sequences and shell syntax in what it
// says, a slowloris and a 1 MB identification line; a console kit run on a host whose passwd,
// paths and logs hold the same. Each case checks what reaches the terminal (no raw control
// character in the text report, in the --json bytes, or in its decoded strings, which is what
// `jq -r` prints; tmux's clipboard and title untouched) and what a shell does with the commands
// ssh-doctor suggests when they are pasted into it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CLIENT_VERDICTS } from '../../src/client/findings.js';
import { KIT_BEGIN, kitScript } from '../../src/locked-out/kit/script.js';
import { LEFT_OUT } from '../../src/shell-quote.js';
import { REPO, requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { openTerminal, waitForScreen } from './tmux.js';

const SERVER = join(REPO, 'test/lab/hostile-sshd.mjs');
/** Where a pasted "$(touch …)" would leave its mark: /run is the lab's own tmpfs. */
const MARK = '/run/pwned';
const INJECT = `$(touch\${IFS}${MARK})`;
/** OSC 52 (write the clipboard), clear screen, window title, CR + erase line, 8-bit CSI, DEL, a bidi override. */
const ESCAPES = '\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b]2;pwned\x07\r\x1b[Kfake\x9b31m\x7f\u202e';
// C0 but newline, DEL, C1, and the bidi controls inert() shows escaped.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function allStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(allStrings);
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...allStrings(x)]);
  return [];
}

/** Text for a terminal, and every string a JSON parser gets back: no control character. */
function expectInert(text: string, json?: unknown) {
  expect(text).not.toMatch(RAW_CONTROL);
  for (const s of json === undefined ? [] : allStrings(json)) expect(s).not.toMatch(RAW_CONTROL);
}

const marked = async (lab: Lab) => (await lab.sh(`test -e ${MARK} && echo yes || echo no`)).stdout.trim() === 'yes';

/** The payload is live: run unquoted by a shell, it leaves the mark (then the mark is removed). */
async function expectPayloadLive(lab: Lab) {
  await lab.exec(['sh', '-c', `: ${INJECT}`]);
  expect(await marked(lab)).toBe(true);
  await lab.sh(`rm -f ${MARK}`);
}

describe.runIf(requireLab())('a hostile server', () => {
  let lab: Lab;
  const start = async (mode: string, port: number, cfg: object) => {
    const b64 = Buffer.from(JSON.stringify(cfg)).toString('base64');
    const r = await lab.sh(`setsid node ${SERVER} ${mode} ${port} ${b64} >/run/hostile-${port}.log 2>&1 </dev/null &
for i in $(seq 100); do ss -Htln "sport = :${port}" | grep -q . && break; sleep 0.1; done`);
    if (r.exitCode !== 0) throw new Error(`hostile server ${mode} did not start: ${r.stderr}`);
  };
  /**
   * The text report and the --json report of one diagnosis. Each run ends well within its
   * probes' timeouts: a server that never closes or never finishes a line holds nothing open.
   */
  const diagnose = async (port: number) => {
    const dest = `alice@127.0.0.1:${port}`;
    const timed = async (args: string[]) => {
      const started = Date.now();
      const r = await lab.cli([dest, '--timeout', '2000', ...args], { timeoutMs: 60_000 });
      expect(Date.now() - started).toBeLessThan(12_000);
      return r;
    };
    const text = await timed([]);
    const json = await timed(['--json']);
    expect(text.stderr + json.stderr).toBe('');
    const report = JSON.parse(json.stdout);
    expectInert(text.stdout, report);
    expectInert(json.stdout);
    expect(Object.keys(CLIENT_VERDICTS)).toContain(report.verdict.id);
    return { text: text.stdout, report };
  };

  beforeAll(async () => {
    lab = await startLab();
    const setup = await lab.sh(`mkdir -p /root/.ssh && ssh-keygen -q -t ed25519 -N '' -f /root/.ssh/id_ed25519
ssh-keygen -q -t ed25519 -N '' -f /run/hostile_host_key
mkdir -p /run/fakebin && printf '#!/bin/sh\\nprintf "%%s\\\\0" "$@"\\n' > /run/fakebin/ssh && chmod 755 /run/fakebin/ssh`);
    if (setup.exitCode !== 0) throw new Error(setup.stderr);
    await start('kexinit', 2301, { hostKeyNames: [INJECT, `ssh-ed25519${ESCAPES}`] });
    await start('disconnect', 2302, { text: ESCAPES });
    await start('auth', 2303, {
      ident: 'OpenSSH_9.2p1 \x1b]2;pwned\x07\x1b[2J',
      text: ESCAPES,
      hostKey: '/run/hostile_host_key',
      methods: ['publickey', `password${ESCAPES}`],
    });
    await start('slowloris', 2304, {});
    await start('megaline', 2305, { text: `${ESCAPES}${INJECT}` });
  }, 60_000);
  afterAll(() => lab?.close());

  it('algorithm names with $() and escapes: the advice quotes the name, and pasting it runs nothing', async () => {
    const { text, report } = await diagnose(2301);
    expect(report.verdict.id).toBe('algorithm-mismatch');
    // ssh's own log leaves CR and BEL from the name unencoded; shown, they are escaped.
    expect(report.verdict.summary).toContain('\\x0d');
    const prefix = 'Temporary, weaker: ';
    const advice: string = report.findings[0].next.find((n: string) => n.startsWith(prefix)).slice(prefix.length);
    expect(advice).toBe(`ssh -o 'HostKeyAlgorithms=+${INJECT}' alice@127.0.0.1 -p 2301`);
    expect(text).toContain(`  → ${prefix}${advice}\n`);
    // Pasted into sh and bash, with an ssh that prints the words it was given.
    for (const shell of ['sh', 'bash']) {
      const r = await lab.exec([shell, '-c', advice], { env: { PATH: `/run/fakebin:/usr/bin:/bin` } });
      expect(r.stdout.split('\0').slice(0, -1)).toEqual([
        '-o',
        `HostKeyAlgorithms=+${INJECT}`,
        'alice@127.0.0.1',
        '-p',
        '2301',
      ]);
    }
    expect(await marked(lab)).toBe(false);
    await expectPayloadLive(lab);
  });

  it('disconnect text with escapes is shown escaped', async () => {
    const { text, report } = await diagnose(2302);
    const handshake = report.probes.find((p: { id: string }) => p.id === 'handshake');
    expect(handshake.detail).toBe(
      '\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x1b]2;pwned\\x07\\x0d\\x1b[Kfake\\x9b31m\\x7f\\u202e',
    );
    expect(text).toContain(handshake.detail);
  });

  it('auth methods and identification with escapes: shown escaped, in the report and in a real terminal', async () => {
    const { text, report } = await diagnose(2303);
    expect(report.verdict.id).toBe('auth-publickey-denied');
    // The methods are ssh's own final list, which ssh already prints escaped (strnvis: \033);
    // whoever escaped them, no control character reaches the report.
    const SHOWN = 'server accepts: publickey, password\\033]52;c;cHduZWQ=\\x07\\033[2J';
    expect(report.findings[0].evidence.some((e: string) => e.startsWith(SHOWN))).toBe(true);
    expect(JSON.stringify(report)).not.toMatch(/\\u001b|\\u0007|\\u009b/);
    expect(text).toContain(SHOWN);
    expect(text).not.toMatch(/[\x1b\x07\x9b]/);

    // tmux acts on what reaches it: OSC 52 would create a paste buffer, OSC 2 set the pane title.
    const term = await openTerminal(lab, ['alice@127.0.0.1:2303', '--timeout', '2000'], {
      tmuxOptions: { 'set-clipboard': 'on' },
    });
    // The wizard wraps between words: the method name stays whole, escaped. (The findings are
    // printed just after the menu's frame is drawn: wait for both.)
    const METHOD = 'password\\033]52;c;cHduZWQ=\\x07\\033[2J';
    await waitForScreen(term, (s) => s.includes('❯ Quit') && s.includes(METHOD));
    await term.keys('Enter'); // Quit is the only choice
    await waitForScreen(term, /\[exited 1\]/);
    expect((await term.tmux('list-buffers')).stdout).toBe('');
    expect((await term.tmux('display', '-p', '-t', 't', '#{pane_title}')).stdout).not.toContain('pwned');
    // The same server does act on those sequences when they do reach it.
    await term.tmux(
      'new-session',
      '-d',
      '-s',
      'control',
      'printf "\\033]52;c;cHduZWQ=\\007\\033]2;pwned\\007"; sleep 600',
    );
    await expect
      .poll(async () => (await term.tmux('list-buffers', '-F', '#{buffer_sample}')).stdout.trim())
      .toBe('pwned');
    expect((await term.tmux('display', '-p', '-t', 'control', '#{pane_title}')).stdout).toContain('pwned');
  });

  it('slowloris (a byte a second): a verdict within the timeout, not a hang', async () => {
    const { report } = await diagnose(2304);
    expect(report.verdict.severity).toBe('error');
  });

  it('a 1 MB identification line of escapes and $(): a verdict, a short report, nothing run', async () => {
    const { text, report } = await diagnose(2305);
    expect(report.verdict.severity).toBe('error');
    expect(text.length).toBeLessThan(8_000);
    expect(await marked(lab)).toBe(false);
  });
});

describe.runIf(requireLab())('a console kit from a hostile host', () => {
  const PORT = 2242;
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(PORT));
  }, 60_000);
  afterAll(() => lab?.close());

  /** The kit run as on a console (dash), its block decoded by the built CLI: text and JSON. */
  const kitResult = async (user: string) => {
    const run = await lab.exec(['dash'], { input: kitScript(user, PORT) });
    const block = run.stdout.slice(run.stdout.indexOf(KIT_BEGIN));
    const text = await lab.cli(['locked-out', '--decode', '-'], { input: block });
    const json = await lab.cli(['locked-out', '--decode', '-', '--json'], { input: block });
    const report = JSON.parse(json.stdout);
    expectInert(text.stdout + text.stderr, report);
    expectInert(json.stdout);
    const repair = text.stdout.slice(text.stdout.indexOf('Paste these commands into the console (as root) to repair:'));
    return { text: text.stdout, report, repair: repair.slice(0, repair.indexOf('\n# undo ') + 1 || undefined) };
  };

  it('a home directory named $(…): the repair quotes it, and pasting the repair fixes that very file', async () => {
    const home = `/home/m${INJECT}`;
    await lab.exec(['useradd', '-m', '-d', home, 'mallory']);
    await lab.exec(['install', '-d', '-m', '700', '-o', 'mallory', '-g', 'mallory', `${home}/.ssh`]);
    await lab.exec([
      'install',
      '-m',
      '666',
      '-o',
      'mallory',
      '-g',
      'mallory',
      '/root/.ssh/id_ed25519.pub',
      `${home}/.ssh/authorized_keys`,
    ]);
    expect(await marked(lab)).toBe(false);

    const { report, repair } = await kitResult('mallory');
    // The lab's sshd listens on 127.0.0.1 only.
    expect(report.findings.map((f: { id: string }) => f.id)).toEqual([
      'sshd-listen-address',
      'authorized-keys-permissions',
    ]);
    expect(repair).toContain(`chmod 0600 '${home}/.ssh/authorized_keys'`);
    const pasted = await lab.exec(['sh', '-e'], { input: repair.split('\n').slice(1).join('\n') });
    expect(pasted.exitCode).toBe(0);
    expect((await lab.exec(['stat', '-c', '%a', `${home}/.ssh/authorized_keys`])).stdout.trim()).toBe('600');
    expect(await marked(lab)).toBe(false);
    await expectPayloadLive(lab);
  });

  it('escapes in passwd, a path and the sshd log: shown escaped, that repair left out, the rest pasteable', async () => {
    const home = `/home/e${ESCAPES}`;
    const setup = await lab.sh(`useradd -M eve
h=$(printf '/home/e\\033]52;c;cHduZWQ=\\007\\033[2J\\033]2;pwned\\007\\r\\033[Kfake\\302\\23331m\\177\\342\\200\\256')
sed -i "s|^eve:\\([^:]*\\):\\([^:]*\\):\\([^:]*\\):[^:]*:[^:]*:|eve:\\1:\\2:\\3:$(printf '\\033]2;pwned\\007'):$h:|" /etc/passwd
install -d -m 700 -o eve -g eve "$h" "$h/.ssh"
install -m 666 -o eve -g eve /root/.ssh/id_ed25519.pub "$h/.ssh/authorized_keys"
printf 'maintenance \\033[2J\\033]2;pwned\\007\\n' > /etc/nologin
printf 'Nov 25 13:00:02 web sshd[8]: User eve from 203.0.113.7 not allowed because \\033]52;c;cHduZWQ=\\007\\r\\033[K\\n' >> /var/log/auth.log`);
    expect(setup.exitCode, setup.stderr).toBe(0);
    expect((await lab.exec(['getent', 'passwd', 'eve'])).stdout).toContain(home);

    const { text, report, repair } = await kitResult('eve');
    const ids = report.findings.map((f: { id: string }) => f.id);
    // Not an exact set: the kit's key count for a path with control characters does not reach the
    // decoder, so authorized-keys-missing also appears although the file holds a key (a known gap).
    expect(ids).toEqual(
      expect.arrayContaining([
        'sshd-listen-address',
        'nologin-present',
        'authorized-keys-permissions',
        'sshd-log-refusal',
      ]),
    );
    expect(text).toContain(
      '/home/e\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x1b]2;pwned\\x07\\x0d\\x1b[Kfake\\x9b31m\\x7f\\u202e/.ssh/authorized_keys',
    );
    expect(text).toContain('maintenance \\x1b[2J\\x1b]2;pwned\\x07');
    expect(repair).toMatch(new RegExp(`# authorized-keys-permissions: .*\\n# ${LEFT_OUT.replace(/[()]/g, '\\$&')}\\n`));
    expect(repair).toContain('mv /etc/nologin');
    // What is left is safe to paste: it moves /etc/nologin aside and touches nothing of eve's.
    const pasted = await lab.exec(['sh', '-e'], { input: repair.split('\n').slice(1).join('\n') });
    expect(pasted.exitCode, pasted.stderr).toBe(0);
    expect((await lab.sh('test -e /etc/nologin && echo present || echo gone')).stdout.trim()).toBe('gone');
    expect((await lab.exec(['stat', '-c', '%a', `${home}/.ssh/authorized_keys`])).stdout.trim()).toBe('666');
  });
});
