// `npm run mutate:fixes`: Stryker over the fixes against their own tests (see vitest.mutate-fixes.config.ts).
import base from './stryker.config.mjs';

export default {
  ...base,
  mutate: ['src/server/fixes/**/*.ts', 'src/fixes/**/*.ts'],
  vitest: { configFile: 'vitest.mutate-fixes.config.ts' },
  jsonReporter: { fileName: 'reports/mutation/fixes.json' },
};
