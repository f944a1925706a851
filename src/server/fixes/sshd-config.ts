// Which file and line give sshd a keyword's value. `sshd -T` prints the effective value but not
// where it came from, so a config fix has to find it the way sshd reads: the main file top to
// bottom, each Include expanded in place (glob results in lexical order), first value wins for
// single-valued keywords. Pure: the caller supplies the files' text.

/** One config file's text; `path` is absolute. */
export interface ConfigSource {
  path: string;
  text: string;
}

export interface ConfigLine {
  file: string;
  /** 1-based line number in `file`. */
  line: number;
  /** Lower-case keyword. */
  keyword: string;
  args: string[];
  /** True inside a Match block: applies only to some connections. */
  inMatch: boolean;
}

/** sshd resolves relative Include paths against /etc/ssh, not against the including file. */
export const SSHDIR = '/etc/ssh';

/** "Keyword value", "Keyword=value", "Keyword = value"; comments and blank lines give undefined. */
export function parseLine(raw: string): { keyword: string; args: string[] } | undefined {
  const s = raw.trim();
  if (!s || s.startsWith('#')) return undefined;
  const m = /^([A-Za-z][A-Za-z0-9]*)(?:\s*=\s*|\s+)(.*)$/.exec(s) ?? /^([A-Za-z][A-Za-z0-9]*)$/.exec(s);
  if (!m) return undefined;
  const rest = (m[2] ?? '').replace(/\s+#.*$/, '');
  return { keyword: m[1]!.toLowerCase(), args: rest.split(/\s+/).filter(Boolean) };
}

/** A shell-style glob (only * ? and [..] as sshd's glob(3) uses) as a RegExp for one path. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function resolveInclude(pattern: string): string {
  return pattern.startsWith('/') ? pattern : `${SSHDIR}/${pattern}`;
}

/**
 * Every directive sshd reads, in reading order, starting at `main`. `sources` holds every file
 * that might be included (a glob matches those paths); a missing file is skipped, as sshd does.
 */
export function readingOrder(main: string, sources: readonly ConfigSource[]): ConfigLine[] {
  const byPath = new Map(sources.map((s) => [s.path, s]));
  const out: ConfigLine[] = [];
  const visit = (path: string, inMatchOuter: boolean, depth: number): void => {
    const src = byPath.get(path);
    if (!src || depth > 16) return;
    let inMatch = inMatchOuter;
    src.text.split('\n').forEach((raw, i) => {
      const p = parseLine(raw);
      if (!p) return;
      if (p.keyword === 'match') {
        // "Match all" ends a conditional block; any other criteria start one.
        inMatch = !(p.args.length === 1 && p.args[0]!.toLowerCase() === 'all') || inMatchOuter;
      }
      out.push({ file: path, line: i + 1, keyword: p.keyword, args: p.args, inMatch });
      if (p.keyword === 'include') {
        for (const pattern of p.args) {
          const abs = resolveInclude(pattern);
          const re = globToRegExp(abs);
          const hits = /[*?[]/.test(abs) ? [...byPath.keys()].filter((k) => re.test(k)).sort() : [abs];
          for (const h of hits) visit(h, inMatch, depth + 1);
        }
      }
    });
  };
  visit(main, false, 0);
  return out;
}

/** The directive that decides a single-valued keyword for every connection (first global one). */
export function whereSet(lines: readonly ConfigLine[], keyword: string): ConfigLine | undefined {
  const k = keyword.toLowerCase();
  return lines.find((l) => l.keyword === k && !l.inMatch);
}

/** Every global directive of a keyword that accumulates (Port, ListenAddress, AllowUsers, …). */
export function allSet(lines: readonly ConfigLine[], keyword: string): ConfigLine[] {
  const k = keyword.toLowerCase();
  return lines.filter((l) => l.keyword === k && !l.inMatch);
}

/** Include patterns seen in the files, resolved: what a reader must list to supply `sources`. */
export function includePatterns(text: string): string[] {
  return text
    .split('\n')
    .map(parseLine)
    .filter((p) => p?.keyword === 'include')
    .flatMap((p) => p!.args.map(resolveInclude));
}
