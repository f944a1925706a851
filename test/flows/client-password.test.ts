// The wizard's one password attempt: offered only to a verified host that takes a password, run
// only after "yes", and its exit status is the verdict.
import { describe, expect, it } from 'vitest';
import { clientFlow, type ClientInput } from '../../flows/client.js';
import type { PasswordAttempt } from '../../src/client/probes/types.js';
import * as fx from './client-fixtures.js';
import { run } from './helper.js';

const wizard: ClientInput = {
  destination: 'box',
  sshFlags: ['-p', '22'],
  timeoutMs: 5000,
  interactive: true,
  autoApply: false,
};
/** A known, unchanged host key; keys refused; the server takes passwords. */
const passwordHost = { ...fx.healthy, login: fx.login.passwordOnly };
const attempt = (exitCode: number | undefined, stderr: string[]): PasswordAttempt => ({
  command: ['ssh', 'box'],
  exitCode,
  stderr,
});
const accepted = attempt(0, []);
const refused = attempt(255, ['alice@127.0.0.1: Permission denied (password).']);

describe('the password offer', () => {
  it('yes, and the password works: ok, from the attempt', async () => {
    const commands: string[][] = [];
    const { context, calls } = await run(
      clientFlow,
      wizard,
      {
        ...passwordHost,
        password: (input: { command: string[] }) => {
          commands.push(input.command);
          return accepted;
        },
      },
      [{ type: 'CONFIRM' }, { type: 'QUIT' }],
    );
    expect(calls.filter((c) => c === 'password')).toHaveLength(1);
    expect(commands[0]!.slice(0, 5)).toEqual([
      'ssh',
      '-o',
      'PreferredAuthentications=password,keyboard-interactive',
      '-o',
      'NumberOfPasswordPrompts=1',
    ]);
    expect(commands[0]!.slice(-5)).toEqual(['-p', '22', '--', 'box', 'true']);
    expect(context.verdictId).toBe('ok');
    expect(context.findings.map((f) => f.id)).toEqual(['ok']);
    expect(context.findings[0]!.summary).toMatch(/^Login works with a password/);
    expect(context.probes.map((p) => p.id)).toContain('password-login');
  });

  it('yes, and the password is refused: auth-password-denied with ssh’s words', async () => {
    const { context } = await run(clientFlow, wizard, { ...passwordHost, password: refused }, [
      { type: 'CONFIRM' },
      { type: 'QUIT' },
    ]);
    expect(context.verdictId).toBe('auth-password-denied');
    expect(context.findings[0]!.summary).toBe('The server refused the password typed for alice.');
    expect(context.findings[0]!.evidence).toContain('alice@127.0.0.1: Permission denied (password).');
  });

  it('ssh failing otherwise is login-failed, not a refused password', async () => {
    const { context } = await run(
      clientFlow,
      wizard,
      { ...passwordHost, password: attempt(255, ['Connection closed by 127.0.0.1 port 22']) },
      [{ type: 'CONFIRM' }, { type: 'QUIT' }],
    );
    expect(context.verdictId).toBe('login-failed');
  });

  it('no (the default): nothing runs, the batch verdict stays', async () => {
    const { snapshot, context, calls } = await run(clientFlow, wizard, passwordHost, [{ type: 'DECLINE' }]);
    expect(calls).not.toContain('password');
    expect(snapshot.value).toBe('report');
    // The person has a usable key the server never looked at: the server's setting is the cause.
    expect(context.verdictId).toBe('pubkey-auth-disabled');
  });

  it('ssh could not be started: back to the menu, the attempt listed as not known', async () => {
    const { snapshot, context } = await run(
      clientFlow,
      wizard,
      { ...passwordHost, password: new Error('spawn ssh ENOENT') },
      [{ type: 'CONFIRM' }],
    );
    expect([snapshot.value, context.verdictId]).toEqual(['report', 'pubkey-auth-disabled']);
    expect(context.probes.find((p) => p.id === 'password-login')).toMatchObject({
      status: 'unknown',
      detail: 'could not run: spawn ssh ENOENT',
    });
  });

  it('offered once: after the attempt, the report', async () => {
    const { snapshot } = await run(clientFlow, wizard, { ...passwordHost, password: refused }, [{ type: 'CONFIRM' }]);
    expect(snapshot.value).toBe('report');
  });

  it('also when keys were refused and password is one of the methods left', async () => {
    const login = {
      ...fx.login.pubkeyDenied,
      debug: { ...fx.login.pubkeyDenied!.debug, methodsLeft: ['publickey', 'password'] },
    };
    const { snapshot } = await run(clientFlow, wizard, { ...passwordHost, login });
    expect(snapshot.value).toBe('offeringPassword');
  });

  for (const [why, answers] of [
    ['the host key is not in known_hosts yet', { knownHosts: fx.knownHosts.empty }],
    [
      'ssh had to add the host key to its temporary copy',
      { login: { ...fx.login.passwordOnly!, debug: { ...fx.login.passwordOnly!.debug, hostKeyAdded: true } } },
    ],
    ['the host key changed', { knownHosts: fx.knownHosts.stored }],
    ['the server takes no password', { login: fx.login.pubkeyDenied }],
    ['the login works', { login: fx.login.ok }],
  ] as const) {
    it(`not offered when ${why}`, async () => {
      const { snapshot } = await run(clientFlow, wizard, { ...passwordHost, ...answers });
      expect(snapshot.value).not.toBe('offeringPassword');
    });
  }

  it('never without a wizard (--json, no terminal)', async () => {
    const { snapshot, calls } = await run(clientFlow, { ...wizard, interactive: false }, passwordHost);
    expect(snapshot.status).toBe('done');
    expect(calls).not.toContain('password');
  });
});
