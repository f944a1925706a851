// The locked-out wizard in a real terminal, end to end, at 80×24 and 120×40: choose where the
// host lives, get the console kit, copy it off the pane as a person would and run it on the
// broken "server" as a console would, paste its block back with a terminal paste, then copy the
// repair commands off the pane, run them, and see the login work again.
import { beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { copyBlock, moveTo, openTerminal, SIZES, terminalKept, waitForHistory, waitForScreen } from './tmux.js';

const PORT = 2241;
const ARGS = ['locked-out', '--user', 'alice', '--port', String(PORT)];

describe.runIf(requireLab())('locked-out wizard in tmux', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(PORT));
    await lab.sh('chmod 666 /home/alice/.ssh/authorized_keys');
    return () => lab.close();
  }, 60_000);

  it.each(SIZES)(
    'at %ix%i: physical server → steps → kit copied off the pane → pasted block → repair copied off the pane',
    async (columns, rows) => {
      const t = await openTerminal(lab, ARGS, { size: [columns, rows] });
      await waitForScreen(t, /Where does the host live\?/);
      await moveTo(t, 'A physical server');
      await t.keys('Enter');
      await waitForScreen(t, /❯ Show the console kit/);
      let history = await waitForHistory(t, /Ways into/);
      expect(history).toContain('Ways into A physical server without SSH:');
      expect(history).toMatch(/^ipmitool -I lanplus -H <bmc-address> -U <bmc-user> -E sol activate$/m);
      await t.keys('Enter');
      await waitForScreen(t, /Paste the block the kit printed/);
      history = await waitForHistory(t, /Saved to/);
      expect(history).toContain('Saved to /root/ssh-doctor-kit.sh');

      // The "console": the kit as copied off the pane, run on the server.
      const kit = copyBlock(history, 'Console kit — paste this into the console as root:', /^Saved to /);
      expect(kit).toBe((await lab.sh('cat /root/ssh-doctor-kit.sh')).stdout);
      const run = await lab.exec(['dash', '-c', kit]);
      expect(run.stdout).toContain('-----END SSH-DOCTOR KIT-----');
      await t.paste(run.stdout);

      await waitForScreen(t, /❯ Next: how not to be locked out again/);
      history = await waitForHistory(t, /to repair:/);
      expect(history).toContain('[authorized-keys-permissions]');
      const repair = copyBlock(history, 'Paste these into the console (as root) to repair:');
      expect(repair).toContain('chmod 0600 /home/alice/.ssh/authorized_keys');
      await t.keys('Enter');
      await waitForScreen(t, /❯ Done/);
      await waitForHistory(t, /\[prevent-keep-session\]/);
      await t.keys('Enter'); // "Done" is the first item; the next one would create a backup key
      await waitForScreen(t, /\[exited 1\]/);
      expect(await terminalKept(t)).toEqual({ marker: true, clears: [] });
      // Nothing was changed on the server by any of this; the copied repair then fixes it.
      const mode = await lab.sh('stat -c %a /home/alice/.ssh/authorized_keys; ls /root/.ssh');
      expect(mode.stdout.trim()).toBe('666\nid_ed25519\nid_ed25519.pub');
      await lab.exec(['dash', '-c', repair]);
      expect((await lab.sh('stat -c %a /home/alice/.ssh/authorized_keys')).stdout).toBe('600');
      const login = await lab.exec([
        'ssh',
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=no',
        '-p',
        String(PORT),
        'alice@127.0.0.1',
        'true',
      ]);
      expect(login.exitCode).toBe(0);
    },
    90_000,
  );

  it.each([
    ['q', 0],
    ['Escape', 0],
    ['C-c', 130],
  ])('%s at the first question ends the run with status %i', async (key, status) => {
    const t = await openTerminal(lab, ARGS, { size: [80, 24] });
    await waitForScreen(t, /Esc quit · q quit/);
    await t.keys(key);
    await waitForScreen(t, new RegExp(`\\[exited ${status}\\]`));
  });
});
