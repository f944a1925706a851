import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseLockedOutArgs } from '../../src/commands/locked-out/command.js';
import { targetValueProblem } from '../../src/locked-out/target-values.js';

const env = { USER: 'alice', HOME: '/home/alice' };

describe('locked-out arguments', () => {
  it.each([
    [['--user', 'alice@corp'], {}, '"alice@corp" is not a user name the console kit can check.'],
    [['--user=alice;reboot'], {}, '"alice;reboot" is not a user name the console kit can check.'],
    // From SUDO_USER (a directory account): the sentence says how to give a usable one.
    [
      [],
      { SUDO_USER: 'alice@corp' },
      '"alice@corp" is not a user name the console kit can check (give one with --user NAME).',
    ],
    [['--port', '0'], {}, '--port must be a number from 1 to 65535, not "0".'],
    [['--kit', 'kit\u0001.sh'], {}, 'The value of --kit contains a control character.'],
    [['--provider', 'gcp', '--zone=-x'], {}, 'The value of --zone may not start with "-": "-x".'],
    [['--provider', 'azure', '--resource-group', 'rg;x'], {}, '"rg;x" is not a valid resource group.'],
  ])('%j is one sentence', (argv, extra, message) => {
    let err: unknown;
    try {
      parseLockedOutArgs(argv, { ...env, ...extra });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(message);
  });

  it('takes a user the kit can carry, and --help needs none', () => {
    expect(parseLockedOutArgs(['--user', 'deploy.bot', '--kit', 'k.sh'], env)).toMatchObject({
      user: 'deploy.bot',
      kit: 'k.sh',
    });
    expect(parseLockedOutArgs(['--help'], { USER: 'alice@corp' }).help).toBe(true);
  });
});

describe('instance, region, zone, project and resource group values (command line and wizard)', () => {
  it.each([
    [
      'instance',
      '-oProxyCommand=x',
      '"-oProxyCommand=x" is not a valid instance id or name: it may not start with "-".',
    ],
    [
      'zone',
      '--impersonate-service-account=x',
      '"--impersonate-service-account=x" is not a valid zone: it may not start with "-".',
    ],
    ['project', '-p', '"-p" is not a valid project: it may not start with "-".'],
    ['resourceGroup', '-g', '"-g" is not a valid resource group: it may not start with "-".'],
    ['region', 'us east', '"us east" is not a valid region.'],
    ['instance', 'arn:aws:ec2:eu-west-1:1:instance/i-1', undefined],
    ['zone', 'europe-west1-b', undefined],
  ] as const)('%s %j', (key, value, problem) => {
    expect(targetValueProblem(key, value)).toBe(problem);
  });
});
