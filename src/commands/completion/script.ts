// The shell completion scripts, generated from the mode declarations (the same ones the command
// line is parsed by and --help is printed from), so a completion never offers an option the
// parser refuses. Each script is self-contained: no bash-completion package, no ssh-doctor run
// per Tab (host names come from awk, as ssh's own completion reads them).
import { SSH_FLAGS } from '../../ssh-args.js';
import type { AnyMode } from '../modes.js';
import { optionName } from '../options.js';
import type { Shell } from './shells.js';

type Kind = 'none' | 'file' | 'host' | readonly string[];

interface OptionSpec {
  readonly name: string;
  readonly description: string;
  /** Undefined: a flag. */
  readonly value?: Kind;
}

interface ModeSpec {
  /** '' for the client. */
  readonly name: string;
  readonly options: readonly OptionSpec[];
  /** What the words that are not options are (the client's host, completion's shell). */
  readonly operand?: 'host' | readonly string[];
}

/** ssh's own flags that take a path, and the one that takes a user. */
const SSH_FILE_FLAGS = new Set(['i', 'F', 'E', 'S']);

export function specOf(modes: readonly AnyMode[]): ModeSpec[] {
  return modes.map((m) => ({
    name: m.name,
    options: [
      ...Object.entries(m.options)
        .filter(([, o]) => !o.hidden)
        .map(
          ([k, o]): OptionSpec => ({
            name: optionName(k),
            description: o.description.split('\n')[0]!,
            ...(o.kind === 'value' ? { value: o.complete ?? 'none' } : {}),
          }),
        ),
      // The client reads every ssh flag; only those taking a value matter to completion.
      ...(m.name === ''
        ? [...SSH_FLAGS].flatMap(([f, v]) =>
            v === undefined
              ? []
              : [
                  {
                    name: `-${f}`,
                    description: `ssh's -${f} ${v}`,
                    value: SSH_FILE_FLAGS.has(f) ? ('file' as const) : ('none' as const),
                  },
                ],
          )
        : []),
    ],
    ...(m.operand ? { operand: m.operand } : {}),
  }));
}

/** Where ssh keeps host names, as ssh's completion reads them (user and system files). */
const HOST_FILES = [
  '$HOME/.ssh/config',
  '/etc/ssh/ssh_config',
  '$HOME/.ssh/known_hosts',
  '$HOME/.ssh/known_hosts2',
  '/etc/ssh/ssh_known_hosts',
  '/etc/ssh/ssh_known_hosts2',
];

/**
 * Host names from ssh_config `Host` lines (patterns with * ? ! left out) and known_hosts (hashed
 * `|1|` entries and @cert-authority/@revoked lines skipped, `[host]:port` unwrapped). No single
 * quote inside: it goes between single quotes in all three shells.
 */
const HOSTS_AWK = String.raw`FNR == 1 { known = FILENAME ~ /known_hosts2?$/ }
/^[ \t]*(#|$)/ { next }
known {
  if ($1 ~ /^[|@]/) next
  n = split($1, h, ",")
  for (i = 1; i <= n; i++) {
    x = h[i]
    if (x ~ /^\[.*\]:[0-9]+$/) { sub(/^\[/, "", x); sub(/\]:[0-9]+$/, "", x) }
    if (x != "" && x !~ /[*?!]/ && !seen[x]++) print x
  }
  next
}
{
  line = $0
  if (sub(/^[ \t]*[Hh][Oo][Ss][Tt]([ \t]*=[ \t]*|[ \t]+)/, "", line)) {
    n = split(line, h, /[ \t]+/)
    for (i = 1; i <= n; i++) if (h[i] != "" && h[i] !~ /[*?!"]/ && !seen[h[i]]++) print h[i]
  }
}`;

const kindLines = (k: Kind): string[] => (typeof k === 'string' ? [k] : ['words', ...k]);

/** POSIX sh words: every value here is ours (mode names, option names, provider ids). */
const q = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * The part bash and zsh share, in plain sh: `_ssh_doctor_what CUR WORD…` (the words before the
 * cursor, without the command, "--opt=" already split off) prints what to offer: a kind on the
 * first line (none, file, host, words), then extra words, one a line.
 */
function shared(spec: readonly ModeSpec[]): string {
  const named = spec.filter((m) => m.name);
  const valueCases = spec.flatMap((m) =>
    m.options.flatMap((o) =>
      o.value === undefined
        ? []
        : [`    ${q(`${m.name} ${o.name}`)}) printf '%s\\n' ${kindLines(o.value).map(q).join(' ')} ;;`],
    ),
  );
  const optionCases = spec.map(
    (m) =>
      `    ${q(m.name)}) printf '%s\\n' ${m.options
        .filter((o) => o.name.startsWith('--'))
        .map((o) => q(o.name))
        .join(' ')} ;;`,
  );
  // The client's first word may also be a mode.
  const operandCases = spec.flatMap((m) =>
    m.operand === undefined
      ? []
      : [
          `    ${q(m.name)}) [ "$n" -eq 0 ] && printf '%s\\n' ${kindLines(m.operand).map(q).join(' ')}${
            m.name === '' ? ` && [ -n "$first" ] && printf '%s\\n' ${named.map((x) => q(x.name)).join(' ')}` : ''
          } ;;`,
        ],
  );
  const hostFiles = HOST_FILES.map((f) => (f.startsWith('$') ? `"${f}"` : f)).join(' ');
  return `_ssh_doctor_hosts() {
  local f
  for f in ${hostFiles}; do
    [ -r "$f" ] && set -- "$@" "$f"
  done
  [ $# -gt 0 ] && awk '${HOSTS_AWK}' "$@" 2>/dev/null
}

# _ssh_doctor_value MODE OPTION: what the option's value is; nothing for a flag or an unknown word.
_ssh_doctor_value() {
  case "$1 $2" in
${valueCases.join('\n')}
  esac
}

_ssh_doctor_what() {
  local cur="$1" mode= first= skip= ended= n=0 w kind=
  shift
  [ $# -eq 0 ] && first=1
  # The mode is the first word when it names one; a first "--" means a host follows, whatever
  # its name (a host called "server" is "ssh-doctor -- server").
  case "\${1-}" in
    ${named.map((m) => m.name).join('|')}) mode="$1"; shift ;;
  esac
  for w in "$@"; do
    if [ -n "$skip" ]; then skip=; continue; fi
    if [ -z "$ended" ] && [ "$w" = -- ]; then ended=1; continue; fi
    case "$ended$w" in
      -?*) kind=$(_ssh_doctor_value "$mode" "$w"); [ -n "$kind" ] && skip=1 ;;
      *) n=$((n + 1)) ;;
    esac
  done
  if [ -n "$skip" ]; then printf '%s\\n' "$kind"; return; fi
  case "$ended$cur" in
    -*) printf 'words\\n'; case "$mode" in
${optionCases.join('\n')}
    esac; return ;;
  esac
  case "$mode" in
${operandCases.join('\n')}
  esac
  return 0
}`;
}

export function completionScript(shell: Shell, spec: readonly ModeSpec[], version: string): string {
  const head = `# ssh-doctor ${version} completion for ${shell}, generated from its option declarations.`;
  if (shell === 'bash')
    return `${head}
# Needs no bash-completion package. Load it from ~/.bashrc:
#   eval "$(ssh-doctor completion bash)"
${shared(spec)}

_ssh_doctor() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" pre= i w what IFS=$'\\n'
  local -a prev=()
  # bash splits "--opt=value" at "=" (COMP_WORDBREAKS): drop the "=" words.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [ "$w" = = ] || prev+=("$w")
  done
  [ "$cur" = = ] && cur=
  what=$(_ssh_doctor_what "$cur" \${prev[@]+"\${prev[@]}"})
  case "$what" in
    file*) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    host*)
      [[ $cur == *@* ]] && pre="\${cur%%@*}@"
      COMPREPLY=($(compgen -P "$pre" -W "$(_ssh_doctor_hosts)"$'\\n'"\${what#host}" -- "\${cur#*@}")) ;;
    words*) COMPREPLY=($(compgen -W "\${what#words}" -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}
complete -F _ssh_doctor ssh-doctor
`;
  if (shell === 'zsh')
    return `#compdef ssh-doctor
${head}
# Load it after compinit (e.g. in ~/.zshrc):  eval "$(ssh-doctor completion zsh)"
# or save it as _ssh-doctor in a directory of $fpath.
${shared(spec)}

_ssh_doctor() {
  local cur="\${words[CURRENT]}" kind
  local -a prev out
  prev=("\${(@)words[2,CURRENT-1]}")
  if [[ $cur == --*=* ]]; then
    prev+=("\${cur%%=*}")
    compset -P '*='
    cur="\${cur#*=}"
  fi
  out=("\${(@f)$(_ssh_doctor_what "$cur" "\${prev[@]}")}")
  kind="\${out[1]}"
  shift out
  case "$kind" in
    file) _files ;;
    host)
      compset -P '*@'
      compadd -- \${(f)"$(_ssh_doctor_hosts)"} "\${out[@]}" ;;
    words) compadd -- "\${out[@]}" ;;
  esac
}

if [ "$funcstack[1]" = _ssh-doctor ]; then
  _ssh_doctor "$@"
else
  compdef _ssh_doctor ssh-doctor
fi
`;
  return fish(spec, head);
}

/** fish's own `complete` rules: one per option and mode, conditioned on the mode word. */
function fish(spec: readonly ModeSpec[], head: string): string {
  const named = spec.filter((m) => m.name).map((m) => m.name);
  const fq = (s: string): string => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  const when = (mode: string) => fq(`test "$(__ssh_doctor_mode)" = ${fq(mode)}`);
  const values = (k: Kind): string =>
    k === 'file'
      ? '-r -F'
      : k === 'host'
        ? "-x -a '(__ssh_doctor_hosts)'"
        : k === 'none'
          ? '-x'
          : `-x -a ${fq(k.join(' '))}`;
  const lines = spec.flatMap((m) => [
    ...m.options.map((o) => {
      const name = o.name.startsWith('--') ? `-l ${o.name.slice(2)}` : `-s ${o.name.slice(1)}`;
      return `complete -c ssh-doctor -n ${when(m.name)} ${name}${o.value === undefined ? '' : ` ${values(o.value)}`} -d ${fq(o.description)}`;
    }),
    ...(m.operand === 'host'
      ? [`complete -c ssh-doctor -n ${when(m.name)} -a '(__ssh_doctor_hosts)'`]
      : m.operand
        ? [`complete -c ssh-doctor -n ${when(m.name)} -a ${fq(m.operand.join(' '))}`]
        : []),
  ]);
  return `${head}
# Load it:  ssh-doctor completion fish | source
# or save it as ~/.config/fish/completions/ssh-doctor.fish
function __ssh_doctor_hosts
    set -l files
    for f in ${HOST_FILES.map((f) => f.replace('$HOME', '~')).join(' ')}
        test -r $f; and set -a files $f
    end
    test (count $files) -gt 0; and awk '${HOSTS_AWK}' $files 2>/dev/null
end

# The mode: the first word when it names one ("--" first: the client, for a host of any name).
function __ssh_doctor_mode
    set -l w (commandline -opc)
    if set -q w[2]; and contains -- $w[2] ${named.join(' ')}
        echo $w[2]
    end
end

complete -c ssh-doctor -f
complete -c ssh-doctor -n 'test (count (commandline -opc)) -eq 1' -a ${fq(named.join(' '))}
${lines.join('\n')}
`;
}
