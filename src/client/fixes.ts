// The client-side fixes: small, local, each with its exact commands and its undo.
import { formatMode, type Fix } from '../report.js';
import { backupStamp } from '../fixes/backup.js';

/** The client's fix ids (README); src/client/actors.ts holds how each is checked after it ran. */
export type ClientFixId = 'chmod-private-key' | 'remove-stale-host-key';

export function chmodKeyFix(path: string, oldMode: number): Fix {
  return {
    id: 'chmod-private-key' satisfies ClientFixId,
    title: `Make ${path} readable by you only (0600)`,
    commands: [['chmod', '0600', path]],
    risk: 'Low: only the permission bits of your own key file change.',
    undo: [['chmod', formatMode(oldMode), path]],
  };
}

export function removeKnownHostFix(
  name: string,
  files: readonly string[],
  newFingerprint?: string,
  now = new Date(),
): Fix {
  const stamp = backupStamp(now);
  const backups = files.map((f) => `${f}.ssh-doctor-${stamp}`);
  return {
    id: 'remove-stale-host-key' satisfies ClientFixId,
    title: `Forget the stored host key of ${name}${newFingerprint ? ` (the next login will show ${newFingerprint})` : ''}`,
    commands: files.flatMap((f, i) => [
      ['cp', '-p', f, backups[i]!],
      ['ssh-keygen', '-R', name, '-f', f],
    ]),
    risk: 'Only do this if you know the server was reinstalled or re-keyed; otherwise you may be trusting an attacker. The next login asks you to accept the new key.',
    undo: files.map((f, i) => ['cp', '-p', backups[i]!, f]),
  };
}

/** Files whose content a client fix rewrites (`ssh-keygen -R … -f FILE`). */
export function rewrittenFiles(fix: Fix): string[] {
  return fix.commands.filter((c) => c[0] === 'ssh-keygen' && c[1] === '-R').map((c) => c[c.length - 1]!);
}
