// `ssh-doctor locked-out` command line. Pure: no I/O (the home directory is only a default).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { assertClean, parsePort, UsageError } from '../errors.js';
import { parseAddress } from './cloud/cidr.js';
import { kitUserProblem } from './kit/script.js';
import { PROVIDERS, type ProviderId } from './providers.js';
import { targetValueProblem } from './target-values.js';

export interface LockedOutArgs {
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
  yes: boolean;
  help: boolean;
}

export const LOCKED_OUT_HELP = `Usage: ssh-doctor locked-out [options]

No SSH at all: the ways in that bypass SSH for where the host lives, read-only checks with the
provider's CLI when it is installed and logged in, and a console kit to paste into the console.

  --provider ID         ${PROVIDERS.map((p) => p.id).join(', ')}
  --instance ID         instance id (AWS), VM name (GCP, Azure), droplet id, Hetzner server
  --region R / --zone Z / --project P / --resource-group RG   where the CLI should look
  --my-ip ADDR          your public address (type it; ssh-doctor never asks the internet)
  --user NAME           the account to check on the server (default: your user name)
  --port N              the SSH port (default 22)
  --kit [FILE]          print the console kit and save it (default ~/ssh-doctor-kit.sh; the wizard saves there too)
  --decode FILE|-       read the block the kit printed; show findings and repair commands
  --json                one JSON report on stdout, no questions
  --yes                 apply the proposed cloud fixes without asking (each is printed)
`;

const WITH_VALUE: Record<string, keyof LockedOutArgs> = {
  '--provider': 'provider', '--instance': 'instance', '--region': 'region', '--zone': 'zone', '--project': 'project',
  '--resource-group': 'resourceGroup', '--my-ip': 'myIp', '--user': 'user', '--port': 'port', '--decode': 'decode',
};

export function parseLockedOutArgs(argv: readonly string[], env: Record<string, string | undefined>): LockedOutArgs {
  const out: LockedOutArgs = { user: env.SUDO_USER || env.USER || 'root', port: 22, json: false, yes: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = assertClean('An argument', argv[i]!);
    const [flag, inline] = raw.startsWith('--') && raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    if (flag === '--json') out.json = true;
    else if (flag === '--yes' || flag === '-y') out.yes = true;
    else if (flag === '--help' || flag === '-h') out.help = true;
    else if (flag === '--kit') {
      const next = inline ?? (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-') ? assertClean('The value of --kit', argv[++i]!) : undefined);
      out.kit = next ?? join(env.HOME || homedir(), 'ssh-doctor-kit.sh');
    } else if (flag in WITH_VALUE) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value.`);
      assertClean(`The value of ${flag}`, v);
      if (v.startsWith('-') && !(flag === '--decode' && v === '-')) throw new UsageError(`The value of ${flag} may not start with "-": "${v}".`);
      const key = WITH_VALUE[flag]!;
      if (key === 'port') out.port = parsePort(v);
      else (out as unknown as Record<string, string>)[key] = v;
    } else throw new UsageError(`Unknown option ${raw} for locked-out (see ssh-doctor locked-out --help).`);
  }
  if (out.provider && !PROVIDERS.some((p) => p.id === out.provider)) {
    throw new UsageError(`Unknown provider "${out.provider}": use one of ${PROVIDERS.map((p) => p.id).join(', ')}.`);
  }
  if (out.myIp !== undefined && !parseAddress(out.myIp)) throw new UsageError(`--my-ip takes an IPv4 or IPv6 address, not "${out.myIp}".`);
  for (const k of ['instance', 'region', 'zone', 'project', 'resourceGroup'] as const) {
    const problem = out[k] === undefined ? undefined : targetValueProblem(k, out[k]);
    if (problem) throw new UsageError(problem);
  }
  // The user (also from SUDO_USER or USER) goes into the console kit: checked by the kit's own
  // rule here, so a bad name is one sentence before anything starts. The port: parsePort above.
  const userProblem = kitUserProblem(out.user);
  if (userProblem && !out.help) throw new UsageError(`${userProblem}${argv.some((a) => a === '--user' || a.startsWith('--user=')) ? '' : ' (give one with --user NAME)'}.`);
  return out;
}
