// The README is the public list of verdict, finding and fix ids: every id the code can emit is there.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_VERDICTS } from '../src/client/findings.js';
import { SERVER_FINDING_IDS } from '../src/server/findings.js';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const documented = (id: string) => readme.includes(`\`${id}\``);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(root, dir, e.name)] : [],
  );
}
const literals = (dirs: string[], re: RegExp) => [...new Set(dirs.flatMap(sourceFiles).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(re)].map((m) => m[1]!)))];

describe('README lists every public id', () => {
  it('client verdicts and findings', () => {
    const ids = [...CLIENT_VERDICTS, ...literals(['src/client'], /\bid: '([a-z-]+)'/g)];
    expect(ids.filter((id) => !documented(id))).toEqual([]);
  });

  it('server findings and fix ids', () => {
    const fixes = literals(['src/server/fixes'], /\bid: '([a-z-]+)'/g);
    expect(fixes.length).toBeGreaterThan(5);
    expect([...SERVER_FINDING_IDS, ...fixes].filter((id) => !documented(id))).toEqual([]);
  });

  it('locked-out findings and fixes', () => {
    const ids = literals(['src/locked-out', 'flows'], /'((?:cloud|prevent)-[a-z-]+|console-route|create-backup-key)'/g);
    expect(ids.length).toBeGreaterThan(8);
    expect(ids.filter((id) => !documented(id))).toEqual([]);
  });
});
