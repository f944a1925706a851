// `npm run mutate:flows`: the flows judged by their own tests (test/flows: the decision tables and
// flow tests). Over the whole unit suite, the in-process Ink tests wait out their timeouts on
// every broken flow, and a run slowed to about one mutant a minute.
import { defineConfig } from 'vitest/config';
import unit from './vitest.mutate.config.js';

// Set, not merged: mergeConfig concatenates arrays, and the unit suite's include would stay.
export default defineConfig({ ...unit, test: { ...unit.test, include: ['test/flows/**/*.test.ts'] } });
