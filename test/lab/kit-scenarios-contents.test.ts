// The console kit on the refusals read from file contents (issue 11): run for real under dash and
// busybox sh in the lab, its block decodes to the same ids `ssh-doctor server --json` finds there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKit } from '../../src/locked-out/kit/decode.js';
import { kitFindings } from '../../src/locked-out/kit/repair.js';
import { kitScript } from '../../src/locked-out/kit/script.js';
import { requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';

const PORT = 2232;
const RESTART = `pkill -x sshd; sleep 0.5; /usr/sbin/sshd -p ${PORT} -o ListenAddress=127.0.0.1 -E /var/log/auth.log`;
const AK = '/home/alice/.ssh/authorized_keys';

const scenarios: { name: string; setup: string; ids: string[] }[] = [
  {
    name: 'her key wrapped over two lines',
    setup: `k=$(cat ${AK}); printf '%s\\n%s\\n' "\${k%"\${k#????????????????????????????????????????}"}" "\${k#????????????????????????????????????????}" > ${AK}`,
    ids: ['sshd-listen-address', 'authorized-keys-malformed', 'sshd-log-refusal'],
  },
  {
    name: 'from="10.0.0.0/8" on her key',
    setup: `sed -i 's|^|from="10.0.0.0/8" |' ${AK}`,
    ids: ['sshd-listen-address', 'authorized-keys-from-restricted', 'sshd-log-refusal'],
  },
  {
    name: 'shell nologin',
    setup: 'usermod -s /usr/sbin/nologin alice',
    ids: ['sshd-listen-address', 'login-shell-nologin'],
  },
  { name: 'chage -d 0', setup: 'chage -d 0 alice', ids: ['sshd-listen-address', 'password-change-required'] },
  {
    name: 'hosts.deny sshd: ALL',
    setup: "echo 'sshd: ALL' > /etc/hosts.deny",
    ids: ['sshd-listen-address', 'tcp-wrappers-deny'],
  },
  {
    name: 'ChrootDirectory %h',
    setup: `printf 'Match User alice\\n  ChrootDirectory %%h\\n' >> /etc/ssh/sshd_config; ${RESTART}`,
    ids: ['sshd-listen-address', 'chroot-directory-unsafe', 'sshd-log-refusal'],
  },
];

const TRY_LOGIN = `ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o ConnectTimeout=3 -p ${PORT} alice@127.0.0.1 true >/dev/null 2>&1 || true; sleep 0.5`;

describe.runIf(requireLab())('console kit: refusals read from file contents', () => {
  for (const sc of scenarios) {
    describe(sc.name, () => {
      let lab: Lab;
      beforeAll(async () => {
        lab = await startLab();
        await lab.sh(SERVER_SETUP(PORT));
        await lab.sh(sc.setup);
        await lab.sh(TRY_LOGIN);
      }, 60_000);
      afterAll(() => lab?.close());

      it(`dash and busybox sh decode to ${sc.ids.join(', ')}, as the server command finds`, async () => {
        const server = await lab.json(['server', '--user', 'alice', '--port', String(PORT)]);
        const serverIds = server.report.findings.map((f: { id: string }) => f.id).sort();
        expect(serverIds).toEqual([...sc.ids].sort());
        for (const shell of [['dash'], ['busybox', 'sh']]) {
          const r = await lab.exec(shell, { input: kitScript('alice', PORT) });
          const ids = kitFindings(decodeKit(r.stdout))
            .map((f) => f.id)
            .sort();
          expect(ids, shell.join(' ')).toEqual(serverIds);
        }
      });
    });
  }
});
