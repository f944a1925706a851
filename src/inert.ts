// Text from outside ssh-doctor (a server's identification, algorithm names and disconnect text,
// ssh's and sshd's log lines, file, user and group names, passwd fields, a pasted console-kit
// block) can hold terminal control sequences: clear the screen, set the window title, write the
// clipboard (OSC 52), or CR + erase-line to make a shown command differ from the real one.
// Every output renders such text through inert(): C0 (tab and newline too, since a value is one
// line), DEL and C1 become a visible \xNN; bidirectional overrides and isolates, which reorder
// what is shown, become \uNNNN. A literal backslash is left alone: it can only look like an
// escape, never act as one.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const HAS_CONTROL = new RegExp(CONTROL.source);

export function inert(s: string): string {
  return s.replace(CONTROL, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** True when inert() would change the text: such a value is never put into something to paste. */
export function hasControl(s: string): boolean {
  return HAS_CONTROL.test(s);
}

/**
 * JSON with every string (keys too) inert. JSON's own \u001b escapes are not enough: `jq -r`
 * and every JSON parser turn them back into ESC, and JSON.stringify leaves DEL and C1 raw.
 */
export function inertJson(value: unknown): string {
  return (
    JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (typeof v === 'string') return inert(v);
        if (v && typeof v === 'object' && !Array.isArray(v))
          return Object.fromEntries(Object.entries(v).map(([k, x]) => [inert(k), x]));
        return v;
      },
      2,
    ) + '\n'
  );
}
