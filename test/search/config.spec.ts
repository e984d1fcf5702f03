import { Problems, ValidationError } from '../../constructs/core/errors';
import { defaultRagIndex } from '../../constructs/search/index-schema/default-index';
import type { EnvironmentConfig } from '../../lib/config/environment';
import { CONFIG_EMBEDDING_TARGET, searchIndexDefinitions } from '../../lib/search/indexes';
import { PRIVATE_ENVIRONMENT_YAML, testEnvironment } from '../helpers/synth';

/** The problems loading a dev environment with this body gives, as `path: message` lines. */
function problemsOf(body: string): string[] {
  try {
    testEnvironment(body);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

function definitions(env: EnvironmentConfig) {
  const problems = new Problems(`environments.${env.name}`);
  const result = searchIndexDefinitions(env, CONFIG_EMBEDDING_TARGET, problems);
  expect(problems.all).toEqual([]);
  return result;
}

/** A dev environment whose search section is `search` (YAML, indented under `search:`). */
function withSearch(search: string, extra = ''): string {
  const indented = search
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `profile: development\n${extra}search:\n${indented}`;
}

const FAQ_INDEX = `indexes:
  faq:
    fields:
      - { name: id, type: string, key: true }
      - { name: question, type: string, searchable: true }
      - { name: tags, type: collection(string), filterable: true }
      - { name: vector, type: collection(single), vector: { profile: p } }
    vectorSearch:
      algorithms: { hnsw: { m: 8 } }
      profiles: { p: { algorithm: hnsw, vectorizer: emb } }
      vectorizers: { emb: {} }
    semantic:
      configurations: { default: { contentFields: [question] } }`;

describe('search config defaults', () => {
  test('development: basic, 1 replica, 1 partition, free semantic ranker, the docs-v1 RAG index', () => {
    // GIVEN a development environment without a search section
    const env = testEnvironment();
    // THEN
    expect(env.search).toEqual({
      indexes: { 'docs-v1': { template: 'rag' } },
      sku: 'basic',
      replicas: 1,
      partitions: 1,
      semanticRanker: 'free',
    });
  });

  test('production: standard with 3 replicas (the read-write SLA) and the standard semantic ranker', () => {
    const env = testEnvironment(PRIVATE_ENVIRONMENT_YAML, 'prod');
    expect(env.search).toMatchObject({
      sku: 'standard',
      replicas: 3,
      partitions: 1,
      semanticRanker: 'standard',
    });
  });

  test('the rag template expands to the default RAG index on the only embedding deployment', () => {
    // GIVEN the default config (one embedding deployment, text-embedding-3-large, 3072 dimensions)
    const [docs, ...rest] = definitions(testEnvironment());
    // THEN one index, exactly the construct's default RAG index
    expect(rest).toEqual([]);
    expect(docs).toMatchObject({
      name: 'docs-v1',
      embeddingDeployment: 'embedding',
      embeddingDimensions: 3072,
    });
    expect(docs!.definition).toEqual(
      defaultRagIndex('docs-v1', {
        name: 'embedding',
        endpoint: CONFIG_EMBEDDING_TARGET.endpoint,
        deploymentName: 'embedding',
        modelName: 'text-embedding-3-large',
        dimensions: 3072,
      }),
    );
  });

  test('explicit azure settings are kept', () => {
    const env = testEnvironment(
      withSearch('azure: { sku: standard2, replicas: 3, partitions: 4, semanticRanker: disabled }'),
    );
    expect(env.search).toMatchObject({
      sku: 'standard2',
      replicas: 3,
      partitions: 4,
      semanticRanker: 'disabled',
    });
  });
});

describe('a full index definition in config', () => {
  // GIVEN an FAQ index declared field by field
  const env = testEnvironment(withSearch(FAQ_INDEX));
  const [faq] = definitions(env);

  test('maps onto the typed definition, vector dimensions defaulting to the embedding deployment', () => {
    expect(faq!.definition).toEqual({
      name: 'faq',
      fields: [
        { name: 'id', type: 'string', key: true },
        { name: 'question', type: 'string', searchable: true },
        { name: 'tags', type: 'collection(string)', filterable: true },
        { name: 'vector', type: 'collection(single)', vector: { profile: 'p', dimensions: 3072 } },
      ],
      vectorSearch: {
        algorithms: { hnsw: { m: 8 } },
        profiles: { p: { algorithm: 'hnsw', vectorizer: 'emb' } },
        vectorizers: {
          emb: {
            endpoint: CONFIG_EMBEDDING_TARGET.endpoint,
            deploymentName: 'embedding',
            modelName: 'text-embedding-3-large',
            dimensions: 3072,
          },
        },
      },
      semantic: { configurations: { default: { contentFields: ['question'] } } },
    });
  });

  test('the vectorizers point where the target says (the model endpoint at deploy time)', () => {
    const problems = new Problems();
    const [deployed] = searchIndexDefinitions(
      env,
      { endpoint: 'https://ais.openai.azure.com/', deploymentName: (key) => `dep-${key}` },
      problems,
    );
    expect(deployed!.definition.vectorSearch!.vectorizers!.emb).toMatchObject({
      endpoint: 'https://ais.openai.azure.com/',
      deploymentName: 'dep-embedding',
    });
  });

  test('old and new versions can be declared side by side', () => {
    const sideBySide = testEnvironment(
      withSearch('indexes:\n  docs-v1: { template: rag }\n  docs-v2: { template: rag }'),
    );
    expect(definitions(sideBySide).map((i) => i.name)).toEqual(['docs-v1', 'docs-v2']);
  });
});

describe('search config validation', () => {
  test('fails when replicas exceed the tier limit', () => {
    expect(problemsOf(withSearch('azure: { sku: basic, replicas: 4 }'))).toEqual([
      'environments.dev.search.azure.replicas: 4 replicas: the basic tier allows 1 to 3',
    ]);
  });

  test('fails when partitions are set on a basic service', () => {
    expect(problemsOf(withSearch('azure: { partitions: 2 }'))).toEqual([
      'environments.dev.search.azure.partitions: 2 partitions: the basic tier has exactly 1',
    ]);
  });

  test('fails when the partition count is not one the tier allows', () => {
    expect(problemsOf(withSearch('azure: { sku: standard, partitions: 5 }'))).toEqual([
      'environments.dev.search.azure.partitions: 5 partitions: the standard tier allows 1, 2, 3, 4, 6, 12',
    ]);
  });

  test('fails when replicas x partitions exceed 36 search units', () => {
    expect(problemsOf(withSearch('azure: { sku: standard, replicas: 12, partitions: 4 }'))).toEqual([
      'environments.dev.search.azure.replicas: 12 replicas x 4 partitions = 48 search units: the standard tier allows at most 36',
    ]);
  });

  test('fails when the tier is free: it has no managed identity for the vectorizer', () => {
    expect(problemsOf(withSearch('azure: { sku: free, semanticRanker: disabled }'))).toEqual([
      'environments.dev.search.azure.sku: "free": the free tier has no managed identity, which the key-less integrated vectorizer needs (nor private endpoints); use basic or higher',
    ]);
  });

  test('fails when the semantic ranker is on for the free tier', () => {
    // GIVEN the free tier with the development default (free semantic ranker)
    expect(problemsOf(withSearch('azure: { sku: free }'))).toContain(
      'environments.dev.search.azure.semanticRanker: "free": the free tier has no semantic ranker; use "disabled" or a basic or higher tier',
    );
  });

  test('fails when an index has an unknown key', () => {
    expect(problemsOf(withSearch('indexes:\n  docs-v1: { template: rag, shards: 2 }'))).toEqual([
      'environments.dev.search.indexes.docs-v1.shards: unknown key (allowed: template, embeddingDeployment, fields, vectorSearch, semantic)',
    ]);
  });

  test('fails when the template is not one of the templates', () => {
    expect(problemsOf(withSearch('indexes:\n  docs-v1: { template: faq }'))).toEqual([
      'environments.dev.search.indexes.docs-v1.template: "faq" is not an index template; use rag, or declare fields',
    ]);
  });

  test('fails when a template index also declares fields', () => {
    expect(
      problemsOf(
        withSearch(
          'indexes:\n  docs-v1:\n    template: rag\n    fields: [{ name: id, type: string, key: true }]',
        ),
      ),
    ).toEqual([
      'environments.dev.search.indexes.docs-v1.fields: template "rag" defines the whole index; remove fields, or remove template to declare a full definition',
    ]);
  });

  test('fails when an index has neither a template nor fields', () => {
    expect(problemsOf(withSearch('indexes:\n  docs-v1: {}'))).toEqual([
      'environments.dev.search.indexes.docs-v1: declare template: rag, or the index fields (with vectorSearch and semantic as needed)',
    ]);
  });

  test('fails when the embedding deployment is not a model deployment', () => {
    expect(
      problemsOf(withSearch('indexes:\n  docs-v1: { template: rag, embeddingDeployment: embed }')),
    ).toEqual([
      'environments.dev.search.indexes.docs-v1.embeddingDeployment: "embed" is not a key of models.deployments (declared: "chat", "embedding")',
    ]);
  });

  test('fails when the embedding deployment is a chat deployment', () => {
    expect(
      problemsOf(withSearch('indexes:\n  docs-v1: { template: rag, embeddingDeployment: chat }')),
    ).toEqual([
      'environments.dev.search.indexes.docs-v1.embeddingDeployment: models.deployments.chat has role "chat"; a vectorizer needs role "embedding"',
      'environments.dev.search.indexes.docs-v1.embeddingDeployment: models.deployments.chat declares no dimensions; set models.deployments.chat.dimensions',
      'environments.dev.search.indexes.docs-v1.embeddingDeployment: models.deployments.chat runs "gpt-4o"; the AI Search azureOpenAI vectorizer (2024-07-01) accepts text-embedding-3-large, text-embedding-3-small, text-embedding-ada-002',
    ]);
  });

  test('fails when several embedding deployments exist and the index names none', () => {
    const models = `models:
  deployments:
    small: { role: embedding, model: text-embedding-3-small, version: "1", dimensions: 1536 }
    large: { role: embedding, model: text-embedding-3-large, version: "1", dimensions: 3072 }
`;
    expect(problemsOf(`profile: development\n${models}`)).toEqual([
      'environments.dev.search.indexes.docs-v1.embeddingDeployment: models.deployments has several embedding deployments ("small", "large"): name one',
    ]);
  });

  test('fails when no embedding deployment exists', () => {
    const models =
      'models:\n  deployments:\n    chat: { role: chat, model: gpt-4o, version: "2024-11-20" }\n';
    expect(problemsOf(`profile: development\n${models}`)).toEqual([
      'environments.dev.search.indexes.docs-v1.embeddingDeployment: the index needs an embedding deployment and models.deployments has none with role embedding: add one',
    ]);
  });

  test("fails when a vector field's dimensions differ from the embedding deployment's", () => {
    const index = FAQ_INDEX.replace('vector: { profile: p }', 'vector: { profile: p, dimensions: 1536 }');
    expect(problemsOf(withSearch(index))).toEqual([
      `environments.dev.search.indexes.faq.fields[3].vector.dimensions: vector field "vector": dimensions 1536 must equal the embedding deployment's 3072`,
      'environments.dev.search.indexes.faq.fields[3].vector.dimensions: vector field "vector": dimensions 1536 must equal the 3072 dimensions of vectorizer "emb" (profile "p")',
    ]);
  });

  test('fails when the index has no key field', () => {
    const index = FAQ_INDEX.replace('{ name: id, type: string, key: true }', '{ name: id, type: string }');
    expect(problemsOf(withSearch(index))).toEqual([
      'environments.dev.search.indexes.faq.fields: an index needs exactly one key field (key: true, type string); found none',
    ]);
  });

  test('fails when a profile names an undefined algorithm', () => {
    const index = FAQ_INDEX.replace(
      '{ algorithm: hnsw, vectorizer: emb }',
      '{ algorithm: knn, vectorizer: emb }',
    );
    expect(problemsOf(withSearch(index))).toEqual([
      'environments.dev.search.indexes.faq.vectorSearch.profiles.p.algorithm: profile "p": algorithm "knn" is not defined; vectorSearch.algorithms has "hnsw"',
    ]);
  });

  test('fails when a field type is not a search field type', () => {
    const index = FAQ_INDEX.replace('{ name: question, type: string', '{ name: question, type: text');
    expect(problemsOf(withSearch(index))).toEqual([
      'environments.dev.search.indexes.faq.fields[1].type: field "question": type "text" is not a field type; use one of string, int32, int64, double, boolean, dateTimeOffset, geographyPoint, complex, collection(string), collection(int32), collection(int64), collection(double), collection(boolean), collection(dateTimeOffset), collection(geographyPoint), collection(complex), collection(single), collection(half), collection(int16), collection(sbyte), collection(byte) (or the Edm.* / Collection(Edm.*) names)',
    ]);
  });

  test('fails when a field name is illegal', () => {
    const index = FAQ_INDEX.replace('{ name: tags,', '{ name: 2tags,');
    expect(problemsOf(withSearch(index))).toEqual([
      'environments.dev.search.indexes.faq.fields[2].name: field name "2tags" is not allowed: use 1-128 letters, digits and underscores, starting with a letter',
    ]);
  });

  test('fails when the index name is illegal', () => {
    expect(problemsOf(withSearch('indexes:\n  Docs_V1: { template: rag }'))).toEqual([
      'environments.dev.search.indexes.Docs_V1.name: index name "Docs_V1" is not allowed: use 2-128 lowercase letters, digits and dashes, starting and ending with a letter or digit, without "--"',
    ]);
  });
});
