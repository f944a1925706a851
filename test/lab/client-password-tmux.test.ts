// Password users, in a real terminal: the wizard hands the terminal to ssh for one password
// attempt; the password is typed into ssh's own prompt, and ssh's exit status is the verdict.
import { afterEach, describe, expect, it } from 'vitest';
import { requireLab, SERVER_SETUP, startLab, type Lab } from './lab.js';
import { moveTo, openTerminal, waitForScreen } from './tmux.js';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

const OFFER = /The server takes a password\. Try it once\?/;

/** alice has a password and no authorized_keys; root's known_hosts already holds the host key. */
async function passwordLab(): Promise<Lab> {
  const l = await startLab();
  const r = await l.sh(`${SERVER_SETUP(22, ['PasswordAuthentication=yes'])}
echo 'alice:correct-horse' | chpasswd
rm /home/alice/.ssh/authorized_keys
ssh-keyscan 127.0.0.1 > /root/.ssh/known_hosts 2>/dev/null`);
  if (r.exitCode !== 0) throw new Error(r.stderr);
  // What ssh itself says without a password: keys refused, a password wanted.
  const ssh = await l.exec(['ssh', '-o', 'BatchMode=yes', 'alice@127.0.0.1', 'true']);
  expect(ssh.stderr).toMatch(/^alice@127\.0\.0\.1: Permission denied \(publickey,password\)\.$/m);
  return l;
}

describe.runIf(requireLab(['/usr/bin/tmux']))('the password attempt in tmux', () => {
  it('the right password, typed into ssh’s prompt: ok', async () => {
    lab = await passwordLab();
    const term = await openTerminal(lab, ['alice@127.0.0.1']);
    await waitForScreen(term, OFFER);
    await moveTo(term, 'Yes, run ssh');
    await term.keys('Enter');
    await waitForScreen(term, /alice@127\.0\.0\.1's password: *$/m);
    await term.keys('correct-horse', 'Enter');
    const after = await waitForScreen(term, /Login works with a password: alice@127\.0\.0\.1 accepted/);
    expect(after).not.toContain('correct-horse');
    expect(after).toMatch(/✔ password-login/);
    await moveTo(term, 'Quit');
    await term.keys('Enter');
    await waitForScreen(term, /\[exited 0\]/);
    expect((await lab.sh('cat /var/log/auth.log')).stdout).toMatch(/Accepted password for alice/);
  });

  it('a wrong password: auth-password-denied, one attempt only', async () => {
    lab = await passwordLab();
    const term = await openTerminal(lab, ['alice@127.0.0.1']);
    await waitForScreen(term, OFFER);
    await moveTo(term, 'Yes, run ssh');
    await term.keys('Enter');
    await waitForScreen(term, /alice@127\.0\.0\.1's password: *$/m);
    await term.keys('wrong-horse', 'Enter');
    const after = await waitForScreen(term, /The server refused the password typed for alice\./);
    // Printed once: what came after ssh's prompt is ssh's refusal, then only what is new.
    const tail = after.slice(after.lastIndexOf("alice@127.0.0.1's password:"));
    expect(tail).toMatch(/^alice@127\.0\.0\.1: Permission denied \(publickey,password\)\.$/m);
    expect(tail).toMatch(/\[auth-password-denied\]/);
    expect(tail).toMatch(/✖ password-login .* ssh exited with 255/);
    expect(tail).not.toMatch(OFFER); // offered once
    expect(after.split('ssh-doctor → ')).toHaveLength(2); // one report, not drawn again
    await moveTo(term, 'Quit');
    await term.keys('Enter');
    await waitForScreen(term, /\[exited 1\]/);
    expect((await lab.sh('grep -c "Failed password for alice" /var/log/auth.log')).stdout.trim()).toBe('1');
  });
});
