// The built CLI in a real terminal: the wizard shows the verdict, proposes the exact command,
// and changes nothing unless the user picks "Yes".
import { afterEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { moveTo, openTerminal, waitForScreen } from './tmux.js';

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
    const term = await openTerminal(lab, ['alice@127.0.0.1'], { env: { SSH_DOCTOR_STATE_DIR: '/root/state' } });
    const first = await waitForScreen(term, /❯ Fix: Make \/root\/.ssh\/id_ed25519 readable by you only/);
    expect(first).toMatch(/✔ tcp .*SSH-2\.0-OpenSSH/);
    expect(first).toMatch(/\[private-key-permissions\]/);
    await term.keys('Enter');
    const preview = await waitForScreen(term, /Run these commands now\?/);
    expect(preview).toContain('$ chmod 0600 /root/.ssh/id_ed25519');
    expect(preview).toContain('Undo: chmod 0644 /root/.ssh/id_ed25519');
    await term.keys('Enter'); // the first choice is "No"
    await waitForScreen(term, /❯ Fix: Make/);
    expect(await mode()).toBe('644');
    await moveTo(term, 'Quit');
    await term.keys('Enter');
    await waitForScreen(term, /\[exited 1\]/);
    expect(await mode()).toBe('644');
  });

  it('confirming runs the command, verifies it, and journals it', async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(22) + 'chmod 0644 /root/.ssh/id_ed25519\n');
    const term = await openTerminal(lab, ['alice@127.0.0.1'], { env: { SSH_DOCTOR_STATE_DIR: '/root/state' } });
    await waitForScreen(term, /❯ Fix: Make/);
    await term.keys('Enter');
    await waitForScreen(term, /Run these commands now\?/);
    await moveTo(term, 'Yes, run them');
    await term.keys('Enter');
    const after = await waitForScreen(term, /is now 0600: ssh will offer it/);
    expect(after).toContain('$ chmod 0600 /root/.ssh/id_ed25519');
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
    await waitForScreen(term, /Login works: alice@127\.0\.0\.1:2222/);
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

  it('refused on 22: the menu offers the port where SSH answers, and diagnoses it', async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(2222));
    const term = await openTerminal(lab, ['alice@127.0.0.1']);
    const first = await waitForScreen(term, /❯ Diagnose port 2222 instead/);
    expect(first).toContain('[connection-refused]');
    await term.keys('Enter');
    await waitForScreen(term, /Login works: alice@127\.0\.0\.1:2222/);
  });
});
