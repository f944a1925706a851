// The console kit: a POSIX sh script the user pastes into a serial/web console. It only reads,
// and prints one block to paste back (decode.ts turns it into ServerFacts).
//
// Constraints, because it is pasted into an interactive shell over a slow console:
// - as short as it can be (serial consoles drop characters on long pastes): it grew past 4 KB
//   with the checks of authorized_keys contents, TCP wrappers and the chroot;
// - no tab characters (an interactive shell would complete on them) and no "!" (bash history);
// - POSIX sh only: runs under dash and busybox sh; every optional tool guarded by `command -v`;
// - the output is ASCII with short lines: gzip | base64 when both exist, else filtered text.
// - the checks run only if their text arrived whole (selfCheckingKit);
// - the block is printed by one command (o), so an interactive shell's prompts cannot land inside it;
// - its last line before END is ":::sum CRC LENGTH" (cksum of the lines in between), so a block
//   changed in copying (borders, lines broken at the screen's width) is refused, not misread.
// Sections are ":::name [status] [args]" followed by a command's raw output.
import { parsePort, UsageError } from '../../errors.js';
import { AUTHORIZED_KEYS_MAX_BYTES } from '../../server/probes/auth-files.js';
import { SAMPLE_CLIENT } from '../../server/probes/effective.js';
import { LOG_TAIL_BYTES } from '../../server/probes/logs.js';
import { cksum } from './cksum.js';

export const KIT_BEGIN = '-----BEGIN SSH-DOCTOR KIT-----';
export const KIT_END = '-----END SSH-DOCTOR KIT-----';
/** The block's checksum line: `:::sum` and what `cksum` printed for the lines between it and "z"/"t". */
export const KIT_SUM = 'sum';
/** stat format with "|" instead of tabs: tabs do not survive terminal copy and paste. */
export const KIT_STAT_FORMAT = '%F|%a|%u|%g|%U|%G|%n';
/** The same sample client the server probe hands to `sshd -T -C`. */
export const KIT_CLIENT = `host=${SAMPLE_CLIENT.host},addr=${SAMPLE_CLIENT.addr}`;

const BODY = String.raw`h(){ command -v "$1" >/dev/null 2>&1;}
s(){ echo ":::$*";}
r(){ n=$1;shift;h "$1"||{ s $n 127;return 127;};o=$("$@" 2>&1);e=$?;s $n $e;[ -n "$o" ]&&printf '%s\n' "$o";return $e;}
t(){ h stat&&stat -L -c '${KIT_STAT_FORMAT}' -- "$@" 2>/dev/null;}
c(){
s v 1;s u $U;s p $P;s id $(id -u)
S=;for x in /usr/sbin/sshd /usr/local/sbin/sshd /sbin/sshd /usr/bin/sshd;do [ -x $x ]&&{ S=$x;break;};done
s sshd $S
h dpkg-query&&r pkg dpkg-query -W -f '$${'{'}Package} $${'{'}Version}' openssh-server
r ps ps -C sshd -o pid=,ppid=,stat=,args=
s pid1 $(cat /proc/1/comm 2>/dev/null)
h systemctl&&r en systemctl is-enabled ssh.service
A=;K=;if [ -n "$S" ];then r t $S -t
T=$($S -T -C user=$U,${KIT_CLIENT} 2>&1);e=$?;s T $e
[ $e = 0 ]||printf '%s\n' "$T"|head -n 3
printf '%s\n' "$T"|grep -Ei '^(port|listenaddress|hostkey|authorizedkeysfile|pubkey(authentication|acceptedalgorithms)|passwordauthentication|kbdinteractiveauthentication|usepam|strictmodes|permitrootlogin|(allow|deny)(users|groups)|usedns|pidfile|chrootdirectory|forcecommand) '
A=$(printf '%s\n' "$T"|sed -n 's/^authorizedkeysfile //p');K=$(printf '%s\n' "$T"|sed -n 's/^hostkey //p')
C=$(printf '%s\n' "$T"|sed -n 's/^chrootdirectory //p');Q=$(printf '%s\n' "$T"|sed -n 's/^forcecommand //p'|cut -d' ' -f1)
h ldd&&ldd $S|grep -q libwrap&&for f in allow deny;do s w$f;head -c 65536 /etc/hosts.$f 2>/dev/null;done;fi
h ss&&r ss ss -tlnpH||r ns netstat -tlnp
r ipt iptables -w 2 -S -t filter
r ip6 ip6tables -w 2 -S -t filter
r nft nft -j list ruleset
r ufw ufw status verbose
r fwd firewall-cmd --state&&r fwl firewall-cmd --list-all
r pw getent passwd $U
# A refusing shell is fixed with the one new accounts get, when /etc/shells lists it.
case $(getent passwd $U|cut -d: -f7) in */nologin|*/false)s sl;head -c 65536 /etc/shells;r ud useradd -D;;esac
r gr id -Gn $U
r sh getent shadow $U
H=$(getent passwd $U|cut -d: -f6)
[ -n "$A" ]||A='.ssh/authorized_keys .ssh/authorized_keys2'
F=;for k in $A;do case $k in /*);;*)k=$H/$k;;esac
k=$(printf '%s' "$k"|sed "s|%h|$H|g;s|%u|$U|g");F="$F $k";[ -f "$k" ]&&{ z=$(stat -L -c %s -- "$k");[ "$${'{'}z:-0}" -gt ${AUTHORIZED_KEYS_MAX_BYTES} ]&&s big $z $k||s keys $(grep -cv -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$k") $k;};done
D=;for k in $F;do d=$k;until [ "$d" = / ];do d=$${'{'}d%/*};[ -n "$d" ]||d=/;D="$D $d";done;done
# Key lines (files up to 64 KiB) are read as the user, as sshd does: a link of theirs reaches nothing of root's.
h setpriv&&for k in $F;do [ -f "$k" ]&&[ "$(stat -L -c %s -- "$k")" -le 65536 ]&&{ s kc $k;setpriv --reuid=$U --regid=$(id -g $U) --init-groups cat -- "$k";echo;};done
C=$(printf '%s' "$C"|sed "s|%h|$H|g;s|%u|$U|g");case $C in /*)d=$C;until [ "$d" = / ];do D="$D $d";d=$${'{'}d%/*};[ -n "$d" ]||d=/;done;s ch $C;;esac
case $Q in /*)D="$D $${'{'}C#none}$Q";;esac
s stat
t /run/sshd /etc/nologin /run/nologin /usr/sbin/sshd /run/systemd/system /run/openrc /sbin/openrc-run /usr/sbin/service /etc/init.d/ssh /etc/init.d/sshd $${'{'}K:-/etc/ssh/ssh_host_rsa_key /etc/ssh/ssh_host_ecdsa_key /etc/ssh/ssh_host_ed25519_key} $F $D
for f in /etc/ssh/sshd_config /etc/ssh/sshd_config.d/*.conf;do [ -f $f ]&&{ s cf $f;cat $f;echo;};done
G=$(echo $(t $F $D|cut -d'|' -f4|sort -u))
for g in $G;do r grp getent group $g;done
s pwg;getent passwd|while IFS=: read a b i g e;do case " $G " in *" $g "*)echo "$a:$b:$i:$g:$e";;esac;done
for f in /etc/nologin /run/nologin;do [ -f $f ]&&{ s nl $f;head -c 200 $f;echo;};done
E='refused|not allowed|Invalid user|Access denied|Bind to port|bind any|host key|hostkeys|privilege separation|Could not open|ROOT LOGIN|fatal: |too open|closed by authenticating|permitted host|bad ownership|MaxStartups'
J=;h journalctl&&J=$(journalctl -u ssh -u sshd -n 300 --no-pager -q -o short 2>/dev/null)||J=
if [ -n "$J" ];then s log journalctl;printf '%s\n' "$J"|grep -E "$E"|tail -n 20;return;fi
for f in /var/log/auth.log /var/log/secure;do [ -f $f ]&&{ [ -r $f ]||{ s log - $f;return;};s log $f;tail -c ${LOG_TAIL_BYTES} $f|grep -E "$E"|tail -n 20;return;};done
}
o(){ echo '${KIT_BEGIN}'
if h gzip&&h base64;then echo z;B=$(c 2>&1|gzip -9|base64);else echo t;B=$(c 2>&1|LC_ALL=C tr -cd '\12\40-\176'|sed 's/ *$//');fi
printf '%s\n' "$B";h cksum&&s ${KIT_SUM} $(printf '%s\n' "$B"|cksum)
echo '${KIT_END}';}
o
`;

const USER_RE = /^[a-z_][a-z0-9_.-]{0,31}$/i;

/** User names the kit can carry unquoted in sh; `ssh-doctor locked-out` checks --user with this too. */
export function kitUserProblem(user: string): string | undefined {
  return USER_RE.test(user) ? undefined : `"${user}" is not a user name the console kit can check`;
}

/** The kit's checks for one user and port: the values are checked so they can sit unquoted in sh. */
export function kitBody(user: string, port: number): string {
  const problem = kitUserProblem(user);
  if (problem) throw new UsageError(`${problem}.`);
  parsePort(String(port));
  return `U=${user} P=${port}\n${BODY}`;
}

/** Printed instead of running a kit whose text changed between the screen and the console. */
export const KIT_DAMAGED = 'The kit was changed in copying: copy all of it again (or paste the one line instead).';

const HEREDOC_END = 'SSH_DOCTOR_KIT_END';

/**
 * The kit as pasted: its checks held in a here-document and run only if their cksum is the one
 * printed here. A kit damaged in copying (a line broken or cut by the console, characters dropped)
 * would otherwise run half and print a well-formed block of wrong facts.
 */
export function selfCheckingKit(body: string, title: string): string {
  if (body.split('\n').includes(HEREDOC_END)) throw new Error('the kit body holds its own end marker');
  // $(...) drops the body's final newline; printf puts it back, so cksum sees the body as written.
  return `# ${title}\n# Paste all of it into a root shell; copy the block it prints back to ssh-doctor.\nK=$(cat <<'${HEREDOC_END}'\n${body}${HEREDOC_END}\n)\nif [ "$(printf '%s\\n' "$K"|cksum)" = "${cksum(body)}" ];then sh -c "$K";else echo '${KIT_DAMAGED}';fi\n`;
}

/** The kit for one user and port, as printed and saved. */
export function kitScript(user: string, port: number): string {
  return selfCheckingKit(
    kitBody(user, port),
    `ssh-doctor console kit: read-only checks of sshd for ${user}, port ${port}.`,
  );
}
