// The Ink pieces every wizard uses: text from outside reaches the terminal only inert.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/report.js';
import { Choice } from '../../src/ui/shared/Choice.js';
import { FindingView, findingParts } from '../../src/ui/shared/FindingView.js';
import { fixParts } from '../../src/ui/shared/FixPreview.js';
import { ProbeLine } from '../../src/ui/shared/ProbeList.js';
import { partsText } from '../../src/ui/shared/print.js';

const HOSTILE = '\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b]2;pwned\x07\r\x1b[Kfake\x9b31m\x7f\u202e';
const SHOWN = '\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x1b]2;pwned\\x07\\x0d\\x1b[Kfake\\x9b31m\\x7f\\u202e';

/** The frame without Ink's own colour codes: what is left must hold no control character. */
function expectInertFrame(frame: string | undefined) {
  // eslint-disable-next-line no-control-regex
  const text = frame!.replace(/\x1b\[[0-9;]*m/g, '');
  // eslint-disable-next-line no-control-regex
  expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
}

describe('Ink components and hostile text', () => {
  const finding: Finding = {
    id: 'authorized-keys-permissions',
    severity: 'error',
    summary: `authorized_keys of ${HOSTILE} is unsafe.`,
    evidence: [`/home/e${HOSTILE}/.ssh/authorized_keys: mode 0666`],
    next: [`see ${HOSTILE}`],
    fix: {
      id: 'fix',
      title: `chmod ${HOSTILE}`,
      commands: [['chmod', '0600', `/home/e${HOSTILE}/k`]],
      risk: HOSTILE,
      undo: [['chmod', '0666', `/home/e${HOSTILE}/k`]],
    },
  };

  it("a finding: summary, evidence (a user's file name) and next steps are shown escaped", () => {
    const { lastFrame } = render(<FindingView finding={finding} />);
    expectInertFrame(lastFrame());
    // Ink wraps at 100 columns: the start of the escaped path is enough to see it is there.
    expect(lastFrame()).toContain(`/home/e${SHOWN.slice(0, 20)}`);
  });

  it('a finding as printed: its next steps, plain lines, are escaped too', () => {
    const text = partsText(findingParts(finding), 100);
    expectInertFrame(text);
    expect(text).toContain(`  → see ${SHOWN}`);
  });

  it('a fix preview: the command is marked not for pasting, title and risk escaped', () => {
    const text = partsText(fixParts(finding.fix!, 100), 100);
    expectInertFrame(text);
    expect(text).toMatch(/^# not for pasting/m);
  });

  it('probe details and menu labels', () => {
    const probes = render(<ProbeLine probe={{ id: 'handshake', status: 'unknown', durationMs: 3, detail: HOSTILE }} />);
    expectInertFrame(probes.lastFrame());
    expect(probes.lastFrame()).toContain('\\x1b]52;c;');
    const menu = render(<Choice items={[{ label: `Fix: ${HOSTILE}`, value: 'x' }]} onSelect={() => {}} />);
    expectInertFrame(menu.lastFrame());
  });
});
