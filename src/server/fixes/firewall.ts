// The allow rule for the firewall layer that blocks, placed right before the rule that blocks
// (or at the end of the chain when its policy decides), tagged "ssh-doctor" so its undo removes
// exactly that rule. Never a flush, never a policy change. Pure.
import type { Command, Fix } from '../../report.js';
import type { FirewallLayer } from '../facts.js';

export const TAG = 'ssh-doctor';

export interface FirewallPlan {
  commands: Command[];
  undo: Fix['undo'];
  /** Human words for where the rule goes ("INPUT, before rule 3 (DROP)"). */
  where: string;
}

export function allowRule(layer: FirewallLayer, port: number): FirewallPlan | undefined {
  const w = layer.where;
  const p = String(port);
  switch (layer.name) {
    case 'iptables':
    case 'ip6tables': {
      const table = w?.table ?? 'filter';
      const chain = w?.chain ?? 'INPUT';
      const match = ['-p', 'tcp', '--dport', p, '-m', 'comment', '--comment', TAG, '-j', 'ACCEPT'];
      const add = w?.position !== undefined ? ['-I', chain, String(w.position)] : ['-A', chain];
      return {
        commands: [[layer.name, '-t', table, ...add, ...match]],
        undo: [[layer.name, '-t', table, '-D', chain, ...match]],
        where: w?.position !== undefined ? `${chain}, before rule ${w.position}` : `end of ${chain} (its policy blocks)`,
      };
    }
    case 'nftables': {
      if (!w?.family || !w.table) return undefined;
      const at = w.handle !== undefined ? ['insert', 'rule', w.family, w.table, w.chain, 'position', String(w.handle)] : ['add', 'rule', w.family, w.table, w.chain];
      return {
        // --echo --handle prints the new rule's handle: run-fixes journals the exact delete.
        commands: [['nft', '--echo', '--handle', ...at, 'tcp', 'dport', p, 'accept', 'comment', `"${TAG}"`]],
        undo: `nft delete rule ${w.family} ${w.table} ${w.chain} handle <the handle printed when the rule was added>`,
        where: w.handle !== undefined ? `${w.family} ${w.table} ${w.chain}, before handle ${w.handle}` : `end of ${w.family} ${w.table} ${w.chain}`,
      };
    }
    case 'ufw': {
      const add = w?.position !== undefined ? ['insert', String(w.position), 'allow', `${p}/tcp`] : ['allow', `${p}/tcp`];
      return {
        commands: [['ufw', ...add]],
        undo: [['ufw', 'delete', 'allow', `${p}/tcp`]],
        where: w?.position !== undefined ? `ufw, before rule ${w.position}` : 'ufw user rules',
      };
    }
    case 'firewalld': {
      const zone = w?.zone ? [`--zone=${w.zone}`] : [];
      const what = port === 22 ? '--add-service=ssh' : `--add-port=${p}/tcp`;
      const undoWhat = port === 22 ? '--remove-service=ssh' : `--remove-port=${p}/tcp`;
      return {
        commands: [['firewall-cmd', ...zone, what], ['firewall-cmd', '--permanent', ...zone, what]],
        undo: [['firewall-cmd', ...zone, undoWhat], ['firewall-cmd', '--permanent', ...zone, undoWhat]],
        where: `firewalld zone ${w?.zone ?? '(default)'}`,
      };
    }
  }
}

/** The handle nft prints with --echo --handle ("… # handle 7"). */
export function parseNftHandle(stdout: string): number | undefined {
  const m = /#\s*handle\s+(\d+)/.exec(stdout);
  return m ? Number(m[1]) : undefined;
}

/** The nft undo, once the new rule's handle is known. */
export function nftUndo(addCommand: Command, handle: number): Command[] {
  const i = addCommand.findIndex((a) => a === 'rule');
  const [family, table, chain] = addCommand.slice(i + 1, i + 4);
  return [['nft', 'delete', 'rule', family!, table!, chain!, 'handle', String(handle)]];
}
