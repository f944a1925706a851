// V8's code cache for a CommonJS bundle: Node 20 has none for ES modules (`module.enableCompileCache`
// is Node 22), and compiling the client's modules was most of a run's start-up. The cache is made
// at build time, beside the bundle and from the same bytes, so it is as trusted as the bundle
// itself (never written at run time, where a user's file could be loaded by root).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';

/** What the build recorded: the V8 that made the cache, and checksums of the bundle and the cache. */
export interface CacheStamp {
  v8: string;
  sourceCrc: number;
  cacheCrc: number;
}

function compile(file: string, source: string, cachedData?: Buffer): Script {
  // No importModuleDynamically: the build refuses a bundle that keeps an import().
  return new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
}

/**
 * Runs `file` as CommonJS, from `cacheFile` when both are the files the build stamped; `cached`
 * says whether V8 used the cache. Checked here because V8 compares a cache with the source's
 * length only (a patched bundle of the same length would run the old code) and trusts its body (a
 * damaged one can crash it); a cache that fails the check is left out: same code, compiled.
 */
export function loadCommonJs<T>(file: string, cacheFile: string, stamp: CacheStamp): { exports: T; cached: boolean } {
  const source = readFileSync(file);
  let cachedData: Buffer | undefined;
  if (crc32(source) === stamp.sourceCrc) {
    try {
      const data = readFileSync(cacheFile);
      if (crc32(data) === stamp.cacheCrc) cachedData = data;
    } catch {
      // No cache (a partial copy of dist/).
    }
  }
  const script = compile(file, source.toString('utf8'), cachedData);
  const module = { exports: {} as T };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, cached: cachedData !== undefined && !script.cachedDataRejected };
}

/**
 * Build time: every function compiled now rather than at its first call, so the cache holds what
 * any run needs; V8's default flags are set back before the cache is taken, because a cache made
 * under other flags is rejected. Returns the stamp the entry checks.
 */
export function writeCodeCache(file: string, cacheFile: string): CacheStamp {
  const source = readFileSync(file);
  setFlagsFromString('--no-lazy');
  const script = compile(file, source.toString('utf8'));
  setFlagsFromString('--lazy');
  const cache = script.createCachedData();
  writeFileSync(cacheFile, cache);
  return { v8: process.versions.v8, sourceCrc: crc32(source), cacheCrc: crc32(cache) };
}
