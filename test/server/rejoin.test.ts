// When ssh-doctor may rejoin a key line wrapped over two lines: only when the pairing is certain.
// Keys are real ones made by the lab's ssh-keygen (test/fixtures/server/authorized_keys-mixed.txt).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rejoinWrapped } from '../../src/server/authorized-keys.js';

const MIXED = readFileSync(new URL('../fixtures/server/authorized_keys-mixed.txt', import.meta.url), 'utf8');
const lines = MIXED.split('\n');
const ED = lines[1]!;
const RSA_OPTS = lines[5]!;
const RSA = RSA_OPTS.slice(RSA_OPTS.indexOf('ssh-rsa '));
const ECDSA_FROM = lines[3]!;
/** `line` broken after `at` characters, as an editor wrapping a paste would. */
const wrap = (line: string, at: number): [string, string] => [line.slice(0, at), line.slice(at)];
const file = (...l: string[]) => `${l.join('\n')}\n`;

describe('rejoinWrapped: a fix only when the two lines are certainly one key', () => {
  const certain: [string, string, number, string][] = [
    ['ed25519 wrapped inside its key data', file(...wrap(ED, 40)), 1, ED],
    ['rsa wrapped inside its key data, after a valid key', file(ED, ...wrap(RSA, 200)), 2, RSA],
    ['rsa with options (restrict,command="…") wrapped', file(...wrap(RSA_OPTS, 300), ED), 1, RSA_OPTS],
    [
      'from="…" ecdsa wrapped, a comment and a blank line around it',
      file('# mine', ...wrap(ECDSA_FROM, 90), '', ED),
      2,
      ECDSA_FROM,
    ],
    ['trailing blanks at the break are dropped', file(`${wrap(ED, 40)[0]}  `, `  ${wrap(ED, 40)[1]}`), 1, ED],
  ];
  it.each(certain)('%s', (_, text, line, joined) => {
    const r = rejoinWrapped(text);
    expect(r).toMatchObject({ line, joined });
    expect(r!.text).toBe(text.replace(`${r!.first}\n${r!.second}`, joined));
    expect(rejoinWrapped(r!.text)).toBeUndefined();
  });

  const ambiguous: [string, string][] = [
    ['nothing broken', file(ED, RSA)],
    ['two keys each wrapped', file(...wrap(ED, 40), ...wrap(RSA, 200))],
    ['a key over three lines', file(ED.slice(0, 30), ED.slice(30, 60), ED.slice(60))],
    ['a wrapped key and an unrelated broken line', file(...wrap(ED, 40), `bogus-option ${ED}`)],
    ['two broken lines that do not make a key together', file(wrap(ED, 40)[0], wrap(RSA, 200)[1])],
    ['the two halves not next to each other', file(wrap(ED, 40)[0], '# between', wrap(ED, 40)[1])],
    [
      'the second half alone is not broken: a key, then its comment on the next line',
      file(ED.slice(0, ED.lastIndexOf(' ')), 'alice@laptop'),
    ],
    ['broken at a space: joined without it, the line is still no key', file(...wrap(ED, ED.indexOf(' ')))],
    ['CRLF line ends', file(...wrap(ED, 40)).replace(/\n/g, '\r\n')],
  ];
  it.each(ambiguous)('no fix: %s', (_, text) => expect(rejoinWrapped(text)).toBeUndefined());
});
