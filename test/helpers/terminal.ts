// A terminal for running a mode in-process: streams that Ink can draw on and read keys from, of
// a given size, recording everything written. Typed as the Node streams Io holds; Ink uses only
// what is here.
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Io } from '../../src/commands/mode.js';

class Output extends EventEmitter {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (s: string | Uint8Array) => {
    this.text += typeof s === 'string' ? s : Buffer.from(s).toString();
    return true;
  };
}

/** Keys typed on the terminal, read the way Ink reads them ('readable', then read()). */
class Keyboard extends EventEmitter {
  readonly isTTY = true;
  private pending: string[] = [];
  type(keys: string) {
    this.pending.push(keys);
    this.emit('readable');
  }
  read = () => this.pending.shift() ?? null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export interface FakeIoOptions {
  /** What a pipe on stdin holds; without it and with `terminal`, stdin is a keyboard. */
  stdin?: string;
  /** A terminal of that size on stdin and stdout (columns × rows). */
  terminal?: readonly [number, number];
  env?: Record<string, string>;
}

export function fakeIo(opts: FakeIoOptions = {}) {
  const [columns, rows] = opts.terminal ?? [80, 24];
  const tty = opts.terminal !== undefined;
  const stdout = new Output(tty, columns, rows);
  const stderr = new Output(tty, columns, rows);
  const keyboard = new Keyboard();
  const io: Io = {
    stdin: (tty && opts.stdin === undefined
      ? keyboard
      : Readable.from(opts.stdin === undefined ? [] : [opts.stdin])) as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    isTTY: { stdin: tty, stdout: tty },
    env: { PATH: '', HOME: mkdtempSync(join(tmpdir(), 'modes-home-')), USER: 'alice', ...opts.env },
    self: ['/usr/bin/node', '/opt/ssh-doctor.mjs'],
    uid: process.getuid?.(),
  };
  return {
    io,
    keyboard,
    written: {
      get stdout() {
        return stdout.text;
      },
      get stderr() {
        return stderr.text;
      },
    },
  };
}
