// Reads sshd_config and every file its Include lines can reach, for the pure scanner in
// sshd-config.ts, on the host being fixed (this machine or the --via host).
import { dirname } from 'node:path';
import type { Host } from '../host.js';
import { globToRegExp, includePatterns, type ConfigSource } from './sshd-config.js';

export const MAIN_CONFIG = '/etc/ssh/sshd_config';

export async function readConfigSources(
  host: Pick<Host, 'readFile' | 'listDir'>,
  main = MAIN_CONFIG,
): Promise<ConfigSource[]> {
  const out = new Map<string, ConfigSource>();
  const queue = [main];
  while (queue.length && out.size < 256) {
    const path = queue.shift()!;
    if (out.has(path)) continue;
    const text = await host.readFile(path);
    if (text === undefined) continue;
    out.set(path, { path, text });
    for (const pattern of includePatterns(text)) {
      if (!/[*?[]/.test(pattern)) queue.push(pattern);
      else {
        const re = globToRegExp(pattern);
        // A glob over a missing directory matches nothing, as in sshd.
        for (const name of (await host.listDir(dirname(pattern))) ?? []) {
          const p = `${dirname(pattern)}/${name}`;
          if (re.test(p)) queue.push(p);
        }
      }
    }
  }
  return [...out.values()];
}
