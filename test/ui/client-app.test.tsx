// The client wizard as a component: it draws the flow's state and sends the user's choices.
import { describe, expect, it, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { createActor, fromPromise } from 'xstate';
import { clientFlow } from '../../flows/client.js';
import type { FixOutcome } from '../../src/report.js';
import type {
  OtherPortResult,
  DnsResult,
  HandshakeResult,
  KeyFilesResult,
  KnownHostsResult,
  LoginResult,
  ResolvedTarget,
  TcpResult,
} from '../../src/client/probes/types.js';
import type { Fix } from '../../src/report.js';
import { ClientApp } from '../../src/ui/client/ClientApp.js';
import * as fx from '../flows/client-fixtures.js';
import { choose, everything, KEY, menuFrame, waitForFrame } from '../helpers/ink.js';

interface ProbeOutputs {
  target: ResolvedTarget;
  keys: KeyFilesResult;
  knownHosts: KnownHostsResult;
  dns: DnsResult;
  tcp: TcpResult;
  otherPorts?: OtherPortResult[];
  handshake: HandshakeResult;
  login: LoginResult;
}

function wizard(out: ProbeOutputs) {
  const applied: Fix[] = [];
  const fakes = clientFlow.provide({
    actors: {
      target: fromPromise(async () => out.target),
      keys: fromPromise(async () => out.keys),
      knownHosts: fromPromise(async () => out.knownHosts),
      dns: fromPromise(async () => out.dns),
      tcp: fromPromise(async () => out.tcp),
      otherPorts: fromPromise(async () => out.otherPorts ?? []),
      handshake: fromPromise(async () => out.handshake),
      login: fromPromise(async () => out.login),
      applyFix: fromPromise(async ({ input }): Promise<FixOutcome> => {
        applied.push(input.fix);
        return {
          fixId: input.fix.id,
          status: 'applied',
          log: ['$ chmod 0600 /root/.ssh/id_ed25519'],
          verified: 'now 0600',
        };
      }),
    },
  });
  const actor = createActor(fakes, {
    input: { destination: 'box', sshFlags: [], timeoutMs: 5000, interactive: true, autoApply: false },
  });
  const ui = render(<ClientApp actor={actor} />);
  actor.start();
  return { ui, actor, applied };
}

/** The fixtures' target is 127.0.0.1; the locked-out path is for a machine elsewhere. */
const remote: ResolvedTarget = { ...fx.target, host: 'web.example.net' };

const tooOpenKey: ProbeOutputs = {
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
    const menu = await waitForFrame(menuFrame(ui), /❯ Fix: Make \/root\/.ssh\/id_ed25519 readable by you only/);
    expect(menu).toMatch(/Quit\n↑↓\/jk move · Enter choose · Esc quit · q quit$/);
    // Printed once, above the menu: the probes, the verdict (once), the other findings.
    const frame = await waitForFrame(everything(ui), '[host-key-unknown]');
    expect(frame).toMatch(/✔ tcp .*SSH-2\.0-OpenSSH_9\.2p1/);
    expect(frame.match(/\[private-key-permissions\]/g)).toHaveLength(1);
    expect(frame).toMatch(/✖ ssh ignores \/root\/\.ssh\/id_ed25519/);
    expect(frame).toMatch(/✖ keys .*0644/);
    expect(frame).toContain('[private-key-permissions]');
    expect(frame).toContain('/root/.ssh/id_ed25519 has mode 0644');
    expect(frame).toContain('[host-key-unknown]');
    // The login got as far as authentication: no "locked out" detour on offer.
    expect(frame).not.toContain("I'm locked out");
  });

  it('Enter on the fix previews its exact command; "No" runs nothing, "Yes" runs it once', async () => {
    const { ui, applied } = wizard(tooOpenKey);
    await waitForFrame(menuFrame(ui), /❯ Fix: Make/);
    ui.stdin.write(KEY.enter);
    await waitForFrame(menuFrame(ui), 'Run these commands now?');
    // The commands printed plain: no "$", no indent, nothing around them.
    const preview = await waitForFrame(everything(ui), 'Undo:');
    expect(preview).toMatch(
      /It runs:\nchmod 0600 \/root\/.ssh\/id_ed25519\nUndo:\nchmod 0644 \/root\/.ssh\/id_ed25519\n/,
    );
    ui.stdin.write(KEY.enter); // "No" is first
    await waitForFrame(menuFrame(ui), (f) => !f.includes('Run these commands now?'));
    expect(applied).toHaveLength(0);
    ui.stdin.write(KEY.enter);
    await waitForFrame(menuFrame(ui), 'Run these commands now?');
    ui.stdin.write(KEY.down);
    await waitForFrame(menuFrame(ui), /❯ Yes, run them/);
    ui.stdin.write(KEY.enter);
    await waitForFrame(everything(ui), '✔ now 0600');
    expect(applied).toHaveLength(1);
    expect(await waitForFrame(menuFrame(ui), '❯ Quit')).not.toMatch(/Fix: Make/);
  });

  it('on a timeout it offers the locked-out path and says which layers to check', async () => {
    const { ui, actor } = wizard({ ...tooOpenKey, target: remote, keys: fx.keys.good, tcp: fx.tcp.timeout });
    await waitForFrame(menuFrame(ui), /I'm locked out/);
    expect(await waitForFrame(everything(ui), /security group/)).toMatch(/security group/);
    ui.stdin.write(KEY.enter);
    await vi.waitFor(() => expect(actor.getSnapshot().status).toBe('done'));
    expect(actor.getSnapshot().context.next).toBe('locked-out');
  });

  it('refused: offers only the other ports where SSH answered, and diagnoses there', async () => {
    const { ui, actor } = wizard({
      ...tooOpenKey,
      keys: fx.keys.good,
      tcp: fx.tcp.refused,
      otherPorts: fx.otherPorts.found,
    });
    const frame = await waitForFrame(menuFrame(ui), '❯ Diagnose port 2222 instead (SSH answers there)');
    expect(frame).not.toContain('port 2200');
    // 127.0.0.1: the machine ssh-doctor runs on; its sshd is what to check, no way in is needed.
    expect(frame).toContain("Check this machine's sshd (ssh-doctor server)");
    expect(frame).not.toContain("I'm locked out");
    ui.stdin.write(KEY.enter);
    await vi.waitFor(() => expect(actor.getSnapshot().context.input.sshFlags).toEqual(['-p', '2222']));
  });

  it('refused on this machine (localhost): offers its server checks, not "I\'m locked out"', async () => {
    const { ui, actor } = wizard({
      ...tooOpenKey,
      target: { ...fx.target, host: 'localhost' },
      keys: fx.keys.good,
      tcp: fx.tcp.refused,
    });
    const frame = await waitForFrame(menuFrame(ui), "Check this machine's sshd (ssh-doctor server)");
    expect(frame).not.toContain("I'm locked out");
    await choose(ui, "Check this machine's sshd (ssh-doctor server)");
    await vi.waitFor(() => expect(actor.getSnapshot().status).toBe('done'));
    expect(actor.getSnapshot().context.next).toBe('server');
  });
});
