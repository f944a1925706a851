// Instance ids, regions, zones, projects and resource groups end up in aws/gcloud/az/doctl/hcloud
// argv. The command line (commands/locked-out/command.ts) and the wizard's form check them with
// this one rule, so neither lets through a value a CLI would read as an option.
export type TargetKey = 'instance' | 'region' | 'zone' | 'project' | 'resourceGroup';

const NAMES: Record<TargetKey, string> = {
  instance: 'instance id or name',
  region: 'region',
  zone: 'zone',
  project: 'project',
  resourceGroup: 'resource group',
};

/** One sentence saying what is wrong with the value, or undefined when it is fine. */
export function targetValueProblem(key: TargetKey, value: string): string | undefined {
  if (value.startsWith('-')) return `"${value}" is not a valid ${NAMES[key]}: it may not start with "-".`;
  // Instance ids may be ARNs or paths (":" and "/"); the other names never are.
  const re = key === 'instance' ? /^[\w.:/-]+$/ : /^[\w.-]+$/;
  return re.test(value) ? undefined : `"${value}" is not a valid ${NAMES[key]}.`;
}
