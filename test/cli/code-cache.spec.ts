import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SWITCH } from '../../lib/cli/code-cache';
import { buildDist, REPO } from '../helpers/compiled';

/**
 * Each run is a node process of its own (jest loads modules its own way, not through Node's
 * `Module.prototype._compile`): it installs the cache (the compiled lib/cli/code-cache.js) in a temporary
 * folder, requires a module, prints what the module saw and what the cache did, and exits with EXIT.
 */
const DRIVER = `
const { useCodeCache } = require(process.env.CODE_CACHE_MODULE);
const stats = useCodeCache(process.env.CACHE_DIR);
process.on('exit', () => process.stdout.write(JSON.stringify({ stats, seen })));
let seen;
try {
  seen = require(process.env.MODULE).seen();
} catch (error) {
  seen = { error: error.message };
}
process.exitCode = Number(process.env.EXIT || 0);
`;

/** A module that reports what Node gave it, and requires a second one. */
const MODULE = `
const self = this;
exports.seen = () => ({
  thisIsExports: self === module.exports,
  filename: __filename,
  dirname: __dirname,
  dependency: require('./dependency').value,
  resolved: require.resolve('./dependency'),
  paths: Array.isArray(require.resolve.paths('x')),
  main: require.main === process.mainModule,
  cached: require.cache[__filename] === module,
  extensions: Object.keys(require.extensions).includes('.js'),
  computed: [1, 2, 3].map((x) => x * 2),
});
`;

let work: string;
beforeAll(() => expect(buildDist()).toEqual({ status: 0, stderr: '' }));
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'code-cache-'));
  writeFileSync(join(work, 'driver.js'), DRIVER);
  writeFileSync(join(work, 'module.js'), MODULE);
  writeFileSync(join(work, 'dependency.js'), 'exports.value = 1;\n');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stats: { hits: number; misses: number };
  seen: Record<string, unknown>;
  cacheFiles: string[];
}

function run(env: Record<string, string> = {}, module = 'module.js'): Run {
  const cacheDir = join(work, 'cache');
  const result = spawnSync(process.execPath, [join(work, 'driver.js')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      CODE_CACHE_MODULE: join(REPO, 'dist', 'lib', 'cli', 'code-cache.js'),
      CACHE_DIR: cacheDir,
      MODULE: join(work, module),
      ...env,
    },
  });
  const { stats, seen } = JSON.parse(result.stdout);
  let cacheFiles: string[] = [];
  try {
    cacheFiles = readdirSync(cacheDir);
  } catch {
    // no cache written
  }
  return { status: result.status, stats, seen, cacheFiles };
}

describe('useCodeCache', () => {
  test('a module runs as Node runs it, compiled from source and then from its cached code', () => {
    const withoutCache = run({ [SWITCH]: 'off' });
    expect(withoutCache.stats).toEqual({ hits: 0, misses: 0 });
    expect(withoutCache.cacheFiles).toEqual([]);
    expect(withoutCache.seen).toEqual({
      thisIsExports: true,
      filename: join(work, 'module.js'),
      dirname: work,
      dependency: 1,
      resolved: join(work, 'dependency.js'),
      paths: true,
      main: true,
      cached: true,
      extensions: true,
      computed: [2, 4, 6],
    });

    const first = run();
    expect(first.stats).toEqual({ hits: 0, misses: 2 });
    expect(first.cacheFiles).toHaveLength(2);
    expect(first.seen).toEqual(withoutCache.seen);

    const second = run();
    expect(second.stats).toEqual({ hits: 2, misses: 0 });
    expect(second.seen).toEqual(withoutCache.seen);
  });

  test('a changed module of the same length runs its new source, not the cached code of the old one', () => {
    run();
    writeFileSync(join(work, 'dependency.js'), 'exports.value = 2;\n'); // V8's own check compares lengths
    const changed = run();
    expect(changed.stats).toEqual({ hits: 1, misses: 1 });
    expect(changed.seen.dependency).toBe(2);
    expect(run().stats).toEqual({ hits: 2, misses: 0 });
  });

  test('a cache file that is not V8 code (damaged) is refused, and the module still runs', () => {
    run();
    const cacheDir = join(work, 'cache');
    for (const file of readdirSync(cacheDir)) {
      const content = readFileSync(join(cacheDir, file));
      writeFileSync(
        join(cacheDir, file),
        Buffer.concat([content.subarray(0, 20), Buffer.from('not v8 code')]),
      );
    }
    const damaged = run();
    expect(damaged.stats).toEqual({ hits: 0, misses: 2 });
    expect(damaged.seen.computed).toEqual([2, 4, 6]);
    expect(run().stats).toEqual({ hits: 2, misses: 0 });
  });

  test('a run that fails writes no cache (its compiled code may stand for a path the next run leaves)', () => {
    const failed = run({ EXIT: '1' });
    expect(failed.status).toBe(1);
    expect(failed.stats).toEqual({ hits: 0, misses: 2 });
    expect(failed.cacheFiles).toEqual([]);
  });

  test("a module V8 cannot compile as a script is left to Node, which reports Node's own error", () => {
    writeFileSync(join(work, 'esm.js'), 'export const value = 1;\n');
    const withoutCache = run({ [SWITCH]: 'off' }, 'esm.js');
    expect(withoutCache.seen.error).toEqual(expect.any(String));
    const withCache = run({}, 'esm.js');
    expect(withCache.seen).toEqual(withoutCache.seen);
    expect(withCache.stats).toEqual({ hits: 0, misses: 0 });
  });
});

describe('startShortRun', () => {
  test.each(['synth', 'aws', 'main'])(
    'bin/%s.ts calls it before anything else runs (the modules it is for load after it)',
    (entry) => {
      const source = readFileSync(join(REPO, 'bin', `${entry}.ts`), 'utf8');
      const statements = source
        .split('\n')
        .filter((line) => /^[a-zA-Z]/.test(line) && !/^(import|const|export|type|interface)\b/.test(line));
      expect(statements[0]).toBe('startShortRun();');
    },
  );
});
