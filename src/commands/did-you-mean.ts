// `ssh-doctor sever` (near-mode.ts) is far more often a typo of a mode than a host called "sever": say so, but
// only when the word is no Host in the user's ssh config and no name that resolves.
import { lookup } from 'node:dns/promises';
import { run } from '../run.js';

/** A name no Host block could match: what ssh -G prints for it is what no config says. */
const NOWHERE = 'ssh-doctor-no-such-host.invalid';

/** The settings ssh -G prints for a name, without the lines that only echo the name itself. */
async function sshSettings(name: string): Promise<string | undefined> {
  const r = await run(['ssh', '-G', '--', name], { timeoutMs: 5000 });
  if (r.exitCode !== 0) return undefined;
  return r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('host ') && l !== `hostname ${name.toLowerCase()}`)
    .join('\n');
}

/** Is the word a Host in the user's ssh config (any setting differs from a name no block matches), or a name that resolves? */
export async function knownHost(word: string): Promise<boolean> {
  const [mine, nowhere] = await Promise.all([sshSettings(word), sshSettings(NOWHERE)]);
  if (mine !== undefined && nowhere !== undefined && mine !== nowhere) return true;
  const timeout = new Promise<false>((r) => setTimeout(() => r(false), 3000).unref());
  return Promise.race([
    lookup(word).then(
      () => true,
      () => false,
    ),
    timeout,
  ]);
}
