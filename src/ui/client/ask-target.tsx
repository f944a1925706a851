// With no host on the command line: ask for one, offering localhost and the locked-out path.
import { useState } from 'react';
import { Box, Text, render, useApp, useInput } from 'ink';
import { Choice, useInteractive } from '../components.js';

type Answer = string | 'locked-out' | undefined;

function AskTarget({ onDone }: { onDone: (a: Answer) => void }) {
  const { exit } = useApp();
  const [typing, setTyping] = useState(false);
  const [text, setText] = useState('');
  const interactive = useInteractive();
  const finish = (a: Answer) => {
    onDone(a);
    exit();
  };
  useInput(
    (input, key) => {
      if (key.return) finish(text.trim() || undefined);
      else if (key.escape) finish(undefined);
      else if (key.backspace || key.delete) setText((t) => t.slice(0, -1));
      // A paste arrives as one string: keep its printable characters.
      else setText((t) => t + input.replace(/[^\x20-\x7e]/g, ''));
    },
    { isActive: interactive && typing },
  );
  if (typing) {
    return (
      <Box flexDirection="column">
        <Text>Host to diagnose ([user@]host[:port]), Enter to start, Esc to leave:</Text>
        <Text color="cyan">› {text}</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text bold>ssh-doctor: which connection fails?</Text>
      <Choice<'localhost' | 'other' | 'locked-out' | 'quit'>
        items={[
          { label: 'localhost (this machine)', value: 'localhost' },
          { label: 'Another host…', value: 'other' },
          { label: "I'm locked out (no SSH at all)", value: 'locked-out' },
          { label: 'Quit', value: 'quit' },
        ]}
        onSelect={(v) => {
          if (v === 'other') setTyping(true);
          else finish(v === 'quit' ? undefined : v);
        }}
      />
    </Box>
  );
}

export async function askTarget(): Promise<Answer> {
  let answer: Answer;
  const app = render(<AskTarget onDone={(a) => (answer = a)} />);
  await app.waitUntilExit();
  return answer;
}
