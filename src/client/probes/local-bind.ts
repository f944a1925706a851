// BindAddress (-b) and BindInterface (-B): the source address ssh's connection leaves from. The
// direct probes bind the same address, so they test the path ssh takes. Node has no
// SO_BINDTODEVICE, and ssh does not use it either: it binds the interface's address
// (sshconnect.c, check_ifaddrs), which os.networkInterfaces() lists in getifaddrs order.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { LocalBind } from './types.js';

export type LocalAddressChoice = { localAddress?: string } | { problem: string; errno?: string };

const familyName = (family: 4 | 6) => (family === 4 ? 'IPv4' : 'IPv6');

/** Not preferred by ssh: 127.0.0.1 itself, ::1 and fe80::/10 (used only when nothing else fits). */
function localOnly(a: NetworkInterfaceInfo): boolean {
  return a.family === 'IPv4' ? a.address === '127.0.0.1' : a.address === '::1' || /^fe[89ab]/i.test(a.address);
}

/** ssh's choice of an interface's address for a destination of this family, or why there is none. */
export function interfaceAddress(
  name: string,
  family: 4 | 6,
  interfaces: Record<string, NetworkInterfaceInfo[] | undefined>,
): LocalAddressChoice {
  const list = interfaces[name];
  const sshSays = `(ssh says "getifaddrs: ${name}: no suitable addresses")`;
  if (!list?.length)
    return { problem: `BindInterface ${name}: this machine has no interface ${name} that is up ${sshSays}` };
  const fit = list.filter((a) => a.family === familyName(family));
  const pick = fit.find((a) => !localOnly(a)) ?? fit[0];
  if (!pick) return { problem: `BindInterface ${name}: ${name} has no ${familyName(family)} address ${sshSays}` };
  // A link-local address is only one with its interface named.
  return {
    localAddress: pick.family === 'IPv6' && /^fe[89ab]/i.test(pick.address) ? `${pick.address}%${name}` : pick.address,
  };
}

/** A literal BindAddress of the other family than the destination: ssh's getaddrinfo refuses it. */
export function literalMismatch(address: string, family: 4 | 6): string | undefined {
  const f = isIP(address);
  return f !== 0 && f !== family
    ? `BindAddress ${address} is an ${familyName(f as 4 | 6)} address, and the destination is ${familyName(family)}`
    : undefined;
}

/** The source address for a connection to `destination`, as ssh would choose it. */
export async function localAddressFor(
  bind: LocalBind | undefined,
  destination: string,
  interfaces: () => Record<string, NetworkInterfaceInfo[] | undefined> = networkInterfaces,
): Promise<LocalAddressChoice> {
  const family = isIP(destination) === 6 ? 6 : 4;
  if (bind?.address !== undefined) {
    const mismatch = literalMismatch(bind.address, family);
    if (mismatch) return { problem: mismatch };
    if (isIP(bind.address)) return { localAddress: bind.address };
    // ssh resolves a name too (getaddrinfo, AI_PASSIVE, the destination's family); "none" included.
    try {
      return { localAddress: (await lookup(bind.address, { family })).address };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return {
        problem: `BindAddress ${bind.address} does not resolve to an ${familyName(family)} address`,
        ...(code ? { errno: code } : {}),
      };
    }
  }
  if (bind?.interface !== undefined) return interfaceAddress(bind.interface, family, interfaces());
  return {};
}

/** The bind itself failed: a valid address, but not this machine's (EADDRNOTAVAIL), or in use. */
export function bindErrorProblem(bind: LocalBind, localAddress: string, errno: string | undefined): string {
  const setting = bind.address !== undefined ? `BindAddress ${bind.address}` : `BindInterface ${bind.interface}`;
  return errno === 'EADDRNOTAVAIL'
    ? `${setting}: this machine has no address ${localAddress} (ssh says "bind ${localAddress}: Cannot assign requested address")`
    : `${setting}: binding ${localAddress} failed${errno ? ` (${errno})` : ''}`;
}
