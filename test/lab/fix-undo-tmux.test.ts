// `ssh-doctor undo` in a real terminal (tmux) at 80×24 and 120×40: pick the change, see its undo
// printed plain, say yes; Esc goes back to the list, q and Ctrl-C leave with the right status.
import { beforeEach, describe, expect, it } from 'vitest';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { fixInLab, STATE } from './fix-lab.js';
import {
  copyBlock,
  moveTo,
  openTerminal,
  pressAndWait,
  SIZES,
  terminalKept,
  waitForHistory,
  waitForScreen,
} from './tmux.js';

const PORT = 2327;
const state = (lab: Lab) =>
  lab.sh('stat -c %a /home/alice/.ssh; ls /etc/nologin* | wc -l; test -e /etc/nologin && echo back || echo aside');

describe.runIf(requireLab())('interactive undo', () => {
  let lab: Lab;
  let sshDirId: string;
  beforeEach(async () => {
    lab = await startLab();
    await lab.sh(`${SERVER_SETUP(PORT)}
chmod 777 /home/alice/.ssh; touch /etc/nologin`);
    const out = await fixInLab(lab, PORT, ['ssh-dir-permissions', 'nologin-present']);
    expect(out.applied.map((a) => a.result.ok)).toEqual([true, true]);
    sshDirId = out.applied.find((a) => a.finding === 'ssh-dir-permissions')!.result.journalId!;
    return () => lab.close();
  }, 60_000);

  it.each(SIZES)(
    'at %ix%i: lists the changes, prints the chosen undo plain, Esc goes back, "Yes" reverts only that one',
    async (columns, rows) => {
      const term = await openTerminal(lab, ['undo'], { env: STATE, size: [columns, rows] });
      await waitForScreen(term, /Which change should be undone\?/);
      await moveTo(term, sshDirId);
      await pressAndWait(term, 'Enter', /Yes, undo it/);
      const history = await waitForHistory(term, /It runs:\nchmod/);
      expect(copyBlock(history, `Undo ${sshDirId}:`).split('\n')).toContain('chmod 0777 /home/alice/.ssh');
      // Esc: back to the list, nothing done.
      await pressAndWait(term, 'Escape', /Which change should be undone\?/);
      await moveTo(term, sshDirId);
      await pressAndWait(term, 'Enter', /Yes, undo it/);
      await pressAndWait(term, 'Down', /❯ Yes, undo it/);
      await pressAndWait(term, 'Enter', /\[exited \d+\]/);
      expect(await waitForHistory(term, /Undone: .*\/home\/alice\/\.ssh/)).toContain('[exited 0]');
      expect((await state(lab)).stdout.split('\n')).toEqual(['777', '1', 'aside']);
      expect(await terminalKept(term)).toEqual({ marker: true, clears: [] });
    },
  );

  it.each([
    ['q', 0],
    ['Escape', 0],
    ['C-c', 130],
  ])('%s on the list ends the run with status %i, undoing nothing', async (key, status) => {
    const term = await openTerminal(lab, ['undo'], { env: STATE, size: [80, 24] });
    await waitForScreen(term, /Esc quit · q quit/);
    await term.keys(key);
    await waitForScreen(term, new RegExp(`\\[exited ${status}\\]`));
    expect((await state(lab)).stdout.split('\n')).toEqual(['700', '1', 'aside']);
  });
});
