// What `npm run mutate` runs against each mutant: the unit tests (no root, no namespaces), less the
// flows' every-path enumeration. That enumeration walks thousands of graph paths (6 to 37 s per
// test on the 2-core machine, unmutated), and a mutant that adds a loop or a state makes it run to
// its timeout, so a run over flows/ never finished. The decision tables in the same files pin each
// verdict independently of the machine, and they are what catches a swapped guard.
import { defineConfig, mergeConfig } from 'vitest/config';
import unit from './vitest.unit.config.js';

export default mergeConfig(unit, defineConfig({ test: { env: { SSH_DOCTOR_MUTATE: '1' } } }));
