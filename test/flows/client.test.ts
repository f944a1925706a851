// The client flow. A decision table, written by hand, says which verdict and findings each set of
// probe answers must give; then every path the machine has is enumerated and driven with fakes.
import { describe, expect, it } from 'vitest';
import type { AnyEventObject } from 'xstate';
import { clientFlow, type ClientInput } from '../../flows/client.js';
import { CLIENT_VERDICTS, type ClientVerdictId } from '../../src/client/findings.js';
import * as fx from './client-fixtures.js';
import { describePaths, drive, pathsOf, run, type FlowModel } from './helper.js';

const headless = fx.headlessInput;
const wizard: ClientInput = { ...headless, interactive: true };
const auto: ClientInput = { ...headless, autoApply: true };

const broke = new Error('probe broke');
const jump = { ...fx.target, proxyJump: 'bob@jump.lab:2200' };
const proxied = { ...fx.target, proxyCommand: 'aws ssm start-session --target %h' };
const proxiedProbes = ['config', 'keys', 'known-hosts', 'login'];
/** A host that works: the key is known, ssh logs in. */
const healthy = {
  ...fx.healthy,
  applyFix: { fixId: 'chmod-private-key', status: 'applied', log: ['$ chmod 0600 /root/.ssh/id_ed25519'] },
};
const direct = ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'handshake', 'login'];

// [what happens, the probes' answers that differ from a healthy host, the verdict, every finding
// after it, the probes in the report]
const table: [string, Record<string, unknown>, ClientVerdictId, string[], string[]][] = [
  ['the login works', {}, 'ok', [], direct],
  [
    'the login works, slowly (the server looks up our name)',
    { login: fx.login.slowAuth },
    'ok',
    ['slow-login'],
    direct,
  ],
  ['a host not in known_hosts yet', { knownHosts: fx.knownHosts.empty }, 'ok', ['host-key-unknown'], direct],
  ['local probes that could not run change nothing', { keys: broke, knownHosts: broke }, 'ok', [], direct],
  [
    'a missing -i file and a .pub of another key',
    { keys: fx.keys.odd },
    'ok',
    ['identity-file-missing', 'public-key-mismatch'],
    direct,
  ],
  [
    'the name resolves to nothing',
    { dns: fx.dns.none },
    'dns-unresolved',
    [],
    ['config', 'keys', 'known-hosts', 'dns'],
  ],
  ['the resolver fails', { dns: broke }, 'dns-unresolved', [], ['config', 'keys', 'known-hosts', 'dns']],
  [
    'CanonicalizeFallbackLocal no, and no CanonicalDomains suffix resolves (the plain name does)',
    {
      target: {
        ...fx.target,
        canonicalizeFailed: { tried: ['box.corp'], sshSaid: 'ssh: Could not resolve host "box"' },
      },
    },
    'dns-unresolved',
    [],
    ['config', 'keys', 'known-hosts', 'dns'],
  ],
  [
    'refused, SSH answers on 2222',
    { tcp: fx.tcp.refused, otherPorts: fx.otherPorts.found },
    'connection-refused',
    ['ssh-found-on-other-port'],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'other-ports'],
  ],
  [
    'refused, SSH nowhere else',
    { tcp: fx.tcp.refused },
    'connection-refused',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'other-ports'],
  ],
  [
    'refused, the other-ports probe fails',
    { tcp: fx.tcp.refused, otherPorts: broke },
    'connection-refused',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'other-ports'],
  ],
  [
    'no answer in time',
    { tcp: fx.tcp.timeout },
    'connection-timeout',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp'],
  ],
  ['one address silent, the other answers SSH', { tcp: fx.tcp.oneSilent }, 'ok', [], direct],
  ['one address refuses, the other answers SSH', { tcp: fx.tcp.oneRefused }, 'ok', [], direct],
  ['one address has no route, the other answers SSH', { tcp: fx.tcp.oneUnreachable }, 'ok', [], direct],
  [
    'one address refuses, the other is unreachable',
    { tcp: fx.tcp.refusedAndUnreachable },
    'connection-refused',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'other-ports'],
  ],
  [
    'no route to the host',
    { tcp: fx.tcp.unreachable },
    'no-route',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp'],
  ],
  ['the TCP probe fails', { tcp: broke }, 'no-route', [], ['config', 'keys', 'known-hosts', 'dns', 'tcp']],
  [
    'the source address (-b) is not one of this machine',
    { tcp: fx.tcp.bindFailed },
    'bind-address-unavailable',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp'],
  ],
  ['-b fits only the IPv4 address, which answers SSH', { tcp: fx.tcp.oneBindFailed }, 'ok', [], direct],
  [
    '-b fits only the IPv4 address, which refuses',
    { tcp: fx.tcp.bindFailedAndRefused },
    'connection-refused',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'other-ports'],
  ],
  [
    'a mail server on the port',
    { tcp: fx.tcp.other },
    'not-ssh-service',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp'],
  ],
  [
    'closed before any banner',
    { tcp: fx.tcp.closed },
    'banner-exchange-failed',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp'],
  ],
  [
    'over MaxStartups',
    { tcp: fx.tcp.throttled },
    'banner-exchange-failed',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp'],
  ],
  [
    // The login runs beside the handshake; ssh's strict checking stops it before any key is offered.
    'another key stored for the host',
    { knownHosts: fx.knownHosts.stored },
    'host-key-changed',
    [],
    direct,
  ],
  [
    'ssh itself reports a changed key',
    { knownHosts: fx.knownHosts.empty, login: fx.login.hostKeyChanged },
    'host-key-changed',
    [],
    direct,
  ],
  [
    // The login runs beside the handshake; ssh checks the same @revoked line and stops before auth.
    'the presented key is marked @revoked',
    { knownHosts: fx.knownHosts.revoked },
    'host-key-revoked',
    [],
    direct,
  ],
  [
    'ssh itself refuses a revoked key (a RevokedHostKeys list)',
    { knownHosts: fx.knownHosts.empty, login: fx.login.hostKeyRevoked },
    'host-key-revoked',
    [],
    direct,
  ],
  [
    'via a jump host, the target presents a revoked key',
    { target: jump, login: fx.login.hostKeyRevoked },
    'host-key-revoked',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'login'],
  ],
  ['no common algorithm', { login: fx.login.algorithm }, 'algorithm-mismatch', [], direct],
  ['too many keys offered', { login: fx.login.tooMany }, 'too-many-auth-failures', [], direct],
  ['ssh ignores a key for its modes', { login: fx.login.keyIgnored }, 'private-key-permissions', [], direct],
  [
    'a key too open on disk, every key refused',
    { keys: fx.keys.tooOpen, login: fx.login.pubkeyDenied },
    'private-key-permissions',
    [],
    direct,
  ],
  [
    'a key too open on disk, the server wants a password',
    { keys: fx.keys.tooOpen, login: fx.login.passwordOnly },
    'private-key-permissions',
    [],
    direct,
  ],
  ['the server takes no keys, only a password', { login: fx.login.passwordOnly }, 'pubkey-auth-disabled', [], direct],
  [
    'ssh offered a user certificate, refused',
    { keys: fx.keys.withCert, login: fx.login.certDenied },
    'user-certificate-invalid',
    [],
    direct,
  ],
  [
    'a certificate on disk that ssh did not offer changes nothing',
    { keys: fx.keys.withCert, login: fx.login.pubkeyDenied },
    'auth-publickey-denied',
    [],
    direct,
  ],
  ['a certificate ssh offered, the login works', { keys: fx.keys.withCert, login: fx.login.ok }, 'ok', [], direct],
  [
    'denied, and the handshake heard no publickey',
    { handshake: fx.handshake.passwordOnly, login: fx.login.deniedSilently },
    'pubkey-auth-disabled',
    [],
    direct,
  ],
  [
    'no key at all, and the server wants a password',
    { keys: fx.keys.none, login: fx.login.passwordOnly },
    'auth-password-denied',
    [],
    direct,
  ],
  [
    'only a key batch ssh cannot open, and the server wants a password',
    { keys: fx.keys.encrypted, login: fx.login.passwordOnly },
    'auth-password-denied',
    [],
    direct,
  ],
  ['PAM turns the account away after the key', { login: fx.login.accountLocked }, 'account-locked', [], direct],
  ['the password must be changed first', { login: fx.login.passwordChange }, 'password-change-required', [], direct],
  ['the shell is nologin', { login: fx.login.nologin }, 'login-shell-nologin', [], direct],
  ['the forced command is missing', { login: fx.login.forcedCommandFailed }, 'forced-command-failed', [], direct],
  [
    'the session closes with no exit status',
    { login: fx.login.sessionClosed },
    'session-closed-after-auth',
    [],
    direct,
  ],
  ['a git host: no shell, a greeting', { login: fx.login.gitHost }, 'ok', ['session-command-output'], direct],
  [
    'the key is accepted, a code is wanted too',
    { login: fx.login.secondFactor },
    'auth-second-factor-required',
    [],
    direct,
  ],
  [
    'the server accepts an encrypted key batch ssh cannot open',
    { keys: fx.keys.encrypted, login: fx.login.keyAcceptedUnused },
    'key-encrypted-no-agent',
    [],
    direct,
  ],
  [
    'an encrypted key that could not even be offered',
    { keys: fx.keys.encrypted, login: fx.login.deniedSilently },
    'key-encrypted-no-agent',
    [],
    direct,
  ],
  [
    'a key too open beside a good one, every key refused',
    {
      keys: {
        ...fx.keys.good,
        files: [{ ...fx.keys.tooOpen.files[0]!, path: '/root/.ssh/id_rsa' }, ...fx.keys.good.files],
      },
      login: fx.login.pubkeyDenied,
    },
    'private-key-permissions',
    [],
    direct,
  ],
  [
    'the key check fails, the server takes no keys',
    { keys: broke, login: fx.login.passwordOnly },
    'pubkey-auth-disabled',
    [],
    direct,
  ],
  [
    'a usable key beside one that does not exist, the server takes no keys',
    { keys: { ...fx.keys.good, files: [...fx.keys.none.files, ...fx.keys.good.files] }, login: fx.login.passwordOnly },
    'pubkey-auth-disabled',
    [],
    direct,
  ],
  [
    'no key file but one in the agent, the server takes no keys',
    {
      keys: { ...fx.keys.none, agent: { available: true, fingerprints: ['SHA256:agent'] } },
      login: fx.login.passwordOnly,
    },
    'pubkey-auth-disabled',
    [],
    direct,
  ],
  [
    'no key at all, the server takes neither keys nor a password',
    {
      keys: fx.keys.none,
      login: {
        ...fx.login.passwordOnly!,
        debug: { ...fx.login.passwordOnly!.debug, methodsLeft: ['gssapi-with-mic'] },
      },
    },
    'pubkey-auth-disabled',
    [],
    direct,
  ],
  [
    'no key at all, the server takes Kerberos or a password',
    {
      keys: fx.keys.none,
      login: {
        ...fx.login.passwordOnly!,
        debug: { ...fx.login.passwordOnly!.debug, methodsLeft: ['gssapi-with-mic', 'password'] },
      },
    },
    'auth-password-denied',
    [],
    direct,
  ],
  [
    'no key offered, and no word on the methods left from ssh or the handshake',
    { handshake: { ...fx.handshake.newKey!, authMethods: [] }, login: fx.login.deniedSilently },
    'auth-publickey-denied',
    ['no-identities-offered'],
    direct,
  ],
  [
    'no key offered, the handshake fails',
    { handshake: broke, login: fx.login.deniedSilently },
    'auth-publickey-denied',
    ['no-identities-offered'],
    direct,
  ],
  ['ssh skips a DSA key', { login: fx.login.dsaSkipped }, 'key-type-disabled', [], direct],
  ['every key refused', { login: fx.login.pubkeyDenied }, 'auth-publickey-denied', [], direct],
  [
    'no key offered at all',
    { login: fx.login.deniedSilently },
    'auth-publickey-denied',
    ['no-identities-offered'],
    direct,
  ],
  [
    'the handshake fails, the login decides',
    { handshake: broke, login: fx.login.pubkeyDenied },
    'auth-publickey-denied',
    [],
    direct,
  ],
  ['ssh reports refused after our probe connected', { login: fx.login.refused }, 'connection-refused', [], direct],
  ['ssh fails in a way not recognised', { login: fx.login.other }, 'login-failed', [], direct],
  ['ssh only accepted an unknown key into its copy', { login: fx.login.hostKeyUnknown }, 'login-failed', [], direct],
  ['the login probe fails', { login: broke }, 'login-failed', [], direct],
  [
    'via a jump host: no handshake, ssh logs in',
    { target: jump },
    'ok',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'login'],
  ],
  [
    'via a jump host that refuses',
    { target: jump, tcp: fx.tcp.refused },
    'connection-refused',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'other-ports'],
  ],
  [
    'via a jump host, the target refuses',
    { target: jump, login: fx.login.refused },
    'connection-refused',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'login'],
  ],
  [
    'via a jump host, the target times out',
    { target: jump, login: fx.login.timeout },
    'connection-timeout',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'login'],
  ],
  [
    'via a jump host, the target does not resolve',
    { target: jump, login: fx.login.dnsUnresolved },
    'dns-unresolved',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'login'],
  ],
  [
    'via a jump host, no route to the target',
    { target: jump, login: fx.login.noRoute },
    'no-route',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'login'],
  ],
  [
    'via a jump host that cannot reach the target (refused from there)',
    { target: jump, login: fx.login.hopRefused },
    'connection-refused',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'login'],
  ],
  [
    'via a jump host that forbids forwarding',
    { target: jump, login: fx.login.hopProhibited },
    'proxy-command-failed',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'login'],
  ],
  [
    'via a jump host, the target closes before a banner',
    { target: jump, login: fx.login.banner },
    'banner-exchange-failed',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'login'],
  ],
  [
    'via a ProxyCommand: no direct probe, ssh logs in through it',
    { target: proxied, login: fx.login.proxiedOk, tcp: fx.tcp.refused, dns: fx.dns.none },
    'ok',
    [],
    proxiedProbes,
  ],
  [
    'via a ProxyCommand whose program is missing',
    { target: proxied, login: fx.login.proxyMissing },
    'proxy-command-failed',
    [],
    proxiedProbes,
  ],
  [
    'via a ProxyCommand, ssh never hears a server (it timed out)',
    { target: proxied, login: fx.login.timeout },
    'proxy-command-failed',
    [],
    proxiedProbes,
  ],
  [
    'via a ProxyCommand, the server refuses the key',
    { target: proxied, login: fx.login.proxiedDenied },
    'auth-publickey-denied',
    [],
    proxiedProbes,
  ],
  [
    "via a jump host, the target's key changed",
    { target: jump, login: fx.login.hostKeyChanged },
    'host-key-changed',
    [],
    ['config', 'keys', 'known-hosts', 'dns', 'tcp', 'login'],
  ],
];

describe('client flow: the decision table', () => {
  for (const [what, answers, verdict, more, probes] of table) {
    it(`${what}: ${verdict}`, async () => {
      const { context } = await run(clientFlow, headless, { ...healthy, ...answers });
      expect(context.verdictId).toBe(verdict);
      expect(context.findings.map((f) => f.id)).toEqual([verdict, ...more]);
      expect(context.probes.map((p) => p.id).sort()).toEqual([...probes].sort());
    });
  }

  it('covers every verdict', () => {
    expect([...new Set(table.map(([, , v]) => v))].sort()).toEqual(Object.keys(CLIENT_VERDICTS).sort());
  });

  it('the network decided (refused) while the key check still runs: not waited for, and said so', async () => {
    const never = () => new Promise(() => {});
    const { context } = await run(clientFlow, headless, { ...healthy, tcp: fx.tcp.refused, keys: never });
    expect(context.verdictId).toBe('connection-refused');
    expect(
      context.probes.filter((p) => p.id === 'keys' || p.id === 'known-hosts').map((p) => [p.id, p.status, p.detail]),
    ).toEqual([
      ['keys', 'unknown', 'not waited for: the network had already decided'],
      ['known-hosts', 'unknown', 'not waited for: the network had already decided'],
    ]);
  });

  it('an SSH server answers: the login does not wait for the key check', async () => {
    const order: string[] = [];
    const { context } = await run(clientFlow, headless, {
      ...healthy,
      keys: () => new Promise((done) => setTimeout(() => done(order.push('keys') && fx.keys.good), 300)),
      login: () => order.push('login') && fx.login.ok,
    });
    expect(order).toEqual(['login', 'keys']);
    expect(context.verdictId).toBe('ok');
  });

  it('ssh -G fails: no verdict, the error is kept for the command to report', async () => {
    const { context, calls } = await run(clientFlow, headless, {
      ...healthy,
      target: new Error('ssh: Could not resolve hostname'),
    });
    expect(context.verdictId).toBeUndefined();
    expect(context.error).toBe('ssh: Could not resolve hostname');
    expect(calls).toEqual(['target']);
  });
});

describe('client flow: who answers', () => {
  const keyIgnored = { ...healthy, keys: fx.keys.tooOpen, login: fx.login.keyIgnored };
  const ran = (calls: string[]) => calls.filter((c) => c === 'applyFix').length;

  it('headless: the fix is proposed, never run', async () => {
    const { snapshot, calls } = await run(clientFlow, headless, keyIgnored);
    expect(snapshot.status).toBe('done');
    expect(ran(calls)).toBe(0);
  });
  it('--yes, headless: the fix runs once and the flow ends', async () => {
    const { snapshot, context, calls } = await run(clientFlow, auto, keyIgnored);
    expect([snapshot.status, ran(calls), context.fixOutcomes.map((o) => o.fixId)]).toEqual([
      'done',
      1,
      ['chmod-private-key'],
    ]);
  });
  it('--yes with nothing to fix runs nothing', async () => {
    expect(ran((await run(clientFlow, auto, healthy)).calls)).toBe(0);
  });
  it('--yes in the wizard: the fix runs, then the menu waits', async () => {
    const { snapshot, calls } = await run(clientFlow, { ...wizard, autoApply: true }, keyIgnored);
    expect([snapshot.value, ran(calls)]).toEqual(['report', 1]);
  });
  it('the wizard: a declined fix runs nothing; a confirmed one runs once, then leaves the menu', async () => {
    const fix = { type: 'FIX', fixId: 'chmod-private-key' } as const;
    const declined = await run(clientFlow, wizard, keyIgnored, [fix, { type: 'DECLINE' }]);
    expect([declined.snapshot.value, ran(declined.calls), declined.context.pendingFix]).toEqual([
      'report',
      0,
      undefined,
    ]);
    const confirmed = await run(clientFlow, wizard, keyIgnored, [fix, { type: 'CONFIRM' }, fix]);
    expect([confirmed.snapshot.value, ran(confirmed.calls)]).toEqual(['report', 1]);
    expect(confirmed.context.findings[0]!.fix).toBeUndefined();
  });
  it('the wizard: "I\'m locked out" leaves for that wizard', async () => {
    const remote = { ...fx.target, host: 'web.example.net' };
    const { snapshot, context } = await run(clientFlow, wizard, { ...healthy, target: remote, tcp: fx.tcp.timeout }, [
      { type: 'CHECK_SERVER' },
      { type: 'LOCKED_OUT' },
    ]);
    expect([snapshot.status, context.next]).toEqual(['done', 'locked-out']);
  });
  it('a host that answers: neither "I\'m locked out" nor "check its server"', async () => {
    const remote = { ...healthy, target: { ...fx.target, host: 'web.example.net' } };
    for (const [answers, event] of [
      [remote, 'LOCKED_OUT'],
      [healthy, 'CHECK_SERVER'],
    ] as const) {
      const { snapshot, context } = await run(clientFlow, wizard, answers, [{ type: event }]);
      expect([snapshot.value, context.next]).toEqual(['report', undefined]);
    }
  });
  it('the wizard on this machine (127.0.0.1): its server checks instead of "I\'m locked out"', async () => {
    const { snapshot, context } = await run(clientFlow, wizard, { ...healthy, tcp: fx.tcp.refused }, [
      { type: 'LOCKED_OUT' },
      { type: 'CHECK_SERVER' },
    ]);
    expect([snapshot.status, context.next]).toEqual(['done', 'server']);
  });
});

describe('client flow: what the probes are given', () => {
  it('-b: the TCP and other-port probes bind it, the handshake binds what the TCP probe bound', async () => {
    const given: Record<string, any> = {};
    const answer = (id: string, out: unknown) => (input: unknown) => ((given[id] = input), out);
    const bound = { ...fx.target, bind: { address: '127.0.0.2' } };
    await run(clientFlow, headless, {
      ...healthy,
      target: bound,
      tcp: answer('tcp', fx.tcp.oneBindFailed),
      handshake: answer('handshake', fx.handshake.newKey),
    });
    expect([given.tcp.bind, given.handshake.localAddress]).toEqual([{ address: '127.0.0.2' }, '127.0.0.2']);

    await run(clientFlow, headless, {
      ...healthy,
      target: bound,
      tcp: fx.tcp.bindFailedAndRefused,
      otherPorts: answer('otherPorts', fx.otherPorts.none),
    });
    // The address that refused, from the same source address: not the one that could not be bound.
    expect([given.otherPorts.address, given.otherPorts.bind]).toEqual(['127.0.0.1', { address: '127.0.0.2' }]);
  });

  it("through a jump host, the target's -b is not bound: ssh does not pass it to the first hop", async () => {
    const given: Record<string, any> = {};
    const answer = (id: string, out: unknown) => (input: unknown) => ((given[id] = input), out);
    await run(clientFlow, headless, {
      ...healthy,
      target: { ...jump, bind: { address: '127.0.0.2' } },
      tcp: answer('tcp', fx.tcp.ssh),
    });
    expect(given.tcp.bind).toBeUndefined();
  });

  it('through a jump host, the network probes go to the jump host; only ssh reaches the target', async () => {
    const given: Record<string, any> = {};
    const answer = (id: string, out: unknown) => (input: unknown) => ((given[id] = input), out);
    const { calls } = await run(clientFlow, headless, {
      ...healthy,
      target: jump,
      dns: answer('dns', fx.dns.ok),
      tcp: answer('tcp', fx.tcp.ssh),
    });
    expect([given.dns.host, given.tcp.port]).toEqual(['jump.lab', 2200]);
    expect(calls).not.toContain('handshake');
  });

  it('refused, SSH found on 2222: "diagnose port 2222" starts over there, with the same flags', async () => {
    const flags: string[][] = [];
    const target = (input: { sshFlags: string[] }) => {
      flags.push(input.sshFlags);
      const p = input.sshFlags.indexOf('-p');
      return { ...fx.target, port: p >= 0 ? Number(input.sshFlags[p + 1]) : 22 };
    };
    const tcp = (input: { port: number }) => (input.port === 2222 ? fx.tcp.ssh : fx.tcp.refused);
    const input = { ...wizard, sshFlags: ['-p', '22', '-i', 'k'] };
    const answers: AnyEventObject[] = [
      { type: 'RETRY_PORT', port: 2200 }, // nothing SSH there: ignored
      { type: 'RETRY_PORT', port: 2222 },
    ];
    const { context } = await run(
      clientFlow,
      input,
      { ...healthy, knownHosts: fx.knownHosts.empty, target, tcp, otherPorts: fx.otherPorts.found },
      answers,
    );
    expect(flags).toEqual([
      ['-p', '22', '-i', 'k'],
      ['-p', '2222', '-i', 'k'],
    ]);
    // Only the second run's: the first's probes, findings and facts are gone.
    expect(context.verdictId).toBe('ok');
    expect(context.probes.map((p) => p.id).sort()).toEqual([...direct].sort());
    expect([context.findings.map((f) => f.id), context.fixOutcomes, context.otherPorts]).toEqual([
      ['ok', 'host-key-unknown'],
      [],
      undefined,
    ]);
  });
});

describePaths('client flow: every path', () => {
  const pick = <T>(from: Record<string, T>, ...names: string[]) => Object.fromEntries(names.map((n) => [n, from[n]!]));
  const model: FlowModel<typeof clientFlow> = {
    machine: clientFlow,
    // One answer per branch; the decision table above holds the finer cases.
    outputs: {
      target: { target: fx.target, proxied },
      // withCert is a good key with a certificate beside it: the same branches, and the certificate's.
      keys: pick(fx.keys, 'withCert', 'tooOpen', 'encrypted'),
      knownHosts: pick(fx.knownHosts, 'empty', 'stored'),
      dns: fx.dns,
      tcp: pick(fx.tcp, 'ssh', 'other', 'closed', 'refused', 'timeout', 'unreachable', 'bindFailed'),
      otherPorts: fx.otherPorts,
      handshake: pick(fx.handshake, 'newKey'),
      login: pick(
        fx.login,
        'ok',
        'pubkeyDenied',
        'certDenied',
        'passwordOnly',
        'keyIgnored',
        'accountLocked',
        'passwordChange',
        'nologin',
        'forcedCommandFailed',
        'sessionClosed',
        'secondFactor',
        'keyAcceptedUnused',
        'dsaSkipped',
        'tooMany',
        'algorithm',
        'hostKeyChanged',
        'hostKeyRevoked',
        'refused',
        'other',
      ),
      applyFix: { ok: healthy.applyFix },
      password: {
        refused: { command: ['ssh', 'box'], exitCode: 255, stderr: ['alice@box: Permission denied (password).'] },
      },
    },
    answers: {
      report: (s) => [
        { type: 'QUIT' },
        { type: 'LOCKED_OUT' },
        { type: 'CHECK_SERVER' },
        ...s.context.findings.flatMap((f: any) => (f.fix ? [{ type: 'FIX', fixId: f.fix.id }] : [])),
      ],
      confirming: [{ type: 'CONFIRM' }, { type: 'DECLINE' }],
      // Reached only when the handshake fails (no host key to compare): one answer is enough.
      offeringPassword: [{ type: 'CONFIRM' }],
    },
    // The local region first, the handshake before the login: the order of parallel regions does
    // not change the verdict, and every order would multiply the paths.
    advance: (running) => {
      const local = running.filter((id) => id === 'keys' || id === 'knownHosts');
      if (local.length) return local;
      return running.includes('handshake') ? ['handshake'] : running;
    },
    // Cheap to tell apart: which sample each probe gave, not the facts themselves.
    serialize: (s, name) => ({
      v: s.value,
      verdict: s.context.verdictId,
      facts: ['target', 'keys', 'knownHosts', 'dns', 'tcp', 'otherPorts', 'handshake', 'login'].map(
        (k) => name(s.context[k]) ?? null,
      ),
      probes: s.context.probes.length,
      fixes: s.context.findings.map((f: any) => f.fix?.id ?? '-'),
      outcomes: s.context.fixOutcomes.length,
      next: s.context.next,
    }),
  };

  // The verdicts added for what ssh says after connecting share one shape (no fix, not
  // unreachable): with menus, whose paths multiply, one of them stands for all.
  const menuModel: FlowModel<typeof clientFlow> = {
    ...model,
    outputs: {
      ...model.outputs,
      keys: pick(fx.keys, 'good', 'tooOpen'),
      login: pick(
        fx.login,
        'ok',
        'pubkeyDenied',
        'passwordOnly',
        'keyIgnored',
        'tooMany',
        'algorithm',
        'hostKeyChanged',
        'refused',
        'other',
        'nologin',
      ),
    },
  };

  it('reaches every verdict id, and nothing outside the registry', () => {
    const reached = new Set(pathsOf(model, headless).map((p) => p.state.context.verdictId));
    reached.delete(undefined); // the "could not read ssh settings" path ends before any verdict
    expect([...reached].sort()).toEqual(Object.keys(CLIENT_VERDICTS).sort());
  });

  for (const [name, input] of [
    ['headless (--json)', headless],
    ['the wizard', wizard],
    ['--yes', auto],
  ] as const) {
    // The handshake beside the login multiplies the paths (~560 for the wizard): seconds of graph
    // search, many more on a loaded machine.
    it(`${name}: each enumerated path, driven with fake probes, ends where the graph says`, async () => {
      const paths = pathsOf(input === headless ? model : menuModel, input);
      expect(paths.length).toBeGreaterThan(20);
      // Menus multiply paths without new probe logic: outside headless, one path per ending.
      const seen = new Set<string>();
      for (const p of paths) {
        const want = p.state.context;
        const key = JSON.stringify([
          want.verdictId,
          want.next,
          want.fixOutcomes.length,
          p.steps.filter((s) => s.event.type.startsWith('xstate.error')).map((s) => s.event.type),
        ]);
        if (input !== headless && seen.has(key)) continue;
        seen.add(key);
        const { context } = await drive(clientFlow, input, p.steps);
        expect({
          verdict: context.verdictId,
          next: context.next,
          fixes: context.fixOutcomes.length,
          first: context.findings[0]?.id,
        }).toEqual({
          verdict: want.verdictId,
          next: want.next,
          fixes: want.fixOutcomes.length,
          first: want.findings[0]?.id,
        });
      }
    }, 180_000);
  }
});
