// The one password attempt the wizard may offer: when it is offered, the exact ssh command it
// hands the terminal to, and what that attempt's exit status says. Pure (the flow decides with it;
// src/client/actors.ts runs the command on the terminal, so ssh-doctor never sees the password).
import { formatCommand, type Finding } from '../report.js';
import { compareHostKey } from './compare-host-key.js';
import type {
  HandshakeResult,
  KnownHostsResult,
  LoginResult,
  PasswordAttempt,
  ResolvedTarget,
} from './probes/types.js';

interface Facts {
  knownHosts?: KnownHostsResult;
  handshake?: HandshakeResult;
  login?: LoginResult;
  password?: PasswordAttempt;
}

/**
 * Worth offering: keys did not get in, the server asks for what a person types, and the host key
 * is already known and unchanged (a password typed to an unverified host may go to an impostor).
 * Once per run.
 */
export function passwordWanted(f: Facts): boolean {
  const d = f.login?.debug;
  if (!d || d.outcome !== 'auth-denied' || f.password) return false;
  if (!(d.methodsLeft ?? []).some((m) => m === 'password' || m === 'keyboard-interactive')) return false;
  // ssh had to add the key to our temporary known_hosts copy: it was not in the user's.
  if (d.hostKeyAdded) return false;
  const hk = f.handshake?.hostKey;
  return !hk || (!!f.knownHosts && compareHostKey(f.knownHosts.entries, hk) === 'match');
}

/**
 * The user's own ssh command line, with our options first (ssh keeps the first value): one
 * password prompt, the host key checked strictly against the user's known_hosts, nothing forwarded.
 */
export function passwordCommand(destination: string, sshFlags: readonly string[]): string[] {
  return [
    'ssh',
    ...[
      'PreferredAuthentications=password,keyboard-interactive',
      'NumberOfPasswordPrompts=1',
      'BatchMode=no',
      'StrictHostKeyChecking=yes',
      'UpdateHostKeys=no',
      'ControlMaster=no',
      'ControlPath=none',
      'ForwardAgent=no',
      'ForwardX11=no',
      'ClearAllForwardings=yes',
      'PermitLocalCommand=no',
      'RequestTTY=no',
    ].flatMap((o) => ['-o', o]),
    ...sshFlags,
    '--',
    destination,
    'true',
  ];
}

const DENIED = /Permission denied|^Received disconnect from .*: Too many authentication failures/;

/** What the attempt ended with: logged in, the password refused, or something else went wrong. */
export function passwordOutcome(a: PasswordAttempt): 'ok' | 'denied' | 'other' {
  if (a.exitCode === 0) return 'ok';
  return a.stderr.some((l) => DENIED.test(l)) ? 'denied' : 'other';
}

/** The attempt as evidence: the command that ran, and what ssh said on stderr. */
export function passwordEvidence(a: PasswordAttempt): string[] {
  return [
    `you typed a password into: ${formatCommand(a.command)}`,
    ...a.stderr,
    a.exitCode === undefined ? 'ssh did not finish' : `ssh exited with ${a.exitCode}`,
  ];
}

export function passwordAcceptedFinding(
  t: ResolvedTarget | undefined,
  a: PasswordAttempt,
): Omit<Finding, 'id' | 'severity'> {
  return {
    summary: `Login works with a password: ${t?.user}@${t?.host} accepted the one you typed (keys did not get in).`,
    evidence: passwordEvidence(a),
    next: ['For key logins, install your public key on the server: ssh-copy-id (it asks for this password once).'],
  };
}

export function passwordDeniedFinding(
  t: ResolvedTarget | undefined,
  a: PasswordAttempt,
): Omit<Finding, 'id' | 'severity'> {
  return {
    summary: `The server refused the password typed for ${t?.user}.`,
    evidence: passwordEvidence(a),
    next: [
      'Check the user name and the keyboard layout, then try again later: fail2ban and sshd count failed passwords.',
      `The account may be locked or its password expired: on the server, ssh-doctor server --user ${t?.user} says which.`,
    ],
  };
}
