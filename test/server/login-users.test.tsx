import { readFileSync } from 'node:fs';
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { refusedUsers } from '../../src/server/probes/login-users.js';
import { AskUser } from '../../src/ui/server/ask-user.js';
import { KEY, sendAndWait, waitForFrame } from '../helpers/ink.js';

describe('whose logins root checks without --user', () => {
  it('reads the refused accounts from a real sshd log, each once, the latest last', () => {
    // Captured from the lab's OpenSSH 9.2 (Debian 12).
    const log = readFileSync(new URL('../fixtures/server/auth-log.txt', import.meta.url), 'utf8');
    expect(refusedUsers(log)).toEqual(['nosuchuser', 'alice']);
    expect(
      refusedUsers(
        'Accepted publickey for alice from 127.0.0.1 port 1 ssh2\nDisconnected from user alice 127.0.0.1 port 1',
      ),
    ).toEqual([]);
    expect(
      refusedUsers(
        'ROOT LOGIN REFUSED FROM 127.0.0.1 port 1\nFailed publickey for invalid user bob from 127.0.0.1 port 2 ssh2',
      ),
    ).toEqual(['root', 'bob']);
  });

  it('the wizard offers the likely accounts and says why', async () => {
    const onDone = vi.fn();
    const ui = render(
      <AskUser
        choices={[
          { name: 'alice', why: 'refused by sshd lately' },
          { name: 'bob', why: 'has authorized_keys' },
        ]}
        onDone={onDone}
      />,
    );
    const frame = await waitForFrame(ui.lastFrame, 'Whose logins should be checked?');
    expect(frame).toMatch(/❯ alice {2}\(refused by sshd lately\)\n.*bob {2}\(has authorized_keys\)/);
    await sendAndWait(ui, KEY.down, /❯ bob/);
    ui.stdin.write(KEY.enter);
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledWith('bob'));
  });
});
