// `ssh-doctor undo` in a real terminal (tmux): pick the change, see its undo, say yes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { fixInLab, STATE } from './fix-lab.js';
import { moveTo, openTerminal, pressAndWait, waitForScreen } from './tmux.js';

describe.runIf(requireLab())('interactive undo', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(2327)}
chmod 777 /home/alice/.ssh; touch /etc/nologin`);
  });
  afterAll(() => lab?.close());

  it('lists the applied changes, reverts the chosen one after "Yes", and only that one', async () => {
    const out = await fixInLab(lab, 2327, ['ssh-dir-permissions', 'nologin-present']);
    expect(out.applied.map((a) => a.result.ok)).toEqual([true, true]);
    const sshDirId = out.applied.find((a) => a.finding === 'ssh-dir-permissions')!.result.journalId!;
    const term = await openTerminal(lab, ['undo'], { env: STATE });
    await waitForScreen(term, /Which change should be undone\?/);
    await moveTo(term, sshDirId);
    const confirm = await pressAndWait(term, 'Enter', /Yes, undo it/);
    expect(confirm).toContain('$ chmod 0777 /home/alice/.ssh');
    await pressAndWait(term, 'Down', /❯ Yes, undo it/);
    const end = await pressAndWait(term, 'Enter', /\[exited \d+\]/);
    expect(end).toMatch(/Undone: .*\/home\/alice\/\.ssh/);
    expect(end).toContain('[exited 0]');
    expect(
      (
        await lab.sh(
          'stat -c %a /home/alice/.ssh; ls /etc/nologin* | wc -l; test -e /etc/nologin && echo back || echo aside',
        )
      ).stdout.split('\n'),
    ).toEqual(['777', '1', 'aside']);
  });
});
