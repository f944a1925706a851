// `ssh-doctor [ssh options] [user@]host`, declared: ssh's own flags (read by ssh's rules, in
// ssh-args.ts) mixed with ssh-doctor's long options. Light on purpose: this is parsed at
// start-up; run.ts, which loads the probes and the UI, is imported only to run.
import { UsageError } from '../../errors.js';
import { DIAGNOSIS_FLAGS, parseSshArgs, SSH_FLAGS, type SshArgs } from '../../ssh-args.js';
import type { Mode } from '../mode.js';
import { flag, takeOption, value, type Parsed } from '../options.js';

const options = {
  json: flag('no prompts; print one JSON report (schema ssh-doctor/report@1) on stdout'),
  timeout: value('MS', 'one deadline for the whole run (default 5000)', (v, name) => {
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!(n >= 100 && n <= 600_000)) throw new UsageError(`${name} takes milliseconds from 100 to 600000, not "${v}".`);
    return n;
  }),
  yes: flag('apply proposed fixes without asking (each is still printed)'),
  redact: flag(
    'print the report with user names, host names, addresses, key fingerprints and home paths replaced by placeholders, to share it (no wizard)',
  ),
  help: flag('this text'),
  version: flag('the version'),
};

export interface ClientOptions extends SshArgs {
  json: boolean;
  redact: boolean;
  timeoutMs: number;
  yes: boolean;
  help: boolean;
  version: boolean;
}

export function parseClientArgs(argv: readonly string[]): ClientOptions {
  const own: Partial<Parsed<typeof options>> = {};
  const ssh = parseSshArgs(argv, (args, i) => takeOption('', options, args, i, own));
  return {
    ...ssh,
    json: own.json ?? false,
    redact: own.redact ?? false,
    timeoutMs: own.timeout ?? 5000,
    yes: own.yes ?? false,
    help: own.help ?? false,
    version: own.version ?? false,
  };
}

/** The flags the diagnosis uses, as their synopsis, a few to a line. */
function diagnosisFlagLines(): string {
  const flags = [...SSH_FLAGS].filter(([f]) => DIAGNOSIS_FLAGS.has(f)).map(([f, v]) => (v ? `-${f} ${v}` : `-${f}`));
  const lines: string[] = [];
  for (const f of flags) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + f.length < 80) lines[lines.length - 1] = `${last}  ${f}`;
    else lines.push(`  ${f}`);
  }
  return lines.join('\n');
}

export const client: Mode<ClientOptions> = {
  name: '',
  summary: 'diagnose a connection (replace "ssh" by "ssh-doctor")',
  usage: '[ssh options] [user@]host[:port]',
  about: `ssh options are read as ssh reads them. The diagnosis uses
${diagnosisFlagLines()}
and sets the others aside (the report names them). With -G, -O, -Q or -V ssh does not
connect: there is nothing to diagnose.
Settings are resolved the way ssh does (ssh -G): Host aliases, HostName, Port, User, IdentityFile.`,
  options,
  operand: 'host',
  notes: `Exit status: 0 the login works (or nothing error-level found), 1 a problem was found, 2 usage error.

Gentle on the server: fail2ban, sshguard and sshd's PerSourcePenalties count connections and
failed logins against you. ssh-doctor connects to the SSH port once per address the host
resolves to (to read the banner), then twice more at most: one handshake that asks which methods
are accepted (no credentials), and exactly one real login attempt with "ssh -v -o BatchMode=yes".
When the port refuses, it tries only 2222, 2200, 22222, 8022 and ports named in your ssh config.
It never sends a password and never writes to your known_hosts while diagnosing.
Password users: when keys fail and the server takes a password, the wizard offers ("No" is the
default) a second login attempt: a real "ssh -o PreferredAuthentications=password,keyboard-interactive"
on your terminal, one password prompt, which ssh asks for itself (ssh-doctor never sees it); its
exit status becomes the verdict. Never offered when the host key is unknown or changed.
NO_COLOR is honoured.
`,
  parse: (argv) => parseClientArgs(argv),
  run: async (opts, io) => (await import('./run.js')).run(opts, io),
};
