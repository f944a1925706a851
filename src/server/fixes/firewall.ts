// The allow rule for the firewall layer that blocks, placed right before the rule that blocks
// (or at the end of the chain when its policy decides), tagged "ssh-doctor" so its undo removes
// exactly that rule. Never a flush, never a policy change. Pure.
import type { Command, Fix } from '../../report.js';
import type { FirewallLayer, UfwRule } from '../facts.js';
import { pasteStep } from '../../shell-quote.js';

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
        where:
          w?.position !== undefined ? `${chain}, before rule ${w.position}` : `end of ${chain} (its policy blocks)`,
      };
    }
    case 'nftables': {
      if (!w?.family || !w.table) return undefined;
      const at =
        w.handle !== undefined
          ? ['insert', 'rule', w.family, w.table, w.chain, 'position', String(w.handle)]
          : ['add', 'rule', w.family, w.table, w.chain];
      return {
        // --echo --handle prints the new rule's handle: run-fixes journals the exact delete.
        commands: [['nft', '--echo', '--handle', ...at, 'tcp', 'dport', p, 'accept', 'comment', `"${TAG}"`]],
        undo: pasteStep(
          '',
          ['nft', 'delete', 'rule', w.family, w.table, w.chain, 'handle'],
          ' <the handle printed when the rule was added>',
        ),
        where:
          w.handle !== undefined
            ? `${w.family} ${w.table} ${w.chain}, before handle ${w.handle}`
            : `end of ${w.family} ${w.table} ${w.chain}`,
      };
    }
    case 'ufw':
      return ufwPlan(layer, port).plan;
    case 'firewalld': {
      const zone = w?.zone ? [`--zone=${w.zone}`] : [];
      const what = port === 22 ? '--add-service=ssh' : `--add-port=${p}/tcp`;
      const undoWhat = port === 22 ? '--remove-service=ssh' : `--remove-port=${p}/tcp`;
      return {
        commands: [
          ['firewall-cmd', ...zone, what],
          ['firewall-cmd', '--permanent', ...zone, what],
        ],
        undo: [
          ['firewall-cmd', ...zone, undoWhat],
          ['firewall-cmd', '--permanent', ...zone, undoWhat],
        ],
        where: `firewalld zone ${w?.zone ?? '(default)'}`,
      };
    }
  }
}

/**
 * What puts the firewall back when step `failedAt` of a two-step firewall fix failed: the undo of
 * the step that ran. ufw's swap deleted the same-spec rule first (its undo re-inserts it, last);
 * firewalld added the runtime rule first (its undo removes it, first).
 */
export function firewallRecovery(fix: Fix, failedAt: number): Command[] {
  if (fix.id !== 'firewall-allow-ssh' || failedAt !== 1 || typeof fix.undo === 'string') return [];
  const first = fix.commands[0]!;
  if (first[0] === 'ufw' && first[1] === 'delete') return fix.undo.slice(1, 2);
  if (first[0] === 'firewall-cmd') return fix.undo.slice(0, 1);
  return [];
}

/** The TCP port an allow rule from allowRule opens, read back from its commands. */
export function allowedPort(commands: readonly Command[]): number | undefined {
  for (const c of commands) {
    const at = c.findIndex((a) => a === '--dport' || a === 'dport');
    if (at >= 0) return Number(c[at + 1]);
    for (const a of c) {
      const m = /^(?:--add-port=)?(\d+)\/tcp$/.exec(a);
      if (m) return Number(m[1]);
      if (a === '--add-service=ssh') return 22;
    }
  }
  return undefined;
}

/**
 * Undoing an allow rule removes the way in on its port. Refused (unless forced) when this very
 * SSH session may have come in that way: its port, or any port when sudo hid SSH_CONNECTION.
 */
export function undoWouldCut(
  fixId: string,
  commands: readonly Command[],
  sessionPort: number | 'unknown' | undefined,
): string | undefined {
  if (fixId !== 'firewall-allow-ssh' || sessionPort === undefined) return undefined;
  const port = allowedPort(commands);
  if (sessionPort !== 'unknown' && port !== sessionPort) return undefined;
  return sessionPort === 'unknown'
    ? `this runs over SSH on a port ssh-doctor cannot see (sudo hides SSH_CONNECTION), and the undo removes the rule that lets port ${port ?? '?'} in`
    : `this SSH session came in on port ${port}, and the undo removes the rule that lets that port in`;
}

/** The handle nft prints with --echo --handle ("… # handle 7"). */
export function parseNftHandle(stdout: string): number | undefined {
  const m = /#\s*handle\s+(\d+)/.exec(stdout);
  return m ? Number(m[1]) : undefined;
}

/** The chain an `nft … add|insert rule FAMILY TABLE CHAIN …` command changes. */
export function nftChainOf(addCommand: Command): { family: string; table: string; chain: string } | undefined {
  const i = addCommand.indexOf('rule');
  const [family, table, chain] = addCommand.slice(i + 1, i + 4);
  return i < 0 || !family || !table || !chain ? undefined : { family, table, chain };
}

/**
 * For a change that may not have happened (journaled pending): the check whether an iptables
 * `-D` undo has a rule to delete (`-C`, same spec: exit 1 means it is not there).
 */
export function ruleCheckFor(undo: Command): Command | undefined {
  const d = undo.indexOf('-D');
  return (undo[0] === 'iptables' || undo[0] === 'ip6tables') && d > 0
    ? [...undo.slice(0, d), '-C', ...undo.slice(d + 1)]
    : undefined;
}

/** The nft undo, once the new rule's handle is known. */
export function nftUndo(addCommand: Command, handle: number): Command[] | undefined {
  const at = nftChainOf(addCommand);
  return at && [['nft', 'delete', 'rule', at.family, at.table, at.chain, 'handle', String(handle)]];
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * ufw: `ufw insert N allow P/tcp`, N the blocking rule's number, so the allow comes first (a plain
 * `ufw allow` appends and an earlier DENY still wins); given a v4 number, ufw itself puts the (v6)
 * twin before the blocking rule's (v6) twin. ufw will not insert a rule whose spec already exists
 * under another action ("Skipping inserting existing rule"; a plain allow would turn `deny P/tcp`
 * into ALLOW, and its undo would then delete the original): that rule is deleted and the allow
 * inserted, and the undo deletes the allow and re-inserts that rule at its old number. When that
 * cannot be exact, no plan, and `refused` says why in one sentence.
 */
export function ufwPlan(layer: FirewallLayer, port: number): { plan?: FirewallPlan; refused?: string } {
  const spec = `${port}/tcp`;
  const rules = layer.ufwRules;
  const isDefault = !layer.rule || layer.rule.startsWith('Default:') || layer.rule.startsWith('default:');
  if (isDefault) {
    // Only the policy blocks: appending is enough, and no v4 rule shares the spec (it would decide).
    return {
      plan: {
        commands: [['ufw', 'allow', spec]],
        undo: [['ufw', 'delete', 'allow', spec]],
        where: 'ufw, after its rules (the default policy blocks)',
      },
    };
  }
  const blocker = rules?.find((r) => squash(r.text) === squash(layer.rule!));
  if (!rules || !blocker)
    return {
      refused: `ufw status numbered did not show the blocking rule's number, so an allow could not be placed before it.`,
    };
  const n = blocker.n;
  const v4 = rules.filter((r) => !r.v6);
  const v6 = rules.filter((r) => r.v6);
  const same = (r: UfwRule, six: boolean) =>
    r.to === (six ? `${spec} (v6)` : spec) &&
    r.from === (six ? 'Anywhere (v6)' : 'Anywhere') &&
    / IN$|^\w+$/.test(r.action);
  const clash = v4.find((r) => same(r, false));
  if (!clash) {
    return {
      plan: {
        commands: [['ufw', 'insert', String(n), 'allow', spec]],
        undo: [['ufw', 'delete', 'allow', spec]],
        where: `ufw, before rule ${n}`,
      },
    };
  }
  const m = clash.n;
  const what = `ufw rule ${m} (${squash(clash.text)})`;
  if (blocker.v6)
    return {
      refused: `${what} has the same spec as the allow, and the blocking rule ${n} is an IPv6 one, so ssh-doctor cannot swap them exactly; reorder them by hand.`,
    };
  if (clash.extra)
    return {
      refused: `${what} has the same spec as the allow and carries a log or comment setting that its undo could not restore exactly; reorder the rules by hand.`,
    };
  const twin = v6.find((r) => same(r, true) && r.action === clash.action);
  if (v6.length && !twin)
    return {
      refused: `${what} has the same spec as the allow but no (v6) twin, so deleting and re-adding it would not be exact; reorder the rules by hand.`,
    };
  const lastV4 = m === v4.length;
  if (lastV4 && twin && twin !== v6[v6.length - 1])
    return {
      refused: `${what} is the last IPv4 rule but its (v6) twin is not the last IPv6 rule, so re-adding it on undo would not be exact; reorder the rules by hand.`,
    };
  const act = clash.action.replace(/ IN$/, '').toLowerCase();
  // After deleting rule m, number n is past the end only when m was the last rule and n === m.
  const put = (verb: string, at: number, last: boolean) =>
    last ? ['ufw', verb, spec] : ['ufw', 'insert', String(at), verb, spec];
  return {
    plan: {
      commands: [['ufw', 'delete', act, spec], put('allow', n, lastV4 && n === m)],
      undo: [['ufw', 'delete', 'allow', spec], put(act, m, lastV4)],
      where:
        m === n
          ? `ufw, replacing rule ${n} (${squash(clash.text)}); undo puts it back`
          : `ufw, before rule ${n}, moving rule ${m} (${squash(clash.text)}) there; undo puts it back`,
    },
  };
}
