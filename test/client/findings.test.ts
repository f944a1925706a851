// The host-key fix touches only the user's own known_hosts; a stale system-wide entry is named for an
// admin. Advice built from a server's words is quoted, or left out when it holds control characters.
import { describe, expect, it } from 'vitest';
import { clientFindings } from '../../src/client/findings.js';
import { LEFT_OUT } from '../../src/shell-quote.js';
import * as fx from '../flows/client-fixtures.js';

const entry = (file: string, line: number) => ({ file, line, keyType: 'ssh-ed25519', key: 'AAAAold', hashed: false });

describe('host-key-changed fix', () => {
  it('only the user file is edited when both files hold a stale key', () => {
    const [f] = clientFindings(
      {
        target: fx.target,
        handshake: fx.handshake.newKey,
        knownHosts: {
          lookupName: '127.0.0.1',
          entries: [entry('/root/.ssh/known_hosts', 2), entry('/etc/ssh/ssh_known_hosts', 7)],
          searched: [],
        },
      },
      'host-key-changed',
    );
    const edited = f!.fix!.commands.filter((c) => c[0] === 'ssh-keygen').map((c) => c.at(-1));
    expect(edited).toEqual(['/root/.ssh/known_hosts']);
    expect(f!.next).toEqual([
      'The stale key is in the system-wide /etc/ssh/ssh_known_hosts: an admin removes it with sudo ssh-keygen -R 127.0.0.1 -f /etc/ssh/ssh_known_hosts',
    ]);
  });

  it('no fix at all when only the system-wide file is stale', () => {
    const [f] = clientFindings(
      {
        target: fx.target,
        handshake: fx.handshake.newKey,
        knownHosts: { lookupName: '127.0.0.1', entries: [entry('/etc/ssh/ssh_known_hosts', 7)], searched: [] },
      },
      'host-key-changed',
    );
    expect(f!.fix).toBeUndefined();
    expect(f!.evidence.join('\n')).toContain('/etc/ssh/ssh_known_hosts:7 stores a ssh-ed25519 key');
  });
});

describe('advice built from what the server said', () => {
  const mismatch = (theirOffer: string[]) =>
    clientFindings(
      {
        target: fx.target,
        login: {
          ...fx.login.algorithm!,
          debug: { ...fx.login.algorithm!.debug, algorithm: { what: 'host key type', theirOffer } },
        },
      },
      'algorithm-mismatch',
    )[0]!;

  it('quotes an algorithm name, so pasting the advice cannot run it', () => {
    expect(mismatch(['$(touch${IFS}/tmp/x)']).next).toContain(
      `Temporary, weaker: ssh -o 'HostKeyAlgorithms=+$(touch\${IFS}/tmp/x)' ${fx.target.user}@${fx.target.host} -p ${fx.target.port}`,
    );
    expect(mismatch(['ssh-rsa']).next).toContain(
      `Temporary, weaker: ssh -o HostKeyAlgorithms=+ssh-rsa ${fx.target.user}@${fx.target.host} -p ${fx.target.port}`,
    );
  });

  it('leaves out the command when the name holds a control character', () => {
    const f = mismatch(['ssh-rsa\r\x1b[Kssh-ed25519']);
    expect(f.next).toContain(`Temporary, weaker: ${LEFT_OUT}`);
    expect(f.next!.join('\n')).not.toContain('\x1b');
  });
});

describe('login advice that names the right thing', () => {
  const login = (what: string, theirOffer: string[]) => ({
    ...fx.login.algorithm!,
    debug: { ...fx.login.algorithm!.debug, algorithm: { what, theirOffer } },
  });
  it.each([
    ['cipher', ['aes128-cbc'], 'Ciphers'],
    ['MAC', ['hmac-md5'], 'MACs'],
    ['key exchange method', ['diffie-hellman-group14-sha1'], 'KexAlgorithms'],
  ])('a %s mismatch: the %s option, never ssh-keygen -A (host keys only)', (what, offer, option) => {
    const next = clientFindings({ target: fx.target, login: login(what, offer) }, 'algorithm-mismatch')[0]!.next!;
    expect(next.join('\n')).not.toContain('ssh-keygen');
    expect(next[0]).toMatch(new RegExp(`remove the ${option} line from sshd_config`));
    expect(next[1]).toContain(`-o ${option}=+${offer[0]}`);
  });

  it('a host key mismatch: a modern host key is the fix', () => {
    const next = clientFindings(
      { target: fx.target, login: login('host key type', ['ssh-rsa']) },
      'algorithm-mismatch',
    )[0]!.next!;
    expect(next[0]).toContain('ssh-keygen -A');
  });

  it('no key offered: the headline names password when the server takes it', () => {
    const denied = (methodsLeft: string[]) =>
      clientFindings(
        {
          target: fx.target,
          login: { ...fx.login.deniedSilently!, debug: { ...fx.login.deniedSilently!.debug, methodsLeft } },
        },
        'auth-publickey-denied',
      )[0]!.summary;
    expect(denied(['publickey', 'password'])).toBe(
      'ssh had no key to offer for alice; the server also takes password, which a batch check cannot type.',
    );
    expect(denied(['publickey'])).toBe('ssh had no key to offer for alice, and the server accepts only keys here.');
  });
});
