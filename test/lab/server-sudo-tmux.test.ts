// As a normal user in a real terminal: the wizard names the checks that need root and offers the
// rerun with sudo; sudo itself asks for the password on the terminal (ssh-doctor never sees it)
// and the same checks run again as root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireLab, startLab, type Lab } from './lab.js';
import { PORT, SETUP, sh } from '../server/lab-helpers.js';
import { copyBlock, openTerminal, waitForHistory, waitForScreen } from './tmux.js';

describe.runIf(requireLab(['/usr/bin/sudo']))('interactive: rerun with sudo', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    // The lab's /etc is its own: alice gets a password and a sudo rule there only.
    await sh(
      lab,
      `${SETUP}
echo 'alice:lab-only-pw' | chpasswd
printf 'Defaults lecture=never\\nalice ALL=(ALL:ALL) ALL\\n' > /etc/sudoers.d/alice; chmod 440 /etc/sudoers.d/alice`,
    );
  });
  afterAll(() => lab?.close());

  it('offers sudo last; "Yes" hands the terminal to sudo, which asks for the password; the root run sees everything', async () => {
    const term = await openTerminal(lab, ['server', '--user', 'alice', '--port', String(PORT)], { user: 'alice' });
    let s = await waitForScreen(term, /Rerun the checks that need root with sudo\?/, 20_000);
    // The command printed plain under its heading, as it can be copied and run by hand.
    const history = await waitForHistory(term, /again with sudo:/);
    expect(copyBlock(history, 'The checks that need root, again with sudo:', /^$|Rerun/)).toBe(
      `sudo -- ${process.execPath} ${CLI} server --user alice --port ${PORT}`,
    );
    expect(s).toMatch(/❯ No, stop here/);
    await term.keys('Down');
    await waitForScreen(term, /❯ Yes, rerun with sudo/);
    await term.keys('Enter');
    s = await waitForScreen(term, /\[sudo\] password for alice:/, 15_000);
    // The report of the first run was printed before sudo took the terminal.
    expect(await term.screen(200)).toMatch(/needs-root/);
    await term.keys('lab-only-pw', 'Enter');
    s = await waitForScreen(term, /\[exited \d+\]/, 30_000);
    const all = await term.screen(300);
    const rootRun = all.slice(all.lastIndexOf('[sudo] password for alice:'));
    expect(rootRun).toContain('ssh-doctor server');
    expect(rootRun).not.toMatch(/needs-root|Rerun the checks that need root/);
    expect(rootRun).toMatch(/\[exited 0\]/);
  }, 90_000);
});
