// The client wizard as a component: it draws the flow's state and sends the user's choices.
import { describe, expect, it, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { createActor, fromPromise } from 'xstate';
import { clientFlow } from '../../flows/client.js';
import { ClientApp } from '../../src/ui/client/ClientApp.js';
import * as fx from '../flows/client-fixtures.js';

function wizard(outputs: Record<string, unknown>) {
  const applied: unknown[] = [];
  const actors = {
    ...Object.fromEntries(Object.entries(outputs).map(([id, out]) => [id, fromPromise(async () => out)])),
    applyFix: fromPromise(async ({ input }: any) => {
      applied.push(input.fix);
      return { fixId: input.fix.id, ok: true, log: ['$ chmod 0600 /root/.ssh/id_ed25519'], verified: 'now 0600' };
    }),
  };
  const actor = createActor(clientFlow.provide({ actors: actors as any }), {
    input: { destination: 'box', sshFlags: [], timeoutMs: 5000, interactive: true, autoApply: false },
  });
  const ui = render(<ClientApp actor={actor} />);
  actor.start();
  return { ui, actor, applied };
}

const tooOpenKey = {
  target: fx.target,
  keys: fx.keys.tooOpen,
  knownHosts: fx.knownHosts.empty,
  dns: fx.dns.ok,
  tcp: fx.tcp.ssh,
  handshake: fx.handshake.newKey,
  login: fx.login.keyIgnored,
};

describe('ClientApp', () => {
  it('shows each probe, the verdict with evidence, and the fix in the menu', async () => {
    const { ui } = wizard(tooOpenKey);
    await vi.waitFor(() => expect(ui.lastFrame()).toMatch(/❯ Fix: Make \/root\/.ssh\/id_ed25519 readable by you only/));
    const frame = ui.lastFrame()!;
    expect(frame).toMatch(/✔ tcp .*SSH-2\.0-OpenSSH_9\.2p1/);
    expect(frame).toMatch(/✖ keys .*0644/);
    expect(frame).toContain('[private-key-permissions]');
    expect(frame).toContain('/root/.ssh/id_ed25519 has mode 0644');
    expect(frame).toContain('[host-key-unknown]');
  });

  it('Enter on the fix previews its exact command; "No" runs nothing, "Yes" runs it once', async () => {
    const { ui, applied } = wizard(tooOpenKey);
    await vi.waitFor(() => expect(ui.lastFrame()).toMatch(/❯ Fix: Make/));
    ui.stdin.write('\r');
    await vi.waitFor(() => expect(ui.lastFrame()).toContain('Run these commands now?'));
    expect(ui.lastFrame()).toContain('$ chmod 0600 /root/.ssh/id_ed25519');
    expect(ui.lastFrame()).toContain('Undo: chmod 0644 /root/.ssh/id_ed25519');
    ui.stdin.write('\r'); // "No" is first
    await vi.waitFor(() => expect(ui.lastFrame()).not.toContain('Run these commands now?'));
    expect(applied).toHaveLength(0);
    ui.stdin.write('\r');
    await vi.waitFor(() => expect(ui.lastFrame()).toContain('Run these commands now?'));
    ui.stdin.write('\u001B[B'); // down to "Yes"
    await vi.waitFor(() => expect(ui.lastFrame()).toMatch(/❯ Yes, run them/));
    ui.stdin.write('\r');
    await vi.waitFor(() => expect(ui.lastFrame()).toContain('✔ now 0600'));
    expect(applied).toHaveLength(1);
    expect(ui.lastFrame()).not.toMatch(/Fix: Make/);
  });

  it('on a timeout it offers the locked-out path and says which layers to check', async () => {
    const { ui, actor } = wizard({ ...tooOpenKey, keys: fx.keys.good, tcp: fx.tcp.timeout });
    await vi.waitFor(() => expect(ui.lastFrame()).toMatch(/I'm locked out/));
    expect(ui.lastFrame()).toMatch(/security group/);
    ui.stdin.write('\r');
    await vi.waitFor(() => expect(actor.getSnapshot().status).toBe('done'));
    expect(actor.getSnapshot().context.next).toBe('locked-out');
  });
});
