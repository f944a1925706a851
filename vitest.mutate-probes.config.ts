// `npm run mutate:probes`: the client probes judged by their own tests (test/client/probes, less
// the lab's). A score measured here is a lower bound of the score over all the unit tests.
import { defineConfig, mergeConfig } from 'vitest/config';
import unit from './vitest.mutate.config.js';

export default mergeConfig(unit, defineConfig({ test: { include: ['test/client/probes/**/*.test.ts'] } }));
