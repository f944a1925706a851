// `ssh-doctor server` in a real terminal at 80×24 and 120×40: the report is printed once and
// stays in the terminal's history with what the shell printed before; each fix's commands are
// plain lines a person can copy off the pane and run (a long one broken between arguments with
// "\"); q, Esc and Ctrl-C end it with the right status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { STATE } from './fix-lab.js';
import { copyBlock, openTerminal, SIZES, terminalKept, waitForScreen } from './tmux.js';

const PORT = 2319;
const SETUP = `printf 'UseDNS yes\\n' > /etc/ssh/sshd_config.d/30-dns.conf
${SERVER_SETUP(PORT)}
chmod 777 /home/alice/.ssh
touch /etc/nologin`;
const ARGS = ['server', '--user', 'alice', '--port', String(PORT)];
const PROMPT = /Apply this fix\?\s*\n❯ No, leave it/;

describe.runIf(requireLab())('server wizard in tmux', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(SETUP);
  });
  afterAll(() => lab?.close());

  it.each(SIZES)(
    'at %ix%i: one report, kept in the history; the UseDNS commands copied off the pane work',
    async (columns, rows) => {
      await lab.sh(`printf 'UseDNS yes\\n' > /etc/ssh/sshd_config.d/30-dns.conf; kill -HUP $(cat /run/sshd.pid)`);
      const term = await openTerminal(lab, ARGS, { env: STATE, size: [columns, rows] });
      for (;;) {
        // Each fix is asked with the cursor on "No": Enter alone declines it.
        const s = await waitForScreen(term, (now) => PROMPT.test(now) || /\[exited \d+\]/.test(now), 20_000);
        if (/\[exited \d+\]/.test(s)) break;
        expect(s).toMatch(/Esc quit · q quit\s*$/);
        await term.keys('Enter');
        await waitForScreen(term, (now) => now !== s);
      }
      const history = await term.history();
      expect(history).toMatch(/\[exited 1\]/);
      expect(await terminalKept(term)).toEqual({ marker: true, clears: [] });
      // One report: every probe, finding and the verdict once.
      expect(history.match(/sshd pid \d+/g)).toHaveLength(1);
      expect(history.match(/\[usedns-enabled\]/g)).toHaveLength(1);
      expect(history.match(/^Verdict: /gm)).toHaveLength(1);
      // Each outcome on a line of its own.
      expect(history).toMatch(/^usedns-enabled: declined\n/m);
      expect(history).toMatch(/^nologin-present: declined\n/m);

      const fix = history.slice(history.indexOf('Proposed fix: Stop sshd from looking up client names'));
      const copied = copyBlock(fix, 'It runs:', /^Undo:$/);
      // At 80 columns the backup copy does not fit on a line: it is broken between its arguments.
      if (columns === 80)
        expect(copied).toMatch(
          /^cp -p \/etc\/ssh\/sshd_config\.d\/30-dns\.conf \\\n\/etc\/ssh\/sshd_config\.d\/30-dns\.conf\.ssh-doctor-\S+$/m,
        );
      for (const line of copied.split('\n')) expect(line.length).toBeLessThanOrEqual(columns);
      const ran = await lab.sh(copied);
      expect(ran, copied).toMatchObject({ exitCode: 0 });
      expect((await lab.sh('cat /etc/ssh/sshd_config.d/30-dns.conf; /usr/sbin/sshd -T | grep -i ^usedns')).stdout).toBe(
        'UseDNS no\nusedns no',
      );
    },
  );

  it.each([
    ['q', 1],
    ['Escape', 1],
    ['C-c', 130],
  ])('%s at a fix prompt ends the run with status %i, changing nothing', async (key, status) => {
    const before = (await lab.sh('stat -c %a /home/alice/.ssh; ls /etc/nologin')).stdout;
    const term = await openTerminal(lab, ARGS, { env: STATE, size: [80, 24] });
    await waitForScreen(term, PROMPT, 20_000);
    await term.keys(key);
    await waitForScreen(term, new RegExp(`\\[exited ${status}\\]`));
    expect((await lab.sh('stat -c %a /home/alice/.ssh; ls /etc/nologin')).stdout).toBe(before);
    expect((await terminalKept(term)).clears).toEqual([]);
  });

  it('--yes on a terminal applies every fix without waiting for a key', async () => {
    const term = await openTerminal(lab, [...ARGS, '--yes'], { env: STATE, size: [80, 24] });
    await waitForScreen(term, /\[exited \d+\]/, 30_000);
    expect(
      (await lab.sh('stat -c %a /home/alice/.ssh; ls /etc/nologin* | wc -l; test -e /etc/nologin || echo aside'))
        .stdout,
    ).toBe('700\n1\naside');
  });
});
