// The kit as one self-checking line (gzip+base64 with its cksum), run by a console's shell: it
// prints the block the plain kit prints, and a line changed in copying runs nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackBlock } from '../../src/locked-out/kit/decode.js';
import { CANON_LINE_MAX, ONE_LINER_DAMAGED } from '../../src/locked-out/kit/one-liner.js';
import { KIT_BEGIN, kitScript } from '../../src/locked-out/kit/script.js';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';

const PORT = 2234;

describe.runIf(requireLab())('the kit as one line', () => {
  let lab: Lab;
  let stderr = '';
  let oneLiner = '';
  let plain = '';
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh(SERVER_SETUP(PORT));
    const r = await lab.cli(['locked-out', '--kit', '/root/kit.sh', '--user', 'alice', '--port', String(PORT)]);
    expect(r.exitCode).toBe(0);
    stderr = r.stderr;
    oneLiner = `${stderr.slice(stderr.indexOf('K=$(')).trim()}\n`;
    plain = unpackBlock((await lab.exec(['dash'], { input: kitScript('alice', PORT) })).stdout).raw;
  }, 60_000);
  afterAll(() => lab?.close());

  it('is offered by locked-out --kit with the cksum it checks, every line under a canonical-mode line', async () => {
    // The same sum the saved kit checks its own checks against before running them.
    const sum = /= "(\d+ \d+)" \]/.exec((await lab.sh('cat /root/kit.sh')).stdout)?.[1];
    expect(sum).toBeDefined();
    expect(stderr).toContain(`Or paste this one line instead (it runs the kit only if its cksum is ${sum}):`);
    expect(oneLiner).toMatch(/^K=\$\(echo [A-Za-z0-9+/=]+\|base64 -d\|gunzip\);if .*;fi\n$/);
    for (const l of stderr.split('\n')) expect(Buffer.byteLength(l)).toBeLessThan(CANON_LINE_MAX);
  });

  for (const shell of [['dash'], ['busybox', 'sh'], ['dash', '-i'], ['busybox', 'sh', '-i']])
    it(`run by ${shell.join(' ')}, it prints the block the plain kit prints`, async () => {
      const r = await lab.exec(shell, { input: `${oneLiner}exit\n` });
      expect(r.stdout + r.stderr).not.toContain(ONE_LINER_DAMAGED);
      expect(unpackBlock(r.stdout + r.stderr).raw).toBe(plain);
    });

  it('broken at 80 columns in copying, it runs nothing and says so', async () => {
    const broken = oneLiner.replace(/(.{80})/g, '$1\n');
    for (const shell of [['dash'], ['busybox', 'sh']]) {
      const r = await lab.exec(shell, { input: broken });
      expect(r.stdout).not.toContain(KIT_BEGIN);
      // Either the check fails and says so (the breaks land inside the message too), or a break
      // falls in the check itself and the shell refuses the line: nothing runs either way.
      expect(`${r.stdout.replace(/\n/g, '')}\n${r.stderr}`).toMatch(
        new RegExp(`${ONE_LINER_DAMAGED.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|[Ss]yntax error`),
      );
    }
  });
});
