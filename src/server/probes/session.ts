// What sshd needs once the key is accepted: a ChrootDirectory it considers safe, and the
// ForceCommand program. Both come from sshd -T for this user (Match blocks applied).
import type { EffectiveConfig, Maybe, SessionFacts, UserFacts } from '../facts.js';
import type { Exec } from '../exec.js';
import { prefixes } from './auth-files.js';
import { statPaths } from './stat.js';

/** ChrootDirectory tokens (sshd_config(5)): %h home, %u user name, %U uid, %% a percent sign. */
export function expandTokens(spec: string, user: UserFacts): string {
  return spec.replace(/%(.)/g, (_, c: string) =>
    c === 'h' ? (user.home ?? '') : c === 'u' ? user.name : c === 'U' ? String(user.uid) : c === '%' ? '%' : `%${c}`,
  );
}

/** The program a ForceCommand runs, when it names one by absolute path (else the shell finds it). */
export function forcedProgram(command: string): string | undefined {
  const first = command.trim().split(/\s+/)[0];
  return first?.startsWith('/') ? first : undefined;
}

export async function probeSession(exec: Exec, eff: EffectiveConfig, user: UserFacts): Promise<Maybe<SessionFacts>> {
  const out: SessionFacts = {};
  const spec = eff.config.chrootdirectory?.[0];
  const chroot = spec && spec !== 'none' ? expandTokens(spec, user) : undefined;
  if (chroot?.startsWith('/')) {
    const st = await statPaths(exec, ['/', ...prefixes(chroot)]);
    if (typeof st === 'string') return { unknown: st };
    out.chroot = { path: chroot, components: st };
  }
  const command = eff.config.forcecommand?.[0];
  const program = command && command !== 'none' && command !== 'internal-sftp' ? forcedProgram(command) : undefined;
  if (command && program) {
    // Inside a chroot, the program is looked up under it.
    const st = await statPaths(exec, [chroot ? `${chroot.replace(/\/+$/, '')}${program}` : program]);
    if (typeof st === 'string') return { unknown: st };
    out.forceCommand = { command, program: st[0]! };
  }
  return out;
}
