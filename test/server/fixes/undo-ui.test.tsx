import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { JournalEntry } from '../../../src/fixes/journal.js';
import { UndoApp } from '../../../src/ui/undo/UndoApp.js';

const entry = (id: string, title: string): JournalEntry => ({
  id, at: '2026-11-25T12:00:00.000Z', fixId: 'x', title, commands: [['chmod', '0700', '/home/alice/.ssh']],
  undo: [['chmod', '0777', '/home/alice/.ssh']], backups: [], status: 'applied',
});
const DOWN = '\u001B[B';
const ENTER = '\r';
// A frame can be drawn before Ink re-subscribes the input handler that goes with it (an effect):
// give it a moment, or a key acts on the menu's previous cursor.
const settle = () => new Promise((r) => setTimeout(r, 100));

describe('undo screen', () => {
  it('picks a change, shows its exact undo commands, and reverts only after "Yes"', async () => {
    const revert = vi.fn(async () => ({ ok: true, log: ['$ chmod 0777 /home/alice/.ssh'] }));
    const onExit = vi.fn();
    const { lastFrame, frames, stdin } = render(<UndoApp entries={[entry('aa11', 'first'), entry('bb22', 'Set ~/.ssh to 0700')]} revert={revert} onExit={onExit} />);
    await vi.waitFor(() => expect(lastFrame()).toContain('Which change should be undone?'));
    await settle();
    stdin.write(DOWN);
    await vi.waitFor(() => expect(lastFrame()).toMatch(/❯ bb22/));
    await settle();
    stdin.write(ENTER);
    await vi.waitFor(() => expect(lastFrame()).toContain('Undo bb22: Set ~/.ssh to 0700'));
    expect(lastFrame()).toContain('$ chmod 0777 /home/alice/.ssh');
    expect(revert).not.toHaveBeenCalled();
    await settle();
    stdin.write(DOWN);
    await vi.waitFor(() => expect(lastFrame()).toMatch(/❯ Yes, undo it/));
    await settle();
    stdin.write(ENTER);
    // The screen exits after its last frame; under CI=true Ink then writes a bare newline.
    await vi.waitFor(() => expect(frames.join('\n')).toContain('Undone: Set ~/.ssh to 0700'));
    expect(revert).toHaveBeenCalledWith(expect.objectContaining({ id: 'bb22' }));
    expect(onExit).toHaveBeenCalledWith(0);
  });

  it('"No" is the default and changes nothing', async () => {
    const revert = vi.fn(async () => ({ ok: true, log: [] }));
    const { lastFrame, frames, stdin } = render(<UndoApp entries={[entry('aa11', 'first')]} revert={revert} onExit={() => {}} />);
    await vi.waitFor(() => expect(lastFrame()).toContain('Yes, undo it'));
    expect(lastFrame()).toMatch(/❯ No, leave it/);
    await settle();
    stdin.write(ENTER);
    await vi.waitFor(() => expect(frames.join('\n')).toContain('Nothing was changed.'));
    expect(revert).not.toHaveBeenCalled();
  });
});
