// Where else to look for SSH when the port is refused: the default port, the few usual
// alternatives and the ports named in the user's ssh config, never a sweep. Pure.
// 22 first: a `Port 2222` left in `Host *` (or a stale -p) is refused while sshd answers on 22.
export const OTHER_PORTS = [22, 2222, 2200, 22222, 8022];

/** Where else sshd may listen: the usual alternatives plus ports named in ssh config. */
export function otherPortCandidates(refusedPort: number, configPorts: readonly number[]): number[] {
  return [...new Set([...OTHER_PORTS, ...configPorts])].filter((p) => p !== refusedPort);
}
