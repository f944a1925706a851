// The unit tests alone (no root, no namespaces): what `npm run mutate` runs against each mutant.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

export default mergeConfig(
  base,
  defineConfig({ test: { exclude: ['test/lab/**', '**/*.lab.test.ts', '**/node_modules/**'] } }),
);
