// After getting back in: how not to be locked out next time. Pure. Only the backup key is a
// local fix (it runs here); the rest are commands for the server, shown as evidence.
import type { Finding } from '../report.js';
import { pasteStep } from '../shell-quote.js';

export interface PreventionInput {
  user: string;
  port: number;
  /** Where the backup key would go (the command module passes ~/.ssh/id_ed25519_rescue). */
  backupKeyPath: string;
  backupKeyExists: boolean;
}

export const RESCUE_PORT = 2222;

export function preventionAdvice(p: PreventionInput): Finding[] {
  const rescuePort = p.port === RESCUE_PORT ? 2223 : RESCUE_PORT;
  const out: Finding[] = [
    {
      id: 'prevent-second-sshd',
      severity: 'info',
      summary: `Run a second, independent sshd on port ${rescuePort}, so a broken main config or port change does not lock you out.`,
      evidence: [
        'On the server, as root (a copy of the config that still works, on its own port and pid file):',
        `cp /etc/ssh/sshd_config /etc/ssh/sshd_config_rescue`,
        `/usr/sbin/sshd -t -f /etc/ssh/sshd_config_rescue && /usr/sbin/sshd -f /etc/ssh/sshd_config_rescue -p ${rescuePort} -o PidFile=/run/sshd-rescue.pid`,
        `With systemd, make it survive reboots as a socket: systemctl edit --full --force ssh-rescue.socket (ListenStream=${rescuePort}, Accept=yes) and an ssh-rescue@.service running "sshd -i -f /etc/ssh/sshd_config_rescue".`,
        `Open port ${rescuePort} in the firewall (and the cloud firewall) to your address only.`,
      ],
    },
    {
      id: 'prevent-backup-key',
      severity: 'info',
      summary: p.backupKeyExists
        ? `You have a backup key (${p.backupKeyPath}); make sure its .pub is in ${p.user}'s authorized_keys on the server.`
        : `Create a second key kept apart from your daily one, and add it to ${p.user}'s authorized_keys.`,
      evidence: [
        // "<host>" is a placeholder to edit, glued to the quoted "user@" word.
        pasteStep(
          'Once in: ',
          ['ssh-copy-id', '-i', `${p.backupKeyPath}.pub`, '-p', String(p.port), `${p.user}@`],
          '<host>',
        ),
        'Keep a copy of the private key offline (a password manager or a USB stick).',
      ],
      ...(p.backupKeyExists
        ? {}
        : {
            fix: {
              id: 'create-backup-key',
              title: `Create the backup key ${p.backupKeyPath}`,
              // ssh-keygen does not create the directory; -m only applies to one mkdir creates. (No node:path:
              // the flows reach this module.)
              commands: [
                ['mkdir', '-p', '-m', '0700', p.backupKeyPath.slice(0, p.backupKeyPath.lastIndexOf('/')) || '/'],
                ['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'ssh-doctor rescue key', '-f', p.backupKeyPath],
              ],
              risk: 'Low: a new key file on this machine; it has no passphrase, so add one (ssh-keygen -p -f FILE) or keep it offline.',
              undo: [['rm', '-f', p.backupKeyPath, `${p.backupKeyPath}.pub`]],
            },
          }),
    },
    {
      id: 'prevent-keep-session',
      severity: 'info',
      summary:
        'Keep one SSH session open while you change firewalls or sshd, and test with a second one before closing it.',
      evidence: [
        'A firewall change with automatic rollback: iptables-apply (reverts unless you confirm from a new connection).',
        'Or schedule the undo before the change: echo "ufw disable" | at now + 5 minutes (cancel with atrm once a new login works).',
        'Check sshd before reloading: sshd -t && systemctl reload ssh (reload keeps sessions; restart is not needed).',
      ],
    },
  ];
  return out;
}
