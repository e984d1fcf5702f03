import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../constructs/core/errors';
import {
  emptyLock,
  type IndexSchemaLock,
  readLock,
  serializeLock,
  updateLock,
} from '../../constructs/search/index-lock';
import { CheckFailedError, UsageError } from '../../lib/cli/exit';
import type { LoadedConfig } from '../../lib/config/environment';
import { loadConfig } from '../../lib/config/load';
import { checkIndexLock, configuredIndexes, indexLockMain, indexLockProblems } from '../../lib/search/lock';
import { TEST_DEFAULTS_YAML, testConfig } from '../helpers/synth';

/** docs-v1 as a full definition (YAML at indentation 0), so single attributes can be changed. */
const DOCS = `fields:
  - { name: id, type: string, key: true, filterable: true }
  - { name: content, type: string, searchable: true }
  - { name: title, type: string, searchable: true }
  - { name: contentVector, type: collection(single), vector: { profile: default } }
vectorSearch:
  algorithms: { hnsw: {} }
  profiles: { default: { algorithm: hnsw, vectorizer: embedding } }
  vectorizers: { embedding: {} }`;

const TITLE = '  - { name: title, type: string, searchable: true }\n';
const WITH_LANGUAGE = (docs: string) =>
  docs.replace(
    '  - { name: contentVector',
    '  - { name: language, type: string, filterable: true }\n  - { name: contentVector',
  );

/** `search.indexes` entries under an environment (indexes by name, each a YAML body at indentation 0). */
function indexesYaml(indexes: Record<string, string>): string {
  const body = Object.entries(indexes)
    .map(([name, yaml]) => `        ${name}:\n${yaml.replace(/^/gm, '          ')}`)
    .join('\n');
  return `    search:\n      indexes:\n${body}\n`;
}

/** A config whose environments (dev and prod by default) declare these indexes. */
function config(
  docs = DOCS,
  extra: Record<string, string> = {},
  envs = ['dev', 'prod'],
  models = '',
): LoadedConfig {
  const env = (name: string) =>
    `  ${name}:\n    profile: development\n${models}${indexesYaml({ 'docs-v1': docs, ...extra })}`;
  return testConfig(`${TEST_DEFAULTS_YAML}environments:\n${envs.map(env).join('')}`);
}

/** The lock as it stands after `deployed` was deployed everywhere. */
function lockOf(deployed: LoadedConfig): IndexSchemaLock {
  let lock = emptyLock();
  for (const env of Object.values(deployed.environments)) {
    lock = updateLock(
      lock,
      env.name,
      configuredIndexes(env).map((i) => i.definition),
    );
  }
  return lock;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'index-lock-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the synth-time lock check', () => {
  const deployed = lockOf(config());

  test('an unchanged index passes', () => {
    expect(indexLockProblems(config(), deployed)).toEqual([]);
  });

  test('an additive change passes: a new field', () => {
    // GIVEN a new filterable field appended to docs-v1
    // THEN nothing breaks
    expect(indexLockProblems(config(WITH_LANGUAGE(DOCS)), deployed)).toEqual([]);
  });

  test('an additive change passes: a field made non-retrievable', () => {
    const changed = DOCS.replace(
      '{ name: title, type: string, searchable: true }',
      '{ name: title, type: string, searchable: true, retrievable: false }',
    );
    expect(indexLockProblems(config(changed), deployed)).toEqual([]);
  });

  test('an index with no lock entry is new and passes', () => {
    // GIVEN docs-v2 published next to docs-v1 with a breaking difference (no title field)
    const v2 = DOCS.replace(TITLE, '');
    // THEN docs-v2 is new: no problem
    expect(indexLockProblems(config(DOCS, { 'docs-v2': v2 }), deployed)).toEqual([]);
  });

  test('an environment with no lock entry passes', () => {
    expect(indexLockProblems(config(), emptyLock())).toEqual([]);
  });

  test('a breaking change fails with a message naming the next version: a field type change', () => {
    // GIVEN title changed from string to a string collection
    const changed = DOCS.replace('{ name: title, type: string,', '{ name: title, type: collection(string),');
    // THEN both environments report it, naming docs-v2
    const problems = indexLockProblems(config(changed), deployed);
    expect(problems).toEqual([
      {
        path: 'environments.dev.docs-v1.fields.title.type',
        message: expect.stringContaining(
          'dev/docs-v1: field "title": type changed from Edm.String to Collection(Edm.String). The search service (Azure AI Search, OpenSearch Serverless) cannot apply this change to an existing index. Publish a new index version (e.g. "docs-v2") alongside "docs-v1"',
        ),
      },
      {
        path: 'environments.prod.docs-v1.fields.title.type',
        message: expect.stringContaining('prod/docs-v1: field "title": type changed'),
      },
    ]);
  });

  test('a breaking change fails: a field removed', () => {
    const removed = DOCS.replace(TITLE, '');
    const problems = indexLockProblems(config(removed), deployed);
    expect(problems.map((p) => p.path)).toEqual([
      'environments.dev.docs-v1.fields.title',
      'environments.prod.docs-v1.fields.title',
    ]);
    expect(problems[0]!.message).toContain('was removed (or renamed)');
    expect(problems[0]!.message).toContain('"docs-v2"');
  });

  test('a breaking change fails: an attribute Azure cannot change in place', () => {
    const changed = DOCS.replace(
      '{ name: content, type: string, searchable: true }',
      '{ name: content, type: string, searchable: true, filterable: true }',
    );
    expect(indexLockProblems(config(changed), deployed).map((p) => p.path)).toContain(
      'environments.dev.docs-v1.fields.content.filterable',
    );
  });

  test('a breaking change fails: vector dimensions changed with the embedding model', () => {
    // GIVEN the embedding deployment moved to text-embedding-3-small (1536 dimensions) under the same name
    const smaller = config(
      DOCS,
      {},
      ['dev'],
      '    models:\n      deployments:\n        embedding: { role: embedding, model: text-embedding-3-small, version: "1", dimensions: 1536 }\n',
    );
    expect(indexLockProblems(smaller, deployed)).toEqual([
      {
        path: 'environments.dev.docs-v1.fields.contentVector.dimensions',
        message: expect.stringContaining('vector dimensions changed from 3072 to 1536'),
      },
    ]);
  });

  test('checkIndexLock throws a check failure (exit 1) whose message says what to do', () => {
    // GIVEN the lock file on disk and a breaking change in config
    const lockFile = join(dir, 'index-schema.lock.json');
    writeFileSync(lockFile, serializeLock(deployed));
    const changed = config(
      DOCS.replace(
        '{ name: id, type: string, key: true, filterable: true }',
        '{ name: id, type: string, key: true }',
      ),
    );
    // WHEN checked
    let error: unknown;
    try {
      checkIndexLock(changed, lockFile);
    } catch (e) {
      error = e;
    }
    // THEN
    expect(error).toBeInstanceOf(CheckFailedError);
    const message = (error as Error).message;
    expect(message).toContain(
      `Search index schema check failed: 2 changes the search service cannot apply to a deployed index (compared with ${lockFile})`,
    );
    expect(message).toContain(
      'environments.dev.docs-v1.fields.id.filterable: dev/docs-v1: field "id": filterable changed from true to false',
    );
    expect(message).toContain('Publish a new index version (e.g. "docs-v2")');
    expect(message).toContain('run `npm run index:lock`');
  });

  test('checkIndexLock passes quietly when nothing breaks, and leaves the lock file alone', () => {
    // GIVEN the lock on disk and a config that only adds a field (additive)
    const lockFile = join(dir, 'index-schema.lock.json');
    writeFileSync(lockFile, serializeLock(deployed));
    // WHEN checked THEN it returns nothing, throws nothing, and the lock is what it was (synth never writes it)
    expect(checkIndexLock(config(WITH_LANGUAGE(DOCS)), lockFile)).toBeUndefined();
    expect(readFileSync(lockFile, 'utf8')).toBe(serializeLock(deployed));
    // AND the same lock does catch a breaking change (the check is live, not vacuous)
    expect(() => checkIndexLock(config(DOCS.replace(TITLE, '')), lockFile)).toThrow(CheckFailedError);
  });

  test('checkIndexLock fails as bad input (exit 2) when the lock file is missing', () => {
    expect(() => checkIndexLock(config(), join(dir, 'missing.json'))).toThrow(ValidationError);
    expect(() => checkIndexLock(config(), join(dir, 'missing.json'))).toThrow(
      /create it with `npm run index:lock`/,
    );
  });

  test('the committed config passes the committed lock', () => {
    expect(
      indexLockProblems(loadConfig('config/environments.yaml'), readLock('config/index-schema.lock.json')),
    ).toEqual([]);
  });
});

describe('npm run index:lock', () => {
  function run(argv: string[], cfg: LoadedConfig) {
    let out = '';
    const code = indexLockMain(argv, { loadConfig: () => cfg, stdout: (t) => (out += t) });
    return { code, out };
  }

  test('records every environment, deterministically', () => {
    // GIVEN no lock file yet
    const lockFile = join(dir, 'lock.json');
    // WHEN run twice
    const first = run(['--lock', lockFile], config());
    const text = readFileSync(lockFile, 'utf8');
    const second = run(['--lock', lockFile], config());
    // THEN the file holds both environments, the same bytes each time
    expect(first.code).toBe(0);
    expect(first.out).toBe(`  dev/docs-v1: new\n  prod/docs-v1: new\nwrote ${lockFile}\n`);
    expect(second.out).toBe(`  dev/docs-v1: unchanged\n  prod/docs-v1: unchanged\nwrote ${lockFile}\n`);
    expect(readFileSync(lockFile, 'utf8')).toBe(text);
    expect(text).toBe(serializeLock(lockOf(config())));
  });

  test('--env records only that environment', () => {
    const lockFile = join(dir, 'lock.json');
    run(['--lock', lockFile, '--env', 'prod'], config());
    expect(Object.keys(readLock(lockFile).environments)).toEqual(['prod']);
  });

  test('records additive changes and drops indexes removed from config', () => {
    // GIVEN docs-v1 and docs-v2 deployed, then docs-v1 removed and a field added to docs-v2
    const lockFile = join(dir, 'lock.json');
    run(['--lock', lockFile, '--env', 'dev'], config(DOCS, { 'docs-v2': DOCS }));
    const onlyV2 = testConfig(
      `${TEST_DEFAULTS_YAML}environments:\n  dev:\n    profile: development\n${indexesYaml({ 'docs-v2': WITH_LANGUAGE(DOCS) })}`,
    );
    // WHEN recorded
    const { out } = run(['--lock', lockFile, '--env', 'dev'], onlyV2);
    // THEN
    expect(out).toBe(`  dev/docs-v2: updated\n  dev/docs-v1: removed\nwrote ${lockFile}\n`);
    const entry = readLock(lockFile).environments.dev!;
    expect(Object.keys(entry)).toEqual(['docs-v2']);
    expect(entry['docs-v2']!.fields.map((f) => f.name)).toContain('language');
  });

  test('refuses to record a breaking change (exit 1) and leaves the lock as it was', () => {
    const lockFile = join(dir, 'lock.json');
    run(['--lock', lockFile], config());
    const before = readFileSync(lockFile, 'utf8');
    const removed = config(DOCS.replace(TITLE, ''));
    expect(() => run(['--lock', lockFile], removed)).toThrow(CheckFailedError);
    expect(() => run(['--lock', lockFile], removed)).toThrow(
      /not written: it would record 2 changes the search service cannot apply in place/,
    );
    expect(readFileSync(lockFile, 'utf8')).toBe(before);
  });

  test('--accept-breaking records a change when the index really was rebuilt', () => {
    const lockFile = join(dir, 'lock.json');
    run(['--lock', lockFile], config());
    const removed = config(DOCS.replace(TITLE, ''));
    expect(run(['--lock', lockFile, '--accept-breaking'], removed).code).toBe(0);
    expect(indexLockProblems(removed, readLock(lockFile))).toEqual([]);
  });

  test('drops environments no longer in config when run for all environments', () => {
    const lockFile = join(dir, 'lock.json');
    writeFileSync(
      lockFile,
      serializeLock(
        updateLock(
          lockOf(config()),
          'old',
          configuredIndexes(config().environments.dev!).map((i) => i.definition),
        ),
      ),
    );
    const { out } = run(['--lock', lockFile], config());
    expect(out).toContain('  old: environment removed\n');
    expect(Object.keys(readLock(lockFile).environments)).toEqual(['dev', 'prod']);
  });

  test('fails as usage (exit 2) for an unknown environment', () => {
    expect(() => run(['--lock', join(dir, 'lock.json'), '--env', 'qa'], config())).toThrow(UsageError);
    expect(() => run(['--lock', join(dir, 'lock.json'), '--env', 'qa'], config())).toThrow(
      /--env "qa": not in test\/fixtures\/config\/inline.yaml \(environments: dev, prod\)/,
    );
  });

  test('fails as bad input (exit 2) for a malformed lock file', () => {
    const lockFile = join(dir, 'lock.json');
    writeFileSync(lockFile, '{"version": 2, "environments": {}}');
    expect(() => run(['--lock', lockFile], config())).toThrow(ValidationError);
    expect(() => run(['--lock', lockFile], config())).toThrow(
      `Invalid index schema lock ${lockFile}:\n  - version: version 2 is not supported; this tool reads version 1`,
    );
  });
});
