// The built CLI in a real terminal: the wizard shows the verdict, proposes the exact command,
// and changes nothing unless the user picks "Yes".
import { afterEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { openTerminal } from './tmux.js';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

const mode = async () => (await lab!.sh('stat -c %a /root/.ssh/id_ed25519')).stdout.trim();

describe.runIf(requireLab())('client wizard in tmux', () => {
  it('declining the fix leaves the key as it was', async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(22) + 'chmod 0644 /root/.ssh/id_ed25519\n');
    const term = await openTerminal(lab, ['alice@127.0.0.1'], { SSH_DOCTOR_STATE_DIR: '/root/state' });
    const first = await term.waitFor(/❯ Fix: Make \/root\/.ssh\/id_ed25519 readable by you only/);
    expect(first).toMatch(/✔ tcp .*SSH-2\.0-OpenSSH/);
    expect(first).toMatch(/\[private-key-permissions\]/);
    await term.keys('Enter');
    const preview = await term.waitFor(/Run these commands now\?/);
    expect(preview).toContain('$ chmod 0600 /root/.ssh/id_ed25519');
    expect(preview).toContain('Undo: chmod 0644 /root/.ssh/id_ed25519');
    await term.keys('Enter'); // the first choice is "No"
    await term.waitFor(/❯ Fix: Make/);
    expect(await mode()).toBe('644');
    await term.keys('Down', 'Enter'); // Quit
    await term.waitFor(/\[exited 1\]/);
    expect(await mode()).toBe('644');
  });

  it('confirming runs the command, verifies it, and journals it', async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(22) + 'chmod 0644 /root/.ssh/id_ed25519\n');
    const term = await openTerminal(lab, ['alice@127.0.0.1'], { SSH_DOCTOR_STATE_DIR: '/root/state' });
    await term.waitFor(/❯ Fix: Make/);
    await term.keys('Enter');
    await term.waitFor(/Run these commands now\?/);
    await term.keys('Down', 'Enter');
    const after = await term.waitFor(/is now 0600: ssh will offer it/);
    expect(after).toContain('$ chmod 0600 /root/.ssh/id_ed25519');
    expect(after).not.toMatch(/❯ Fix: Make/); // offered once
    expect(await mode()).toBe('600');
    expect((await lab.sh('cat /root/state/journal.jsonl')).stdout).toContain('"fixId":"chmod-private-key"');
  });

  it('with no host, it asks, offering localhost, and keeps the flags given', async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(2222));
    const term = await openTerminal(lab, ['-p', '2222']);
    await term.waitFor(/❯ localhost \(this machine\)/);
    await term.keys('Down', 'Enter');
    await term.waitFor(/Host to diagnose/);
    await term.keys('alice@127.0.0.1', 'Enter');
    await term.waitFor(/Login works: alice@127\.0\.0\.1:2222/);
  });

  it('colours by default, none with NO_COLOR', async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(22));
    const plain = await openTerminal(lab, [], { NO_COLOR: '1' });
    await plain.waitFor(/localhost \(this machine\)/);
    expect(await plain.rawScreen()).not.toMatch(/\u001b\[3\dm/);
    await lab.exec(['tmux', '-S', '/run/ssh-doctor-test.tmux', 'kill-server']);
    const coloured = await openTerminal(lab, []);
    await coloured.waitFor(/localhost \(this machine\)/);
    expect(await coloured.rawScreen()).toMatch(/\u001b\[3\dm/);
  });

  it('refused on 22: the menu offers the port where SSH answers, and diagnoses it', async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(2222));
    const term = await openTerminal(lab, ['alice@127.0.0.1']);
    const first = await term.waitFor(/❯ Diagnose port 2222 instead/);
    expect(first).toContain('[connection-refused]');
    await term.keys('Enter');
    await term.waitFor(/Login works: alice@127\.0\.0\.1:2222/);
  });
});
