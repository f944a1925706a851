// The interactive wizard in a real terminal (tmux): declining every fix changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { STATE } from './fix-lab.js';
import { openTerminal } from './tmux.js';

const PORT = 2318;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const snapshot = (lab: Lab) => lab.sh('stat -c "%n %a %U" /home/alice /home/alice/.ssh /home/alice/.ssh/authorized_keys; sha256sum /etc/ssh/sshd_config.d/*; ls /etc/nologin*; ls -A /root/.ssh-doctor-state 2>/dev/null || true');

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
    const term = await openTerminal(lab, ['server', '--user', 'alice', '--port', String(PORT)], STATE);
    const declined: string[] = [];
    for (let i = 0; i < 200; i++) {
      const s = await term.screen();
      if (/\[exited \d+\]/.test(s)) break;
      if (s.includes('Apply this fix?')) {
        if (/❯ No, leave it/.test(s)) {
          declined.push(/Proposed fix: (.*)/.exec(s)?.[1] ?? '?');
          await term.keys('Enter');
          // Wait for this prompt to go (the next one, or the end).
          for (let j = 0; j < 50 && (await term.screen()) === s; j++) await sleep(100);
        } else {
          await term.keys(s.includes('❯ Quit') ? 'Up' : 'Down');
        }
      }
      await sleep(150);
    }
    // With scrollback: the final report is longer than the pane.
    const end = await term.screen(300);
    expect(end).toMatch(/\[exited 1\]/);
    expect(declined.length).toBeGreaterThanOrEqual(3);
    expect(declined.join('\n')).toMatch(/StrictModes/);
    expect(declined.join('\n')).toMatch(/UseDNS no/);
    expect(end).toMatch(/nologin-present: declined/);
    expect((await snapshot(lab)).stdout).toBe(before);
  });
});
