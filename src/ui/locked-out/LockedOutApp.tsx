// Presentation only: renders the locked-out flow's state and turns choices and typing into events.
// What is settled (steps, the kit, findings, repair commands) is printed once; the kit and every
// command as plain lines, to be copied into a console.
import { useReducer, useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import Spinner from 'ink-spinner';
import { useSelector } from '@xstate/react';
import type { Actor, SnapshotFrom } from 'xstate';
import type { lockedOutFlow } from '../../../flows/locked-out.js';
import { kitOneLiner } from '../../locked-out/kit/one-liner.js';
import { KIT_END, kitBody, kitScript } from '../../locked-out/kit/script.js';
import { KIT_INPUT_MAX_BYTES } from '../../locked-out/kit/decode.js';
import { PROVIDERS, providerById, type Provider, type ProviderId } from '../../locked-out/providers.js';
import { targetFieldProblem, targetFields } from '../../locked-out/target-fields.js';
import { inert } from '../../inert.js';
import { shellTextLines } from '../../shell-quote.js';
import { Choice } from '../shared/Choice.js';
import { Confirm } from '../shared/Confirm.js';
import { findingParts } from '../shared/FindingView.js';
import { fixParts } from '../shared/FixPreview.js';
import { ProbeLine } from '../shared/ProbeList.js';
import { gap, plain, prose, useColumns, usePrint, type Part, type Printable } from '../shared/print.js';
import { TextField } from '../shared/TextField.js';
import { useExitWhen } from '../shared/use-flow-screen.js';
import { useInteractive } from '../shared/use-interactive.js';

type FlowActor = Actor<typeof lockedOutFlow>;
type State = SnapshotFrom<typeof lockedOutFlow>;

export function LockedOutApp({ actor }: { actor: FlowActor }) {
  const state = useSelector(actor, (s) => s);
  const ctx = state.context;
  const provider = ctx.provider ? providerById(ctx.provider) : undefined;
  usePrint(printed(state, provider, useColumns()));
  useExitWhen(state.status === 'done');
  const quit = () => actor.send({ type: 'QUIT' });
  const busy = (label: string) => (
    <Text color="cyan">
      <Spinner type="dots" /> {label}
    </Text>
  );
  return (
    <Box flexDirection="column">
      {state.matches('chooseProvider') && (
        <Box flexDirection="column" marginTop={1}>
          <Text>Where does the host live?</Text>
          <Choice<ProviderId>
            items={PROVIDERS.map((p) => ({ label: p.label, value: p.id }))}
            onSelect={(id) => actor.send({ type: 'CHOOSE', provider: id })}
            onQuit={quit}
          />
        </Box>
      )}
      {state.matches('askTarget') && provider && (
        <TargetForm provider={provider} initial={ctx.input.target ?? {}} actor={actor} />
      )}
      {state.matches('checking') && busy(`Asking ${provider?.cli} about the instance (read-only)…`)}
      {state.can({ type: 'CONFIRM' }) && ctx.queue[0] && (
        <Box marginTop={1}>
          {/* A new key per fix puts the cursor back on "No". */}
          <Confirm
            key={ctx.queue[0].id}
            message="Run this command now?"
            labels={{ no: 'No, leave it', yes: 'Yes, run it' }}
            onAnswer={(yes) => actor.send({ type: yes ? 'CONFIRM' : 'DECLINE' })}
            onQuit={quit}
          />
        </Box>
      )}
      {state.matches('steps') && <StepsMenu actor={actor} />}
      {(state.matches('savingKit') || state.matches('decoding')) &&
        busy(state.matches('savingKit') ? 'Writing the console kit…' : 'Reading the result…')}
      {state.matches('awaitResult') && (
        <PasteBox onPaste={(text) => actor.send({ type: 'PASTE', text })} onSkip={() => actor.send({ type: 'SKIP' })} />
      )}
      {state.matches('repair') && (
        <Choice
          items={[{ label: 'Next: how not to be locked out again', value: 'next' }]}
          onSelect={() => actor.send({ type: 'NEXT' })}
          onQuit={quit}
        />
      )}
      {(state.matches('prevention') || state.matches('preventionShown')) && (
        <PreventionMenu state={state} actor={actor} />
      )}
    </Box>
  );
}

/** Everything settled so far, in the order it happened, each printed once. */
function printed(state: State, provider: Provider | undefined, columns: number): Printable[] {
  const ctx = state.context;
  const out: Printable[] = [
    { key: 'title', parts: [prose(<Text bold>ssh-doctor: locked out{provider ? ` (${provider.label})` : ''}</Text>)] },
  ];
  if (ctx.check) out.push({ key: 'check', parts: [prose(<Text>{inert(ctx.check.detail)}</Text>)] });
  ctx.probes.forEach((p, i) => {
    out.push({ key: `probe-${i}`, parts: [prose(<ProbeLine probe={p} />)] });
  });
  for (const f of ctx.findings) out.push({ key: `finding-${f.id}`, parts: findingParts(f) });
  if (state.can({ type: 'CONFIRM' }) && ctx.queue[0])
    out.push({ key: `fix-${ctx.queue[0].id}`, parts: fixParts(ctx.queue[0], columns) });
  ctx.fixOutcomes.forEach((o, i) => {
    out.push({
      key: `outcome-${i}`,
      parts: [
        prose(
          <Text color={o.status === 'applied' ? 'green' : 'red'}>
            {o.fixId}: {o.status} {inert(o.log.at(-1) ?? '')}
          </Text>,
        ),
      ],
    });
  });
  if (ctx.error)
    out.push({ key: `error-${ctx.error}`, parts: [prose(<Text color="yellow">{inert(ctx.error)}</Text>)] });
  if (provider && state.matches('steps')) out.push({ key: 'steps', parts: stepsParts(provider, columns) });
  if (state.matches('awaitResult'))
    out.push({ key: 'kit', parts: kitParts(ctx.input.user, ctx.input.port, ctx.kitPath) });
  if (ctx.kit) {
    const kit = ctx.kit;
    out.push({
      key: 'kit-result',
      parts: [
        ...(kit.warning ? [prose(<Text color="yellow">⚠ {inert(kit.warning)}</Text>)] : []),
        ...(kit.findings.length === 0
          ? [
              prose(
                <Text color="green">✔ The kit found nothing on the server that stops sshd from letting you in.</Text>,
              ),
            ]
          : []),
        ...kit.findings.flatMap((f) => findingParts(f)),
        ...(kit.repair
          ? [
              gap,
              prose(<Text bold>Paste these into the console (as root) to repair:</Text>),
              plain(kit.repair.trimEnd()),
            ]
          : []),
      ],
    });
  }
  if (state.matches('prevention') || state.matches('preventionShown') || state.matches('applyingPrevention')) {
    const offered = offeredFixes(state);
    out.push({
      key: 'prevention',
      parts: [
        gap,
        prose(<Text bold>Next time:</Text>),
        ...ctx.prevention.flatMap((f) => [
          ...findingParts(f),
          ...(f.fix && offered.includes(f.fix) ? fixParts(f.fix, columns) : []),
        ]),
      ],
    });
  }
  return out;
}

/** The prevention fixes the flow still lets through. */
function offeredFixes(state: State) {
  return state.context.prevention.flatMap((f) =>
    f.fix && state.can({ type: 'APPLY', fixId: f.fix.id }) ? [f.fix] : [],
  );
}

function stepsParts(provider: Provider, columns: number): Part[] {
  return [
    gap,
    prose(<Text bold>Ways into {provider.label} without SSH:</Text>),
    ...provider.routes.flatMap((r, i) => [
      gap,
      prose(
        <Box flexDirection="column">
          <Text bold>
            {i + 1}. {r.title}
          </Text>
          <Text dimColor> Needs: {r.needs}</Text>
        </Box>,
      ),
      ...r.steps.flatMap((s, j) => [
        ...(s.text
          ? [
              prose(
                <Box paddingLeft={3}>
                  <Text>
                    {i + 1}.{j + 1} {s.text}
                  </Text>
                </Box>,
              ),
            ]
          : []),
        ...(s.command ? [plain(shellTextLines(s.command, columns))] : []),
      ]),
    ]),
  ];
}

/** The kit's text, plain; a value the kit refuses is shown as its one sentence. */
function kitParts(user: string, port: number, path: string | undefined): Part[] {
  let script: string;
  let body: string;
  try {
    body = kitBody(user, port);
    script = kitScript(user, port);
  } catch (e) {
    return [prose(<Text color="yellow">{(e as Error).message}</Text>)];
  }
  const one = kitOneLiner(body);
  return [
    gap,
    prose(<Text bold>Console kit — paste this into the console as root:</Text>),
    plain(script.trimEnd()),
    ...(path ? [prose(<Text>{`Saved to ${path}`}</Text>)] : []),
    gap,
    prose(<Text>{`Or paste this one line instead (it runs the kit only if its cksum is ${one.sum}):`}</Text>),
    plain(one.command),
  ];
}

/** Choosing a fix here applies it: "Done" comes first so Enter pressed in haste changes nothing. */
function PreventionMenu({ state, actor }: { state: State; actor: FlowActor }) {
  const offered = offeredFixes(state);
  return (
    <Choice
      items={[{ label: 'Done', value: 'done' }, ...offered.map((fix) => ({ label: fix.title, value: fix.id }))]}
      onSelect={(v) => actor.send(v === 'done' ? { type: 'DONE' } : { type: 'APPLY', fixId: v })}
      onQuit={() => actor.send({ type: 'QUIT' })}
    />
  );
}

function StepsMenu({ actor }: { actor: FlowActor }) {
  const [pasting, setPasting] = useState(false);
  return pasting ? (
    <PasteBox onPaste={(text) => actor.send({ type: 'PASTE', text })} onSkip={() => setPasting(false)} />
  ) : (
    <Choice
      items={[
        { label: 'Show the console kit to paste once you are in', value: 'kit' },
        { label: 'I already have a kit result to paste', value: 'paste' },
        { label: 'Next: how not to be locked out again', value: 'next' },
      ]}
      onSelect={(v) => (v === 'paste' ? setPasting(true) : actor.send({ type: v === 'kit' ? 'KIT' : 'NEXT' }))}
      onQuit={() => actor.send({ type: 'QUIT' })}
    />
  );
}

/** Collects a pasted block (it arrives in pieces) until the kit's END line. */
function PasteBox({ onPaste, onSkip }: { onPaste: (text: string) => void; onSkip: () => void }) {
  // A paste reaches the handler in several reads, often before React redraws: the text lives in a
  // ref so no piece is lost (a closure would see the text of the last render and drop the pieces
  // read since), and a redraw only shows the count.
  const text = useRef('');
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  useInput(
    (input, key) => {
      if (key.escape) return onSkip();
      const next = text.current + (key.return ? '\n' : input.replace(/\r/g, '\n'));
      // Decoding refuses that much in one sentence; the box starts over rather than grow without end.
      if (next.length > KIT_INPUT_MAX_BYTES) {
        text.current = '';
        redraw();
        return onPaste(next);
      }
      text.current = next;
      redraw();
      if (next.includes(KIT_END)) onPaste(next);
    },
    { isActive: useInteractive() },
  );
  const lines = text.current.split('\n').filter(Boolean).length;
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
    <Box flexDirection="column" marginTop={1}>
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
