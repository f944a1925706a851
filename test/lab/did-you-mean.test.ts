// `ssh-doctor sever`: a typo of a mode gets "did you mean", unless the word is a Host in the
// user's ssh config or a name that resolves (then it is a host like any other).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';

const PORT = 2235;
const DID_YOU_MEAN =
  /^ssh-doctor: "(\w+)" is neither a Host in your ssh config nor a name that resolves\. Did you mean `ssh-doctor server`\?$/;

describe.runIf(requireLab())('did you mean `server`?', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(PORT));
    await lab.sh(
      `mkdir -p -m 700 /root/.ssh && printf 'Host sever\\n  HostName 127.0.0.1\\n  Port ${PORT}\\n' > /root/.ssh/config && echo '127.0.0.1 servr' >> /etc/hosts`,
    );
  }, 60_000);
  afterAll(() => lab?.close());

  it('a near miss that is no host: one sentence, exit 2', async () => {
    for (const argv of [['sevrer'], ['srver', '--user', 'x'], ['lockedout']]) {
      const r = await lab.cli(argv);
      expect(r.exitCode, argv.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().replace('locked-out', 'server')).toMatch(DID_YOU_MEAN);
    }
  });

  it('a Host alias in ~/.ssh/config is diagnosed as that host', async () => {
    const { report } = await lab.json(['sever']);
    expect(report.target).toEqual({ user: 'root', host: '127.0.0.1', port: PORT });
  });

  it('a name that resolves (here from /etc/hosts) is diagnosed as a host', async () => {
    const { report } = await lab.json(['servr', '-p', String(PORT)]);
    expect(report.target).toEqual({ user: 'root', host: 'servr', port: PORT });
  });
});
