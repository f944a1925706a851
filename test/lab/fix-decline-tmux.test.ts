// The interactive wizard in a real terminal (tmux): declining every fix changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { STATE } from './fix-lab.js';
import { openTerminal, waitForScreen } from './tmux.js';

const PORT = 2318;
const snapshot = (lab: Lab) =>
  lab.sh(
    'stat -c "%n %a %U" /home/alice /home/alice/.ssh /home/alice/.ssh/authorized_keys; sha256sum /etc/ssh/sshd_config.d/*; ls /etc/nologin*; ls -A /root/.ssh-doctor-state 2>/dev/null || true',
  );

describe.runIf(requireLab())('interactive: declining a fix', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`printf 'UseDNS yes\\n' > /etc/ssh/sshd_config.d/30-dns.conf
${SERVER_SETUP(PORT)}
chmod 777 /home/alice/.ssh
touch /etc/nologin`);
  });
  afterAll(() => lab?.close());

  it('answers "No, leave it" to every proposed fix, and the files, modes and journal are as before', async () => {
    const before = (await snapshot(lab)).stdout;
    const term = await openTerminal(lab, ['server', '--user', 'alice', '--port', String(PORT)], { env: STATE });
    for (;;) {
      // Each fix is asked with the cursor already on "No": Enter alone must decline it.
      const s = await waitForScreen(term, /Apply this fix\?\s*\n❯ No, leave it|\[exited \d+\]/, 20_000);
      if (/\[exited \d+\]/.test(s)) break;
      await term.keys('Enter');
      await waitForScreen(term, (now) => now !== s); // this prompt is gone: the next one, or the end
    }
    // With scrollback: the final report is longer than the pane.
    const end = await term.screen(300);
    expect(end).toMatch(/\[exited 1\]/);
    const declined = [...end.matchAll(/^Proposed fix: (.*)$/gm)].map((m) => m[1]!);
    expect(declined.length).toBeGreaterThanOrEqual(3);
    expect(declined.join('\n')).toMatch(/StrictModes/);
    expect(declined.join('\n')).toMatch(/UseDNS no/);
    expect(end).toMatch(/nologin-present: declined/);
    expect((await snapshot(lab)).stdout).toBe(before);
  });
});
