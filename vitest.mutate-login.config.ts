// `npm run mutate:login`: the login probe's tests alone (captured ssh -v output, the runner played
// back). A static mutant (a pattern in a module-level table) runs every test Stryker was given, so
// the whole unit suite made one run take an hour on the shared machine; these take 4 s.
// include is set, not merged: mergeConfig would add it to the unit config's own include.
import { mergeConfig } from 'vitest/config';
import unit from './vitest.mutate.config.js';

const config = mergeConfig(unit, {});
config.test.include = ['test/client/probes/login*.test.ts', 'test/client/probes/user-cert.test.ts'];
export default config;
