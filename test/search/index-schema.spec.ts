import type { Problem } from '../../constructs/core/errors';
import { SEARCH_INDEX_AZAPI_TYPE, toIndexBody } from '../../constructs/search/index-schema/body';
import { defaultRagIndex } from '../../constructs/search/index-schema/default-index';
import type {
  EmbeddingVectorizerInput,
  SearchFieldDefinition,
  SearchFieldType,
  SearchIndexDefinition,
} from '../../constructs/search/index-schema/definition';
import { toEdmType } from '../../constructs/search/index-schema/edm';
import { validateIndexDefinition } from '../../constructs/search/index-schema/validation';
import { searchIndexSemanticProblems, validateAgainstAzureSpec } from '../helpers/azure-spec';
import { ref } from '../helpers/synth';

const VECTORIZER: EmbeddingVectorizerInput = {
  name: 'embedding',
  endpoint: 'https://llmops-dev-ai.openai.azure.com/',
  deploymentName: 'text-embedding',
  modelName: 'text-embedding-3-large',
  dimensions: 3072,
};

const TOKEN_VECTORIZER: EmbeddingVectorizerInput = {
  ...VECTORIZER,
  endpoint: ref('azurerm_cognitive_account.ai.endpoint'),
  deploymentName: ref('azurerm_cognitive_deployment.embedding.name'),
};

function base(): SearchIndexDefinition {
  return defaultRagIndex('docs', VECTORIZER);
}

/** Replaces the field named `name` (the default index's fields are all top-level). */
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

function addField(def: SearchIndexDefinition, field: Record<string, unknown>): SearchIndexDefinition {
  return { ...def, fields: [...def.fields, field as unknown as SearchFieldDefinition] };
}

function expectAllClean(def: SearchIndexDefinition): void {
  expect(validateIndexDefinition(def)).toEqual([]);
  const body = toIndexBody(def);
  expect(validateAgainstAzureSpec(SEARCH_INDEX_AZAPI_TYPE, body)).toEqual([]);
  expect(searchIndexSemanticProblems(body)).toEqual([]);
}

describe('defaultRagIndex', () => {
  test('body lists every field in order with every attribute written out', () => {
    // GIVEN / WHEN
    const body = toIndexBody(base());

    // THEN
    const plain = {
      key: false,
      retrievable: true,
      searchable: false,
      filterable: false,
      sortable: false,
      facetable: false,
    };
    expect(body.name).toBe('docs');
    expect(body.fields).toEqual([
      { name: 'id', type: 'Edm.String', ...plain, key: true, filterable: true },
      { name: 'content', type: 'Edm.String', ...plain, searchable: true },
      { name: 'title', type: 'Edm.String', ...plain, searchable: true },
      { name: 'source', type: 'Edm.String', ...plain, filterable: true, facetable: true },
      { name: 'parentId', type: 'Edm.String', ...plain, filterable: true },
      { name: 'chunkOrdinal', type: 'Edm.Int32', ...plain, filterable: true, sortable: true },
      { name: 'page', type: 'Edm.Int32', ...plain, filterable: true, sortable: true },
      {
        name: 'keywords',
        type: 'Collection(Edm.String)',
        ...plain,
        searchable: true,
        filterable: true,
        facetable: true,
      },
      { name: 'lastUpdated', type: 'Edm.DateTimeOffset', ...plain, filterable: true, sortable: true },
      {
        name: 'contentVector',
        type: 'Collection(Edm.Single)',
        ...plain,
        retrievable: false,
        searchable: true,
        dimensions: 3072,
        vectorSearchProfile: 'default',
      },
    ]);
  });

  test('vector search uses HNSW (m 4, efConstruction 400, efSearch 500, cosine) and a keyless azureOpenAI vectorizer', () => {
    // GIVEN / WHEN
    const body = toIndexBody(base());

    // THEN
    expect(body.vectorSearch).toEqual({
      algorithms: [
        {
          name: 'hnsw',
          kind: 'hnsw',
          hnswParameters: { m: 4, efConstruction: 400, efSearch: 500, metric: 'cosine' },
        },
      ],
      profiles: [{ name: 'default', algorithm: 'hnsw', vectorizer: 'embedding' }],
      vectorizers: [
        {
          name: 'embedding',
          kind: 'azureOpenAI',
          azureOpenAIParameters: {
            resourceUri: 'https://llmops-dev-ai.openai.azure.com', // the trailing slash of the endpoint dropped
            deploymentId: 'text-embedding',
            modelName: 'text-embedding-3-large',
            authIdentity: null,
          },
        },
      ],
    });
    expect(JSON.stringify(body)).not.toContain('apiKey');
  });

  test('semantic configuration ranks title, content and keywords and is the default', () => {
    // GIVEN / WHEN
    const body = toIndexBody(base());

    // THEN
    expect(body.semantic).toEqual({
      defaultConfiguration: 'default',
      configurations: [
        {
          name: 'default',
          prioritizedFields: {
            titleField: { fieldName: 'title' },
            prioritizedContentFields: [{ fieldName: 'content' }],
            prioritizedKeywordsFields: [{ fieldName: 'keywords' }],
          },
        },
      ],
    });
  });

  test('vector field takes the vectorizer deployment dimensions', () => {
    // GIVEN
    const small = defaultRagIndex('docs', {
      ...VECTORIZER,
      modelName: 'text-embedding-3-small',
      dimensions: 1536,
    });

    // WHEN
    const vectorField = toIndexBody(small).fields.find((f) => f.name === 'contentVector');

    // THEN
    expect(vectorField?.dimensions).toBe(1536);
    expect(validateIndexDefinition(small, { embeddingDimensions: 1536 })).toEqual([]);
  });

  test('is valid: no validation problem, no Azure spec error, no service-rule problem', () => {
    expectAllClean(base());
    expect(validateIndexDefinition(base(), { embeddingDimensions: 3072 })).toEqual([]);
  });

  test('with unresolved endpoint and deployment tokens: valid, tokens passed through verbatim', () => {
    // GIVEN
    const def = defaultRagIndex('docs', TOKEN_VECTORIZER);

    // WHEN
    const body = toIndexBody(def);

    // THEN
    expectAllClean(def);
    expect(body.vectorSearch?.vectorizers[0]?.azureOpenAIParameters).toMatchObject({
      resourceUri: ref('azurerm_cognitive_account.ai.endpoint'),
      deploymentId: ref('azurerm_cognitive_deployment.embedding.name'),
    });
  });

  test('snapshot of the default body as JSON text (key order included)', () => {
    const text = JSON.stringify(toIndexBody(defaultRagIndex('docs', TOKEN_VECTORIZER)), null, 2);
    expect(Object.keys(JSON.parse(text))).toEqual(['name', 'fields', 'vectorSearch', 'semantic']);
    expect(text).toMatchSnapshot();
  });
});

describe('toIndexBody', () => {
  test('is deterministic: named collections sorted by name whatever their order in the definition', () => {
    // GIVEN two definitions differing only in the insertion order of their named collections
    const vs = base().vectorSearch!;
    const a: SearchIndexDefinition = {
      ...base(),
      vectorSearch: {
        algorithms: { hnsw: {}, exact: { kind: 'exhaustiveKnn' } },
        profiles: { default: vs.profiles.default!, exact: { algorithm: 'exact' } },
        vectorizers: vs.vectorizers,
      },
      semantic: { configurations: { b: { contentFields: ['content'] }, a: { titleField: 'title' } } },
    };
    const b: SearchIndexDefinition = {
      ...a,
      vectorSearch: {
        algorithms: { exact: { kind: 'exhaustiveKnn' }, hnsw: {} },
        profiles: { exact: { algorithm: 'exact' }, default: vs.profiles.default! },
        vectorizers: vs.vectorizers,
      },
      semantic: { configurations: { a: { titleField: 'title' }, b: { contentFields: ['content'] } } },
    };

    // WHEN
    const bodyA = toIndexBody(a);

    // THEN
    expect(JSON.stringify(bodyA)).toBe(JSON.stringify(toIndexBody(b)));
    expect(bodyA.vectorSearch?.algorithms.map((x) => x.name)).toEqual(['exact', 'hnsw']);
    expect(bodyA.vectorSearch?.algorithms[0]).toEqual({
      name: 'exact',
      kind: 'exhaustiveKnn',
      exhaustiveKnnParameters: { metric: 'cosine' },
    });
    expect(bodyA.semantic?.configurations.map((c) => c.name)).toEqual(['a', 'b']);
    expectAllClean(a);
  });

  test('friendly and Edm type names give the same body', () => {
    // GIVEN
    const friendly = base();
    const edm = {
      ...friendly,
      fields: friendly.fields.map((f) => ({ ...f, type: toEdmType(f.type)! })),
    };

    // THEN
    expect(toIndexBody(edm)).toEqual(toIndexBody(friendly));
    expect(toEdmType('collection(single)')).toBe('Collection(Edm.Single)');
    expect(toEdmType('Collection(Edm.GeographyPoint)')).toBe('Collection(Edm.GeographyPoint)');
    expect(toEdmType('single')).toBeUndefined(); // Edm.Single exists only inside a collection
  });

  test('complex fields carry only name, type and sub-fields; sub-fields get their attributes', () => {
    // GIVEN
    const def = addField(base(), {
      name: 'author',
      type: 'complex',
      fields: [
        { name: 'name', type: 'string', searchable: true },
        { name: 'email', type: 'string', filterable: true },
      ],
    });

    // WHEN
    const author = toIndexBody(def).fields.find((f) => f.name === 'author');

    // THEN
    expect(author).toEqual({
      name: 'author',
      type: 'Edm.ComplexType',
      fields: [
        expect.objectContaining({ name: 'name', type: 'Edm.String', searchable: true, filterable: false }),
        expect.objectContaining({ name: 'email', type: 'Edm.String', searchable: false, filterable: true }),
      ],
    });
    expectAllClean(def);
  });

  test('analyzer is written only when set', () => {
    // GIVEN
    const def = patchField(base(), 'content', { analyzer: 'en.microsoft' });

    // WHEN
    const fields = toIndexBody(def).fields;

    // THEN
    expect(fields.find((f) => f.name === 'content')?.analyzer).toBe('en.microsoft');
    expect(fields.find((f) => f.name === 'title')).not.toHaveProperty('analyzer');
    expectAllClean(def);
  });
});

type Case = [
  rule: string,
  mutate: (def: SearchIndexDefinition) => SearchIndexDefinition,
  path: string,
  message: string,
  /** Further problems the same mutation causes, when there are any. */
  also?: Problem[],
];

const VS = () => base().vectorSearch!;

const FAILURES: Case[] = [
  [
    'the index name has uppercase letters',
    (d) => ({ ...d, name: 'Docs' }),
    'name',
    'index name "Docs" is not allowed: use 2-128 lowercase letters, digits and dashes, starting and ending with a letter or digit, without "--"',
  ],
  [
    'the index name contains "--"',
    (d) => ({ ...d, name: 'my--docs' }),
    'name',
    'index name "my--docs" is not allowed: use 2-128 lowercase letters, digits and dashes, starting and ending with a letter or digit, without "--"',
  ],
  [
    'the index name ends with a dash',
    (d) => ({ ...d, name: 'docs-' }),
    'name',
    'index name "docs-" is not allowed: use 2-128 lowercase letters, digits and dashes, starting and ending with a letter or digit, without "--"',
  ],
  [
    'the index name is longer than 128 characters',
    (d) => ({ ...d, name: 'a'.repeat(129) }),
    'name',
    `index name "${'a'.repeat(129)}" is not allowed: use 2-128 lowercase letters, digits and dashes, starting and ending with a letter or digit, without "--"`,
  ],
  [
    'the index name has one character',
    (d) => ({ ...d, name: 'd' }),
    'name',
    'index name "d" is not allowed: use 2-128 lowercase letters, digits and dashes, starting and ending with a letter or digit, without "--"',
  ],
  [
    'the index has no field',
    (d) => ({ ...d, fields: [], semantic: undefined, vectorSearch: undefined }),
    'fields',
    'an index needs at least one field',
    [
      {
        path: 'fields',
        message: 'an index needs exactly one key field (key: true, type string); found none',
      },
    ],
  ],
  [
    'no field is the key',
    (d) => patchField(d, 'id', { key: false }),
    'fields',
    'an index needs exactly one key field (key: true, type string); found none',
  ],
  [
    'two fields are keys',
    (d) => patchField(d, 'parentId', { key: true }),
    'fields',
    'an index needs exactly one key field; found 2: "id", "parentId"',
  ],
  [
    'the key field is not a string',
    (d) => patchField(d, 'id', { type: 'int64' }),
    'fields[0].type',
    'key field "id" must be of type string (Edm.String), got Edm.Int64',
  ],
  [
    'the key field is not retrievable',
    (d) => patchField(d, 'id', { retrievable: false }),
    'fields[0].retrievable',
    'key field "id" must be retrievable, got false',
  ],
  [
    'a sub-field is the key',
    (d) =>
      addField(d, { name: 'meta', type: 'complex', fields: [{ name: 'ref', type: 'string', key: true }] }),
    'fields[10].fields[0].key',
    'field "ref": the key must be a top-level field, not a sub-field',
  ],
  [
    'a field name starts with a digit',
    (d) => patchField(d, 'page', { name: '1page' }),
    'fields[6].name',
    'field name "1page" is not allowed: use 1-128 letters, digits and underscores, starting with a letter',
  ],
  [
    'a field name has a dash',
    (d) => patchField(d, 'page', { name: 'page-no' }),
    'fields[6].name',
    'field name "page-no" is not allowed: use 1-128 letters, digits and underscores, starting with a letter',
  ],
  [
    'a field name is longer than 128 characters',
    (d) => patchField(d, 'page', { name: `p${'a'.repeat(128)}` }),
    'fields[6].name',
    `field name "p${'a'.repeat(128)}" is not allowed: use 1-128 letters, digits and underscores, starting with a letter`,
  ],
  [
    'a field name starts with "azureSearch"',
    (d) => patchField(d, 'page', { name: 'azureSearchRank' }),
    'fields[6].name',
    'field name "azureSearchRank" is not allowed: names starting with "azureSearch" are reserved',
  ],
  [
    'two fields share a name',
    (d) => patchField(d, 'page', { name: 'title' }),
    'fields[6].name',
    'field name "title" is already used by fields[2]',
    [
      {
        path: 'semantic.configurations.default.titleField',
        message:
          'semantic configuration "default": field "title" is Edm.Int32; the semantic ranker reads only string fields',
      },
    ],
  ],
  [
    'a field type is unknown',
    (d) => patchField(d, 'page', { type: 'integer' }),
    'fields[6].type',
    'field "page": type "integer" is not a field type; use one of string, int32, int64, double, boolean, dateTimeOffset, geographyPoint, complex, collection(string), collection(int32), collection(int64), collection(double), collection(boolean), collection(dateTimeOffset), collection(geographyPoint), collection(complex), collection(single), collection(half), collection(int16), collection(sbyte), collection(byte) (or the Edm.* / Collection(Edm.*) names)',
  ],
  [
    'Edm.Single is used outside a collection',
    (d) => patchField(d, 'page', { type: 'Edm.Single' }),
    'fields[6].type',
    'field "page": type "Edm.Single" is not a field type; use one of string, int32, int64, double, boolean, dateTimeOffset, geographyPoint, complex, collection(string), collection(int32), collection(int64), collection(double), collection(boolean), collection(dateTimeOffset), collection(geographyPoint), collection(complex), collection(single), collection(half), collection(int16), collection(sbyte), collection(byte) (or the Edm.* / Collection(Edm.*) names)',
  ],
  [
    'a number field is searchable',
    (d) => patchField(d, 'page', { searchable: true }),
    'fields[6].searchable',
    'field "page" (Edm.Int32) cannot be searchable: only string and vector fields are',
  ],
  [
    'a collection is sortable',
    (d) => patchField(d, 'keywords', { sortable: true }),
    'fields[7].sortable',
    'field "keywords" (Collection(Edm.String)) cannot be sortable: collections are not',
  ],
  [
    'a geography point is facetable',
    (d) => addField(d, { name: 'location', type: 'geographyPoint', facetable: true }),
    'fields[10].facetable',
    'field "location" (Edm.GeographyPoint) cannot be facetable: geography points are not',
  ],
  [
    'an analyzer is set on a field that is not searchable',
    (d) => patchField(d, 'source', { analyzer: 'keyword' }),
    'fields[3].analyzer',
    'field "source" (Edm.String): analyzer "keyword" applies only to searchable string fields',
  ],
  [
    'a complex field sets an attribute',
    (d) =>
      addField(d, {
        name: 'meta',
        type: 'complex',
        filterable: true,
        fields: [{ name: 'a', type: 'string' }],
      }),
    'fields[10].filterable',
    'complex field "meta" cannot set filterable: attributes go on its sub-fields',
  ],
  [
    'a complex field has no sub-field',
    (d) => addField(d, { name: 'meta', type: 'complex' }),
    'fields[10].fields',
    'a complex field needs at least one sub-field',
  ],
  [
    'a simple field has sub-fields',
    (d) => patchField(d, 'title', { fields: [{ name: 'a', type: 'string' }] }),
    'fields[2].fields',
    'field "title" (Edm.String) cannot have sub-fields: only complex fields do',
  ],
  [
    'sub-field names repeat',
    (d) =>
      addField(d, {
        name: 'meta',
        type: 'complex',
        fields: [
          { name: 'a', type: 'string' },
          { name: 'a', type: 'int32' },
        ],
      }),
    'fields[10].fields[1].name',
    'field name "a" is already used by fields[10].fields[0]',
  ],
  [
    'a vector field is not searchable',
    (d) => patchField(d, 'contentVector', { searchable: false }),
    'fields[9].searchable',
    'vector field "contentVector" must be searchable, got false',
  ],
  [
    'a vector field is filterable',
    (d) => patchField(d, 'contentVector', { filterable: true }),
    'fields[9].filterable',
    'vector field "contentVector" cannot be filterable',
  ],
  [
    'a vector field is sortable',
    (d) => patchField(d, 'contentVector', { sortable: true }),
    'fields[9].sortable',
    'vector field "contentVector" cannot be sortable',
  ],
  [
    'a vector field is facetable',
    (d) => patchField(d, 'contentVector', { facetable: true }),
    'fields[9].facetable',
    'vector field "contentVector" cannot be facetable',
  ],
  [
    'a vector field has an analyzer',
    (d) => patchField(d, 'contentVector', { analyzer: 'en.microsoft' }),
    'fields[9].analyzer',
    'vector field "contentVector" cannot have an analyzer',
  ],
  [
    'a vector type has no vector options',
    (d) => patchField(d, 'contentVector', { vector: undefined }),
    'fields[9].vector',
    'vector field "contentVector" has type Collection(Edm.Single) but no vector: { dimensions, profile }',
  ],
  [
    'a non-vector type has vector options',
    (d) => patchField(d, 'title', { vector: { dimensions: 3072, profile: 'default' } }),
    'fields[2].vector',
    'field "title" (Edm.String): only vector types (collection(single), collection(half), collection(int16), collection(sbyte), collection(byte)) take vector options',
  ],
  [
    'vector dimensions are 1',
    (d) => patchField(d, 'contentVector', { vector: { dimensions: 1, profile: 'default' } }),
    'fields[9].vector.dimensions',
    'vector field "contentVector": dimensions 1 must be an integer from 2 to 3072',
    [
      {
        path: 'fields[9].vector.dimensions',
        message:
          'vector field "contentVector": dimensions 1 must equal the 3072 dimensions of vectorizer "embedding" (profile "default")',
      },
    ],
  ],
  [
    'vector dimensions exceed 3072',
    (d) => patchField(d, 'contentVector', { vector: { dimensions: 4096, profile: 'default' } }),
    'fields[9].vector.dimensions',
    'vector field "contentVector": dimensions 4096 must be an integer from 2 to 3072',
    [
      {
        path: 'fields[9].vector.dimensions',
        message:
          'vector field "contentVector": dimensions 4096 must equal the 3072 dimensions of vectorizer "embedding" (profile "default")',
      },
    ],
  ],
  [
    "vector dimensions differ from the profile's vectorizer",
    (d) => patchField(d, 'contentVector', { vector: { dimensions: 1536, profile: 'default' } }),
    'fields[9].vector.dimensions',
    'vector field "contentVector": dimensions 1536 must equal the 3072 dimensions of vectorizer "embedding" (profile "default")',
  ],
  [
    'a vector field names an undefined profile',
    (d) => patchField(d, 'contentVector', { vector: { dimensions: 3072, profile: 'fast' } }),
    'fields[9].vector.profile',
    'vector field "contentVector": profile "fast" is not defined; vectorSearch.profiles has "default"',
  ],
  [
    'vector fields exist without vectorSearch',
    (d) => ({ ...d, vectorSearch: undefined }),
    'vectorSearch',
    'vector fields need a vectorSearch section with algorithms and profiles',
    [
      {
        path: 'fields[9].vector.profile',
        message:
          'vector field "contentVector": profile "default" is not defined; vectorSearch.profiles has none',
      },
    ],
  ],
  [
    'a vector field is a sub-field',
    (d) =>
      addField(d, {
        name: 'meta',
        type: 'complex',
        fields: [{ name: 'v', type: 'collection(single)', vector: { dimensions: 3072, profile: 'default' } }],
      }),
    'fields[10].fields[0].type',
    'vector field "v" must be a top-level field in api-version 2024-07-01',
  ],
  [
    'a profile names an undefined algorithm',
    (d) => ({
      ...d,
      vectorSearch: { ...VS(), profiles: { default: { algorithm: 'ivf', vectorizer: 'embedding' } } },
    }),
    'vectorSearch.profiles.default.algorithm',
    'profile "default": algorithm "ivf" is not defined; vectorSearch.algorithms has "hnsw"',
  ],
  [
    'a profile names an undefined vectorizer',
    (d) => ({
      ...d,
      vectorSearch: { ...VS(), profiles: { default: { algorithm: 'hnsw', vectorizer: 'ada' } } },
    }),
    'vectorSearch.profiles.default.vectorizer',
    'profile "default": vectorizer "ada" is not defined; vectorSearch.vectorizers has "embedding"',
  ],
  [
    'HNSW m is out of range',
    (d) => ({ ...d, vectorSearch: { ...VS(), algorithms: { hnsw: { m: 16 } } } }),
    'vectorSearch.algorithms.hnsw.m',
    'HNSW m 16 must be an integer from 4 to 10',
  ],
  [
    'HNSW efConstruction is out of range',
    (d) => ({ ...d, vectorSearch: { ...VS(), algorithms: { hnsw: { efConstruction: 50 } } } }),
    'vectorSearch.algorithms.hnsw.efConstruction',
    'HNSW efConstruction 50 must be an integer from 100 to 1000',
  ],
  [
    'HNSW efSearch is out of range',
    (d) => ({ ...d, vectorSearch: { ...VS(), algorithms: { hnsw: { efSearch: 2000 } } } }),
    'vectorSearch.algorithms.hnsw.efSearch',
    'HNSW efSearch 2000 must be an integer from 100 to 1000',
  ],
  [
    'HNSW parameters are set on exhaustiveKnn',
    (d) => ({ ...d, vectorSearch: { ...VS(), algorithms: { hnsw: { kind: 'exhaustiveKnn', m: 4 } } } }),
    'vectorSearch.algorithms.hnsw.m',
    'm applies only to kind "hnsw", not "exhaustiveKnn"',
  ],
  [
    'the algorithm kind is unknown',
    (d) => ({ ...d, vectorSearch: { ...VS(), algorithms: { hnsw: { kind: 'ivf' as 'hnsw' } } } }),
    'vectorSearch.algorithms.hnsw.kind',
    'algorithm kind "ivf" must be "hnsw" or "exhaustiveKnn"',
  ],
  [
    'the metric is unknown',
    (d) => ({ ...d, vectorSearch: { ...VS(), algorithms: { hnsw: { metric: 'cos' as 'cosine' } } } }),
    'vectorSearch.algorithms.hnsw.metric',
    'metric "cos" must be one of cosine, euclidean, dotProduct, hamming',
  ],
  [
    'the vectorizer endpoint is not https',
    (d) => defaultRagIndex(d.name, { ...VECTORIZER, endpoint: 'http://x.openai.azure.com' }),
    'vectorSearch.vectorizers.embedding.endpoint',
    'vectorizer "embedding": endpoint "http://x.openai.azure.com" must be an https URL, e.g. https://<account>.openai.azure.com',
  ],
  [
    'the vectorizer deployment is empty',
    (d) => defaultRagIndex(d.name, { ...VECTORIZER, deploymentName: '' }),
    'vectorSearch.vectorizers.embedding.deploymentName',
    'vectorizer "embedding": deploymentName "" must name the embedding deployment',
  ],
  [
    'the vectorizer model is not an embedding model 2024-07-01 knows',
    (d) => defaultRagIndex(d.name, { ...VECTORIZER, modelName: 'gpt-4o' as 'text-embedding-3-large' }),
    'vectorSearch.vectorizers.embedding.modelName',
    'vectorizer "embedding": modelName "gpt-4o" must be one of text-embedding-3-large, text-embedding-3-small, text-embedding-ada-002 (api-version 2024-07-01)',
  ],
  [
    'the vectorizer asks more dimensions than the model returns',
    (d) => defaultRagIndex(d.name, { ...VECTORIZER, modelName: 'text-embedding-3-small' }),
    'vectorSearch.vectorizers.embedding.dimensions',
    'vectorizer "embedding": text-embedding-3-small returns at most 1536 dimensions, got 3072',
  ],
  [
    'the vectorizer shortens ada-002',
    (d) => defaultRagIndex(d.name, { ...VECTORIZER, modelName: 'text-embedding-ada-002', dimensions: 1024 }),
    'vectorSearch.vectorizers.embedding.dimensions',
    'vectorizer "embedding": text-embedding-ada-002 always returns 1536 dimensions, got 1024',
  ],
  [
    'a semantic field is not a field',
    (d) => ({ ...d, semantic: { configurations: { default: { titleField: 'heading' } } } }),
    'semantic.configurations.default.titleField',
    'semantic configuration "default": field "heading" is not a top-level field of the index',
  ],
  [
    'a semantic field is not a string',
    (d) => ({ ...d, semantic: { configurations: { default: { contentFields: ['content', 'page'] } } } }),
    'semantic.configurations.default.contentFields[1]',
    'semantic configuration "default": field "page" is Edm.Int32; the semantic ranker reads only string fields',
  ],
  [
    'a semantic configuration names no field',
    (d) => ({ ...d, semantic: { configurations: { default: {} } } }),
    'semantic.configurations.default',
    'semantic configuration "default" needs at least one of titleField, contentFields, keywordsFields',
  ],
  [
    'defaultConfiguration names no configuration',
    (d) => ({ ...d, semantic: { ...d.semantic!, defaultConfiguration: 'main' } }),
    'semantic.defaultConfiguration',
    'defaultConfiguration "main" is not a configuration; semantic.configurations has "default"',
  ],
];

describe('validateIndexDefinition', () => {
  test.each(FAILURES)('fails when %s', (_rule, mutate, path, message, also = []) => {
    // GIVEN
    const def = mutate(base());

    // WHEN
    const problems = validateIndexDefinition(def);

    // THEN exactly that problem (and any the case lists as following from it), naming the field, the value
    // and what is allowed
    expect(problems).toEqual(expect.arrayContaining<Problem>([{ path, message }, ...also]));
    expect(problems).toHaveLength(1 + also.length);
  });

  test('fails when vector dimensions differ from the embedding deployment', () => {
    // GIVEN / WHEN
    const problems = validateIndexDefinition(base(), { embeddingDimensions: 1536 });

    // THEN
    expect(problems).toEqual([
      {
        path: 'fields[9].vector.dimensions',
        message: `vector field "contentVector": dimensions 3072 must equal the embedding deployment's 1536`,
      },
    ]);
  });

  test('reports every problem at once, under the given path', () => {
    // GIVEN
    const def = patchField({ ...base(), name: 'Docs' }, 'page', { name: '1page', searchable: true });

    // WHEN
    const problems = validateIndexDefinition(def, { path: 'search.indexes.docs' });

    // THEN
    expect(problems.map((p) => p.path)).toEqual([
      'search.indexes.docs.name',
      'search.indexes.docs.fields[6].name',
      'search.indexes.docs.fields[6].searchable',
    ]);
  });

  test('skips checks on unresolved tokens', () => {
    // GIVEN tokens where names and references would otherwise fail
    const def: SearchIndexDefinition = {
      ...defaultRagIndex(ref('var.index_name'), TOKEN_VECTORIZER),
      semantic: {
        defaultConfiguration: ref('var.semantic_default'),
        configurations: { default: { titleField: ref('var.title_field'), contentFields: ['content'] } },
      },
    };
    const withTokenField = addField(def, { name: ref('var.extra_field'), type: 'string' });

    // WHEN / THEN
    expect(validateIndexDefinition(withTokenField)).toEqual([]);
    const body = toIndexBody(withTokenField);
    expect(validateAgainstAzureSpec(SEARCH_INDEX_AZAPI_TYPE, body)).toEqual([]);
    expect(searchIndexSemanticProblems(body)).toEqual([]);
  });

  test('fails when a field type comes from YAML as a non-string', () => {
    // GIVEN
    const def = patchField(base(), 'page', { type: 42 as unknown as SearchFieldType });

    // THEN
    expect(validateIndexDefinition(def)).toContainEqual<Problem>({
      path: 'fields[6].type',
      message: expect.stringContaining('type 42 is not a field type'),
    });
  });
});

describe('azure-spec helper (used by other tests)', () => {
  test('reports schema errors with their instance path', () => {
    // GIVEN a body with a wrong type name, an unknown property and an out-of-range HNSW m
    const body = JSON.parse(JSON.stringify(toIndexBody(base())));
    body.fields[3].type = 'Edm.Text';
    body.fields[0].description = 'x';
    body.vectorSearch.algorithms[0].hnswParameters.m = 12;

    // WHEN
    const errors = validateAgainstAzureSpec(SEARCH_INDEX_AZAPI_TYPE, body);

    // THEN only the precise errors, not the anyOf/if echoes of them
    expect(errors).toEqual([
      '/fields/0: must NOT have additional properties ("description")',
      '/fields/3/type: must be equal to one of the allowed values',
      '/vectorSearch/algorithms/0/hnswParameters/m: must be <= 10',
    ]);
  });

  test('treats unresolved references as satisfying every constraint, and only those', () => {
    // GIVEN references where the schema wants an integer, an enum value and a nullable object member
    const body = JSON.parse(JSON.stringify(toIndexBody(base())));
    body.fields[9].dimensions = ref('var.dimensions');
    body.fields[1].type = ref('var.content_type');
    body.vectorSearch.algorithms[0].hnswParameters.metric = ref('var.metric');

    // WHEN / THEN
    expect(validateAgainstAzureSpec(SEARCH_INDEX_AZAPI_TYPE, body)).toEqual([]);
    body.vectorSearch.algorithms[0].hnswParameters.metric = 'var.metric';
    expect(validateAgainstAzureSpec(SEARCH_INDEX_AZAPI_TYPE, body)).toEqual([
      '/vectorSearch/algorithms/0/hnswParameters/metric: must be equal to one of the allowed values',
    ]);
  });

  test('an unresolved discriminator selects neither an if/then nor an if/else branch', () => {
    // GIVEN the APIM backend rule: type Pool needs pool, any other type needs url and protocol
    const backends = 'Microsoft.ApiManagement/service/backends@2024-05-01';

    // WHEN / THEN
    expect(validateAgainstAzureSpec(backends, { properties: { type: ref('var.backend_type') } })).toEqual([]);
    expect(validateAgainstAzureSpec(backends, { properties: { type: 'Single', protocol: 'http' } })).toEqual([
      "/properties: must have required property 'url'",
    ]);
    expect(validateAgainstAzureSpec(backends, { properties: { type: 'Pool' } })).toEqual([
      "/properties: must have required property 'pool'",
    ]);
  });

  test('fails when no schema is vendored for the type', () => {
    expect(() => validateAgainstAzureSpec('Microsoft.Search/searchServices/indexes@2025-09-01', {})).toThrow(
      /not been checked, which is not the same as valid/,
    );
  });

  test('service rules: key count, key type, references and semantic names', () => {
    // GIVEN a body that breaks each rule JSON Schema cannot express
    const body = JSON.parse(JSON.stringify(toIndexBody(base())));
    body.fields[0].type = 'Edm.Int32';
    body.fields[4].key = true;
    body.fields[9].vectorSearchProfile = 'missing';
    body.vectorSearch.profiles.push({
      name: 'p2',
      algorithm: 'nope',
      vectorizer: 'nada',
      compression: 'none',
    });
    body.semantic.configurations[0].prioritizedFields.prioritizedContentFields.push({ fieldName: 'body' });
    body.semantic.defaultConfiguration = 'other';

    // WHEN
    const problems = searchIndexSemanticProblems(body);

    // THEN
    expect(problems).toEqual([
      '/fields: exactly one top-level field must have key: true, found 2',
      '/fields/0/type: the key field must be Edm.String, got "Edm.Int32"',
      '/fields/9/vectorSearchProfile: profile "missing" is not defined in vectorSearch.profiles',
      '/vectorSearch/profiles/1/algorithm: "nope" is not defined in vectorSearch.algorithms',
      '/vectorSearch/profiles/1/vectorizer: "nada" is not defined in vectorSearch.vectorizers',
      '/vectorSearch/profiles/1/compression: "none" is not defined in vectorSearch.compressions',
      '/semantic/configurations/0/prioritizedFields/prioritizedContentFields/1: "body" is not a top-level field',
      '/semantic/defaultConfiguration: "other" is not a configuration',
    ]);
  });
});
