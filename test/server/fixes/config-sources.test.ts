// What a config fix reads before it plans an edit: sshd_config and every file its Include lines
// reach, the way sshd expands them, on the host being fixed (a fake host here).
import { describe, expect, it } from 'vitest';
import { MAIN_CONFIG, readConfigSources } from '../../../src/server/fixes/config-sources.js';

const host = (files: Record<string, string>, dirs: Record<string, string[]> = {}) => {
  const read: string[] = [];
  const listed: string[] = [];
  return {
    read,
    listed,
    readFile: async (p: string) => {
      read.push(p);
      return files[p];
    },
    listDir: async (d: string) => {
      listed.push(d);
      return dirs[d];
    },
  };
};

describe('readConfigSources', () => {
  it("Debian's layout: the main file, then the drop-ins its glob matches, in the order listed", async () => {
    const h = host(
      {
        [MAIN_CONFIG]: 'Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\n',
        '/etc/ssh/sshd_config.d/50-cloud.conf': 'PasswordAuthentication no\n',
        '/etc/ssh/sshd_config.d/10-first.conf': 'UseDNS no\n',
        '/etc/ssh/sshd_config.d/notes.txt': 'UseDNS yes\n',
      },
      { '/etc/ssh/sshd_config.d': ['50-cloud.conf', 'notes.txt', '10-first.conf'] },
    );
    expect(await readConfigSources(h)).toEqual([
      { path: MAIN_CONFIG, text: 'Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\n' },
      { path: '/etc/ssh/sshd_config.d/50-cloud.conf', text: 'PasswordAuthentication no\n' },
      { path: '/etc/ssh/sshd_config.d/10-first.conf', text: 'UseDNS no\n' },
    ]);
    expect(h.listed).toEqual(['/etc/ssh/sshd_config.d']);
    expect(h.read).not.toContain('/etc/ssh/sshd_config.d/notes.txt');
  });

  it('a plain Include (relative: under /etc/ssh) is read without listing; unreadable files are skipped', async () => {
    const h = host({
      '/m': 'Include extra.conf /etc/ssh/gone.conf\n',
      '/etc/ssh/extra.conf': 'Port 2222\n',
    });
    expect(await readConfigSources(h, '/m')).toEqual([
      { path: '/m', text: 'Include extra.conf /etc/ssh/gone.conf\n' },
      { path: '/etc/ssh/extra.conf', text: 'Port 2222\n' },
    ]);
    expect(h.read).toEqual(['/m', '/etc/ssh/extra.conf', '/etc/ssh/gone.conf']);
    expect(h.listed).toEqual([]);
  });

  it('a glob over a missing directory matches nothing; a file that includes itself is read once', async () => {
    const h = host({ '/m': 'Include /m\nInclude /nowhere/*\n' });
    expect(await readConfigSources(h, '/m')).toEqual([{ path: '/m', text: 'Include /m\nInclude /nowhere/*\n' }]);
    expect(h.read).toEqual(['/m']);
    expect(h.listed).toEqual(['/nowhere']);
  });

  it.each([
    ['?', '/d/a?.conf', ['a1.conf', 'ab.conf', 'a12.conf']],
    ['[..]', '/d/a[0-9].conf', ['a1.conf', 'ab.conf', 'a12.conf']],
  ])('globs with %s match as sshd does', async (_k, pattern, names) => {
    const files = Object.fromEntries(names.map((n) => [`/d/${n}`, `# ${n}\n`]));
    const h = host({ '/m': `Include ${pattern}\n`, ...files }, { '/d': names });
    const got = (await readConfigSources(h, '/m')).map((s) => s.path);
    expect(got).toEqual(pattern.includes('?') ? ['/m', '/d/a1.conf', '/d/ab.conf'] : ['/m', '/d/a1.conf']);
  });

  it('stops at 256 files, however many an Include chain reaches', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`/c/${i}`] = `Include /c/${i + 1}\n`;
    const h = host(files);
    const got = await readConfigSources(h, '/c/0');
    expect(got).toHaveLength(256);
    expect(got.at(-1)!.path).toBe('/c/255');
  });
});
