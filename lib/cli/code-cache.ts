/**
 * A V8 code cache for the modules a command loads, kept on disk between runs: what Node 22 ships as
 * `module.enableCompileCache()`, for Node 20. Compiling JavaScript is a fifth of the AWS synth's CPU time
 * (aws-cdk-lib and cdk-nag: about 9 MB of modules, compiled on every run); with the cache, the AWS synth
 * takes about 20% less CPU and the Azure synth about 5% less (BENCHMARKS.md).
 *
 * How it works:
 * - A CommonJS module is compiled from its source wrapped in Node's module function (`Module.wrap`, on a
 *   line of its own so that line and column numbers in stack traces stay the module's), with the cached
 *   code of its last run when there is one (`vm.Script` `cachedData`), and run with the arguments Node
 *   gives it (`exports`, a `require` like Node's, `module`, `__filename`, `__dirname`; `this` is `exports`).
 * - The cache is made at the end of a run that succeeded (exit code 0), not right after compiling: V8
 *   compiles most functions when they are first called, and a cache made at exit holds those too, so the
 *   next run compiles almost nothing. (A cache made at compile time holds only the top level: measured,
 *   about 5% faster, BENCHMARKS.md.) Only modules that had no usable cache are written, so the first
 *   successful run decides which functions a module's cache holds, until its source changes.
 * - Each module's cache is one file, named by a hash of the module's path, that starts with a hash of the
 *   module's source: a changed module (a rebuilt `dist/` file, an upgraded package) gets a new cache, and a
 *   module never runs code compiled from another source. (V8's own check compares the source's length
 *   only.) The folder is per Node version, architecture and V8 flags (`v8.cachedDataVersionTag()`, read
 *   when the cache is installed): V8 refuses code cached under other flags, so runs with other flags
 *   (`--max-old-space-size` in `NODE_OPTIONS`) keep a cache of their own instead of replacing this one.
 * - A write goes to a temporary file, then is renamed: a process reading the cache never sees half a file.
 *   The first write that fails (a read-only checkout, a full disk) ends the writing.
 *
 * Left to Node's own loader, module by module:
 * - a module whose source contains `import(`: Node gives a dynamic import its ES module loader, which a
 *   `vm.Script` does not get without an experimental option;
 * - a module V8 cannot compile as a script (ES module syntax: Node's loader decides what it is);
 * - every module while source maps are on (`--enable-source-maps`, `process.setSourceMapsEnabled`), which
 *   Node reads from each module as it compiles it;
 * - every module when a policy manifest is in use (`--experimental-policy`, on the command line or in
 *   `NODE_OPTIONS`), whose integrity checks and redirects Node applies as it compiles.
 * One difference remains: Node 20.19 and later report a `require()` of an ES module that imports the CommonJS
 * module requiring it back (ERR_REQUIRE_CYCLE_MODULE); from a cached module, that cycle is not reported.
 * No module a synth loads requires an ES module.
 *
 * The cache is only for speed: what a command does and writes is the same with it, without it, and with a
 * cache from another version. `LLMOPS_CODE_CACHE=off` runs without it;
 * `rm -rf node_modules/.cache/llmops-platform/code-cache` empties it.
 */

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import { Script } from 'node:vm';

/**
 * The root of the cache in this checkout, beside the build lock (scripts/run.js). The checkout is the first
 * folder above this file with a package.json (this file runs from lib/cli under jest and from dist/lib/cli
 * when built).
 */
export function defaultCacheRoot(): string {
  let root = __dirname;
  while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
  return join(root, 'node_modules', '.cache', 'llmops-platform', 'code-cache');
}

/** What the cache did in this process (the tests read it). */
export interface CodeCacheStats {
  /** Modules run from their cached code. */
  hits: number;
  /** Modules compiled from source (no cache, a stale one, or one V8 refused); cached at a successful exit. */
  misses: number;
}

type Compile = (this: NodeJS.Module, content: string, filename: string, format?: string) => unknown;
interface Loader {
  prototype: { _compile: Compile };
  _resolveFilename: (request: string, parent: NodeJS.Module, isMain: boolean, options?: object) => string;
  _resolveLookupPaths: (request: string, parent: NodeJS.Module) => string[] | null;
  _extensions: NodeJS.RequireExtensions;
  _cache: NodeJS.Dict<NodeJS.Module>;
}
const loader = Module as unknown as Loader;

/** `LLMOPS_CODE_CACHE=off` leaves every module to Node (to compare, or to rule the cache out). */
export const SWITCH = 'LLMOPS_CODE_CACHE';

let stats: CodeCacheStats | undefined;

/**
 * Installs the cache for the rest of this process (see the file comment) and returns its counters. Call it
 * first in an entry, before the modules it is for are loaded, and after any V8 flag is set. Installing it
 * twice returns the same counters. The entries that synthesize install it through `startShortRun`
 * (lib/cli/short-run.ts); the construct library never does.
 *
 * @param cacheRoot the cache's root; the cache is the folder for this Node version, architecture and V8 flags
 */
export function useCodeCache(cacheRoot = defaultCacheRoot()): CodeCacheStats {
  if (stats) return stats;
  const counters: CodeCacheStats = { hits: 0, misses: 0 };
  stats = counters;
  if (process.env[SWITCH] === 'off' || policyInUse()) return counters;
  const cacheDir = join(cacheRoot, `${process.version}-${process.arch}-${cachedDataVersionTag()}`);
  const original = loader.prototype._compile;
  const toWrite: { script: Script; file: string; sourceHash: Buffer }[] = [];
  loader.prototype._compile = function compile(content, filename, format) {
    if (format === 'module' || content.includes('import(') || sourceMapsEnabled())
      return original.call(this, content, filename, format);
    const file = join(cacheDir, hash(filename).toString('hex'));
    const sourceHash = hash(content);
    const cachedData = readCache(file, sourceHash);
    let script: Script;
    try {
      // The module function's head on a line of its own (line 0): the module's lines and columns are its own.
      script = new Script(Module.wrap(`\n${content}`), {
        filename,
        lineOffset: -1,
        cachedData,
      });
    } catch (error) {
      // ES module syntax: Node's loader decides what the module is, and reports any real error.
      if (error instanceof SyntaxError) return original.call(this, content, filename, format);
      throw error;
    }
    if (cachedData && !script.cachedDataRejected) counters.hits++;
    else {
      counters.misses++;
      toWrite.push({ script, file, sourceHash });
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireOf(this), this, filename, dirname(filename));
  };
  process.on('exit', (code) => {
    if (code !== 0 || toWrite.length === 0) return;
    try {
      mkdirSync(cacheDir, { recursive: true });
    } catch {
      return;
    }
    for (const { script, file, sourceHash } of toWrite)
      if (!writeAtomically(file, Buffer.concat([sourceHash, script.createCachedData()]))) return;
  });
  return counters;
}

/** A policy manifest, given on the command line or in NODE_OPTIONS. */
function policyInUse(): boolean {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return flags.some(
    (flag) => flag.startsWith('--experimental-policy') || flag.startsWith('--policy-integrity'),
  );
}

/** Whether Node reads source maps (Node 20.7 and later say so; before, only the command-line flag turns it on). */
function sourceMapsEnabled(): boolean {
  const flag = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled;
  return flag ?? process.execArgv.includes('--enable-source-maps');
}

/** SHA-1 (20 bytes): a name and a fingerprint, not a security boundary (the cache is as trusted as node_modules). */
function hash(text: string): Buffer {
  return createHash('sha1').update(text).digest();
}

/** The cached code in `file` if it was made from the source whose hash is `sourceHash`. */
function readCache(file: string, sourceHash: Buffer): Buffer | undefined {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch {
    return undefined;
  }
  const madeFrom = content.subarray(0, sourceHash.length);
  return madeFrom.equals(sourceHash) ? content.subarray(sourceHash.length) : undefined;
}

/** Writes `content` to `file` through a temporary file; false when it could not. */
function writeAtomically(file: string, content: Buffer): boolean {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
    return true;
  } catch {
    rmSync(temporary, { force: true });
    return false;
  }
}

/** The `require` Node gives a module (lib/internal/modules/helpers.js `makeRequireFunction`, Node 20). */
function requireOf(module: NodeJS.Module): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) =>
    loader._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => loader._resolveLookupPaths(request, module);
  require.resolve = resolve;
  require.main = (process as { mainModule?: NodeJS.Module }).mainModule;
  require.extensions = loader._extensions;
  require.cache = loader._cache;
  return require;
}
