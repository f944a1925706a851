// Reads sshd_config and every file its Include lines can reach, for the pure scanner in
// sshd-config.ts. Small local files only: plain fs reads, no processes.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { globToRegExp, includePatterns, type ConfigSource } from './sshd-config.js';

export const MAIN_CONFIG = '/etc/ssh/sshd_config';

export function readConfigSources(main = MAIN_CONFIG): ConfigSource[] {
  const out = new Map<string, ConfigSource>();
  const queue = [main];
  while (queue.length && out.size < 256) {
    const path = queue.shift()!;
    if (out.has(path)) continue;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    out.set(path, { path, text });
    for (const pattern of includePatterns(text)) {
      if (!/[*?[]/.test(pattern)) queue.push(pattern);
      else {
        const re = globToRegExp(pattern);
        try {
          for (const name of readdirSync(dirname(pattern))) {
            const p = `${dirname(pattern)}/${name}`;
            if (re.test(p)) queue.push(p);
          }
        } catch {
          // A glob over a missing directory matches nothing, as in sshd.
        }
      }
    }
  }
  return [...out.values()];
}
