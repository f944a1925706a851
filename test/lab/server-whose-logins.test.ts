// `ssh-doctor server` run as root without --user, headless: the user who ran sudo, else the
// account sshd refused last, else one sentence and exit 2 (never a quiet check of root).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';

const PORT = 2236;
const login = (user: string) =>
  `ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o ConnectTimeout=3 -p ${PORT} ${user}@127.0.0.1 true >/dev/null 2>&1 || true`;

describe.runIf(requireLab())('server as root without --user', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(PORT));
  }, 60_000);
  afterAll(() => lab?.close());

  it('nobody refused yet and no SUDO_USER: one sentence, exit 2', async () => {
    const r = await lab.cli(['server', '--port', String(PORT), '--json']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(
      'ssh-doctor: Running as root without --user, and sshd refused no one lately: say whose logins to check, e.g. ssh-doctor server --user alice.',
    );
  });

  it('checks the account sshd refused last; SUDO_USER and --user come first', async () => {
    // alice logs in with the lab's key; an account that does not exist is refused.
    await lab.sh(login('alice') + '\n' + login('nosuchuser'));
    // The log line is written as the connection closes: wait for it rather than sleep.
    let user: string | undefined;
    for (let i = 0; i < 50 && user !== 'nosuchuser'; i++) {
      const r = await lab.cli(['server', '--port', String(PORT), '--json']);
      user = r.exitCode === 2 ? undefined : JSON.parse(r.stdout).target.user;
      if (user !== 'nosuchuser') await lab.sh('sleep 0.2');
    }
    expect(user).toBe('nosuchuser');
    expect((await lab.json(['server', '--port', String(PORT)], { env: { SUDO_USER: 'bob' } })).report.target.user).toBe(
      'bob',
    );
    expect((await lab.json(['server', '--port', String(PORT), '--user', 'root'])).report.target.user).toBe('root');
  });
});
