// With no host on the command line: ask for one, offering localhost and the locked-out path.
import { useState } from 'react';
import { Box, Text, render, useApp } from 'ink';
import { Choice } from '../shared/Choice.js';
import { TextField } from '../shared/TextField.js';

type Answer = string | 'locked-out' | undefined;

function AskTarget({ onDone }: { onDone: (a: Answer) => void }) {
  const { exit } = useApp();
  const [typing, setTyping] = useState(false);
  const finish = (a: Answer) => {
    onDone(a);
    exit();
  };
  if (typing) {
    return (
      <TextField
        label="Host to diagnose ([user@]host[:port]), Enter to start, Esc to leave"
        onSubmit={(host) => finish(host || undefined)}
        onCancel={() => finish(undefined)}
      />
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
