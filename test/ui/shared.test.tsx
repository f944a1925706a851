// The shared prompts every wizard builds on: a confirmation that defaults to "No", one text field.
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { Choice } from '../../src/ui/shared/Choice.js';
import { Confirm } from '../../src/ui/shared/Confirm.js';
import { TextField } from '../../src/ui/shared/TextField.js';
import { KEY, sendAndWait, waitForFrame } from '../helpers/ink.js';

describe('Confirm', () => {
  it('starts on "No": Enter in haste answers no', async () => {
    const onAnswer = vi.fn();
    const ui = render(
      <Confirm message="Apply this fix?" labels={{ no: 'No, leave it', yes: 'Yes, apply it' }} onAnswer={onAnswer} />,
    );
    const frame = await waitForFrame(ui.lastFrame, 'Apply this fix?');
    expect(frame).toMatch(/❯ No, leave it\n {2}Yes, apply it\n↑↓\/jk move · Enter choose$/);
    ui.stdin.write(KEY.enter);
    expect(onAnswer).toHaveBeenCalledWith(false);
  });

  it('"Yes" is one move down; Quit is offered last only with onQuit', async () => {
    const onAnswer = vi.fn();
    const onQuit = vi.fn();
    const ui = render(
      <Confirm message="Apply?" labels={{ no: 'No', yes: 'Yes' }} onAnswer={onAnswer} onQuit={onQuit} />,
    );
    expect(await waitForFrame(ui.lastFrame, 'Quit')).toMatch(/No\n {2}Yes\n {2}Quit\n.*Esc quit · q quit$/);
    await sendAndWait(ui, KEY.down, '❯ Yes');
    ui.stdin.write(KEY.enter);
    expect(onAnswer).toHaveBeenCalledWith(true);
    await sendAndWait(ui, KEY.down, '❯ Quit');
    ui.stdin.write(KEY.enter);
    expect(onQuit).toHaveBeenCalledTimes(1);
    expect(
      render(<Confirm message="Apply?" labels={{ no: 'No', yes: 'Yes' }} onAnswer={onAnswer} />).lastFrame(),
    ).not.toContain('Quit');
  });

  it('shows a question from outside inert', () => {
    const ui = render(
      <Confirm message={'Apply on \x1b]2;pwned\x07?'} labels={{ no: 'No', yes: 'Yes' }} onAnswer={() => {}} />,
    );
    expect(ui.lastFrame()).toContain('Apply on \\x1b]2;pwned\\x07?');
  });
});

describe('Choice', () => {
  const items = ['one', 'two', 'three', 'four'].map((v) => ({ label: v, value: v }));
  const menu = (props: { onBack?: () => void; onQuit?: () => void } = {}) => {
    const onSelect = vi.fn();
    const ui = render(<Choice items={items} onSelect={onSelect} {...props} />);
    return { ui, onSelect };
  };

  it('j/k and the arrows move; Enter picks; the hint names the keys', async () => {
    const { ui, onSelect } = menu({ onQuit: () => {} });
    expect(await waitForFrame(ui.lastFrame, '❯ one')).toMatch(/↑↓\/jk move · Enter choose · Esc quit · q quit$/);
    await sendAndWait(ui, 'j', '❯ two');
    await sendAndWait(ui, KEY.down, '❯ three');
    await sendAndWait(ui, 'k', '❯ two');
    await sendAndWait(ui, KEY.up, '❯ one');
    await sendAndWait(ui, KEY.up, '❯ one'); // stays on the first
    ui.stdin.write(KEY.enter);
    expect(onSelect).toHaveBeenCalledWith('one');
  });

  it('keys arriving together are all applied: three arrows in one read move three times', async () => {
    const { ui, onSelect } = menu();
    await waitForFrame(ui.lastFrame, '❯ one');
    ui.stdin.write(`${KEY.down}${KEY.down}${KEY.down}`);
    await waitForFrame(ui.lastFrame, '❯ four');
    // Enter right behind the arrows, before any redraw, picks where they led.
    ui.stdin.write(`${KEY.up}${KEY.up}${KEY.enter}`);
    expect(onSelect).toHaveBeenCalledWith('two');
  });

  it('q quits; Esc goes back when there is a way back, else quits; without either they do nothing', async () => {
    const quit = vi.fn();
    const back = vi.fn();
    const a = menu({ onQuit: quit, onBack: back });
    expect(await waitForFrame(a.ui.lastFrame, '❯ one')).toMatch(/Esc back · q quit$/);
    a.ui.stdin.write('q');
    a.ui.stdin.write(KEY.escape);
    await vi.waitFor(() => expect(back).toHaveBeenCalledTimes(1));
    expect(quit).toHaveBeenCalledTimes(1);
    const onlyQuit = vi.fn();
    const b = menu({ onQuit: onlyQuit });
    await waitForFrame(b.ui.lastFrame, '❯ one');
    b.ui.stdin.write(KEY.escape);
    await vi.waitFor(() => expect(onlyQuit).toHaveBeenCalledTimes(1));
    const c = menu();
    expect(await waitForFrame(c.ui.lastFrame, '❯ one')).toMatch(/Enter choose$/);
    c.ui.stdin.write('q');
    c.ui.stdin.write(KEY.enter);
    expect(c.onSelect).toHaveBeenCalledWith('one');
  });
});

describe('TextField', () => {
  const field = (props: Partial<Parameters<typeof TextField>[0]> = {}) => {
    const onSubmit = vi.fn();
    const onCancel = vi.fn();
    const ui = render(<TextField label="Host" onSubmit={onSubmit} onCancel={onCancel} {...props} />);
    return { ui, onSubmit, onCancel };
  };

  it('takes typed text and a paste (one string), keeps printable characters, trims on Enter', async () => {
    const { ui, onSubmit } = field();
    await sendAndWait(ui, [' alice@', 'web1\t\x07x '], '›  alice@web1x');
    // Keys right behind each other, before any re-render: Enter still sees all of them.
    for (const k of [KEY.backspace, KEY.backspace, '  ', KEY.enter]) ui.stdin.write(k);
    expect(onSubmit).toHaveBeenCalledWith('alice@web1');
  });

  it('an empty line takes the default shown in brackets; Esc cancels', async () => {
    const { ui, onSubmit, onCancel } = field({ defaultValue: 'eu-west-1' });
    await waitForFrame(ui.lastFrame, 'Host [eu-west-1]:');
    ui.stdin.write(KEY.enter);
    expect(onSubmit).toHaveBeenCalledWith('eu-west-1');
    ui.stdin.write(KEY.escape);
    await vi.waitFor(() => expect(onCancel).toHaveBeenCalledTimes(1));
  });

  it('q is a letter here, not a way out', async () => {
    const { ui, onCancel } = field();
    expect(await waitForFrame(ui.lastFrame, 'Host:')).toContain('Enter accept · Esc back');
    await sendAndWait(ui, 'q', '› q');
    expect(onCancel).not.toHaveBeenCalled();
  });

  it("a refused value shows the validator's sentence and stays for editing; empty is never validated", async () => {
    const validate = vi.fn((v: string) => (v.startsWith('-') ? `"${v}" may not start with "-".` : undefined));
    const { ui, onSubmit } = field({ validate });
    ui.stdin.write(KEY.enter);
    expect(onSubmit).toHaveBeenCalledWith('');
    expect(validate).not.toHaveBeenCalled();
    await sendAndWait(ui, ['-x', KEY.enter], '"-x" may not start with "-".');
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(ui.lastFrame()).toContain('› -x');
    for (const k of [KEY.backspace, KEY.backspace, 'x', KEY.enter]) ui.stdin.write(k);
    const frame = await waitForFrame(ui.lastFrame, (f) => f.includes('› x') && !f.includes('may not'));
    expect(frame).toContain('› x');
    expect(onSubmit).toHaveBeenLastCalledWith('x');
  });
});
