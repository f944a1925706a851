// The client wizard's password offer as drawn (only for a verified host key, "No" first), and
// the line naming what it set aside of the ssh command line.
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { createActor, fromPromise } from 'xstate';
import { clientFlow } from '../../flows/client.js';
import type { KnownHostsResult, OtherPortResult, PasswordAttempt } from '../../src/client/probes/types.js';
import { ClientApp } from '../../src/ui/client/ClientApp.js';
import * as fx from '../flows/client-fixtures.js';
import { everything, KEY, menuFrame, sendAndWait, waitForFrame } from '../helpers/ink.js';

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
    await waitForFrame(menuFrame(ui), /Quit/);
    const all = await waitForFrame(everything(ui), '[host-key-unknown]');
    // fx.keys.good: a key the server never looked at, so the server's setting is named.
    expect(all).toContain('[pubkey-auth-disabled]');
    expect(all).not.toContain(OFFER);
  });

  it('a known host key: the offer, its exact command, "No" first; "Yes" runs ssh once and the verdict is ok', async () => {
    const { ui, attempts } = wizard(fx.knownHosts.current!);
    const frame = await waitForFrame(menuFrame(ui), OFFER);
    expect(frame.replace(/\s+/g, ' ')).toContain('second login attempt');
    expect(frame).toMatch(/❯ No, keep the report as it is/);
    // Printed plain, broken between arguments with " \" at the width, as it can be copied.
    const all = await waitForFrame(everything(ui), 'It would run:');
    const lines = all.slice(all.indexOf('It would run:')).split('\n').slice(1);
    const command = lines.slice(0, lines.findIndex((l) => !l.endsWith(' \\')) + 1);
    expect(command.length).toBeGreaterThan(1);
    for (const l of command) expect(l.length).toBeLessThanOrEqual(100);
    expect(command.join('\n').replace(/ \\\n/g, ' ')).toMatch(
      /^ssh -o PreferredAuthentications=password,keyboard-interactive -o NumberOfPasswordPrompts=1 .* -- alice@box true$/,
    );
    await sendAndWait(ui, KEY.down, /❯ Yes, run ssh/);
    await sendAndWait(ui, KEY.enter, 'Login works with a password');
    expect(attempts).toHaveLength(1);
    expect(await waitForFrame(everything(ui), 'password-login')).toContain('password-login');
  });
});

describe('the set-aside line', () => {
  it('the wizard names what it set aside of the ssh command line', async () => {
    const { ui } = wizard(fx.knownHosts.empty!, { setAside: ['-A', '-L', '80:x:80'], command: ['uptime'] });
    await waitForFrame(menuFrame(ui), /Quit/);
    const frame = await waitForFrame(everything(ui), 'Set aside');
    expect(frame).toContain('Set aside (not used by the diagnosis): -A -L 80:x:80; the remote command "uptime"');
  });
});
