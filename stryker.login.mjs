// `npm run mutate:login`: Stryker over the login probe (its parser, phases and session verdict)
// against its own tests (see vitest.mutate-login.config.ts).
import base from './stryker.config.mjs';

export default {
  ...base,
  mutate: ['src/client/probes/login.ts', 'src/client/probes/login-phases.ts', 'src/client/probes/login-session.ts'],
  vitest: { configFile: 'vitest.mutate-login.config.ts' },
  jsonReporter: { fileName: 'reports/mutation/login.json' },
};
