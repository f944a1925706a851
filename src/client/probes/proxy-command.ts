// ProxyCommand: ssh hands the connection to a program (AWS SSM, GCP IAP, cloudflared, a bastion's
// `ssh -W`), so a direct TCP probe of HostName would test a path ssh never takes. The login
// attempt runs the user's command inside a small wrapper of ours that keeps its stderr and exit
// status apart from ssh's: they are the evidence when the proxy is what fails. Pure, except for
// the wrapper text, which runs under the user's shell the way ssh runs a ProxyCommand.

import type { ProxyOutcome } from './types.js';

/**
 * ProxyCommand's tokens as ssh expands them (ssh_config TOKENS: "ProxyCommand and ProxyJump
 * accept the tokens %%, %h, %n, %p, and %r"). An unknown token is left as it is; ssh would refuse
 * the config, and `ssh -G` already let it through.
 */
export function expandProxyTokens(
  template: string,
  t: { host: string; port: number; user: string; alias: string },
): string {
  const values: Record<string, string> = {
    '%': '%',
    h: t.host,
    n: t.alias.slice(t.alias.lastIndexOf('@') + 1),
    p: String(t.port),
    r: t.user,
  };
  return template.replace(/%(.)/g, (all, c: string) => values[c] ?? all);
}

/**
 * The wrapper ssh runs as its ProxyCommand. ssh runs a ProxyCommand as `$SHELL -c "exec CMD"`;
 * so does this, in the background with ssh's stdin given back (a background job's stdin is
 * /dev/null before any redirection of its own, hence the copy on fd 9 taken first). ssh ends a
 * proxy with SIGHUP when it is done with it: the trap passes that on, and only an exit of the
 * command's own is written down.
 */
export const PROXY_WRAPPER = `d=$(dirname "$0")
exec 9<&0
"\${SHELL:-/bin/sh}" -c "exec $(cat "$d/proxy.cmd")" <&9 9<&- 2>"$d/proxy.err" &
c=$!
exec 9<&-
trap 'kill -HUP "$c" 2>/dev/null; exit 129' HUP TERM INT
wait "$c"
echo "$?" >"$d/proxy.status"
`;

/** The wrapper's files (status text, stderr text) reduced to what the verdict needs. */
export function parseProxyFiles(command: string, status: string | undefined, stderr: string): ProxyOutcome {
  const code = status === undefined ? Number.NaN : Number.parseInt(status.trim(), 10);
  return {
    command,
    ...(Number.isInteger(code) ? { exitStatus: code } : {}),
    stderr: stderr
      .split(/\r?\n/)
      .map((l) => l.trimEnd())
      .filter(Boolean)
      .slice(-20),
  };
}

/** Why the proxy failed, in words, from what it left behind. */
export function proxyFailure(p: ProxyOutcome): string {
  if (p.exitStatus === 127) return 'its program was not found';
  if (p.exitStatus === 126) return 'its program cannot be run';
  if (p.exitStatus !== undefined) return `it exited with status ${p.exitStatus}`;
  if (p.stderr.length) return 'it printed an error';
  return 'no SSH server answered through it';
}

/**
 * Through a jump host, ssh runs `ssh -W target` there; when the jump host cannot open the
 * connection onward, that hop says so ("channel 0: open failed: connect failed: Connection
 * refused", then "stdio forwarding failed") and ssh then only sees the pipe close. The reason is
 * the jump host's view of the target.
 */
export function hopFailure(stderr: string): { reason: string; evidence: string[] } | undefined {
  const lines = stderr.split(/\r?\n/).map((l) => l.trimEnd());
  const open = lines.map((l) => /^channel \d+: open failed: (.+)$/.exec(l)).find(Boolean);
  if (!open) return undefined;
  return {
    reason: open[1]!,
    evidence: lines.filter((l) => /^channel \d+: open failed: |^stdio forwarding failed$/.test(l)),
  };
}
