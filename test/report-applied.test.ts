// The report's `applied` list, built one way for every mode from the flows' fix outcomes.
import { describe, expect, it } from 'vitest';
import { appliedField, appliedFixes, type FixOutcome } from '../src/report.js';

const o = (status: FixOutcome['status'], extra: Partial<FixOutcome> = {}): FixOutcome => ({
  fixId: 'chmod-ssh-dir',
  status,
  log: ['$ chmod 0700 /home/alice/.ssh'],
  ...extra,
});

describe('appliedFixes', () => {
  it.each([
    ['applied', o('applied'), [{ fixId: 'chmod-ssh-dir', ok: true, log: ['$ chmod 0700 /home/alice/.ssh'] }]],
    ['failed', o('failed'), [{ fixId: 'chmod-ssh-dir', ok: false, log: ['$ chmod 0700 /home/alice/.ssh'] }]],
    [
      'not-resolved names the finding still there',
      o('not-resolved', { findingId: 'ssh-dir-permissions' }),
      [
        {
          fixId: 'chmod-ssh-dir',
          ok: false,
          log: ['$ chmod 0700 /home/alice/.ssh', 'ssh-dir-permissions is still there after the fix'],
        },
      ],
    ],
    ['declined did not run', o('declined'), []],
    ['dry-run did not run', o('dry-run'), []],
  ])('%s', (_, outcome, want) => {
    expect(appliedFixes([outcome])).toEqual(want);
  });

  it('keeps the order fixes ran in and leaves out `verified` and `findingId` (the JSON shape is fixed)', () => {
    const got = appliedFixes([
      o('applied', { fixId: 'a', verified: 'now 0600', findingId: 'x' }),
      o('declined', { fixId: 'b' }),
      o('failed', { fixId: 'c' }),
    ]);
    expect(got.map((a) => Object.keys(a))).toEqual([
      ['fixId', 'ok', 'log'],
      ['fixId', 'ok', 'log'],
    ]);
    expect(got.map((a) => [a.fixId, a.ok])).toEqual([
      ['a', true],
      ['c', false],
    ]);
  });
});

describe('appliedField', () => {
  it('has no `applied` key when nothing ran (no `applied: []` in JSON)', () => {
    expect(appliedField([])).toEqual({});
    expect('applied' in appliedField([o('declined'), o('dry-run')])).toBe(false);
  });
  it('holds the fixes that ran', () => {
    expect(appliedField([o('applied')]).applied?.map((a) => a.fixId)).toEqual(['chmod-ssh-dir']);
  });
});
