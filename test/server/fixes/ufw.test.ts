// ufw: the blocking rule's number from `ufw status numbered` (real captured output), and the fix
// that puts an allow before it, with an undo that restores the rule list exactly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowRule, ufwPlan } from '../../../src/server/fixes/firewall.js';
import { parseUfwNumbered, ufwLayer } from '../../../src/server/probes/firewall/ufw.js';

const fx = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/server', name), 'utf8');
const numbered = (name: string) => parseUfwNumbered(fx(`ufw-numbered-${name}.txt`));
/** The layer as the probe builds it: verdict from `status verbose`, numbers from `status numbered`. */
const layer = (verbose: string, port: number, name: string) => ufwLayer(verbose, port, numbered(name));
const verbose = (rules: string) =>
  `Status: active\nLogging: on (low)\nDefault: deny (incoming), allow (outgoing), disabled (routed)\nNew profiles: skip\n\nTo                         Action      From\n--                         ------      ----\n${rules}\n`;

describe('parseUfwNumbered', () => {
  it('numbers IPv4 rules first, then their (v6) twins', () => {
    expect(numbered('deny-first').map((r) => [r.n, r.to, r.action, r.from, r.v6])).toEqual([
      [1, '2201/tcp', 'DENY IN', 'Anywhere', false],
      [2, '2201', 'ALLOW IN', 'Anywhere', false],
      [3, '22/tcp', 'ALLOW IN', '10.0.0.0/8', false],
      [4, '2201/tcp (v6)', 'DENY IN', 'Anywhere (v6)', true],
      [5, '2201 (v6)', 'ALLOW IN', 'Anywhere (v6)', true],
    ]);
  });

  it('keeps log, comment and (out) apart from the source, and the text verbose prints', () => {
    const rs = numbered('log-comment');
    expect(rs.map((r) => [r.n, r.to, r.action, r.from, r.extra])).toEqual([
      [1, '2201/tcp', 'DENY IN', 'Anywhere', '(log)'],
      [2, '23/tcp', 'DENY IN', 'Anywhere', '# old box'],
      [3, '53', 'ALLOW OUT', 'Anywhere', '(out)'],
      [4, '2201/tcp (v6)', 'DENY IN', 'Anywhere (v6)', '(log)'],
      [5, '23/tcp (v6)', 'DENY IN', 'Anywhere (v6)', '# old box'],
      [6, '53 (v6)', 'ALLOW OUT', 'Anywhere (v6)', '(out)'],
    ]);
    expect(rs[0]!.text).toBe('2201/tcp                   DENY IN     Anywhere                   (log)');
  });

  it('the probe attaches the numbers only when ufw blocks', () => {
    expect(layer(fx('ufw-deny-first.txt'), 2201, 'deny-first').ufwRules).toHaveLength(5);
    const allowed = ufwLayer(verbose('2201/tcp                   ALLOW IN    Anywhere'), 2201, numbered('deny-first'));
    expect(allowed.state).toBe('accepts');
    expect(allowed.ufwRules).toBeUndefined();
  });
});

describe('ufw fix: the allow lands before the blocking rule', () => {
  it('`deny 2201/tcp` (the same spec as the allow): delete it, insert the allow at its number; undo re-inserts the deny there', () => {
    const p = allowRule(layer(fx('ufw-deny-first.txt'), 2201, 'deny-first'), 2201)!;
    expect(p.commands).toEqual([
      ['ufw', 'delete', 'deny', '2201/tcp'],
      ['ufw', 'insert', '1', 'allow', '2201/tcp'],
    ]);
    expect(p.undo).toEqual([
      ['ufw', 'delete', 'allow', '2201/tcp'],
      ['ufw', 'insert', '1', 'deny', '2201/tcp'],
    ]);
    expect(p.where).toBe('ufw, replacing rule 1 (2201/tcp DENY IN Anywhere); undo puts it back');
  });

  it('a DENY with another spec: `ufw insert N allow`, never a plain append', () => {
    // Blocking rule "2201 DENY IN" (both protocols) is rule 2; the later identical allow is rule 3.
    const l = layer(
      verbose(
        '80/tcp                     ALLOW IN    Anywhere\n2201                       DENY IN     Anywhere\n2201/tcp                   ALLOW IN    Anywhere\n80/tcp (v6)                ALLOW IN    Anywhere (v6)\n2201 (v6)                  DENY IN     Anywhere (v6)\n2201/tcp (v6)              ALLOW IN    Anywhere (v6)',
      ),
      2201,
      'later-allow',
    );
    expect(l).toMatchObject({ state: 'blocks', rule: '2201                       DENY IN     Anywhere' });
    const p = allowRule(l, 2201)!;
    // ufw skips inserting a spec it already has, so rule 3 is moved to 2, and moved back on undo.
    expect(p.commands).toEqual([
      ['ufw', 'delete', 'allow', '2201/tcp'],
      ['ufw', 'insert', '2', 'allow', '2201/tcp'],
    ]);
    expect(p.undo).toEqual([
      ['ufw', 'delete', 'allow', '2201/tcp'],
      ['ufw', 'allow', '2201/tcp'],
    ]);
  });

  it('no rule with the same spec: one insert, one delete', () => {
    const p = allowRule(layer(fx('ufw-deny-first.txt'), 22, 'deny-first'), 22);
    // Port 22 is only allowed from 10.0.0.0/8, so the default policy decides: appending is right.
    expect(p).toEqual({
      commands: [['ufw', 'allow', '22/tcp']],
      undo: [['ufw', 'delete', 'allow', '22/tcp']],
      where: 'ufw, after its rules (the default policy blocks)',
    });
    const l = layer(
      verbose('2201                       DENY IN     Anywhere\n2201 (v6)                  DENY IN     Anywhere (v6)'),
      2201,
      'later-allow',
    );
    expect(ufwPlan({ ...l, ufwRules: l.ufwRules!.filter((r) => !r.to.startsWith('2201/tcp')) }, 2201).plan).toEqual({
      commands: [['ufw', 'insert', '2', 'allow', '2201/tcp']],
      undo: [['ufw', 'delete', 'allow', '2201/tcp']],
      where: 'ufw, before rule 2',
    });
  });

  it('the deny is the last rule: deleted and appended, so numbers past the end are never used', () => {
    const v4 = [
      {
        n: 1,
        to: '80/tcp',
        action: 'ALLOW IN',
        from: 'Anywhere',
        v6: false,
        extra: '',
        text: '80/tcp ALLOW IN Anywhere',
      },
      {
        n: 2,
        to: '22/tcp',
        action: 'REJECT IN',
        from: 'Anywhere',
        v6: false,
        extra: '',
        text: '22/tcp REJECT IN Anywhere',
      },
    ];
    const rules = [
      ...v4,
      ...v4.map((r, i) => ({
        ...r,
        n: 3 + i,
        to: `${r.to} (v6)`,
        from: 'Anywhere (v6)',
        v6: true,
        text: `${r.to} (v6) ${r.action} Anywhere (v6)`,
      })),
    ];
    const p = allowRule(
      { name: 'ufw', state: 'blocks', rule: '22/tcp                     REJECT IN   Anywhere', ufwRules: rules },
      22,
    )!;
    expect(p.commands).toEqual([
      ['ufw', 'delete', 'reject', '22/tcp'],
      ['ufw', 'allow', '22/tcp'],
    ]);
    expect(p.undo).toEqual([
      ['ufw', 'delete', 'allow', '22/tcp'],
      ['ufw', 'reject', '22/tcp'],
    ]);
  });

  it('refuses, in one sentence, what it cannot undo exactly', () => {
    const logged = ufwPlan(
      layer(verbose('2201/tcp                   DENY IN     Anywhere                   (log)'), 2201, 'log-comment'),
      2201,
    );
    expect(logged.plan).toBeUndefined();
    expect(logged.refused).toBe(
      'ufw rule 1 (2201/tcp DENY IN Anywhere (log)) has the same spec as the allow and carries a log or comment setting that its undo could not restore exactly; reorder the rules by hand.',
    );
    const noTwin = ufwPlan(layer(fx('ufw-deny-first.txt'), 2201, 'deny-first'), 2201);
    expect(noTwin.plan).toBeDefined();
    const rs = numbered('deny-first').filter((r) => r.n !== 4);
    expect(ufwPlan({ ...layer(fx('ufw-deny-first.txt'), 2201, 'deny-first'), ufwRules: rs }, 2201).refused).toMatch(
      /^ufw rule 1 \(2201\/tcp DENY IN Anywhere\) has the same spec as the allow but no \(v6\) twin, .*\.$/,
    );
    // Without `status numbered` (e.g. a non-root read), the number is unknown: no fix, not an append.
    expect(allowRule(ufwLayer(fx('ufw-deny-first.txt'), 2201), 2201)).toBeUndefined();
  });
});
