// The Ink wizard renders the flow's state: findings, the fix preview with commands/risk/undo, and
// a yes/no menu whose answer is the only thing that starts a fix.
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { createActor, fromPromise } from 'xstate';
import { serverFlow, type Gathered } from '../../flows/server.js';
import { ServerWizard } from '../../src/ui/server/ServerWizard.js';
import type { Fix } from '../../src/report.js';
import type { ServerFacts } from '../../src/server/facts.js';
import { everything, KEY, sendAndWait, waitForFrame } from '../helpers/ink.js';

const broken: ServerFacts = {
  target: { user: 'alice', port: 22 },
  root: true,
  privsepDir: { path: '/run/sshd', exists: false },
};
const healed: ServerFacts = { ...broken, privsepDir: { path: '/run/sshd', exists: true } };
const fix: Fix = {
  id: 'create-privsep-dir',
  title: 'Create /run/sshd',
  commands: [['install', '-d', '-m', '0755', '/run/sshd']],
  risk: 'None: an empty directory.',
  undo: [['rmdir', '/run/sshd']],
};

function start(via?: string) {
  let n = 0;
  const applyFix = vi.fn(async () => ({ ok: true, log: ['$ install -d -m 0755 /run/sshd'] }));
  const actor = createActor(
    serverFlow.provide({
      actors: {
        gather: fromPromise(
          async (): Promise<Gathered> => ({
            facts: n++ === 0 ? broken : healed,
            probes: [{ id: 'privsep', status: 'fail', durationMs: 3, detail: '/run/sshd is missing' }],
          }),
        ),
        applyFix: fromPromise(applyFix),
      },
    }),
    {
      input: {
        mode: 'ask',
        proposeFix: (id) => (id === 'privsep-dir-missing' ? fix : undefined),
        ...(via ? { via } : {}),
      },
    },
  );
  actor.start();
  return { actor, applyFix, ui: render(<ServerWizard actor={actor} />) };
}

describe('server wizard', () => {
  it('shows the fix with commands, risk and undo, and applies it only after "Yes"', async () => {
    const { ui, applyFix, actor } = start();
    // The preview is printed just after the question is drawn.
    const f = await waitForFrame(everything(ui), (x) => x.includes('Apply this fix?') && x.includes('Undo:'));
    expect(f).toContain('privsep-dir-missing');
    expect(f).toContain('Proposed fix: Create /run/sshd');
    expect(f).toMatch(/^install -d -m 0755 \/run\/sshd$/m);
    expect(f).toContain('None: an empty directory.');
    expect(f).toContain('rmdir /run/sshd');
    expect(applyFix).not.toHaveBeenCalled();
    await sendAndWait(ui, KEY.down, /❯ Yes, apply it/);
    await sendAndWait(ui, KEY.enter, 'privsep-dir-missing: applied');
    await vi.waitFor(() => expect(actor.getSnapshot().status).toBe('done'));
    expect(applyFix).toHaveBeenCalledTimes(1);
  });

  it('over --via, says on which host the fix would run', async () => {
    const { ui } = start('root@db1:2200');
    expect(await waitForFrame(everything(ui), 'Apply this fix on root@db1:2200?')).toContain(
      'ssh-doctor server on root@db1:2200 (over SSH)',
    );
  });

  it('"No, leave it" is the default: Enter records a decline and applies nothing', async () => {
    const { ui, applyFix, actor } = start();
    expect(await waitForFrame(everything(ui), 'Apply this fix?')).toMatch(/❯ No, leave it/);
    await sendAndWait(ui, KEY.enter, 'privsep-dir-missing: declined');
    await vi.waitFor(() => expect(actor.getSnapshot().status).toBe('done'));
    expect(applyFix).not.toHaveBeenCalled();
  });
});
