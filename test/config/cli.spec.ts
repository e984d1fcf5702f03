/**
 * The `npm run synth` command end to end: the compiled `dist/bin/synth.js` run in a scratch directory.
 * Each run costs about a second, so there are only a few; the staging logic (policy errors among others)
 * is unit-tested in test/stacks/staged-synth.spec.ts.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  emptyLock,
  INDEX_LOCK_FILE,
  type IndexSchemaLock,
  serializeLock,
  updateLock,
} from '../../constructs/search/index-lock';
import { loadConfig } from '../../lib/config/load';
import { configuredIndexes } from '../../lib/search/lock';
import { buildDist, REPO } from '../helpers/compiled';

const SYNTH = join(REPO, 'dist/bin/synth.js');

/** Every file under `dir` with its content, for byte-for-byte comparison. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[relative(dir, full)] = readFileSync(full, 'base64');
    }
  };
  walk(dir);
  return out;
}

function runSynth(cwd: string, config: string, args: readonly string[] = []) {
  return spawnSync(process.execPath, [SYNTH, ...args], {
    cwd,
    env: { ...process.env, LLMOPS_CONFIG: config },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('npm run synth (dist/bin/synth.js)', () => {
  let dir: string;

  beforeAll(() => {
    // The command runs compiled: bring dist/ up to date the way every npm run command does (rebuilt only
    // when a source is newer than the last build), so the test runs what the sources say.
    expect(buildDist()).toEqual({ status: 0, stderr: '' });
    expect(existsSync(SYNTH)).toBe(true);
  }, 120_000);

  beforeEach(() => {
    // GIVEN a working directory with a previous cdktf.out and two config files
    dir = mkdtempSync(join(tmpdir(), 'llmops-synth-'));
    mkdirSync(join(dir, 'cdktf.out/stacks/old'), { recursive: true });
    writeFileSync(join(dir, 'cdktf.out/manifest.json'), '{"previous": true}\n');
    mkdirSync(join(dir, 'cdk.out'));
    writeFileSync(join(dir, 'cdk.out/manifest.json'), '{"previous": true}\n');
    writeFileSync(join(dir, 'cdktf.out/stacks/old/cdk.tf.json'), Buffer.from([0x7b, 0x7d, 0x0a, 0xff]));
    mkdirSync(join(dir, 'conf'));
    copyFileSync(join(REPO, 'test/fixtures/config/invalid.yaml'), join(dir, 'conf/invalid.yaml'));
    copyFileSync(join(REPO, 'test/fixtures/config/minimal.yaml'), join(dir, 'conf/minimal.yaml'));
    copyFileSync(join(REPO, 'test/fixtures/config/mixed.yaml'), join(dir, 'conf/mixed.yaml'));
    // synth checks search index changes against the lock in the working directory: no index deployed yet
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, INDEX_LOCK_FILE), serializeLock(emptyLock()));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('exits 2 on a bad config, names the file and every problem, and leaves cdktf.out intact', () => {
    const before = tree(join(dir, 'cdktf.out'));
    const awsBefore = tree(join(dir, 'cdk.out'));
    // WHEN synth runs with LLMOPS_CONFIG pointing at the invalid file (relative to the working directory)
    const run = runSynth(dir, 'conf/invalid.yaml');
    // THEN it exits 2 with every problem under the file name
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('error: Invalid environment config conf/invalid.yaml:');
    expect(run.stderr).toContain('  - environments.dev.location: "mars" is not an Azure region');
    expect(run.stderr).toContain(
      '  - environments.prod.protection.reason: is required when preventDestroy is false',
    );
    expect(run.stdout).toBe('');
    // AND the previous output is byte-for-byte what it was, with no staging directory left behind
    expect(tree(join(dir, 'cdktf.out'))).toEqual(before);
    // AND the previous AWS cloud assembly is untouched, and no staging directory is left behind
    expect(tree(join(dir, 'cdk.out'))).toEqual(awsBefore);
    expect(readdirSync(dir).sort()).toEqual(['cdk.out', 'cdktf.out', 'conf', 'config']);
  });

  test('exits 1 on a search index change Azure cannot apply in place, and leaves cdktf.out intact', () => {
    // GIVEN a lock recording the sandbox index as deployed with "content" of another type
    const env = loadConfig(join(dir, 'conf/minimal.yaml')).environments.sandbox!;
    const recorded = updateLock(
      emptyLock(),
      'sandbox',
      configuredIndexes(env).map((i) => i.definition),
    );
    const [indexName, index] = Object.entries(recorded.environments.sandbox!)[0]!;
    const lock: IndexSchemaLock = {
      ...recorded,
      environments: {
        sandbox: {
          [indexName]: {
            fields: index.fields.map((f) => (f.name === 'content' ? { ...f, type: 'Edm.Int32' } : f)),
          },
        },
      },
    };
    writeFileSync(join(dir, INDEX_LOCK_FILE), serializeLock(lock));
    const before = tree(join(dir, 'cdktf.out'));
    const awsBefore = tree(join(dir, 'cdk.out'));
    // WHEN synth runs
    const run = runSynth(dir, 'conf/minimal.yaml');
    // THEN it fails as a failed check, naming the environment and the index, and writes nothing
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('sandbox');
    expect(run.stderr).toContain(indexName);
    expect(run.stdout).toBe('');
    expect(tree(join(dir, 'cdktf.out'))).toEqual(before);
    // AND the previous AWS cloud assembly is untouched, and no staging directory is left behind
    expect(tree(join(dir, 'cdk.out'))).toEqual(awsBefore);
    expect(readdirSync(dir).sort()).toEqual(['cdk.out', 'cdktf.out', 'conf', 'config']);
  });

  test('exits 2 on an unknown argument, naming it, and leaves cdktf.out intact', () => {
    const before = tree(join(dir, 'cdktf.out'));
    const awsBefore = tree(join(dir, 'cdk.out'));
    const run = runSynth(dir, 'conf/minimal.yaml', ['--env', 'dev']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'error: unknown flag --env (this command takes no flags); unexpected argument "dev"\n',
    );
    expect(tree(join(dir, 'cdktf.out'))).toEqual(before);
    expect(tree(join(dir, 'cdk.out'))).toEqual(awsBefore);
  });

  test('the cdktf app entry (bin/main.ts, run by `cdktf synth`) exits 2 on a bad config and 0 on a good one', () => {
    const runMain = (config: string) =>
      spawnSync(process.execPath, [join(REPO, 'dist/bin/main.js')], {
        cwd: dir,
        env: { ...process.env, LLMOPS_CONFIG: config, CDKTF_OUTDIR: join(dir, 'app.out') },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const bad = runMain('conf/invalid.yaml');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('error: Invalid environment config conf/invalid.yaml:');
    expect(existsSync(join(dir, 'app.out'))).toBe(false);
    const good = runMain('conf/minimal.yaml');
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(existsSync(join(dir, 'app.out/stacks/sandbox/cdk.tf.json'))).toBe(true);
  });

  test('loading and checking the config loads neither cdktf nor aws-cdk-lib (npm run synth checks it before either rendering, and the CLIs pay only for what they render)', () => {
    // GIVEN the compiled config loader and index lock check, run as npm run synth and `npm run gate` run them
    const script = [
      "const { loadConfig } = require('./dist/lib/config/load');",
      "const { checkIndexLock } = require('./dist/lib/search/lock');",
      'checkIndexLock(loadConfig());',
      'const packages = new Set(Object.keys(require.cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean));',
      'process.stdout.write(JSON.stringify([...packages].sort()));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const packages = JSON.parse(run.stdout) as string[];
    // THEN the packages it loaded are the config's own (yaml, zod), none of the renderings'
    expect(packages).toEqual(expect.arrayContaining(['yaml', 'zod']));
    expect(packages.filter((p) => /^(cdktf|@cdktf\/|aws-cdk-lib|cdk-nag|constructs)/.test(p))).toEqual([]);
  });

  test('exits 0 on a good config, replaces cdktf.out and cdk.out and prints the summary', () => {
    // WHEN synth runs with a valid config of one Azure and one AWS environment
    const run = runSynth(dir, 'conf/mixed.yaml');
    // THEN it succeeds and the new output replaced the old one entirely
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const files = Object.keys(tree(join(dir, 'cdktf.out'))).sort();
    expect(files).toContain('stacks/sandbox/cdk.tf.json');
    expect(files).toContain('stacks/bootstrap-sandbox/cdk.tf.json');
    expect(files).not.toContain('stacks/old/cdk.tf.json');
    // AND the AWS cloud assembly replaced the previous one, written by the child process beside it
    expect(readdirSync(dir).sort()).toEqual(['cdk.out', 'cdktf.out', 'conf', 'config']);
    const assembly = Object.keys(tree(join(dir, 'cdk.out')));
    expect(assembly).toEqual(
      expect.arrayContaining(['aws-box.template.json', 'bootstrap-aws-box.template.json']),
    );
    expect(JSON.parse(readFileSync(join(dir, 'cdk.out/manifest.json'), 'utf8')).previous).toBeUndefined();
    expect(run.stdout).toMatch(
      /^aws-box {2}\d+ resources {2}policy: pass \(\d+ suppressed(, \d+ warnings)?\) {2}-> cdk\.out\/aws-box\.template\.json$/m,
    );
    // AND the summary lists each stack with its policy result and relative output path
    expect(run.stdout).toMatch(
      /^bootstrap-sandbox {2}\d+ resources {2}policy: pass \(\d+ suppressed\) {2}-> cdktf\.out\/stacks\/bootstrap-sandbox\/cdk\.tf\.json$/m,
    );
    expect(run.stdout).toMatch(
      /^sandbox {2}\d+ resources {2}policy: pass \(0 suppressed\) {2}-> cdktf\.out\/stacks\/sandbox\/cdk\.tf\.json$/m,
    );
    expect(run.stdout).not.toContain(dir);
  });
});
