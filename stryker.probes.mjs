// `npm run mutate:probes`: Stryker over the client probes against their own unit tests
// (test/client/probes, see vitest.mutate-probes.config.ts). Narrow it with --mutate FILE.
import base from './stryker.config.mjs';

export default {
  ...base,
  mutate: ['src/client/probes/**/*.ts'],
  vitest: { configFile: 'vitest.mutate-probes.config.ts' },
  jsonReporter: { fileName: 'reports/mutation/probes.json' },
};
