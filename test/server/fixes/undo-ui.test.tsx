import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { JournalEntry } from '../../../src/fixes/journal.js';
import { UndoApp } from '../../../src/ui/undo/UndoApp.js';
import { everything, KEY, menuFrame, sendAndWait, waitForFrame } from '../../helpers/ink.js';

const entry = (id: string, title: string): JournalEntry => ({
  id,
  at: '2026-11-25T12:00:00.000Z',
  fixId: 'x',
  title,
  commands: [['chmod', '0700', '/home/alice/.ssh']],
  undo: [['chmod', '0777', '/home/alice/.ssh']],
  backups: [],
  status: 'applied',
});

describe('undo screen', () => {
  it('picks a change, shows its exact undo commands, and reverts only after "Yes"', async () => {
    const revert = vi.fn(async () => ({ ok: true, log: ['$ chmod 0777 /home/alice/.ssh'] }));
    const onExit = vi.fn();
    const ui = render(
      <UndoApp
        entries={[entry('aa11', 'first'), entry('bb22', 'Set ~/.ssh to 0700')]}
        revert={revert}
        onExit={onExit}
      />,
    );
    // The newest change is listed first, on the cursor: the one undo can take back now.
    const pick = await waitForFrame(menuFrame(ui), 'Which change should be undone?');
    expect(pick).toMatch(/❯ bb22 .*\n.*aa11/);
    expect(await sendAndWait(ui, KEY.enter, 'Undo bb22: Set ~/.ssh to 0700')).toContain(
      '\nchmod 0777 /home/alice/.ssh\n',
    );
    expect(revert).not.toHaveBeenCalled();
    await sendAndWait(ui, KEY.down, /❯ Yes, undo it/);
    ui.stdin.write(KEY.enter);
    // The screen exits after its last frame; under CI=true Ink then writes a bare newline.
    await waitForFrame(() => ui.frames.join('\n'), 'Undone: Set ~/.ssh to 0700');
    expect(revert).toHaveBeenCalledWith(expect.objectContaining({ id: 'bb22' }));
    expect(onExit).toHaveBeenCalledWith(0);
  });

  it('undoing "start sshd" says first that new logins will then be refused', async () => {
    const start = { ...entry('cc33', 'Start sshd (systemctl)'), fixId: 'start-sshd' };
    const ui = render(<UndoApp entries={[start]} revert={async () => ({ ok: true, log: [] })} onExit={() => {}} />);
    await waitForFrame(menuFrame(ui), 'Yes, undo it');
    // Printed above the question; Ink wraps the line at its width.
    expect((await waitForFrame(everything(ui), 'Undoing this stops sshd')).replace(/\s+/g, ' ')).toContain(
      'Undoing this stops sshd: new SSH logins to this machine will be refused until sshd is started again.',
    );
    const other = render(
      <UndoApp entries={[entry('aa11', 'first')]} revert={async () => ({ ok: true, log: [] })} onExit={() => {}} />,
    );
    expect(await waitForFrame(other.lastFrame, 'Yes, undo it')).not.toContain('new SSH logins');
  });

  it('"No" is the default and changes nothing', async () => {
    const revert = vi.fn(async () => ({ ok: true, log: [] }));
    const ui = render(<UndoApp entries={[entry('aa11', 'first')]} revert={revert} onExit={() => {}} />);
    expect(await waitForFrame(everything(ui), 'Yes, undo it')).toMatch(/❯ No, leave it/);
    ui.stdin.write(KEY.enter);
    await waitForFrame(() => ui.frames.join('\n'), 'Nothing was changed.');
    expect(revert).not.toHaveBeenCalled();
  });
});
