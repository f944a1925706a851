// The client wizard's password offer as drawn (only for a verified host key, "No" first), and
// the line naming what it set aside of the ssh command line.
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { createActor, fromPromise } from 'xstate';
import { clientFlow } from '../../flows/client.js';
import type { KnownHostsResult, OtherPortResult, PasswordAttempt } from '../../src/client/probes/types.js';
import { ClientApp } from '../../src/ui/client/ClientApp.js';
import * as fx from '../flows/client-fixtures.js';
import { KEY, sendAndWait, waitForFrame } from '../helpers/ink.js';

const OFFER = 'The server takes a password. Try it once?';

/** As the CLI passes them: both lists always, empty when nothing was set aside. */
function wizard(
  knownHosts: KnownHostsResult,
  setAside: { setAside: string[]; command: string[] } = { setAside: [], command: [] },
) {
  const attempts: string[][] = [];
  const fakes = clientFlow.provide({
    actors: {
      target: fromPromise(async () => fx.target),
      keys: fromPromise(async () => fx.keys.good!),
      knownHosts: fromPromise(async () => knownHosts),
      dns: fromPromise(async () => fx.dns.ok!),
      tcp: fromPromise(async () => fx.tcp.ssh!),
      otherPorts: fromPromise(async (): Promise<OtherPortResult[]> => []),
      handshake: fromPromise(async () => fx.handshake.newKey!),
      login: fromPromise(async () => fx.login.passwordOnly!),
      password: fromPromise(async ({ input }): Promise<PasswordAttempt> => {
        attempts.push(input.command);
        return { command: input.command, exitCode: 0, stderr: [] };
      }),
    },
  });
  const actor = createActor(fakes, {
    input: {
      destination: 'alice@box',
      sshFlags: [],
      timeoutMs: 5000,
      interactive: true,
      autoApply: false,
      ...setAside,
    },
  });
  const ui = render(<ClientApp actor={actor} />);
  actor.start();
  return { ui, attempts };
}

describe('the password offer', () => {
  it('a host key not in known_hosts: no offer, the report’s menu instead', async () => {
    const { ui } = wizard(fx.knownHosts.empty!);
    const frame = await waitForFrame(ui.lastFrame, /❯ Quit/);
    expect(frame).toContain('[auth-password-denied]');
    expect(frame).toContain('[host-key-unknown]');
    expect(frame).not.toContain(OFFER);
  });

  it('a known host key: the offer, its exact command, "No" first; "Yes" runs ssh once and the verdict is ok', async () => {
    const { ui, attempts } = wizard(fx.knownHosts.current!);
    const frame = await waitForFrame(ui.lastFrame, OFFER);
    expect(frame).toContain('second login attempt');
    // Ink wraps the long command to the frame's width.
    expect(frame.replace(/\s+/g, ' ')).toMatch(
      /\$ ssh -o PreferredAuthentications=password,keyboard-interactive -o NumberOfPasswordPrompts=1 .* -- alice@box true/,
    );
    expect(frame).toMatch(/❯ No, keep the report as it is/);
    await sendAndWait(ui, KEY.down, /❯ Yes, run ssh/);
    const after = await sendAndWait(ui, KEY.enter, 'Login works with a password');
    expect(attempts).toHaveLength(1);
    expect(after).toContain('password-login');
    expect(after).not.toContain(OFFER);
  });
});

describe('the set-aside line', () => {
  it('the wizard names what it set aside of the ssh command line', async () => {
    const { ui } = wizard(fx.knownHosts.empty!, { setAside: ['-A', '-L', '80:x:80'], command: ['uptime'] });
    const frame = await waitForFrame(ui.lastFrame, /❯ Quit/);
    expect(frame).toContain('Set aside (not used by the diagnosis): -A -L 80:x:80; the remote command "uptime"');
  });
});
