// Presentation only: renders the locked-out flow's state and turns choices and typing into events.
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import Spinner from 'ink-spinner';
import { useSelector } from '@xstate/react';
import type { Actor, SnapshotFrom } from 'xstate';
import type { lockedOutFlow } from '../../../flows/locked-out.js';
import { kitOneLiner } from '../../locked-out/kit/one-liner.js';
import { KIT_END, kitScript } from '../../locked-out/kit/script.js';
import { KIT_INPUT_MAX_BYTES } from '../../locked-out/kit/decode.js';
import { PROVIDERS, providerById, type Provider, type ProviderId } from '../../locked-out/providers.js';
import { targetFieldProblem, targetFields } from '../../locked-out/target-fields.js';
import { inert } from '../../inert.js';
import { Choice } from '../shared/Choice.js';
import { Confirm } from '../shared/Confirm.js';
import { FindingView } from '../shared/FindingView.js';
import { FixPreview } from '../shared/FixPreview.js';
import { ProbeList } from '../shared/ProbeList.js';
import { TextField } from '../shared/TextField.js';
import { useInteractive } from '../shared/use-interactive.js';

type FlowActor = Actor<typeof lockedOutFlow>;

export function LockedOutApp({ actor }: { actor: FlowActor }) {
  const state = useSelector(actor, (s) => s);
  const ctx = state.context;
  const provider = ctx.provider ? providerById(ctx.provider) : undefined;
  const busy = (label: string) => (
    <Text color="cyan">
      <Spinner type="dots" /> {label}
    </Text>
  );
  return (
    <Box flexDirection="column">
      <Text bold>ssh-doctor: locked out{provider ? ` (${provider.label})` : ''}</Text>
      {state.matches('chooseProvider') && (
        <Box flexDirection="column">
          <Text>Where does the host live?</Text>
          <Choice<ProviderId>
            items={PROVIDERS.map((p) => ({ label: p.label, value: p.id }))}
            onSelect={(id) => actor.send({ type: 'CHOOSE', provider: id })}
          />
        </Box>
      )}
      {state.matches('askTarget') && provider && (
        <TargetForm provider={provider} initial={ctx.input.target ?? {}} actor={actor} />
      )}
      {state.matches('checking') && busy(`Asking ${provider?.cli} about the instance (read-only)…`)}
      {ctx.check && <Text>{inert(ctx.check.detail)}</Text>}
      {ctx.probes.length > 0 && <ProbeList probes={ctx.probes} />}
      {ctx.fixOutcomes.map((o, i) => (
        <Text key={i} color={o.ok ? 'green' : 'red'}>
          {o.fixId}: {o.ok ? 'applied' : 'failed'} {inert(o.log.at(-1) ?? '')}
        </Text>
      ))}
      {ctx.error && <Text color="yellow">{inert(ctx.error)}</Text>}
      {state.can({ type: 'CONFIRM' }) && ctx.queue[0] && (
        <Box flexDirection="column">
          {ctx.findings
            .filter((f) => f.fix?.id === ctx.queue[0]!.id)
            .map((f) => (
              <FindingView key={f.id} finding={f} />
            ))}
          <FixPreview fix={ctx.queue[0]} />
          {/* A new key per fix puts the cursor back on "No". */}
          <Confirm
            key={ctx.queue[0].id}
            message="Run this command now?"
            labels={{ no: 'No, leave it', yes: 'Yes, run it' }}
            onAnswer={(yes) => actor.send({ type: yes ? 'CONFIRM' : 'DECLINE' })}
          />
        </Box>
      )}
      {state.matches('steps') && provider && <StepsMenu provider={provider} actor={actor} />}
      {(state.matches('savingKit') || state.matches('decoding')) &&
        busy(state.matches('savingKit') ? 'Writing the console kit…' : 'Reading the result…')}
      {state.matches('awaitResult') && (
        <Box flexDirection="column">
          <Text bold>Console kit — paste this into the console as root:</Text>
          <KitText user={ctx.input.user} port={ctx.input.port} />
          {ctx.kitPath && <Text>Saved to {ctx.kitPath}</Text>}
          <PasteBox
            onPaste={(text) => actor.send({ type: 'PASTE', text })}
            onSkip={() => actor.send({ type: 'SKIP' })}
          />
        </Box>
      )}
      {state.matches('repair') && ctx.kit && (
        <Box flexDirection="column">
          {ctx.kit.warning && <Text color="yellow">⚠ {ctx.kit.warning}</Text>}
          {ctx.kit.findings.length === 0 && (
            <Text color="green">✔ The kit found nothing on the server that stops sshd from letting you in.</Text>
          )}
          {ctx.kit.findings.map((f) => (
            <FindingView key={f.id} finding={f} />
          ))}
          {ctx.kit.repair && (
            <Box flexDirection="column" marginTop={1} borderStyle="round" paddingX={1}>
              <Text bold>Paste these into the console (as root) to repair:</Text>
              <Text color="cyan">{ctx.kit.repair}</Text>
            </Box>
          )}
          <Choice
            items={[{ label: 'Next: how not to be locked out again', value: 'next' }]}
            onSelect={() => actor.send({ type: 'NEXT' })}
          />
        </Box>
      )}
      {(state.matches('prevention') || state.matches('preventionShown')) && <Prevention state={state} actor={actor} />}
    </Box>
  );
}

/** The advice; the fixes the flow still lets through are previewed and offered after "Done". */
function Prevention({ state, actor }: { state: SnapshotFrom<typeof lockedOutFlow>; actor: FlowActor }) {
  const offered = state.context.prevention.flatMap((f) =>
    f.fix && state.can({ type: 'APPLY', fixId: f.fix.id }) ? [f.fix] : [],
  );
  return (
    <Box flexDirection="column">
      <Text bold>Next time:</Text>
      {state.context.prevention.map((f) => (
        <Box key={f.id} flexDirection="column">
          <FindingView finding={f} />
          {f.fix && offered.includes(f.fix) && <FixPreview fix={f.fix} />}
        </Box>
      ))}
      {/* Choosing a fix here applies it: "Done" comes first so Enter pressed in haste changes nothing. */}
      <Choice
        items={[{ label: 'Done', value: 'done' }, ...offered.map((fix) => ({ label: fix.title, value: fix.id }))]}
        onSelect={(v) => actor.send(v === 'done' ? { type: 'DONE' } : { type: 'APPLY', fixId: v })}
      />
    </Box>
  );
}

/** The kit's text; a value the kit refuses is shown as its one sentence (render must not throw). */
function KitText({ user, port }: { user: string; port: number }) {
  try {
    const script = kitScript(user, port);
    const one = kitOneLiner(script);
    return (
      <Box flexDirection="column">
        <Text dimColor>{script}</Text>
        <Text>Or paste this one line instead (it runs the kit only if its cksum is {one.sum}):</Text>
        <Text>{one.command}</Text>
      </Box>
    );
  } catch (e) {
    return <Text color="yellow">{(e as Error).message}</Text>;
  }
}

function StepsMenu({ provider, actor }: { provider: Provider; actor: FlowActor }) {
  const [pasting, setPasting] = useState(false);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>Ways into {provider.label} without SSH:</Text>
      {provider.routes.map((r, i) => (
        <Box key={r.id} flexDirection="column" marginTop={1}>
          <Text bold>
            {i + 1}. {r.title}
          </Text>
          <Text dimColor> Needs: {r.needs}</Text>
          {r.steps.map((s, j) => (
            <Box key={j} flexDirection="column">
              {s.text && (
                <Text>
                  {'   '}
                  {i + 1}.{j + 1} {s.text}
                </Text>
              )}
              {s.command && (
                <Text color="cyan">
                  {'       $ '}
                  {s.command}
                </Text>
              )}
            </Box>
          ))}
        </Box>
      ))}
      {pasting ? (
        <PasteBox onPaste={(text) => actor.send({ type: 'PASTE', text })} onSkip={() => setPasting(false)} />
      ) : (
        <Choice
          items={[
            { label: 'Show the console kit to paste once you are in', value: 'kit' },
            { label: 'I already have a kit result to paste', value: 'paste' },
            { label: 'Next: how not to be locked out again', value: 'next' },
          ]}
          onSelect={(v) => (v === 'paste' ? setPasting(true) : actor.send({ type: v === 'kit' ? 'KIT' : 'NEXT' }))}
        />
      )}
    </Box>
  );
}

/** Collects a pasted block (it arrives in pieces) until the kit's END line. */
function PasteBox({ onPaste, onSkip }: { onPaste: (text: string) => void; onSkip: () => void }) {
  const [text, setText] = useState('');
  useInput(
    (input, key) => {
      if (key.escape) return onSkip();
      const next = text + (key.return ? '\n' : input.replace(/\r/g, '\n'));
      // Decoding refuses that much in one sentence; the box starts over rather than grow without end.
      if (next.length > KIT_INPUT_MAX_BYTES) {
        setText('');
        return onPaste(next);
      }
      setText(next);
      if (next.includes(KIT_END)) onPaste(next);
    },
    { isActive: useInteractive() },
  );
  const lines = text.split('\n').filter(Boolean).length;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>Paste the block the kit printed (from BEGIN to END); Esc to skip.</Text>
      <Text color="cyan">{lines ? `${lines} lines received…` : '›'}</Text>
    </Box>
  );
}

/** One question at a time; an empty required answer skips the CLI check. */
function TargetForm({
  provider,
  initial,
  actor,
}: {
  provider: Provider;
  initial: Record<string, string | number | undefined>;
  actor: FlowActor;
}) {
  const fields = targetFields(provider.id);
  const [i, setI] = useState(0);
  const [answers, setAnswers] = useState<Record<string, string>>(
    () =>
      Object.fromEntries(Object.entries(initial).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
  );
  const field = fields[i]!;
  return (
    <Box flexDirection="column">
      <Text>
        {provider.cli} can check the instance and its firewall (read-only). Empty answer or Esc: skip to the console
        steps.
      </Text>
      <TextField
        key={field.key}
        label={field.label}
        defaultValue={answers[field.key]}
        validate={(v) => targetFieldProblem(field.key, v)}
        onCancel={() => actor.send({ type: 'SKIP' })}
        onSubmit={(v) => {
          if (!v && !field.optional) return actor.send({ type: 'SKIP' });
          const next = { ...answers, [field.key]: v };
          setAnswers(next);
          if (i + 1 < fields.length) return setI(i + 1);
          const given = Object.fromEntries(Object.entries(next).filter(([, x]) => x)) as {
            instance: string;
            myIp: string;
          };
          actor.send({ type: 'TARGET', target: given });
        }}
      />
    </Box>
  );
}
