// `npm run mutate`: Stryker's mutants of the decision code (flows, probes' parsers, findings,
// StrictModes, fixes, journal and undo rules) against the unit tests alone. Too slow for CI;
// its score is kept in the README.
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: [
    'flows/**/*.ts',
    'src/client/probes/**/*.ts',
    'src/client/findings.ts',
    'src/server/findings.ts',
    'src/server/strict-modes.ts',
    'src/server/fixes/**/*.ts',
    'src/fixes/**/*.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
