// The package version, put into the bundle by scripts/build.mjs from package.json ("dev" when run
// from the sources, as tests do).
declare const __VERSION__: string;
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';
