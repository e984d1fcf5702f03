import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type Problem, ValidationError } from '../../constructs/core/errors';
import {
  compareWithLock,
  emptyLock,
  type IndexSchemaLock,
  lockEntryFor,
  nextIndexVersionName,
  parseLock,
  readLock,
  serializeLock,
  updateLock,
} from '../../constructs/search/index-lock';
import { defaultRagIndex } from '../../constructs/search/index-schema/default-index';
import type {
  EmbeddingVectorizerInput,
  SearchFieldDefinition,
  SearchIndexDefinition,
} from '../../constructs/search/index-schema/definition';
import { ref } from '../helpers/synth';

const VECTORIZER: EmbeddingVectorizerInput = {
  name: 'embedding',
  endpoint: ref('azurerm_cognitive_account.ai.endpoint'),
  deploymentName: 'text-embedding',
  modelName: 'text-embedding-3-large',
  dimensions: 3072,
};

function docs(): SearchIndexDefinition {
  return defaultRagIndex('docs', VECTORIZER);
}

/** The lock as it stands after `docs` was deployed to prod (and an `faq` index to dev). */
function deployedLock(): IndexSchemaLock {
  const withDev = updateLock(emptyLock(), 'dev', [defaultRagIndex('faq', VECTORIZER)]);
  return updateLock(withDev, 'prod', [docs()]);
}

function patchField(
  def: SearchIndexDefinition,
  name: string,
  patch: Partial<Record<keyof SearchFieldDefinition, unknown>>,
): SearchIndexDefinition {
  return {
    ...def,
    fields: def.fields.map((f) => (f.name === name ? ({ ...f, ...patch } as SearchFieldDefinition) : f)),
  };
}

function expectBreaking(problems: Problem[], path: string, ...fragments: string[]): void {
  const problem = problems.find((p) => p.path === path);
  expect(problem).toBeDefined();
  for (const fragment of [
    ...fragments,
    'prod/docs',
    'Publish a new index version (e.g. "docs-v2")',
    'move readers',
  ]) {
    expect(problem?.message).toContain(fragment);
  }
}

describe('lockEntryFor', () => {
  test('records each field with its EDM type and the attributes Azure cannot change in place, sorted by name', () => {
    // GIVEN / WHEN
    const entry = lockEntryFor(docs());

    // THEN
    expect(entry.fields.map((f) => f.name)).toEqual([
      'chunkOrdinal',
      'content',
      'contentVector',
      'id',
      'keywords',
      'lastUpdated',
      'page',
      'parentId',
      'source',
      'title',
    ]);
    expect(entry.fields.find((f) => f.name === 'id')).toEqual({
      name: 'id',
      type: 'Edm.String',
      key: true,
      searchable: false,
      filterable: true,
      sortable: false,
      facetable: false,
    });
    expect(entry.fields.find((f) => f.name === 'contentVector')).toEqual({
      name: 'contentVector',
      type: 'Collection(Edm.Single)',
      key: false,
      searchable: true,
      filterable: false,
      sortable: false,
      facetable: false,
      dimensions: 3072,
      vectorSearchProfile: 'default',
    });
  });

  test('records sub-fields of complex fields as parent/child', () => {
    // GIVEN
    const def: SearchIndexDefinition = {
      ...docs(),
      fields: [
        ...docs().fields,
        { name: 'author', type: 'complex', fields: [{ name: 'email', type: 'string', filterable: true }] },
      ],
    };

    // WHEN
    const fields = lockEntryFor(def).fields;

    // THEN
    expect(fields).toContainEqual({ name: 'author', type: 'Edm.ComplexType' });
    expect(fields).toContainEqual(
      expect.objectContaining({ name: 'author/email', type: 'Edm.String', filterable: true }),
    );
  });
});

describe('compareWithLock', () => {
  test('passes when nothing changed', () => {
    expect(compareWithLock('prod', 'docs', docs(), deployedLock())).toEqual([]);
  });

  test('passes for a new index and for an environment with no lock entry', () => {
    // GIVEN an index that changed everything, but is not in the lock for that environment
    const changed = patchField(docs(), 'title', { type: 'int32' });

    // THEN
    expect(compareWithLock('prod', 'docs-v2', changed, deployedLock())).toEqual([]);
    expect(compareWithLock('test', 'docs', changed, deployedLock())).toEqual([]);
  });

  test('passes additive changes: new field, new profile and algorithm, new semantic configuration, retrievable toggle, field order', () => {
    // GIVEN
    const base = patchField(docs(), 'source', { retrievable: false });
    const vs = base.vectorSearch!;
    const changed: SearchIndexDefinition = {
      ...base,
      fields: [
        ...[...base.fields].reverse(),
        { name: 'language', type: 'string', filterable: true, facetable: true },
      ],
      vectorSearch: {
        ...vs,
        algorithms: { ...vs.algorithms, exact: { kind: 'exhaustiveKnn' } },
        profiles: { ...vs.profiles, exact: { algorithm: 'exact' } },
      },
      semantic: {
        ...base.semantic!,
        configurations: { ...base.semantic!.configurations, contentOnly: { contentFields: ['content'] } },
      },
    };

    // WHEN / THEN
    expect(compareWithLock('prod', 'docs', changed, deployedLock())).toEqual([]);
  });

  test('fails when a field type changes', () => {
    const problems = compareWithLock(
      'prod',
      'docs',
      patchField(docs(), 'page', { type: 'int64' }),
      deployedLock(),
    );
    expectBreaking(
      problems,
      'environments.prod.docs.fields.page.type',
      'field "page"',
      'from Edm.Int32 to Edm.Int64',
    );
    expect(problems).toHaveLength(1);
  });

  test('fails when a field is removed', () => {
    // GIVEN
    const def = { ...docs(), fields: docs().fields.filter((f) => f.name !== 'page') };

    // THEN
    expectBreaking(
      compareWithLock('prod', 'docs', def, deployedLock()),
      'environments.prod.docs.fields.page',
      'field "page"',
      'was removed',
    );
  });

  test('fails when a field is renamed (a removal)', () => {
    const problems = compareWithLock(
      'prod',
      'docs',
      patchField(docs(), 'source', { name: 'url' }),
      deployedLock(),
    );
    expectBreaking(
      problems,
      'environments.prod.docs.fields.source',
      'field "source"',
      'removed (or renamed)',
    );
  });

  test('fails when the key moves to another field', () => {
    // GIVEN
    const def = patchField(patchField(docs(), 'id', { key: false }), 'parentId', { key: true });

    // THEN
    expectBreaking(
      compareWithLock('prod', 'docs', def, deployedLock()),
      'environments.prod.docs.key',
      'key field changed from "id" to "parentId"',
    );
  });

  test('fails when vector dimensions change', () => {
    // GIVEN the embedding deployment moves to 1536 dimensions
    const def = defaultRagIndex('docs', { ...VECTORIZER, dimensions: 1536 });

    // THEN
    expectBreaking(
      compareWithLock('prod', 'docs', def, deployedLock()),
      'environments.prod.docs.fields.contentVector.dimensions',
      'field "contentVector"',
      'vector dimensions changed from 3072 to 1536',
    );
  });

  test('fails when an existing vector field changes profile', () => {
    // GIVEN
    const base = docs();
    const def: SearchIndexDefinition = {
      ...patchField(base, 'contentVector', { vector: { dimensions: 3072, profile: 'exact' } }),
      vectorSearch: {
        ...base.vectorSearch!,
        algorithms: { ...base.vectorSearch!.algorithms, exact: { kind: 'exhaustiveKnn' } },
        profiles: { ...base.vectorSearch!.profiles, exact: { algorithm: 'exact', vectorizer: 'embedding' } },
      },
    };

    // THEN
    expectBreaking(
      compareWithLock('prod', 'docs', def, deployedLock()),
      'environments.prod.docs.fields.contentVector.vectorSearchProfile',
      'vector profile changed from "default" to "exact"',
    );
  });

  test.each([
    ['searchable', 'source'],
    ['filterable', 'title'],
    ['sortable', 'source'],
    ['facetable', 'parentId'],
  ] as const)('fails when %s is turned on for existing field %s', (attribute, field) => {
    // GIVEN / WHEN
    const problems = compareWithLock(
      'prod',
      'docs',
      patchField(docs(), field, { [attribute]: true }),
      deployedLock(),
    );

    // THEN
    expectBreaking(
      problems,
      `environments.prod.docs.fields.${field}.${attribute}`,
      `field "${field}"`,
      `${attribute} changed from false to true`,
    );
    expect(problems).toHaveLength(1);
  });

  test('fails when filterable is turned off for an existing field (Azure documents any revision as a rebuild)', () => {
    const problems = compareWithLock(
      'prod',
      'docs',
      patchField(docs(), 'source', { filterable: false }),
      deployedLock(),
    );
    expectBreaking(
      problems,
      'environments.prod.docs.fields.source.filterable',
      'filterable changed from true to false',
    );
  });

  test('fails when an analyzer is set on an existing field', () => {
    const problems = compareWithLock(
      'prod',
      'docs',
      patchField(docs(), 'content', { analyzer: 'en.microsoft' }),
      deployedLock(),
    );
    expectBreaking(
      problems,
      'environments.prod.docs.fields.content.analyzer',
      'analyzer changed from none to "en.microsoft"',
    );
  });

  test('fails when an analyzer changes', () => {
    // GIVEN a lock recorded with an analyzer
    const lock = updateLock(emptyLock(), 'prod', [
      patchField(docs(), 'content', { analyzer: 'en.microsoft' }),
    ]);

    // WHEN
    const problems = compareWithLock(
      'prod',
      'docs',
      patchField(docs(), 'content', { analyzer: 'en.lucene' }),
      lock,
    );

    // THEN
    expectBreaking(
      problems,
      'environments.prod.docs.fields.content.analyzer',
      'from "en.microsoft" to "en.lucene"',
    );
  });

  test('reports every breaking change at once and suggests the next version after docs-v2', () => {
    // GIVEN docs-v2 deployed, then two breaking changes
    const v2 = { ...docs(), name: 'docs-v2' };
    const lock = updateLock(emptyLock(), 'prod', [v2]);
    const changed = patchField(patchField(v2, 'page', { type: 'int64' }), 'title', { filterable: true });

    // WHEN
    const problems = compareWithLock('prod', 'docs-v2', changed, lock);

    // THEN
    expect(problems.map((p) => p.path)).toEqual([
      'environments.prod.docs-v2.fields.page.type',
      'environments.prod.docs-v2.fields.title.filterable',
    ]);
    expect(problems[0]?.message).toContain(
      'Publish a new index version (e.g. "docs-v3") alongside "docs-v2"',
    );
    expect(nextIndexVersionName('docs')).toBe('docs-v2');
    expect(nextIndexVersionName('docs-v9')).toBe('docs-v10');
  });
});

describe('updateLock', () => {
  test('replaces one environment, keeps the others, and a deployed change then passes', () => {
    // GIVEN
    const lock = deployedLock();
    const withLanguage: SearchIndexDefinition = {
      ...docs(),
      fields: [...docs().fields, { name: 'language', type: 'string', filterable: true }],
    };

    // WHEN
    const next = updateLock(lock, 'prod', [withLanguage]);

    // THEN
    expect(next.environments.dev).toEqual(lock.environments.dev);
    expect(next.environments.prod?.docs?.fields.map((f) => f.name)).toContain('language');
    expect(compareWithLock('prod', 'docs', withLanguage, next)).toEqual([]);
    expect(lock.environments.prod?.docs?.fields.map((f) => f.name)).not.toContain('language'); // input untouched
  });

  test('drops indexes no longer configured, and an environment left with none', () => {
    // GIVEN
    const lock = updateLock(emptyLock(), 'prod', [docs(), { ...docs(), name: 'docs-v2' }]);

    // WHEN
    const migrated = updateLock(lock, 'prod', [{ ...docs(), name: 'docs-v2' }]);
    const emptied = updateLock(migrated, 'prod', []);

    // THEN
    expect(Object.keys(migrated.environments.prod ?? {})).toEqual(['docs-v2']);
    expect(emptied.environments).toEqual({});
  });
});

describe('serializeLock', () => {
  test('is deterministic: sorted keys and fields, 2-space JSON, trailing newline', () => {
    // GIVEN the same content built in different orders
    const tiny: SearchIndexDefinition = {
      name: 'kb',
      fields: [
        { name: 'text', type: 'string', searchable: true },
        { name: 'id', type: 'string', key: true },
      ],
    };
    const a = updateLock(updateLock(emptyLock(), 'prod', [tiny]), 'dev', [tiny]);
    const b = updateLock(updateLock(emptyLock(), 'dev', [tiny]), 'prod', [tiny]);
    const shuffled: IndexSchemaLock = {
      environments: {
        prod: { kb: { fields: [...(a.environments.prod?.kb?.fields ?? [])].reverse() } },
        dev: a.environments.dev!,
      },
      version: 1,
    };

    // WHEN
    const text = serializeLock(a);

    // THEN
    expect(serializeLock(b)).toBe(text);
    expect(serializeLock(shuffled)).toBe(text);
    const prodOnly = serializeLock(updateLock(emptyLock(), 'prod', [tiny]));
    expect(prodOnly).toBe(
      [
        '{',
        '  "environments": {',
        '    "prod": {',
        '      "kb": {',
        '        "fields": [',
        '          {',
        '            "facetable": false,',
        '            "filterable": false,',
        '            "key": true,',
        '            "name": "id",',
        '            "searchable": false,',
        '            "sortable": false,',
        '            "type": "Edm.String"',
        '          },',
        '          {',
        '            "facetable": false,',
        '            "filterable": false,',
        '            "key": false,',
        '            "name": "text",',
        '            "searchable": true,',
        '            "sortable": false,',
        '            "type": "Edm.String"',
        '          }',
        '        ]',
        '      }',
        '    }',
        '  },',
        '  "version": 1',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('round-trips through parseLock', () => {
    // GIVEN
    const text = serializeLock(deployedLock());

    // WHEN / THEN
    expect(serializeLock(parseLock(text))).toBe(text);
    expect(parseLock(text)).toEqual(JSON.parse(text));
  });
});

describe('parseLock and readLock', () => {
  function problemsOf(run: () => unknown): Problem[] {
    try {
      run();
    } catch (error) {
      if (error instanceof ValidationError) return [...error.problems];
      throw error;
    }
    throw new Error('expected a ValidationError');
  }

  test('fails when the content is not JSON, naming the file', () => {
    expect(() => parseLock('{ "version": 1,', 'config/index-schema.lock.json')).toThrow(
      /Invalid index schema lock config\/index-schema.lock.json:\n {2}- not valid JSON/,
    );
  });

  test('fails when the top level is not a version-1 lock', () => {
    expect(problemsOf(() => parseLock('[]'))).toEqual([
      { path: '', message: 'must be a JSON object with "version" and "environments", got an array' },
    ]);
    expect(problemsOf(() => parseLock('{"version": 2, "environments": [], "extra": true}'))).toEqual([
      { path: 'extra', message: 'unknown key "extra"; allowed: version, environments' },
      { path: 'version', message: 'version 2 is not supported; this tool reads version 1' },
      { path: 'environments', message: 'must be an object keyed by environment name, got an array' },
    ]);
  });

  test('fails with every malformed entry and its path', () => {
    // GIVEN
    const text = JSON.stringify({
      version: 1,
      environments: {
        dev: 'docs',
        prod: {
          notes: { fields: 'all' },
          docs: {
            fields: [
              { name: 'id', type: 'Edm.String', key: 'yes' },
              { type: 'Edm.Int32', dimension: 3 },
              { name: 'v', type: 'Collection(Edm.Single)', dimensions: 0, vectorSearchProfile: 7 },
              { name: 'id', type: 'Edm.String' },
              'title',
            ],
          },
        },
      },
    });

    // WHEN
    const problems = problemsOf(() => parseLock(text));

    // THEN
    expect(problems).toEqual([
      { path: 'environments.dev', message: 'must be an object keyed by index name, got string "docs"' },
      { path: 'environments.prod.notes', message: 'must be an object with a "fields" array, got an object' },
      { path: 'environments.prod.docs.fields[0].key', message: 'must be true or false, got string "yes"' },
      {
        path: 'environments.prod.docs.fields[1].dimension',
        message: expect.stringContaining('unknown field attribute "dimension"; allowed: name, type, key'),
      },
      { path: 'environments.prod.docs.fields[1].name', message: 'must be a non-empty string, got nothing' },
      {
        path: 'environments.prod.docs.fields[2].vectorSearchProfile',
        message: 'must be a string, got number 7',
      },
      {
        path: 'environments.prod.docs.fields[2].dimensions',
        message: 'must be a positive integer, got number 0',
      },
      { path: 'environments.prod.docs.fields[3].name', message: 'field "id" is listed twice' },
      {
        path: 'environments.prod.docs.fields[4]',
        message: 'must be an object with name and type, got string "title"',
      },
    ]);
  });

  describe('readLock', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'index-lock-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    test('reads a lock file written by serializeLock', () => {
      // GIVEN
      const file = path.join(dir, 'index-schema.lock.json');
      writeFileSync(file, serializeLock(deployedLock()));

      // WHEN / THEN
      expect(readLock(file)).toEqual(deployedLock());
    });

    test('fails when the file is missing, telling how to create it', () => {
      const file = path.join(dir, 'missing.json');
      expect(problemsOf(() => readLock(file))).toEqual([
        { path: '', message: 'file not found; create it with `npm run index:lock`' },
      ]);
    });

    test('returns an empty lock for a missing file only when asked to', () => {
      expect(readLock(path.join(dir, 'missing.json'), { missingOk: true })).toEqual(emptyLock());
    });

    test('fails when the file is malformed, naming the file', () => {
      // GIVEN
      const file = path.join(dir, 'bad.json');
      writeFileSync(
        file,
        '{"version": 1, "environments": {"prod": {"docs": {"fields": [{"name": "id"}]}}}}\n',
      );

      // WHEN / THEN
      expect(() => readLock(file)).toThrow(ValidationError);
      expect(() => readLock(file)).toThrow(`Invalid index schema lock ${file}`);
      expect(problemsOf(() => readLock(file))).toEqual([
        { path: 'environments.prod.docs.fields[0].type', message: 'must be a non-empty string, got nothing' },
      ]);
    });
  });
});
