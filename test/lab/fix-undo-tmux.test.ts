// `ssh-doctor undo` in a real terminal (tmux): pick the change, see its undo, say yes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { fixInLab, STATE } from './fix-lab.js';
import { openTerminal } from './tmux.js';

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
    const term = await openTerminal(lab, ['undo'], STATE);
    await term.waitFor(/Which change should be undone\?/);
    for (let i = 0; i < 5 && !new RegExp(`❯ ${sshDirId}`).test(await term.screen()); i++) await term.keys('Down');
    await term.waitFor(new RegExp(`❯ ${sshDirId}`));
    await term.keys('Enter');
    const confirm = await term.waitFor(/Yes, undo it/);
    expect(confirm).toContain('$ chmod 0777 /home/alice/.ssh');
    await term.keys('Down');
    await term.waitFor(/❯ Yes, undo it/);
    await term.keys('Enter');
    const end = await term.waitFor(/\[exited \d+\]/);
    expect(end).toMatch(/Undone: .*\/home\/alice\/\.ssh/);
    expect(end).toContain('[exited 0]');
    expect((await lab.sh('stat -c %a /home/alice/.ssh; ls /etc/nologin* | wc -l; test -e /etc/nologin && echo back || echo aside')).stdout.split('\n')).toEqual(['777', '1', 'aside']);
  });
});
