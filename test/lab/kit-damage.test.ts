// A kit block copied from a screen (hard line breaks at the width, box borders, indentation) is
// refused in one sentence, never read into a verdict; a block from an older kit (no checksum)
// still decodes, with a warning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIT_BEGIN, KIT_END, kitBody, kitScript, selfCheckingKit } from '../../src/locked-out/kit/script.js';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';

const PORT = 2233;
const IDS = ['sshd-listen-address'];

/** The block as a person copies it off a screen `cols` wide: lines broken at the width, optionally inside a box. */
function copiedFromScreen(block: string, cols: number, boxed: boolean): string {
  const width = boxed ? cols - 4 : cols;
  return block
    .trimEnd()
    .split('\n')
    .flatMap((l) =>
      (l.match(new RegExp(`.{1,${width}}`, 'g')) ?? ['']).map((c) => (boxed ? `│ ${c.padEnd(width)} │` : c)),
    )
    .join('\n');
}

const blockOf = (out: string) => out.slice(out.indexOf(KIT_BEGIN), out.indexOf(KIT_END) + KIT_END.length) + '\n';

describe.runIf(requireLab())('a damaged kit block', () => {
  let lab: Lab;
  const blocks: Record<string, string> = {};
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(PORT));
    for (const [name, shell, script] of [
      ['dash z', ['dash'], kitScript('alice', PORT)],
      ['busybox z', ['busybox', 'sh'], kitScript('alice', PORT)],
      [
        'dash t',
        ['dash'],
        selfCheckingKit(kitBody('alice', PORT).replace('if h gzip&&h base64', 'if false'), 'without gzip'),
      ],
    ] as const) {
      const r = await lab.exec([...shell], { input: script });
      blocks[name] = blockOf(r.stdout);
    }
  }, 90_000);
  afterAll(() => lab?.close());

  const decode = (text: string) => lab.cli(['locked-out', '--decode', '-', '--json'], { input: text });

  it.each(['dash z', 'busybox z', 'dash t'])(
    '%s: the block ends with its cksum and decodes without a warning',
    async (name) => {
      const block = blocks[name]!;
      expect(block).toMatch(new RegExp(`\n:::sum \\d+ \\d+\n${KIT_END}\n$`));
      const r = await decode(block);
      expect(r.stderr).toBe('');
      // 1: the lab's sshd-listen-address is a warning.
      expect(r.exitCode).toBe(1);
      expect(JSON.parse(r.stdout).findings.map((f: { id: string }) => f.id)).toEqual(IDS);
    },
  );

  const refused = async (text: string, why: RegExp) => {
    const r = await decode(text);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/The block was changed in copying: /);
    expect(lines[0]).toMatch(why);
  };

  it('copied out of a box on an 80-column screen: refused, naming the border', async () => {
    for (const name of ['dash z', 'busybox z', 'dash t'])
      await refused(
        copiedFromScreen(blocks[name]!, 80, true),
        /line 2 of the block holds characters the kit never prints \("│"\)/,
      );
  });

  it('base64 broken at a narrower width: refused, naming the short line', async () => {
    await refused(
      copiedFromScreen(blocks['dash z']!, 72, false),
      /line 4 of the block is shorter than the others \(4 characters, not 72\)/,
    );
  });

  it('indented by the screen: refused', async () => {
    await refused(
      blocks['dash z']!.replace(/\n(?=[A-Za-z0-9+/]{8})/g, '\n  '),
      /line 3 of the block holds characters base64 never prints \(" "\)/,
    );
  });

  it('plain text broken at 80 columns: refused, the length does not match', async () => {
    expect(Math.max(...blocks['dash t']!.split('\n').map((l) => l.length))).toBeGreaterThan(80);
    await refused(copiedFromScreen(blocks['dash t']!, 80, false), /it holds \d+ bytes where the kit printed \d+/);
  });

  it('one character changed: refused by the checksum', async () => {
    const block = blocks['dash t']!;
    const at = block.indexOf(':::u alice') + 4;
    await refused(block.slice(0, at) + 'b' + block.slice(at + 1), /its checksum does not match/);
  });

  it('a block from an older kit (no checksum line) decodes to the same findings, with a warning', async () => {
    for (const name of ['dash z', 'dash t']) {
      const r = await decode(blocks[name]!.replace(/\n:::sum .*\n/, '\n'));
      expect(r.exitCode).toBe(1);
      expect(JSON.parse(r.stdout).findings.map((f: { id: string }) => f.id)).toEqual(IDS);
      expect(r.stderr.trim()).toMatch(/^Warning: This block carries no checksum \(a kit from an older ssh-doctor/);
    }
  });
});
