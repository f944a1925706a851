// ssh-doctor(1) is generated from the option declarations and the id registries: every mode,
// every option --help shows and every public id is on the page, and groff reads it cleanly.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_FIXES } from '../../src/client/actors.js';
import { CLIENT_FINDINGS, CLIENT_VERDICTS } from '../../src/client/findings.js';
import { manPage } from '../../src/commands/manpage.js';
import { allModes } from '../../src/commands/modes.js';
import { optionName } from '../../src/commands/options.js';
import { SERVER_FINDINGS } from '../../src/server/findings.js';
import { SERVER_FIXES } from '../../src/server/fixes/propose.js';
import { SERVER_OK } from '../../src/server/server-report.js';

const page = await manPage('9.9.9');
/** What roff writes for text: dashes are minus signs. */
const r = (s: string) => s.replaceAll('-', '\\-');

describe('ssh-doctor(1)', () => {
  it('is section 1 of this version', () => {
    expect(page).toMatch(/^\.TH SSH\\-DOCTOR 1 "" "ssh\\-doctor 9\.9\.9" "User Commands"$/m);
  });

  it('has every mode and every option --help shows (and not the hidden one)', async () => {
    for (const m of await allModes()) {
      if (m.name) expect(page).toContain(`.SS ssh\\-doctor ${r(m.name)}\n`);
      for (const [k, o] of Object.entries(m.options))
        if (o.hidden) expect(page).not.toContain(r(optionName(k)));
        else expect(page).toContain(`\\fB${r(optionName(k))}\\fR`);
    }
  });

  it('lists every verdict, finding and fix id from the registries', () => {
    const ids = [
      ...Object.keys(CLIENT_VERDICTS),
      ...Object.keys(CLIENT_FINDINGS),
      ...Object.keys(CLIENT_FIXES),
      SERVER_OK.id,
      ...Object.keys(SERVER_FINDINGS),
      ...Object.values(SERVER_FIXES).flatMap((e) => (e ? [e.fixId] : [])),
    ];
    expect(ids.length).toBeGreaterThan(50);
    expect(ids.filter((id) => !page.includes(`.B ${r(id)}\n`))).toEqual([]);
  });

  it('has the sections a man page is expected to have', () => {
    const sections = [...page.matchAll(/^\.SH (.+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual([
      'NAME',
      'SYNOPSIS',
      'DESCRIPTION',
      'MODES',
      'VERDICTS',
      'FINDINGS',
      'FIXES',
      'EXIT STATUS',
      'ENVIRONMENT',
      'FILES',
      'EXAMPLES',
      'SEE ALSO',
    ]);
  });

  it.runIf(existsSync('/usr/bin/groff'))('groff reads it without a warning', async () => {
    const out = await execa('groff', ['-man', '-Tutf8', '-ww', '-z'], { input: page });
    expect(out.stderr).toBe('');
  });
});
