import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SWITCH } from '../../lib/cli/code-cache';
import { INTERRUPT_BUDGET } from '../../lib/cli/short-run';
import { buildDist, REPO } from '../helpers/compiled';

/**
 * Each run is a node process of its own (jest loads modules its own way, not through Node's
 * `Module.prototype._compile`): it sets V8_FLAGS if given, installs the cache (the compiled
 * lib/cli/code-cache.js) under a temporary root, requires MODULE, prints what the module saw (or the error
 * it failed with, or the value its `later` promise settles with) and what the cache did, and exits with EXIT.
 */
const DRIVER = `
if (process.env.V8_FLAGS) require('node:v8').setFlagsFromString(process.env.V8_FLAGS);
const { useCodeCache } = require(process.env.CODE_CACHE_MODULE);
const stats = useCodeCache(process.env.CACHE_ROOT);
let seen;
process.on('exit', () => process.stdout.write(JSON.stringify({ stats, seen })));
try {
  const loaded = require(process.env.MODULE);
  if (loaded.later) loaded.later.then((value) => { seen = { value }; }, (error) => { seen = { error: error.message }; });
  else seen = typeof loaded.seen === 'function' ? loaded.seen() : Object.keys(loaded);
} catch (error) {
  seen = { error: error.message, code: error.code, at: (error.stack.split('\\n').find((line) => line.includes(process.env.MODULE)) || '').trim() };
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
  paths: require.resolve.paths('x'),
  main: require.main.filename,
  cached: require.cache[__filename] === module,
  extensions: Object.keys(require.extensions),
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
  stderr: string;
  stats: { hits: number; misses: number };
  seen: Record<string, unknown>;
  /** The cache's folders (one per Node version, architecture and V8 flags), each with its files. */
  folders: Record<string, string[]>;
}

function run(env: Record<string, string> = {}, module = 'module.js', nodeArgs: string[] = []): Run {
  const root = join(work, 'cache');
  const result = spawnSync(process.execPath, [...nodeArgs, join(work, 'driver.js')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      CODE_CACHE_MODULE: join(REPO, 'dist', 'lib', 'cli', 'code-cache.js'),
      CACHE_ROOT: root,
      MODULE: join(work, module),
      ...env,
    },
  });
  const { stats, seen } = JSON.parse(result.stdout);
  const folders: Record<string, string[]> = {};
  if (existsSync(root))
    for (const folder of readdirSync(root)) folders[folder] = readdirSync(join(root, folder));
  return { status: result.status, stderr: result.stderr, stats, seen, folders };
}

describe('useCodeCache', () => {
  test('a module runs as Node runs it, compiled from source and then from its cached code', () => {
    const withoutCache = run({ [SWITCH]: 'off' });
    expect(withoutCache.stats).toEqual({ hits: 0, misses: 0 });
    expect(withoutCache.folders).toEqual({});
    expect(withoutCache.seen).toMatchObject({
      thisIsExports: true,
      filename: join(work, 'module.js'),
      dirname: work,
      dependency: 1,
      resolved: join(work, 'dependency.js'),
      main: join(work, 'driver.js'),
      cached: true,
      computed: [2, 4, 6],
    });

    const first = run();
    expect(first.stats).toEqual({ hits: 0, misses: 2 });
    expect(Object.values(first.folders)).toEqual([[expect.any(String), expect.any(String)]]);
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
    const [folder] = Object.keys(run().folders);
    const dir = join(work, 'cache', folder!);
    for (const file of readdirSync(dir)) {
      const content = readFileSync(join(dir, file));
      writeFileSync(join(dir, file), Buffer.concat([content.subarray(0, 20), Buffer.from('not v8 code')]));
    }
    const damaged = run();
    expect(damaged.stats).toEqual({ hits: 0, misses: 2 });
    expect(damaged.seen.computed).toEqual([2, 4, 6]);
    expect(run().stats).toEqual({ hits: 2, misses: 0 });
  });

  test('runs under other V8 flags keep a cache folder of their own, so neither replaces the other', () => {
    const flags = { V8_FLAGS: `--interrupt-budget=${INTERRUPT_BUDGET}` };
    expect(run().stats).toEqual({ hits: 0, misses: 2 });
    expect(run(flags).stats).toEqual({ hits: 0, misses: 2 });
    expect(Object.keys(run().folders)).toHaveLength(2);
    expect(run().stats).toEqual({ hits: 2, misses: 0 });
    expect(run(flags).stats).toEqual({ hits: 2, misses: 0 });
  });

  test('a run that fails writes no cache (its compiled code may stand for a path the next run leaves)', () => {
    const failed = run({ EXIT: '1' });
    expect(failed.status).toBe(1);
    expect(failed.stats).toEqual({ hits: 0, misses: 2 });
    expect(failed.folders).toEqual({});
  });

  test('an error thrown on the first line of a module is reported at its own line and column', () => {
    writeFileSync(join(work, 'throws.js'), 'const x = 1; null.property;\n');
    const withoutCache = run({ [SWITCH]: 'off' }, 'throws.js');
    expect(withoutCache.seen.at).toContain(`${join(work, 'throws.js')}:1:19`);
    expect(run({}, 'throws.js').seen).toEqual(withoutCache.seen);
  });

  test('a module with a dynamic import is left to Node, whose ES module loader the import needs', () => {
    writeFileSync(join(work, 'esm.mjs'), 'export const value = "from esm";\n');
    writeFileSync(join(work, 'dynamic.js'), "exports.later = import('./esm.mjs').then((m) => m.value);\n");
    for (const attempt of [run({}, 'dynamic.js'), run({}, 'dynamic.js')]) {
      expect(attempt.seen).toEqual({ value: 'from esm' });
      expect(attempt.stats).toEqual({ hits: 0, misses: 0 });
      expect(attempt.stderr).toBe('');
    }
  });

  test("a module V8 cannot compile as a script is left to Node, which reports Node's own error", () => {
    writeFileSync(join(work, 'syntax.js'), 'export const value = 1;\nexports.seen = 1;\n');
    const withoutCache = run({ [SWITCH]: 'off' }, 'syntax.js');
    const withCache = run({}, 'syntax.js');
    expect(withCache.seen).toEqual(withoutCache.seen);
    expect(withCache.stats).toEqual({ hits: 0, misses: 0 });
  });

  test('while source maps are on, every module is left to Node, which reads them', () => {
    const mapped = run({}, 'module.js', ['--enable-source-maps']);
    expect(mapped.stats).toEqual({ hits: 0, misses: 0 });
    expect(mapped.folders).toEqual({});
  });

  test('with a policy manifest in NODE_OPTIONS, every module is left to Node, which checks its integrity', () => {
    writeFileSync(
      join(work, 'policy.json'),
      JSON.stringify({
        resources: {
          // the driver and the cache module may load anything; the module's integrity is wrong
          './driver.js': { integrity: true, dependencies: true },
          [pathToFileURL(join(REPO, 'dist', 'lib', 'cli', 'code-cache.js')).href]: {
            integrity: true,
            dependencies: true,
          },
          // read by Node for the cache module's package scope
          [pathToFileURL(join(REPO, 'package.json')).href]: { integrity: true },
          './module.js': { integrity: 'sha384-wrong' },
        },
        onerror: 'throw',
      }),
    );
    const env = { NODE_OPTIONS: `--experimental-policy=${join(work, 'policy.json')} --no-warnings` };
    const withoutCache = run({ ...env, [SWITCH]: 'off' });
    expect(withoutCache.seen.code).toBe('ERR_MANIFEST_ASSERT_INTEGRITY');
    const withCache = run(env);
    expect(withCache.seen).toEqual(withoutCache.seen);
    expect(withCache.stats).toEqual({ hits: 0, misses: 0 });
  });
});

describe('startShortRun', () => {
  test.each(['synth', 'aws', 'main'])(
    'bin/%s.js installs the cache before any dependency of the project loads',
    (entry) => {
      // A preload that records, when the cache replaces Module.prototype._compile, which node_modules files
      // are loaded; the entry then stops at its usage error (an unknown flag).
      const record = join(work, 'loaded.json');
      writeFileSync(
        join(work, 'record.js'),
        `const Module = require('node:module');
let compile = Module.prototype._compile;
Object.defineProperty(Module.prototype, '_compile', {
  configurable: true,
  get: () => compile,
  set(value) {
    require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('node_modules'))));
    compile = value;
  },
});
`,
      );
      const result = spawnSync(
        process.execPath,
        ['-r', join(work, 'record.js'), join(REPO, 'dist', 'bin', `${entry}.js`), '--no-such-flag'],
        { cwd: REPO, encoding: 'utf8' },
      );
      expect(result.status).toBe(2);
      expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual([]);
    },
  );
});
