// `ssh-doctor locked-out`, declared. Light on purpose: this is parsed at start-up; run.ts, which
// loads the flow, the cloud checks and the UI, is imported only to run.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parsePort, UsageError } from '../../errors.js';
import { parseAddress } from '../../locked-out/cloud/cidr.js';
import { kitUserProblem } from '../../locked-out/kit/script.js';
import { PROVIDERS, type ProviderId } from '../../locked-out/providers.js';
import { targetValueProblem, type TargetKey } from '../../locked-out/target-values.js';
import type { Io, Mode } from '../mode.js';
import { flag, optionalValue, parseOptions, value } from '../options.js';

/** Values reach other programs' argv: none may pass for an option there. */
function text(v: string, name: string): string {
  if (v.startsWith('-')) throw new UsageError(`The value of ${name} may not start with "-": "${v}".`);
  return v;
}

const target = (key: TargetKey) => (v: string, name: string) => {
  const problem = targetValueProblem(key, text(v, name));
  if (problem) throw new UsageError(problem);
  return v;
};

const options = {
  provider: value(
    'ID',
    `where the host lives: ${PROVIDERS.map((p) => p.id).join(', ')}`,
    (v, name): ProviderId => {
      const p = PROVIDERS.find((x) => x.id === text(v, name));
      if (!p) throw new UsageError(`Unknown provider "${v}": use one of ${PROVIDERS.map((x) => x.id).join(', ')}.`);
      return p.id;
    },
    { complete: PROVIDERS.map((p) => p.id) },
  ),
  instance: value('ID', 'instance id (AWS), VM name (GCP, Azure), droplet id, Hetzner server', target('instance')),
  region: value('R', 'the AWS region to look in', target('region')),
  zone: value('Z', 'the Google Cloud zone to look in', target('zone')),
  project: value('P', 'the Google Cloud project to look in', target('project')),
  resourceGroup: value('RG', 'the Azure resource group to look in', target('resourceGroup')),
  myIp: value('ADDR', 'your public address (type it; ssh-doctor never asks the internet)', (v, name) => {
    if (!parseAddress(text(v, name))) throw new UsageError(`${name} takes an IPv4 or IPv6 address, not "${v}".`);
    return v;
  }),
  user: value('NAME', 'the account to check on the server (default: your user name)', (v, name) => {
    const problem = kitUserProblem(text(v, name));
    if (problem) throw new UsageError(`${problem}.`);
    return v;
  }),
  port: value('N', 'the SSH port (default 22)', (v, name) => parsePort(text(v, name), name)),
  kit: optionalValue(
    'FILE',
    'print the console kit and save it (default ~/ssh-doctor-kit.sh; the wizard saves there too)',
    text,
    { complete: 'file' },
  ),
  decode: value(
    'FILE|-',
    'read the block the kit printed; show findings and repair commands',
    (v, name) => (v === '-' ? v : text(v, name)),
    { complete: 'file' },
  ),
  json: flag('one JSON report on stdout, no questions'),
  redact: flag(
    'print the report with user names, host names, addresses, key fingerprints and home paths replaced by placeholders, to share it (no wizard)',
  ),
  yes: flag('apply the proposed cloud fixes without asking (each is printed)'),
  help: flag('this text'),
};

export interface LockedOutOptions {
  provider?: ProviderId;
  instance?: string;
  region?: string;
  zone?: string;
  project?: string;
  resourceGroup?: string;
  myIp?: string;
  user: string;
  port: number;
  /** --kit [FILE]: print the console kit and save it there. */
  kit?: string;
  /** --decode FILE, or "-" for stdin. */
  decode?: string;
  json: boolean;
  redact: boolean;
  yes: boolean;
  help: boolean;
}

/** Where the kit and the rescue key go: the user's home, as the environment names it. */
export const homeOf = (env: Io['env']): string => env.HOME || homedir();

export function parseLockedOutArgs(argv: readonly string[], env: Io['env']): LockedOutOptions {
  const o = parseOptions('locked-out', options, argv).options;
  const user = o.user ?? (env.SUDO_USER || env.USER || 'root');
  // The user goes into the console kit: one taken from SUDO_USER or USER is checked by the kit's
  // own rule too, so a bad name is one sentence before anything starts.
  const userProblem = o.user === undefined && !o.help ? kitUserProblem(user) : undefined;
  if (userProblem) throw new UsageError(`${userProblem} (give one with --user NAME).`);
  return {
    ...o,
    user,
    port: o.port ?? 22,
    kit: o.kit === true ? join(homeOf(env), 'ssh-doctor-kit.sh') : o.kit,
  };
}

export const lockedOut: Mode<LockedOutOptions> = {
  name: 'locked-out',
  summary: 'no SSH at all: the way back in, per provider',
  usage: '[options]',
  about: `No SSH at all: the ways in that bypass SSH for where the host lives, read-only checks with the
provider's CLI when it is installed and logged in, and a console kit to paste into the console.`,
  options,
  parse: (argv, io) => parseLockedOutArgs(argv, io.env),
  run: async (opts, io) => (await import('./run.js')).run(opts, io),
};
