// V8's code cache for a CommonJS bundle: Node 20 has none for ES modules (`module.enableCompileCache`
// is Node 22), and compiling the client's modules was most of a run's start-up. The cache is made
// at build time, beside the bundle and from the same bytes, so it is as trusted as the bundle
// itself (never written at run time, where a user's file could be loaded by root). V8 checks its
// own version, flags and the source's length, and compiles from source when any differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

function compile(file: string, cachedData?: Buffer): Script {
  const source = readFileSync(file, 'utf8');
  // No importModuleDynamically: the build refuses a bundle that keeps an import().
  return new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
}

/** Runs `file` as CommonJS, from `cacheFile` when V8 accepts it; `cached` says whether it did. */
export function loadCommonJs<T>(file: string, cacheFile: string): { exports: T; cached: boolean } {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache (a partial copy of dist/): the same code, compiled from source.
  }
  const script = compile(file, cachedData);
  const module = { exports: {} as T };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, cached: cachedData !== undefined && !script.cachedDataRejected };
}

/**
 * Build time: every function compiled now rather than at its first call, so the cache holds what
 * any run needs; V8's default flags are set back before the cache is taken, because a cache made
 * under other flags is rejected.
 */
export function writeCodeCache(file: string, cacheFile: string): void {
  setFlagsFromString('--no-lazy');
  const script = compile(file);
  setFlagsFromString('--lazy');
  writeFileSync(cacheFile, script.createCachedData());
}
