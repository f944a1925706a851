// The fix for a server finding: exact commands, the risk in one sentence, and the exact undo.
// Nothing here runs anything; run-fixes.ts applies a fix only after the user said yes.
import type { Command, Fix, PathChange } from '../../report.js';
import { known, type ServerFacts } from '../facts.js';
import { MAIN_CONFIG } from './config-sources.js';
import {
  backupPath,
  editCommands,
  rememberSource,
  type ConfigEdit,
  type LineChange,
  type Reload,
} from './config-edit.js';
import { backupStamp } from '../../fixes/backup.js';
import { allowRule } from './firewall.js';
import { modeChange, unsafeTarget, type LoginUser, type ModeChange, type PathRole } from './modes.js';
import { formatMode as octal } from '../../report.js';
import { pasteStep } from '../../shell-quote.js';
import { inert } from '../../inert.js';
import { unambiguousShell, type ServerFindingId } from '../findings.js';
import { matchPattern } from '../client-address.js';
import { isoDay } from '../days.js';
import { groupWriteRuleFor, parentDirs, walkedDirs } from '../strict-modes.js';
import { startSshd } from './service.js';
import { badValue, nearest } from '../config-values.js';
import { allSet, readingOrder, whereSet, type ConfigLine, type ConfigSource } from './sshd-config.js';

/** Where and when a fix would run, and under which id it is offered. */
interface Proposal {
  fixId: string;
  findingId: ServerFindingId;
  /** sshd_config and its includes as read on the host being fixed (config-sources.ts). */
  sources: readonly ConfigSource[];
  now: Date;
  /** The commands run where ssh-doctor is not (over --via, pasted from the console kit). */
  remote: boolean;
}

interface FixEntry {
  fixId: string;
  /** Other ids the proposer may give its fix, for another cause of the same finding. */
  alternatives?: readonly string[];
  /** The fix for these facts, or none when ssh-doctor cannot make it safely here. */
  propose: (facts: ServerFacts, at: Proposal) => Fix | undefined;
}

/** Each server finding's fix (README "Fixes"), or why a person decides instead. */
export const SERVER_FIXES = {
  'sshd-not-installed': undefined, // which package, from where: the admin's call
  // Never while sshd cannot load its libraries or sshd -t rejects the configuration (a missing
  // /run/sshd or host key the start itself creates): starting it would only fail again.
  'sshd-not-running': {
    fixId: 'start-sshd',
    propose: (f, at) =>
      (known(f.crash)?.libraries.length ?? 0) + (known(f.configTest)?.errors.length ?? 0) > 0
        ? undefined
        : startFix(f, at),
  },
  // A rejected value is corrected (nearest accepted value) or commented out: correct-config-value.
  'sshd-config-invalid': {
    fixId: 'disable-unknown-option',
    alternatives: ['correct-config-value'],
    propose: (f, at) => unknownOptionFix(f, at) ?? badValueFix(f, { ...at, fixId: 'correct-config-value' }),
  },
  'sshd-port-mismatch': { fixId: 'add-port', propose: addPortFix },
  'sshd-listen-address': { fixId: 'listen-all-addresses', propose: listenAddressFix },
  'privsep-dir-missing': { fixId: 'create-privsep-dir', propose: privsepFix },
  'host-key-permissions': { fixId: 'fix-host-key-permissions', propose: permissionsFix },
  'host-keys-missing': { fixId: 'generate-host-keys', propose: hostKeysFix },
  'firewall-blocks-ssh': { fixId: 'firewall-allow-ssh', propose: firewallFix },
  'address-banned': { fixId: 'unban-address', propose: unbanFix },
  'maxstartups-exhausted': undefined, // a flood or real users: a person looks first (`next`)
  'tcp-wrappers-deny': undefined, // who may connect is the admin's policy: `next` gives the line
  'authorized-keys-missing': undefined, // only the user has their public key: `next` steps
  'authorized-keys-oversize': undefined, // which keys to keep is the user's call
  'authorized-keys-permissions': { fixId: 'fix-authorized-keys-permissions', propose: permissionsFix },
  'ssh-dir-permissions': { fixId: 'fix-ssh-dir-permissions', propose: permissionsFix },
  'home-permissions': { fixId: 'fix-home-permissions', propose: permissionsFix },
  'user-not-allowed': { fixId: 'allow-user', propose: allowUserFix },
  // Only a key wrapped over exactly two lines; any other broken line is the user's to judge (`next`).
  'authorized-keys-malformed': { fixId: 'rejoin-authorized-key', propose: rejoinFix },
  'authorized-keys-from-restricted': undefined, // who may log in from where is a person's decision: `next`
  'authorized-keys-type-not-accepted': undefined, // only the user can make a new key: `next`
  'authorized-keys-options': undefined, // info
  'account-locked': undefined, // someone may have locked it on purpose: `next` steps
  'nologin-present': { fixId: 'move-nologin', propose: nologinFix },
  'login-shell-nologin': { fixId: 'set-login-shell', propose: loginShellFix },
  'password-change-required': { fixId: 'clear-forced-password-change', propose: passwordChangeFix },
  'pubkey-auth-disabled': {
    fixId: 'enable-pubkey-auth',
    propose: (f, at) =>
      setKeywordFix(f, at, 'PubkeyAuthentication', 'yes', {
        title: 'Turn public key authentication back on',
        risk: 'Low: key logins become possible again; password settings are not touched.',
      }),
  },
  'usedns-enabled': {
    fixId: 'disable-usedns',
    propose: (f, at) =>
      setKeywordFix(f, at, 'UseDNS', 'no', {
        title: 'Stop sshd from looking up client names (UseDNS no)',
        risk: 'Low: logins stop waiting for DNS; "from" patterns with host names in authorized_keys or Match stop matching.',
      }),
  },
  'config-depends-on-address': undefined, // only the person knows their address: `next` gives the rerun with it
  'chroot-directory-unsafe': undefined, // which owner the jail needs is the admin's layout: evidence names each part
  'forced-command-failed': undefined, // install the program or change ForceCommand: the admin's call
  'sshd-log-refusal': undefined, // evidence for the other findings
  'unsafe-path': undefined, // it says ssh-doctor will not act there
  'needs-root': undefined, // the rerun with sudo is offered instead
  'checks-incomplete': undefined, // `next` says what would run the missing checks
  'sshd-crashing': undefined, // the reinstall needs the network: `next` steps
} as const satisfies Record<ServerFindingId, FixEntry | undefined>;

export function proposeFix(
  findingId: ServerFindingId,
  facts: ServerFacts,
  sources: readonly ConfigSource[] = [],
  now: Date = new Date(),
  where: { remote?: boolean } = {},
): Fix | undefined {
  const entry: FixEntry | undefined = SERVER_FIXES[findingId];
  return entry?.propose(facts, { fixId: entry.fixId, findingId, sources, now, remote: where.remote === true });
}

function privsepFix(_f: ServerFacts, at: Proposal): Fix {
  return {
    id: at.fixId,
    title: 'Create /run/sshd, the directory sshd needs for privilege separation',
    commands: [['install', '-d', '-m', '0755', '-o', 'root', '-g', 'root', '/run/sshd']],
    risk: 'None: an empty root-owned directory (it lives on tmpfs and is gone after a reboot).',
    undo: [['rmdir', '/run/sshd']],
  };
}

const ROOT: LoginUser = { uid: 0, gid: 0, name: 'root', group: 'root' };
const sshdPath = (f: ServerFacts): string => known(f.sshd)?.path ?? '/usr/sbin/sshd';
const pidFile = (f: ServerFacts): string => known(f.effective)?.config.pidfile?.[0] ?? '/run/sshd.pid';

function startFix(f: ServerFacts, at: Proposal): Fix {
  const privsep = known(f.privsepDir);
  const keys = known(f.hostKeys)?.keys;
  const noHostKey = keys !== undefined && keys.length > 0 && keys.every((k) => !k.exists);
  const plan = startSshd(known(f.init), sshdPath(f), pidFile(f), {
    privsepMissing: privsep !== undefined && !privsep.exists,
    noHostKey,
  });
  return {
    id: at.fixId,
    title: `Start sshd (${plan.how})`,
    commands: plan.commands,
    risk: `Low: sshd starts with the configuration it already has; sshd -t checks it first and nothing starts if it fails.${noHostKey ? ' New host keys are generated first (clients that knew old ones will warn).' : ''}`,
    undo: plan.undo,
  };
}

/**
 * sshd -t fails only on keywords this sshd does not know ("Bad configuration option": a typo, or
 * an option of a newer or differently built OpenSSH): those lines are commented out, all in one
 * file. Any other error (a bad value, a broken Match) needs a person; so does a Match line itself,
 * whose removal would make the lines below it global.
 */
function unknownOptionFix(f: ServerFacts, at: Proposal): Fix | undefined {
  const errors = known(f.configTest)?.errors ?? [];
  const file = errors[0]?.file;
  if (
    !file ||
    errors.some((e) => e.file !== file || e.line === undefined || !/^Bad configuration option: /.test(e.message))
  )
    return undefined;
  const text = at.sources.find((x) => x.path === file)?.text.split('\n');
  if (!text) return undefined;
  const lines = [...new Set(errors.map((e) => e.line!))];
  const original = lines.map((n) => text[n - 1]?.trim() ?? '');
  if (original.some((l) => l === '' || /^match\s/i.test(l))) return undefined;
  return configFix(
    f,
    at,
    {
      file,
      isMain: file === MAIN_CONFIG,
      changes: lines.map((line, i) => ({
        line,
        action: 'replace',
        text: `# ${original[i]}  (disabled by ssh-doctor: unknown to this sshd)`,
      })),
    },
    {
      title: `Comment out what this sshd does not understand: ${original.map((l, i) => `line ${lines[i]} "${l}"`).join(', ')}`,
      risk: 'Low: sshd rejects the whole configuration because of these lines, so they never took effect; what they meant to set stays unset.',
    },
  );
}

/**
 * Values sshd rejects (all in one file, each line read by the probe): each replaced by the one
 * accepted value it is nearest to, or, when none is clearly meant, the line commented out.
 */
function badValueFix(f: ServerFacts, at: Proposal): Fix | undefined {
  const errors = known(f.configTest)?.errors ?? [];
  const file = errors[0]?.file;
  if (!file || errors.some((e) => e.file !== file || !e.line || !e.text || !badValue(e.message))) return undefined;
  const plans = errors.map((e) => {
    const text = e.text!.trim();
    const value = badValue(e.message)!;
    const parts = value.split(',');
    const fixed = e.accepted ? parts.map((p) => (e.accepted!.includes(p) ? p : nearest(p, e.accepted!))) : [];
    const corrected =
      !/^match\s/i.test(text) && fixed.length > 0 && fixed.every((x) => x !== undefined) && text.includes(value)
        ? text.replace(value, fixed.join(','))
        : undefined;
    return { line: e.line!, text, corrected };
  });
  const lines = [...new Set(plans.map((p) => p.line))];
  if (lines.length !== plans.length) return undefined;
  return configFix(
    f,
    at,
    {
      file,
      isMain: file === MAIN_CONFIG,
      changes: plans.map((p) => ({
        line: p.line,
        action: 'replace' as const,
        text: p.corrected ?? `# ${p.text}  (disabled by ssh-doctor: sshd rejects this value)`,
      })),
    },
    {
      title: plans
        .map((p) =>
          p.corrected ? `line ${p.line}: "${p.text}" → "${p.corrected}"` : `comment out line ${p.line} "${p.text}"`,
        )
        .join(', ')
        .replace(/^./, (c) => c.toUpperCase()),
      risk: 'Low: sshd rejects the whole configuration because of these values, so they never took effect; the corrected value takes effect at the reload.',
    },
  );
}

function hostKeysFix(f: ServerFacts, at: Proposal): Fix {
  const missing = (known(f.hostKeys)?.keys ?? []).filter((k) => !k.exists).map((k) => k.path);
  return {
    id: at.fixId,
    title: 'Generate the missing host keys (ssh-keygen -A creates only the missing default ones)',
    commands: [['ssh-keygen', '-A']],
    risk: 'Low: new host keys mean clients that knew old ones will warn about a changed key.',
    undo: missing.length
      ? [['rm', '-f', ...missing.flatMap((p) => [p, `${p}.pub`])]]
      : 'remove the host keys ssh-keygen -A created',
  };
}

/** What a permission finding's fix changes, or undefined when ssh-doctor must not change it. */
function plannedModeChanges(findingId: string, f: ServerFacts): { changes: ModeChange[]; who: LoginUser } | undefined {
  const rule = groupWriteRuleFor(known(f.sshd));
  const changes: ModeChange[] = [];
  const add = (c: ModeChange | undefined) => c && changes.push(c);
  let who = ROOT;
  if (findingId === 'host-key-permissions') {
    for (const k of known(f.hostKeys)?.keys ?? []) add(modeChange(k, 'host-key', ROOT, [], rule));
  } else {
    const user = known(f.user);
    const auth = known(f.authFiles);
    // sshd follows a user's symlink; ssh-doctor, as root, never acts through one (unsafe-path).
    if (!user?.home || user.uid === undefined || user.gid === undefined || !auth || auth.userLinks?.length)
      return undefined;
    who = {
      uid: user.uid,
      gid: user.gid,
      name: user.name,
      group: auth.groups.find((g) => g.gid === user.gid)?.name ?? String(user.gid),
    };
    const home = user.home.replace(/\/+$/, '');
    if (findingId === 'authorized-keys-permissions') {
      for (const s of auth.authorizedKeys) add(modeChange(s, 'authorized-keys', who, auth.groups, rule));
    } else {
      // Only the directories sshd walks for these files, split the way the findings split them.
      const walked = new Set(auth.authorizedKeys.filter((k) => k.exists).flatMap((k) => walkedDirs(k.path, home)));
      const inHome = (p: string) => p.startsWith(`${home}/`);
      for (const s of auth.dirs) {
        if (!walked.has(s.path) || inHome(s.path) !== (findingId === 'ssh-dir-permissions')) continue;
        add(modeChange(s, inHome(s.path) ? 'ssh-dir' : 'home', who, auth.groups, rule));
      }
    }
  }
  if (
    !changes.length ||
    changes.some((c) => unsafeTarget(c.path, { ...c.stat, uid: c.stat.uid! }, typeOf(c.role), who))
  )
    return undefined;
  return { changes, who };
}

/**
 * Where ssh-doctor is not running (--via, the console kit), a chown is a step for a person: root
 * acting by path on what a user controls. The step says to look first, and `chown -h` does not
 * follow a symlink found there.
 */
export function ownershipSteps(findingId: string, f: ServerFacts): string[] {
  const planned = PERMISSION_FINDINGS.has(findingId) ? plannedModeChanges(findingId, f) : undefined;
  return (planned?.changes ?? []).flatMap((c) =>
    c.owner
      ? [
          pasteStep(
            `As root, after checking with ls -ld that it is still a ${typeOf(c.role) === 'dir' ? 'directory' : 'file'}: `,
            ['chown', '-h', c.owner, c.path],
          ),
        ]
      : [],
  );
}

const PERMISSION_FINDINGS = new Set([
  'host-key-permissions',
  'home-permissions',
  'ssh-dir-permissions',
  'authorized-keys-permissions',
]);

function permissionsFix(f: ServerFacts, at: Proposal): Fix | undefined {
  const planned = plannedModeChanges(at.findingId, f);
  if (!planned) return undefined;
  const { changes, who } = planned;
  if (at.remote) return remotePermissionsFix(at, changes, who, f);
  const commands: Command[] = [];
  const undo: Command[] = [];
  for (const c of changes) {
    if (c.owner) commands.push(['chown', c.owner, c.path]);
    if (c.mode !== undefined) commands.push(['chmod', octal(c.mode), c.path]);
    if (c.owner) undo.push(['chown', c.oldOwner, c.path]);
    undo.push(['chmod', octal(c.oldMode), c.path]);
  }
  return {
    id: at.fixId,
    title: `Set the modes sshd's StrictModes requires: ${describeChanges(changes)}`,
    commands,
    risk: "Low: only the write bits (and owner) sshd refuses are changed, on exactly these objects: each is opened without following users' symlinks and changed through that open descriptor (chmod as the user where the object is theirs).",
    undo,
    pathChanges: changes.map((c) => pathChange(c, who)),
  };
}

const typeOf = (role: PathRole): 'file' | 'dir' => (role === 'home' || role === 'ssh-dir' ? 'dir' : 'file');

const describeChanges = (changes: readonly ModeChange[]) =>
  changes
    .map(
      (c) =>
        `${c.path} ${octal(c.oldMode)}${c.mode !== undefined ? ` → ${octal(c.mode)}` : ''}${c.owner ? `, owner → ${c.owner}` : ''}`,
    )
    .join('; ');

function pathChange(c: ModeChange, who: LoginUser): PathChange {
  const st = c.stat;
  return {
    path: c.path,
    type: typeOf(c.role),
    ...(c.mode !== undefined ? { mode: c.mode } : {}),
    ...(c.owner
      ? {
          owner:
            c.role === 'host-key'
              ? { uid: 0, gid: c.owner.endsWith(':root') ? 0 : st.gid! }
              : { uid: who.uid, gid: who.gid },
        }
      : {}),
    user: { uid: who.uid, gid: who.gid, name: who.name },
    ...(st.dev !== undefined && st.ino !== undefined
      ? { was: { dev: st.dev, ino: st.ino, mode: st.mode! & 0o7777, uid: st.uid!, gid: st.gid! } }
      : {}),
  };
}

/**
 * Where ssh-doctor is not running (--via, the console kit) nothing can hold a checked descriptor,
 * so the chmod runs as the user (setpriv), who can only change what they already own; a root-owned
 * object only when no directory above it is writable by anyone but root. A chown needs root on a
 * path the user controls: that stays a step for a person, and no fix is offered.
 */
function remotePermissionsFix(
  at: Proposal,
  changes: readonly ModeChange[],
  who: LoginUser,
  f: ServerFacts,
): Fix | undefined {
  if (changes.some((c) => c.owner)) return undefined;
  const dirs = known(f.authFiles)?.dirs ?? [];
  const commands: Command[] = [];
  const undo: Command[] = [];
  for (const c of changes) {
    const asUser = c.stat.uid === who.uid && who.uid !== 0;
    if (
      !asUser &&
      parentDirs(c.path).some((d) => {
        const st = dirs.find((x) => x.path === d);
        return st?.uid !== 0 || (st.mode ?? 0) & 0o022;
      })
    )
      return undefined;
    const wrap = (cmd: Command): Command =>
      asUser ? ['setpriv', `--reuid=${who.uid}`, `--regid=${who.gid}`, '--clear-groups', ...cmd] : cmd;
    commands.push(wrap(['chmod', octal(c.mode!), c.path]));
    undo.push(wrap(['chmod', octal(c.oldMode), c.path]));
  }
  return {
    id: at.fixId,
    title: `Set the modes sshd's StrictModes requires: ${describeChanges(changes)}`,
    commands,
    risk: `Low: only the write bits sshd refuses are changed; each chmod runs as ${who.name} where the object is theirs, so it cannot reach anyone else's files.`,
    undo,
  };
}

/**
 * The exact unban for each guard that holds the address, and the exact ban again as its undo.
 * PerSourcePenalties has no unban command (it expires): then only `next` steps.
 */
function unbanFix(f: ServerFacts, at: Proposal): Fix | undefined {
  const from = f.client?.address ?? f.target.from;
  const by = known(f.bans)?.by ?? [];
  if (!from || by.length === 0) return undefined;
  const set = ['ip', 'sshguard', 'attackers'];
  return {
    id: at.fixId,
    title: `Unban ${from} (${by.map((b) => (b.guard === 'fail2ban' ? `fail2ban jail ${b.jail}` : 'sshguard')).join(', ')})`,
    commands: by.map((b) =>
      b.guard === 'fail2ban'
        ? ['fail2ban-client', 'set', b.jail ?? 'sshd', 'unbanip', from]
        : ['nft', 'delete', 'element', ...set, `{ ${from} }`],
    ),
    risk: 'Medium: the guard banned this address after failed logins; if they were an attack, it will ban it again after more failures.',
    undo: by.map((b) =>
      b.guard === 'fail2ban'
        ? ['fail2ban-client', 'set', b.jail ?? 'sshd', 'banip', from]
        : ['nft', 'add', 'element', ...set, `{ ${from} }`],
    ),
  };
}

function loginShellFix(f: ServerFacts, at: Proposal): Fix | undefined {
  const user = known(f.user);
  const shell = unambiguousShell(f);
  if (!user?.shell || !shell) return undefined;
  return {
    id: at.fixId,
    title: `Give ${user.name} the login shell ${shell} (the one new accounts get here)`,
    commands: [['usermod', '-s', shell, user.name]],
    risk: `Medium: someone may have given ${user.name} ${user.shell} on purpose, to allow no shell.`,
    undo: [['usermod', '-s', user.shell, user.name]],
  };
}

/** `chage -d TODAY`: the password counts as changed today; undo puts the old day (0: forced) back. */
function passwordChangeFix(f: ServerFacts, at: Proposal): Fix | undefined {
  const user = known(f.user);
  if (!user?.passwordChange || user.lastChange === undefined) return undefined;
  const today = isoDay(Math.floor(at.now.getTime() / 86_400_000));
  return {
    id: at.fixId,
    title: `Count ${user.name}'s password as changed today, so no change is demanded at login`,
    commands: [['chage', '-d', today, user.name]],
    risk:
      user.passwordChange === 'forced'
        ? `Medium: whoever ran chage -d 0 wanted ${user.name} to choose a new password; ask them to run passwd once logged in.`
        : `Medium: the password ageing policy wanted a new password; ${user.name} should run passwd once logged in.`,
    undo: [['chage', '-d', user.lastChange === 0 ? '0' : isoDay(user.lastChange), user.name]],
  };
}

function nologinFix(f: ServerFacts, at: Proposal): Fix {
  const path = known(f.nologin)?.path ?? '/etc/nologin';
  const aside = `${path}.ssh-doctor-${backupStamp(at.now)}`;
  return {
    id: at.fixId,
    title: `Move ${path} aside so non-root users may log in again`,
    commands: [['mv', path, aside]],
    risk: 'Medium: whoever created it (a shutdown in progress, an admin) wanted logins blocked; the file is kept as a backup.',
    undo: [['mv', aside, path]],
  };
}

/**
 * How sshd takes the change: a reload, never a restart. Under systemd socket activation (Ubuntu
 * 22.10+) systemd, not sshd, listens: a Port/ListenAddress change regenerates ssh.socket
 * (daemon-reload) and restarts it; open sessions are separate processes and survive.
 */
function reloadOf(f: ServerFacts, listening = false): Reload | undefined {
  const init = known(f.init);
  if (listening && init?.socket && init.service) {
    const c = [
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'restart', `${init.service}.socket`],
    ];
    return { apply: c, undo: c };
  }
  const pids = known(f.processes)?.pids ?? [];
  if (!pids.length) return undefined;
  if (init?.system === 'systemd' && init.service) {
    const c = [['systemctl', 'reload', init.service]];
    return { apply: c, undo: c };
  }
  return {
    apply: [['kill', '-HUP', String(pids[0])]],
    undo: [['pkill', '-HUP', '--pidfile', pidFile(f), '-x', 'sshd']],
  };
}

/** meta.listening: the edit changes where sshd listens (Port, ListenAddress). */
function configFix(
  f: ServerFacts,
  at: Proposal,
  edit: ConfigEdit,
  meta: { title: string; risk: string; listening?: boolean },
): Fix | undefined {
  const source = at.sources.find((x) => x.path === edit.file);
  if (!source) return undefined;
  let planned: ReturnType<typeof editCommands>;
  try {
    planned = editCommands(edit, sshdPath(f), reloadOf(f, meta.listening), at.now);
  } catch {
    return undefined;
  }
  return rememberSource(
    {
      id: at.fixId,
      title: `${meta.title} (in ${edit.file})`,
      commands: planned.commands,
      risk: `${meta.risk} The edited copy must pass sshd -t before it replaces the original (backup kept); sshd is reloaded, not restarted: open sessions stay.`,
      undo: planned.undo,
    },
    edit.file,
    source.text,
  );
}

/** Where to add a line when no file sets the keyword: the top of the main file, so it wins. */
function topOfMain(text: string): ConfigEdit {
  return { file: MAIN_CONFIG, isMain: true, changes: [{ line: 1, action: 'insert', text }] };
}

function editAt(l: ConfigLine, text: string): ConfigEdit {
  return { file: l.file, isMain: l.file === MAIN_CONFIG, changes: [{ line: l.line, action: 'replace', text }] };
}

function setKeywordFix(
  f: ServerFacts,
  at: Proposal,
  keyword: string,
  value: string,
  meta: { title: string; risk: string },
): Fix | undefined {
  const lines = readingOrder(MAIN_CONFIG, at.sources);
  const wrong = (l: ConfigLine) => l.keyword === keyword.toLowerCase() && l.args[0]?.toLowerCase() !== value;
  // The first global line decides for everyone; failing that, a Match block overrides it.
  const global = whereSet(lines, keyword);
  const target = global && wrong(global) ? global : lines.find((l) => l.inMatch && wrong(l));
  const text = `${keyword} ${value}`;
  // Set right in every file: the value comes from sshd's command line, which no edit here fixes.
  if (!target && global) return undefined;
  const edit = target ? editAt(target, text) : topOfMain(text);
  return configFix(f, at, edit, meta);
}

const listOf = (v: string[] | undefined): string[] => (v ?? []).flatMap((s) => s.split(/\s+/)).filter(Boolean);

function allowUserFix(f: ServerFacts, at: Proposal): Fix | undefined {
  const user = f.target.user;
  const eff = known(f.effective)?.config ?? {};
  const lines = readingOrder(MAIN_CONFIG, at.sources);
  const risk = `Medium: widens who may log in by exactly one account (${user}).`;
  const deny = allSet(lines, 'DenyUsers').find((l) => l.args.includes(user));
  if (deny) {
    const rest = deny.args.filter((a) => a !== user);
    const text = rest.length ? `DenyUsers ${rest.join(' ')}` : `# DenyUsers ${user}  (disabled by ssh-doctor)`;
    return configFix(f, at, editAt(deny, text), { risk, title: `Remove ${user} from DenyUsers` });
  }
  const allowed = listOf(eff.allowusers);
  if (allowed.length && !allowed.some((p) => matchPattern(user, p.split('@')[0]!))) {
    const first = allSet(lines, 'AllowUsers')[0];
    if (!first) return undefined;
    return configFix(f, at, editAt(first, `AllowUsers ${[...first.args, user].join(' ')}`), {
      risk,
      title: `Add ${user} to AllowUsers`,
    });
  }
  if (user === 'root' && (eff.permitrootlogin?.[0] ?? '') === 'no') {
    return setKeywordFix(f, at, 'PermitRootLogin', 'prohibit-password', {
      title: 'Allow root to log in with a key only (PermitRootLogin prohibit-password)',
      risk: 'Medium: root may log in with a key; root password logins stay refused.',
    });
  }
  return undefined;
}

function addPortFix(f: ServerFacts, at: Proposal): Fix | undefined {
  const port = f.target.port;
  // Another program holds the port: sshd could not bind it. Ports given with -p on sshd's
  // command line override every Port line: an edit would change nothing.
  if (known(f.listeners)?.sockets.some((s) => s.port === port && s.process !== undefined && s.process !== 'sshd'))
    return undefined;
  if (known(f.processes)?.commands.some((c) => /\s-p\s*\d/.test(c))) return undefined;
  const lines = readingOrder(MAIN_CONFIG, at.sources);
  const ports = allSet(lines, 'Port');
  // Port lines add up; when there is none sshd uses 22, which must be kept when adding another.
  const change: LineChange[] = ports.length
    ? [{ line: ports[0]!.line, action: 'insert', text: `Port ${port}` }]
    : [
        { line: 1, action: 'insert', text: 'Port 22' },
        { line: 1, action: 'insert', text: `Port ${port}` },
      ];
  const file = ports.length ? ports[0]!.file : MAIN_CONFIG;
  return configFix(
    f,
    at,
    { file, isMain: file === MAIN_CONFIG, changes: change },
    {
      listening: true,
      title: `Make sshd also listen on port ${port}`,
      risk: `Low: the ports sshd listens on now stay; port ${port} is added (a firewall may still need opening).`,
    },
  );
}

const LOOPBACK = /^(\[?::1\]?|127\.[\d.]+|localhost)(:\d+)?$/;

/**
 * sshd bound to loopback only: when every ListenAddress line names a loopback address and they
 * sit in one file, those lines are disabled so sshd listens on all addresses (its default).
 * A ListenAddress given on sshd's command line is not in any file: no fix then.
 */
function listenAddressFix(f: ServerFacts, at: Proposal): Fix | undefined {
  const lines = allSet(readingOrder(MAIN_CONFIG, at.sources), 'ListenAddress');
  if (
    !lines.length ||
    !lines.every((l) => LOOPBACK.test(l.args[0] ?? '')) ||
    new Set(lines.map((l) => l.file)).size > 1
  )
    return undefined;
  const file = lines[0]!.file;
  const changes: LineChange[] = lines.map((l) => ({
    line: l.line,
    action: 'replace',
    text: `# ListenAddress ${l.args.join(' ')}  (disabled by ssh-doctor)`,
  }));
  return configFix(
    f,
    at,
    { file, isMain: file === MAIN_CONFIG, changes },
    {
      listening: true,
      title: 'Make sshd listen on all addresses, not only loopback',
      risk: 'Medium: sshd becomes reachable on every network this host is on; a firewall decides who gets through.',
    },
  );
}

function firewallFix(f: ServerFacts, at: Proposal): Fix | undefined {
  const layer = (f.firewall ?? []).find((l) => l.state === 'blocks');
  if (!layer) return undefined;
  const plan = allowRule(layer, f.target.port);
  if (!plan) return undefined;
  return {
    id: at.fixId,
    title: `Allow TCP port ${f.target.port} in ${layer.name} (${plan.where})`,
    commands: plan.commands,
    risk: `Medium: opens port ${f.target.port} to every address the blocking rule covered; ${
      plan.commands.some((c) => c[0] === 'ufw' && c[1] === 'delete')
        ? 'the ufw rule with the same spec is replaced, and put back at its number on undo'
        : 'no rule is removed or flushed'
    }. Over SSH it is rolled back automatically unless confirmed from a new connection.`,
    undo: plan.undo,
  };
}

/**
 * The two lines sshd skips are one key wrapped in two, and nothing else in the file is broken.
 * Only on this machine: the rejoin is made through descriptors (rejoin.ts), which a pasted or
 * --via command by path could not do safely as root in a directory the user controls.
 */
function rejoinFix(f: ServerFacts, at: Proposal): Fix | undefined {
  const user = known(f.user);
  const auth = known(f.authFiles);
  if (at.remote || user?.uid === undefined || user.gid === undefined || !auth?.keyLines || auth.userLinks?.length)
    return undefined;
  const broken = Object.entries(auth.keyLines).flatMap(([path, { lines }]) =>
    lines.filter((k) => k.malformed).map((k) => ({ path, k })),
  );
  const [a, b] = broken;
  if (broken.length !== 2 || !a?.k.joinsNext || b?.path !== a.path || b.k.n !== a.k.n + 1) return undefined;
  const first = a.k.text ?? '';
  const second = b.k.text ?? '';
  const st = auth.authorizedKeys.find((x) => x.path === a.path);
  // Evidence text is cut at TEXT_MAX: the whole lines are then unknown here.
  if (!st?.exists || [first, second].some((t) => t === '' || t.endsWith('…'))) return undefined;
  const path = a.path;
  const n = a.k.n;
  const backup = backupPath(path, at.now);
  return {
    id: at.fixId,
    title: `Rejoin lines ${n}-${n + 1} of ${inert(path)} into the one key line they were: "${inert(first)}" + "${inert(second)}" → "${inert(first + second)}"`,
    commands: [
      ['cp', '-p', path, backup],
      ['sed', '-i', '-e', `${n}{N;s/[ \\t]*\\n[ \\t]*//}`, path],
    ],
    risk: `Low: only the line break between lines ${n} and ${n + 1} goes, so sshd reads the key it skipped; the rest of the file, its owner and mode stay. Made through the directory and file as checked, never through a link of ${user.name}'s; the backup is kept.`,
    undo: [['cp', '-p', backup, path]],
    rewrite: {
      path,
      line: n,
      first,
      second,
      backup,
      user: { uid: user.uid, gid: user.gid, name: user.name },
      ...(st.dev !== undefined && st.ino !== undefined ? { was: { dev: st.dev, ino: st.ino } } : {}),
    },
  };
}
