// What the wizard asks before a provider's CLI can check the instance, and the rule each answer
// must pass. The rules are the command line's (args.ts): typing a value is no way around them.
import { parseAddress } from './cloud/cidr.js';
import type { ProviderId } from './providers.js';
import { targetValueProblem, type TargetKey } from './target-values.js';

export type TargetFieldKey = TargetKey | 'myIp';

export interface TargetField {
  readonly key: TargetFieldKey;
  readonly label: string;
  /** Empty means "the CLI's default"; an empty required answer skips the check instead. */
  readonly optional?: boolean;
}

const PROVIDER_FIELDS: Partial<Record<ProviderId, readonly TargetField[]>> = {
  aws: [
    { key: 'instance', label: 'Instance id (i-…)' },
    { key: 'region', label: 'Region (empty: the CLI default)', optional: true },
  ],
  gcp: [
    { key: 'instance', label: 'VM name' },
    { key: 'zone', label: 'Zone (empty: the gcloud default)', optional: true },
    { key: 'project', label: 'Project (empty: the gcloud default)', optional: true },
  ],
  azure: [
    { key: 'resourceGroup', label: 'Resource group' },
    { key: 'instance', label: 'VM name' },
  ],
  digitalocean: [{ key: 'instance', label: 'Droplet id' }],
  hetzner: [{ key: 'instance', label: 'Server name or id' }],
};

/** The provider's own questions, then the user's address (the firewall check needs it). */
export function targetFields(provider: ProviderId): readonly TargetField[] {
  return [
    ...(PROVIDER_FIELDS[provider] ?? []),
    { key: 'myIp', label: 'Your public IP address (as your browser or router shows it)' },
  ];
}

/** One sentence saying what is wrong with a non-empty answer, or undefined when it is fine. */
export function targetFieldProblem(key: TargetFieldKey, value: string): string | undefined {
  if (key === 'myIp') return parseAddress(value) ? undefined : `"${value}" is not an IPv4 or IPv6 address.`;
  return targetValueProblem(key, value);
}
