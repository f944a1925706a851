// With no host on the command line: ask for one, offering localhost and the locked-out path.
import { useState } from 'react';
import { Box, Text, useApp } from 'ink';
import type { Io } from '../../commands/mode.js';
import { showOn } from '../app.js';
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
        label="Host to diagnose ([user@]host[:port]), Enter to start, Esc to go back"
        onSubmit={(host) => finish(host || undefined)}
        onCancel={() => setTyping(false)}
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
        onQuit={() => finish(undefined)}
      />
    </Box>
  );
}

/** The host typed or chosen, 'locked-out', or undefined when the user quit. */
export async function askTarget(io: Io): Promise<Answer> {
  let answer: Answer;
  await showOn(io, <AskTarget onDone={(a) => (answer = a)} />);
  return answer;
}
