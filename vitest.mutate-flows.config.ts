// `npm run mutate:flows`: the flows judged by their own tests (test/flows: the decision tables and
// flow tests). Over the whole unit suite, the in-process Ink tests wait out their timeouts on
// every broken flow, and a run slowed to about one mutant a minute.
import { defineConfig, mergeConfig } from 'vitest/config';
import unit from './vitest.mutate.config.js';

export default mergeConfig(unit, defineConfig({ test: { include: ['test/flows/**/*.test.ts'] } }));
