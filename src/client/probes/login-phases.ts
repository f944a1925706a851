// Where a login spends its time, from ssh's own `-v` lines time-stamped as they arrived: name
// lookup, TCP connect, banner wait, key exchange, authentication, session start. Pure.

export interface TimedLine {
  /** Milliseconds since ssh was started. */
  ms: number;
  line: string;
}

export type LoginPhase =
  | 'name lookup'
  | 'TCP connect'
  | 'banner wait'
  | 'key exchange'
  | 'authentication'
  | 'session start';

export interface PhaseTime {
  phase: LoginPhase;
  ms: number;
  /** The longest silence inside the phase: ssh's last line before it, and how long. */
  longestWait?: { ms: number; after: string };
}

export interface LoginTimeline {
  /** The phases ssh reached, in order, each with its duration. */
  phases: PhaseTime[];
  /** Key exchange finished: a working sshd answered, so what follows is slowness, not a dead end. */
  pastKeyExchange: boolean;
}

/** A phase at least this long is reported as slow (loopback and LAN logins take well under a second). */
export const SLOW_PHASE_MS = 3000;

/** The line each phase starts at (the name lookup starts with ssh itself). */
const STARTS: [LoginPhase, RegExp][] = [
  ['TCP connect', /^debug1: (Connecting to |Executing proxy command: )/],
  ['banner wait', /^debug1: Connection established\.$/],
  ['key exchange', /^debug1: Remote protocol version /],
  ['authentication', /^debug1: SSH2_MSG_NEWKEYS received$/],
  ['session start', /^Authenticated to /],
];
/** The session has started once the remote command reports back (or ssh ends). */
const SESSION_END = /^debug1: client_input_channel_req: channel \d+ rtype exit-status /;

/** Phases from timed `ssh -v` lines; endMs is when ssh exited (or was stopped). */
export function loginTimeline(lines: readonly TimedLine[], endMs: number): LoginTimeline {
  const starts: { phase: LoginPhase; index: number }[] = [{ phase: 'name lookup', index: 0 }];
  for (const [i, { line }] of lines.entries()) {
    const next = STARTS.find(([phase, re]) => re.test(line) && !starts.some((s) => s.phase === phase));
    // Only forwards: a phase marker after a later phase (a re-key's NEWKEYS) changes nothing.
    if (next && STARTS.findIndex(([p]) => p === next[0]) >= STARTS.findIndex(([p]) => p === starts.at(-1)!.phase))
      starts.push({ phase: next[0], index: i });
  }
  const sessionEnd = lines.findIndex((l) => SESSION_END.test(l.line));
  const phases: PhaseTime[] = starts.map((s, k) => {
    const last = k + 1 < starts.length ? starts[k + 1]!.index : sessionEnd >= 0 ? sessionEnd : lines.length;
    const from = lines[s.index]?.ms ?? 0;
    const to = lines[last]?.ms ?? endMs;
    let longestWait: PhaseTime['longestWait'];
    for (let i = s.index; i < last; i++) {
      const gap = (lines[i + 1]?.ms ?? endMs) - lines[i]!.ms;
      if (!longestWait || gap > longestWait.ms) longestWait = { ms: gap, after: lines[i]!.line };
    }
    return { phase: s.phase, ms: Math.max(0, to - from), ...(longestWait ? { longestWait } : {}) };
  });
  return {
    phases: lines.length ? phases : [],
    pastKeyExchange: starts.some((s) => s.phase === 'authentication' || s.phase === 'session start'),
  };
}

/** The slowest phase, when it is slow enough to name. */
export function slowPhase(t: LoginTimeline): PhaseTime | undefined {
  const slowest = [...t.phases].sort((a, b) => b.ms - a.ms)[0];
  return slowest && slowest.ms >= SLOW_PHASE_MS ? slowest : undefined;
}

/** What usually makes that phase slow, judged by the line ssh waited after. */
export function slowPhaseHint(p: PhaseTime): string {
  const after = p.longestWait?.after ?? '';
  switch (p.phase) {
    case 'name lookup':
      return 'Your resolver is slow for this name: check /etc/resolv.conf (a dead first nameserver), or give HostName as an address.';
    case 'TCP connect':
      // "Connecting to web [2001:db8::1] port 22.": only an IPv6 address has a colon in that line.
      return /Connecting to .*:/.test(after)
        ? 'An IPv6 address is tried first and does not answer: ssh -4, or AddressFamily inet for this Host.'
        : 'The first address does not answer and ssh waits for it: check which addresses the name has (getent ahosts).';
    case 'banner wait':
      return 'The server is slow to accept: heavy load, MaxStartups throttling, or a TCP wrapper (hosts.allow) looking up your name.';
    case 'key exchange':
      return 'The server is slow at key exchange: a loaded or very slow CPU on the server.';
    case 'authentication':
      if (/SSH2_MSG_SERVICE_ACCEPT/.test(after))
        return "The server looks up your address's name before it answers (UseDNS yes with a slow reverse DNS): set UseDNS no in sshd_config, or fix the reverse zone.";
      if (/gssapi/i.test(after))
        return 'GSSAPI (Kerberos) is tried first and hangs: GSSAPIAuthentication no for this Host in ~/.ssh/config.';
      return 'Authentication waits on the server: PAM modules (LDAP, SSSD, pam_systemd) or a reverse DNS lookup.';
    case 'session start':
      return 'Starting the session is slow on the server: shell startup files (.bashrc, /etc/profile.d), PAM session modules, the motd, or a ForceCommand.';
  }
}
