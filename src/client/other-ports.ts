// Where else to look for SSH when the port is refused: the few usual alternatives and the ports
// named in the user's ssh config, never a sweep. Pure.
export const OTHER_PORTS = [2222, 2200, 22222, 8022];

/** Where else sshd may listen: the usual alternatives plus ports named in ssh config. */
export function otherPortCandidates(refusedPort: number, configPorts: readonly number[]): number[] {
  return [...new Set([...OTHER_PORTS, ...configPorts])].filter((p) => p !== refusedPort);
}
