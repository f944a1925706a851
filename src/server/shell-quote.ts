// ssh's exec request carries one string that the remote login shell splits again. Every
// argument is single-quoted (POSIX: nothing is special inside '…'; a ' is written '\'').
import type { Command } from '../report.js';

export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('a NUL byte cannot be passed to a remote command');
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(cmd: Command): string {
  return cmd.map(shellQuote).join(' ');
}
