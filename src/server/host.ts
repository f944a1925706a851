// Where the server side reads files and runs commands: this machine, or the --via host over SSH.
// Fixes, their staleness check and their undo use the same Host, so a change made on a remote
// host is checked, made and undone there.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { MiB } from '../bytes.js';
import { readCapped } from '../capped.js';
import { localExec, type Exec } from './exec.js';

/** An --via destination, as the journal remembers it for undo. */
export interface Via {
  user?: string;
  host: string;
  port: number;
}

/**
 * Files read through a Host are configuration a fix may rewrite: a prefix would be written back
 * as the whole file, so a larger one is "cannot be read". sshd_config files are kilobytes.
 */
export const CONFIG_MAX_BYTES = 16 * MiB;

export interface Host {
  exec: Exec;
  /** A file's exact text, or undefined when it cannot be read (or is over CONFIG_MAX_BYTES). */
  readFile(path: string): Promise<string | undefined>;
  /** Entry names in a directory, or undefined when it cannot be listed. */
  listDir(dir: string): Promise<string[] | undefined>;
  sha256(path: string): Promise<string | undefined>;
  /** Absent on this machine. */
  via?: Via;
}

const orUndefined = <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);

export const localHost: Host = {
  exec: localExec,
  readFile: (path) => orUndefined(readCapped(path, CONFIG_MAX_BYTES).then((r) => (r.truncated ? undefined : r.text))),
  listDir: (dir) => orUndefined(readdir(dir)),
  // Streamed: hashed files are ones a fix wrote, but nothing here needs them whole in memory.
  sha256: (path) =>
    orUndefined(
      (async () => {
        const hash = createHash('sha256');
        for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
        return hash.digest('hex');
      })(),
    ),
};

/** The same reads done with commands on the other side (its exec returns output untrimmed). */
export function remoteHost(exec: Exec, via: Via): Host {
  const out = async (cmd: string[], maxBytes?: number) => {
    const r = await exec(cmd, { maxBytes });
    return r.exitCode === 0 && !r.truncated ? r.stdout : undefined;
  };
  return {
    exec,
    via,
    readFile: (path) => out(['cat', '--', path], CONFIG_MAX_BYTES),
    listDir: async (dir) => (await out(['ls', '-1A', '--', dir]))?.split('\n').filter(Boolean),
    sha256: async (path) => (await out(['sha256sum', '--', path]))?.split(/\s/)[0] || undefined,
  };
}

export function viaName(via: Via): string {
  const host = via.host.includes(':') ? `[${via.host}]` : via.host;
  return `${via.user ? `${via.user}@` : ''}${host}${via.port === 22 ? '' : `:${via.port}`}`;
}
