// `ssh-doctor undo` in a real terminal (tmux): pick the change, see its undo, say yes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireLab, startLab, SERVER_SETUP, type Lab } from './lab.js';
import { fixInLab, STATE } from './fix-lab.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(requireLab())('interactive undo', () => {
  let lab: Lab;
  let sock: string;
  beforeAll(async () => {
    lab = await startLab();
    sock = `${lab.dir}/tmux.sock`;
    await lab.sh(`${SERVER_SETUP(2327)}
chmod 777 /home/alice/.ssh; touch /etc/nologin`);
  });
  afterAll(async () => {
    await lab?.exec(['tmux', '-S', sock, 'kill-server']);
    await lab?.close();
  });

  it('lists the applied changes, reverts the chosen one after "Yes", and only that one', async () => {
    const out = await fixInLab(lab, 2327, ['ssh-dir-permissions', 'nologin-present']);
    expect(out.applied.map((a) => a.result.ok)).toEqual([true, true]);
    const sshDirId = out.applied.find((a) => a.finding === 'ssh-dir-permissions')!.result.journalId!;
    const tmux = (...a: string[]) => lab.exec(['tmux', '-S', sock, ...a]);
    const screen = async () => (await tmux('capture-pane', '-p', '-t', 'u')).stdout;
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 100; i++) {
        const s = await screen();
        if (re.test(s)) return s;
        await sleep(100);
      }
      throw new Error(`screen never matched ${re}:\n${await screen()}`);
    };
    await tmux('new-session', '-d', '-s', 'u', '-x', '150', '-y', '40', 'bash', '-c',
      `env -u CI SSH_DOCTOR_STATE_DIR=${STATE.SSH_DOCTOR_STATE_DIR} node ${CLI} undo; echo "EXIT=$?"; sleep 600`);
    await waitFor(/Which change should be undone\?/);
    for (let i = 0; i < 5 && !new RegExp(`❯ ${sshDirId}`).test(await screen()); i++) {
      await tmux('send-keys', '-t', 'u', 'Down');
      await sleep(200);
    }
    await waitFor(new RegExp(`❯ ${sshDirId}`));
    await tmux('send-keys', '-t', 'u', 'Enter');
    const confirm = await waitFor(/Yes, undo it/);
    expect(confirm).toContain('$ chmod 0777 /home/alice/.ssh');
    await sleep(200);
    await tmux('send-keys', '-t', 'u', 'Down');
    await waitFor(/❯ Yes, undo it/);
    await tmux('send-keys', '-t', 'u', 'Enter');
    const end = await waitFor(/EXIT=\d/);
    expect(end).toMatch(/Undone: .*\/home\/alice\/\.ssh/);
    expect(end).toContain('EXIT=0');
    expect((await lab.sh('stat -c %a /home/alice/.ssh; ls /etc/nologin* | wc -l; test -e /etc/nologin && echo back || echo aside')).stdout.split('\n')).toEqual(['777', '1', 'aside']);
  });
});
