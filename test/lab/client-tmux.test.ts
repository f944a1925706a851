// The built CLI in a real terminal: the wizard shows the verdict, proposes the exact command,
// and changes nothing unless the user picks "Yes". At 80×24 and 120×40: what it prints stays in
// the terminal's history (nothing clears it), the command can be copied off the pane and run, and
// q, Esc and Ctrl-C end it with the right status.
import { afterEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { copyBlock, moveTo, openTerminal, SIZES, terminalKept, waitForHistory, waitForScreen } from './tmux.js';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

const mode = async () => (await lab!.sh('stat -c %a /root/.ssh/id_ed25519')).stdout.trim();
const STATE = { SSH_DOCTOR_STATE_DIR: '/root/state' };

describe.runIf(requireLab())('client wizard in tmux', () => {
  it.each(SIZES)(
    'at %ix%i: prints once, the fix command copied off the pane works, Esc goes back, q quits',
    async (columns, rows) => {
      lab = await startLab();
      await lab.sh(SERVER_SETUP(22) + 'chmod 0644 /root/.ssh/id_ed25519\n');
      const term = await openTerminal(lab, ['alice@127.0.0.1'], { env: STATE, size: [columns, rows] });
      const menu = await waitForScreen(term, /❯ Fix: Make \/root\/.ssh\/id_ed25519 readable by you only/, 20_000);
      expect(menu).toMatch(/↑↓\/jk move · Enter choose · Esc quit · q quit\s*$/);
      await term.keys('Enter');
      const confirm = await waitForScreen(term, /Run these commands now\?/);
      expect(confirm).toMatch(/❯ No, leave everything as it is/);
      expect(confirm).toMatch(/Esc back · q quit\s*$/);
      await term.keys('Escape'); // back to the menu, nothing done
      await waitForScreen(term, (s) => s.includes('❯ Fix: Make') && !s.includes('Run these commands now?'));
      expect(await mode()).toBe('644');

      const history = await term.history();
      expect(history).toMatch(/✔ tcp .*SSH-2\.0-OpenSSH/);
      // The verdict once, whole: its id on one line with the end of its sentence.
      expect(history.match(/\[private-key-permissions\]/g)).toHaveLength(1);
      expect(await term.screen(200)).toMatch(/ \[private-key-permissions\]$/m);
      // The command as a person copies it off the pane, run by hand.
      const copied = copyBlock(history, 'It runs:', /^Undo:$/);
      expect(copied).toBe('chmod 0600 /root/.ssh/id_ed25519');
      await lab.sh(copied);
      expect(await mode()).toBe('600');

      await term.keys('q');
      await waitForScreen(term, /\[exited 1\]/);
      expect(await terminalKept(term)).toEqual({ marker: true, clears: [] });
    },
  );

  it.each([
    ['Escape', 1],
    ['C-c', 130],
  ])('%s on the menu ends the run with status %i', async (key, status) => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(22) + 'chmod 0644 /root/.ssh/id_ed25519\n');
    const term = await openTerminal(lab, ['alice@127.0.0.1'], { size: [80, 24] });
    await waitForScreen(term, /❯ Fix: Make/, 20_000);
    await term.keys(key);
    await waitForScreen(term, new RegExp(`\\[exited ${status}\\]`));
    expect(await mode()).toBe('644');
  });

  it('--yes on a terminal applies the fix and ends without waiting for a key', async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(22) + 'chmod 0644 /root/.ssh/id_ed25519\n');
    const term = await openTerminal(lab, ['--yes', 'alice@127.0.0.1'], { env: STATE, size: [80, 24] });
    await waitForScreen(term, /\[exited \d+\]/, 20_000);
    expect(await mode()).toBe('600');
  });

  it('confirming runs the command, verifies it, and journals it', async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(22) + 'chmod 0644 /root/.ssh/id_ed25519\n');
    const term = await openTerminal(lab, ['alice@127.0.0.1'], { env: STATE });
    await waitForScreen(term, /❯ Fix: Make/, 20_000);
    await term.keys('Enter');
    await waitForScreen(term, /Run these commands now\?/);
    await moveTo(term, 'Yes, run them');
    await term.keys('Enter');
    const after = await waitForScreen(term, /is now 0600: ssh will offer it/);
    expect(after).toContain('chmod 0600 /root/.ssh/id_ed25519');
    expect(after).not.toMatch(/❯ Fix: Make/); // offered once
    expect(await mode()).toBe('600');
    expect((await lab.sh('cat /root/state/journal.jsonl')).stdout).toContain('"fixId":"chmod-private-key"');
  });

  it('with no host, it asks, offering localhost, and keeps the flags given', async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(2222));
    const term = await openTerminal(lab, ['-p', '2222']);
    await waitForScreen(term, /❯ localhost \(this machine\)/);
    await moveTo(term, 'Another host');
    await term.keys('Enter');
    await waitForScreen(term, /Host to diagnose/);
    await term.keys('alice@127.0.0.1', 'Enter');
    await waitForScreen(term, /Login works: alice@127\.0\.0\.1:2222/, 20_000);
  });

  it('colours by default, none with NO_COLOR', async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(22));
    const plain = await openTerminal(lab, [], { env: { NO_COLOR: '1' } });
    await waitForScreen(plain, /localhost \(this machine\)/);
    expect(await plain.rawScreen()).not.toMatch(/\u001b\[3\dm/);
    await plain.close();
    const coloured = await openTerminal(lab, []);
    await waitForScreen(coloured, /localhost \(this machine\)/);
    expect(await coloured.rawScreen()).toMatch(/\u001b\[3\dm/);
  });

  it.each(SIZES)(
    'at %ix%i, refused on 22: the verdict wraps between words, and the menu offers the port where SSH answers',
    async (columns, rows) => {
      lab = await startLab();
      await lab.sh(SERVER_SETUP(2222));
      const term = await openTerminal(lab, ['alice@127.0.0.1'], { size: [columns, rows] });
      // The verdict is printed just after the menu is first drawn.
      const first = await waitForScreen(
        term,
        (s) => s.includes('❯ Diagnose port 2222 instead') && s.includes('[connection-refused]'),
        20_000,
      );
      expect(first).toMatch(/ \[connection-refused\]$/m);
      for (const line of first.split('\n')) expect(line.length).toBeLessThanOrEqual(columns);
      await term.keys('Enter');
      await waitForScreen(term, /Login works: alice@127\.0\.0\.1:2222/, 20_000);
      await term.keys('q');
      await waitForScreen(term, /\[exited 0\]/);
      expect(await terminalKept(term)).toEqual({ marker: true, clears: [] });
    },
  );

  it('at 80x24, host key changed: the tall fix preview scrolls like output, the screen is never cleared, its commands copied off the pane work', async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(22)}ssh-keygen -q -t ed25519 -N '' -f /root/other
echo "127.0.0.1 $(cut -d' ' -f1,2 /root/other.pub)" > /root/.ssh/known_hosts
ssh-keygen -q -H -f /root/.ssh/known_hosts && rm -f /root/.ssh/known_hosts.old`);
    const term = await openTerminal(lab, ['alice@127.0.0.1'], { env: STATE, size: [80, 24] });
    await waitForScreen(term, /❯ Fix: /, 20_000);
    await term.keys('Enter');
    await waitForScreen(term, /Run these commands now\?/);
    const history = await waitForHistory(term, /^Undo:$/m);
    expect(history.match(/\[host-key-changed\]/g)).toHaveLength(1);
    const copied = copyBlock(history, 'It runs:', /^Undo:$/);
    expect(copied).toContain('ssh-keygen -R 127.0.0.1 -f /root/.ssh/known_hosts');
    await term.keys('q');
    await waitForScreen(term, /\[exited 1\]/);
    expect(await terminalKept(term)).toEqual({ marker: true, clears: [] });
    await lab.sh(copied);
    expect(
      (await lab.sh('ssh-keygen -F 127.0.0.1 -f /root/.ssh/known_hosts | grep -c ssh-ed25519 || true')).stdout,
    ).toBe('0');
  });
});
