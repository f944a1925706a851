// The locked-out wizard in a real terminal, end to end: choose where the host lives, get the
// console kit, run it on the broken "server" as a console would, paste its block back with a
// terminal paste, and read the repair commands off the screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { moveTo, openTerminal, waitForScreen } from './tmux.js';

const PORT = 2241;

describe.runIf(requireLab())('locked-out wizard in tmux', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(PORT));
    await lab.sh('chmod 666 /home/alice/.ssh/authorized_keys');
  }, 60_000);
  afterAll(() => lab?.close());

  it('physical server → steps → kit → pasted block → repair commands', async () => {
    const t = await openTerminal(lab, ['locked-out', '--user', 'alice', '--port', String(PORT)]);
    await waitForScreen(t, /Where does the host live\?/);
    await moveTo(t, 'A physical server');
    await t.keys('Enter');
    let screen = await waitForScreen(t, /Show the console kit/);
    expect(screen).toContain('Ways into A physical server without SSH:');
    expect(screen).toContain('$ ipmitool -I lanplus -H <bmc-address> -U <bmc-user> -E sol activate');
    await t.keys('Enter');
    await waitForScreen(t, /Saved to \/root\/ssh-doctor-kit\.sh/);
    await waitForScreen(t, /Paste the block the kit printed/);

    // The "console": run the saved kit on the server, copy what it printed.
    const run = await lab.sh('dash /root/ssh-doctor-kit.sh');
    expect(run.stdout).toContain('-----END SSH-DOCTOR KIT-----');
    await t.paste(run.stdout);

    screen = await waitForScreen(t, /Paste these into the console \(as root\) to repair:/);
    expect(screen).toContain('[authorized-keys-permissions]');
    expect(screen).toContain('chmod 0600 /home/alice/.ssh/authorized_keys');
    await t.keys('Enter');
    screen = await waitForScreen(t, /Next time:/);
    expect(screen).toContain('[prevent-keep-session]');
    await waitForScreen(t, /❯ Done/);
    await t.keys('Enter'); // "Done" is the first item; the next one would create a backup key
    await waitForScreen(t, /\[exited 1\]/);
    // Nothing was changed on the server by any of this.
    const mode = await lab.sh('stat -c %a /home/alice/.ssh/authorized_keys; ls /root/.ssh');
    expect(mode.stdout.trim()).toBe('666\nid_ed25519\nid_ed25519.pub');
  }, 90_000);
});
