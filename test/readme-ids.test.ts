// The README is the public list of ids. Each client and server id lives in a registry: the README
// documents every registry id, the README's id tables name nothing outside them, and no id literal
// in the code bypasses them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_FIXES } from '../src/client/actors.js';
import { CLIENT_FINDINGS, CLIENT_VERDICTS } from '../src/client/findings.js';
import { CLIENT_PROBES } from '../src/client/probe-details.js';
import { SERVER_FINDINGS } from '../src/server/findings.js';
import { SERVER_FIXES } from '../src/server/fixes/propose.js';
import { SERVER_OK } from '../src/server/server-report.js';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const documented = (id: string) => readme.includes(`\`${id}\``);

const registered = {
  client: [
    ...Object.keys(CLIENT_VERDICTS),
    ...Object.keys(CLIENT_FINDINGS),
    ...Object.keys(CLIENT_FIXES),
    ...Object.values(CLIENT_PROBES).map((p) => p.id),
  ],
  server: [
    SERVER_OK.id,
    ...Object.keys(SERVER_FINDINGS),
    ...Object.values(SERVER_FIXES).flatMap((e) => (e ? [e.fixId, ...('alternatives' in e ? e.alternatives : [])] : [])),
  ],
};

/** The ids in the first column of the README's tables between two headings. */
function tableIds(from: string, to: string): string[] {
  const section = readme.slice(readme.indexOf(from), readme.indexOf(to));
  return section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('|--'))
    .flatMap((l) => [...l.split('|')[1]!.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(root, dir, e.name)] : [],
  );
}
const idLiterals = (dir: string) => [
  ...new Set(
    sourceFiles(dir).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bid: '([a-z0-9-]+)'/g)].map((m) => m[1]!)),
  ),
];

describe('README lists every public id', () => {
  it('client: probes, verdicts, findings and fixes', () => {
    expect(registered.client.filter((id) => !documented(id))).toEqual([]);
    expect(tableIds('### Client', '### Server').filter((id) => !registered.client.includes(id))).toEqual([]);
    expect(idLiterals('src/client').filter((id) => !registered.client.includes(id))).toEqual([]);
  });

  it('server: verdict, findings and fixes', () => {
    expect(registered.server.filter((id) => !documented(id))).toEqual([]);
    expect(tableIds('### Server', '### Undo').filter((id) => !registered.server.includes(id))).toEqual([]);
    expect(idLiterals('src/server').filter((id) => !registered.server.includes(id))).toEqual([]);
  });

  it('locked-out findings and fixes', () => {
    const ids = [
      ...new Set(
        ['src/locked-out', 'flows']
          .flatMap(sourceFiles)
          .flatMap((f) =>
            [...readFileSync(f, 'utf8').matchAll(/'((?:cloud|prevent)-[a-z-]+|console-route|create-backup-key)'/g)].map(
              (m) => m[1]!,
            ),
          ),
      ),
    ];
    expect(ids.length).toBeGreaterThan(8);
    expect(ids.filter((id) => !documented(id))).toEqual([]);
  });
});
