// One entry point for the cloud checks: which CLI for which provider.
import type { ProviderId } from '../providers.js';
import { checkAws } from './aws.js';
import { checkAzure } from './azure.js';
import { defaultExec } from './cli.js';
import { checkDigitalOcean } from './digitalocean.js';
import { checkGcp } from './gcp.js';
import { checkHetzner } from './hetzner.js';
import type { CloudCheck, CloudTarget, Exec } from './types.js';

const CHECKS: Partial<Record<ProviderId, (t: CloudTarget, exec: Exec) => Promise<CloudCheck>>> = {
  aws: checkAws,
  gcp: checkGcp,
  azure: checkAzure,
  digitalocean: checkDigitalOcean,
  hetzner: checkHetzner,
};

export function hasCloudCheck(provider: ProviderId): boolean {
  return provider in CHECKS;
}

export function checkCloud(t: CloudTarget, exec: Exec = defaultExec): Promise<CloudCheck> {
  const check = CHECKS[t.provider];
  if (!check) throw new Error(`no cloud check for ${t.provider}`);
  return check(t, exec);
}
