// TCP connect per address, then the first line the server sends on that same connection: the
// SSH identification string, or whatever else is listening (mail, web), or nothing at all.
import { Socket } from 'node:net';
import { bindErrorProblem, localAddressFor } from './local-bind.js';
import type { OtherPortResult, BannerOutcome, LocalBind, TcpAttempt, TcpOutcome, TcpResult } from './types.js';

/** How the banner read ended: a full line, the byte limit, FIN, RST, or our own timer. */
export type BannerEnd = 'line' | 'limit' | 'fin' | 'reset' | 'timeout';

/** RFC 4253 caps the identification line at 255 bytes including CR LF. */
const BANNER_LIMIT = 255;

/** What we send to a silent server, and after how long (sshd sends its banner on accept). */
const NUDGE = 'SSH-2.0-ssh_doctor_probe\r\n';
const NUDGE_AFTER_MS = 500;

/** Common places sshd is moved to, tried when the asked-for port refuses. */

export function classifyBanner(data: Buffer | string, end: BannerEnd): { outcome: BannerOutcome; banner?: string } {
  const text = Buffer.isBuffer(data) ? data.toString('latin1') : data;
  if (text.length === 0) {
    // Nothing at all, even after our identification: "silent" (a tarpit, a stuck service).
    const outcome: BannerOutcome = end === 'reset' ? 'reset' : end === 'timeout' ? 'silent' : 'closed';
    return { outcome };
  }
  // Printable only: the line ends up in a terminal and in JSON evidence.
  // eslint-disable-next-line no-control-regex
  const banner = text
    .split('\n')[0]!
    .replace(/[^\x20-\x7e]/g, '')
    .trim();
  // sshd past MaxStartups says this instead of its banner and hangs up: sshd refusing, not another service.
  if (banner === 'Exceeded MaxStartups') return { outcome: 'closed', banner };
  return { outcome: text.startsWith('SSH-') ? 'ssh' : 'other', banner };
}

export function classifyErrno(code: string | undefined): TcpOutcome {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
    case 'EHOSTDOWN':
      return 'unreachable';
    default:
      return 'error';
  }
}

/**
 * One connection from the source address ssh would use (BindAddress / BindInterface): connect and
 * read the first line, both within timeoutMs.
 */
export async function connectAndReadBanner(
  address: string,
  port: number,
  timeoutMs: number,
  bind?: LocalBind,
): Promise<TcpAttempt> {
  const started = performance.now();
  const local = await localAddressFor(bind, address);
  if ('problem' in local)
    return {
      address,
      port,
      ms: Math.round(performance.now() - started),
      outcome: 'bind-failed',
      bindProblem: local.problem,
      ...(local.errno ? { errno: local.errno } : {}),
    };
  const { localAddress } = local;
  return new Promise((done) => {
    const sock = new Socket();
    let connectedMs: number | undefined;
    let chunks: Buffer[] = [];
    let settled = false;
    const finish = (attempt: Omit<TcpAttempt, 'address' | 'port' | 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(nudge);
      sock.destroy();
      done({
        address,
        port,
        ms: Math.round(connectedMs ?? performance.now() - started),
        ...(localAddress ? { localAddress } : {}),
        ...attempt,
      });
    };
    const bannerDone = (end: BannerEnd) => {
      const { outcome, banner } = classifyBanner(Buffer.concat(chunks).subarray(0, BANNER_LIMIT), end);
      finish({
        outcome: 'connected',
        bannerOutcome: outcome,
        ...(banner !== undefined ? { banner } : {}),
        ...(nudged ? { nudged } : {}),
      });
    };
    let timer = setTimeout(() => finish({ outcome: 'timeout' }), timeoutMs);
    let nudged = false;
    let nudge: NodeJS.Timeout | undefined;
    sock.once('connect', () => {
      connectedMs = performance.now() - started;
      clearTimeout(timer);
      // One bound for connect and banner together (the run has one deadline), yet never so little
      // that a server that answers at once could miss it.
      timer = setTimeout(() => bannerDone('timeout'), Math.max(timeoutMs - connectedMs, Math.min(timeoutMs, 1000)));
      // sshd speaks first, at once. Silence means something else, maybe a web server waiting for
      // the client: send our identification, as ssh itself does on connect, to hear what it is.
      nudge = setTimeout(
        () => {
          if (chunks.length === 0 && !settled) {
            nudged = true;
            sock.write(NUDGE);
          }
        },
        Math.min(NUDGE_AFTER_MS, timeoutMs / 4),
      );
    });
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      chunks = [all];
      if (all.includes(0x0a)) bannerDone('line');
      else if (all.length >= BANNER_LIMIT) bannerDone('limit');
    });
    sock.on('end', () => bannerDone('fin'));
    sock.on('error', (e: NodeJS.ErrnoException) => {
      // A SYN answered by RST is ECONNREFUSED; ECONNRESET here means the server accepted and then
      // reset before we saw the connect (ssh too reports it at connect, see fixture banner-reset-at-accept).
      if (connectedMs === undefined && e.code === 'ECONNRESET') connectedMs = performance.now() - started;
      // The connection never left: ssh stops here too ("bind 10.9.9.9: Cannot assign requested address").
      if (connectedMs === undefined && e.syscall === 'bind' && bind && localAddress)
        finish({
          outcome: 'bind-failed',
          bindProblem: bindErrorProblem(bind, localAddress, e.code),
          ...(e.code ? { errno: e.code } : {}),
        });
      else if (connectedMs === undefined)
        finish({ outcome: classifyErrno(e.code), ...(e.code ? { errno: e.code } : {}) });
      else bannerDone(e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : 'fin');
    });
    sock.on('close', () => (connectedMs === undefined ? finish({ outcome: 'error' }) : bannerDone('fin')));
    sock.connect({ host: address, port, ...(localAddress ? { localAddress } : {}) });
  });
}

export async function probeTcp(opts: {
  addresses: readonly string[];
  port: number;
  timeoutMs: number;
  bind?: LocalBind;
}): Promise<TcpResult> {
  const attempts = await Promise.all(
    opts.addresses.map((a) => connectAndReadBanner(a, opts.port, opts.timeoutMs, opts.bind)),
  );
  return { attempts };
}

export async function probeOtherPorts(opts: {
  address: string;
  ports: readonly number[];
  timeoutMs: number;
  bind?: LocalBind;
}): Promise<OtherPortResult[]> {
  const attempts = await Promise.all(
    opts.ports.map((p) => connectAndReadBanner(opts.address, p, opts.timeoutMs, opts.bind)),
  );
  return attempts.map(({ port, outcome, bannerOutcome, banner }) => ({
    port,
    outcome,
    ...(bannerOutcome ? { bannerOutcome } : {}),
    ...(banner !== undefined ? { banner } : {}),
  }));
}
