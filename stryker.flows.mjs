// `npm run mutate:flows`: Stryker over flows/ against test/flows alone (see vitest.mutate-flows.config.ts).
import base from './stryker.config.mjs';

export default {
  ...base,
  mutate: ['flows/**/*.ts'],
  vitest: { configFile: 'vitest.mutate-flows.config.ts' },
  jsonReporter: { fileName: 'reports/mutation/flows.json' },
};
