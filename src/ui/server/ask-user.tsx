// `server` run as root without --user: ask whose logins to check, offering the likely accounts.
import { Box, Text, render, useApp } from 'ink';
import { inert } from '../../inert.js';
import { Choice } from '../shared/Choice.js';

export interface UserChoice {
  name: string;
  /** Why it is offered: "refused by sshd lately", "has authorized_keys". */
  why: string;
}

export function AskUser({ choices, onDone }: { choices: UserChoice[]; onDone: (user: string | undefined) => void }) {
  const { exit } = useApp();
  return (
    <Box flexDirection="column">
      <Text bold>Whose logins should be checked? (you are root; --user NAME skips this question)</Text>
      <Choice
        items={[
          ...choices.map((c) => ({ label: `${inert(c.name)}  (${c.why})`, value: c.name })),
          { label: 'Quit', value: '' },
        ]}
        onSelect={(v) => {
          onDone(v || undefined);
          exit();
        }}
      />
    </Box>
  );
}

export async function askUser(choices: UserChoice[]): Promise<string | undefined> {
  let answer: string | undefined;
  const app = render(<AskUser choices={choices} onDone={(a) => (answer = a)} />);
  await app.waitUntilExit();
  return answer;
}
