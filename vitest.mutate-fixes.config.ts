// `npm run mutate:fixes`: the fixes judged by their own tests (test/server/fixes and test/fixes).
// The include replaces the base's: mergeConfig would append to it, and run every unit test.
import unit from './vitest.mutate.config.js';

const config = {
  ...unit,
  test: { ...unit.test, include: ['test/server/fixes/**/*.test.{ts,tsx}', 'test/fixes/**/*.test.ts'] },
};
export default config;
