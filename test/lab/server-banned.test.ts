// address-banned: the person locked out (--from) is banned by fail2ban's sshd jail. fail2ban is
// not installed in the lab, so a stand-in stands for it: a real iptables chain f2b-sshd in the
// lab's network namespace with a REJECT for 127.0.0.2 (what fail2ban's iptables action adds), and
// a stand-in fail2ban-client on PATH that prints `status sshd` in fail2ban's format and edits
// that chain on unbanip/banip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireLab, startLab, type Lab } from './lab.js';
import { aliceSsh, diagnose, finding, PORT, SETUP, sh } from '../server/lab-helpers.js';
import { STATE } from './fix-lab.js';

const STAND_IN = `#!/bin/sh
S=/root/f2b/banned
case "$1 $2" in
  "status sshd")
    n=$(wc -w < $S)
    printf 'Status for the jail: sshd\\n|- Filter\\n|  |- Currently failed:\\t0\\n|  |- Total failed:\\t3\\n|  \`- File list:\\t/var/log/auth.log\\n\`- Actions\\n   |- Currently banned:\\t%s\\n   |- Total banned:\\t%s\\n   \`- Banned IP list:\\t%s\\n' "$n" "$n" "$(tr '\\n' ' ' < $S | sed 's/ $//')" ;;
  "set sshd")
    case "$3" in
      unbanip) grep -vx "$4" $S > $S.new || true; mv $S.new $S; iptables -D f2b-sshd -s "$4/32" -j REJECT; echo 1 ;;
      banip) echo "$4" >> $S; iptables -I f2b-sshd 1 -s "$4/32" -j REJECT; echo 1 ;;
    esac ;;
  *) echo "stand-in: unsupported: $*" >&2; exit 255 ;;
esac
`;
const ENV = { ...STATE, PATH: '/root/f2b:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };

describe.runIf(requireLab())('server: address-banned (fail2ban stand-in)', () => {
  let lab: Lab;
  const loginFrom = async (src: string) =>
    (await lab.exec(aliceSsh(['-b', src, '-o', 'ConnectTimeout=5']))).stdout.trim() === 'alice';

  beforeAll(async () => {
    lab = await startLab();
    await sh(
      lab,
      `${SETUP}
iptables -N f2b-sshd; iptables -A f2b-sshd -s 127.0.0.2/32 -j REJECT; iptables -A f2b-sshd -j RETURN
iptables -I INPUT -p tcp -m multiport --dports ${PORT} -j f2b-sshd
mkdir -p /root/f2b; echo 127.0.0.2 > /root/f2b/banned
cat > /root/f2b/fail2ban-client <<'EOF2'
${STAND_IN}EOF2
chmod 755 /root/f2b/fail2ban-client`,
    );
  });
  afterAll(() => lab?.close());

  it('names the jail; --yes runs the exact unban and 127.0.0.2 gets in; undo bans it again', async () => {
    expect(await loginFrom('127.0.0.2')).toBe(false);
    expect(await loginFrom('127.0.0.1')).toBe(true);
    const { report, ids, exitCode } = await diagnose(lab, ['--from', '127.0.0.2'], ENV);
    expect(ids).toEqual(['address-banned']);
    expect(exitCode).toBe(1);
    const f = finding(report, 'address-banned');
    expect(f.summary).toBe(
      "127.0.0.2 is banned by fail2ban's sshd jail: connections from it are refused before any login.",
    );
    expect(f.evidence).toEqual(['fail2ban-client status sshd: Banned IP list includes 127.0.0.2']);
    expect(report.findings[0].fix).toMatchObject({
      id: 'unban-address',
      commands: [['fail2ban-client', 'set', 'sshd', 'unbanip', '127.0.0.2']],
      undo: [['fail2ban-client', 'set', 'sshd', 'banip', '127.0.0.2']],
    });
    // Without --from, the ban is not this run's question.
    expect((await diagnose(lab, [], ENV)).ids).toEqual([]);

    const fixed = await diagnose(lab, ['--from', '127.0.0.2', '--yes'], ENV);
    expect(fixed.report.applied).toEqual([expect.objectContaining({ fixId: 'unban-address', ok: true })]);
    expect(fixed.ids).toEqual([]);
    expect(await loginFrom('127.0.0.2')).toBe(true);

    const entries = JSON.parse((await lab.cli(['undo', '--list', '--json'], { env: ENV })).stdout).entries as {
      id: string;
      fixId: string;
    }[];
    const e = entries.find((x) => x.fixId === 'unban-address')!;
    expect((await lab.cli(['undo', e.id, '--yes'], { env: ENV })).exitCode).toBe(0);
    expect(await loginFrom('127.0.0.2')).toBe(false);
    expect((await diagnose(lab, ['--from', '127.0.0.2'], ENV)).ids).toEqual(['address-banned']);
  });
});
