import type { TerraformStack } from 'cdktf';
import type { ModelDeploymentInfo } from '../../constructs/core/contracts';
import { ValidationError } from '../../constructs/core/errors';
import { resolveTokens } from '../../constructs/core/resolve';
import { SEARCH_INDEX_AZAPI_TYPE } from '../../constructs/search/index-schema/body';
import {
  embeddingVectorizer,
  SearchIndex,
  type SearchIndexProps,
} from '../../constructs/search/search-index';
import { SearchService } from '../../constructs/search/search-service';
import { searchIndexSemanticProblems, validateAgainstAzureSpec } from '../helpers/azure-spec';
import {
  type Attributes,
  onlyResource,
  ref,
  resourcesOf,
  type SynthJson,
  synthStack,
  TEST_RESOURCE_GROUP,
  testStack,
} from '../helpers/synth';
import { DEFAULT_DEPLOYMENTS, FakeModels, MODEL_ACCOUNT_ID, MODEL_OPENAI_ENDPOINT } from './fixtures';

interface Built {
  stack: TerraformStack;
  search: SearchService;
  models: FakeModels;
  index: SearchIndex;
}

function build(
  props: Partial<SearchIndexProps> = {},
  deployments: Record<string, ModelDeploymentInfo> = { ...DEFAULT_DEPLOYMENTS },
  privateEndpoint = false,
): Built {
  const stack = testStack();
  const models = new FakeModels(stack, 'Models', deployments);
  const search = new SearchService(stack, 'Search', {
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'srch-llmops-dev-abcde',
    privateEndpoint: privateEndpoint
      ? { subnetId: '/subnets/pep', dnsZoneIds: { 'privatelink.search.windows.net': '/zones/search' } }
      : undefined,
  });
  const index = new SearchIndex(search, 'docs-v1', {
    service: search,
    name: 'docs-v1',
    models,
    embeddingDeployment: 'embedding',
    ...props,
  });
  return { stack, search, models, index };
}

function indexResource(json: SynthJson): Attributes {
  return onlyResource(json, 'azapi_data_plane_resource');
}

function problemsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const field = (name: string, attrs: Record<string, unknown>) => ({
  name,
  key: false,
  retrievable: true,
  searchable: false,
  filterable: false,
  sortable: false,
  facetable: false,
  ...attrs,
});

describe('SearchIndex: the default RAG index', () => {
  // GIVEN a service, a model endpoint with a 3072-dimension embedding deployment, and a default index
  const { stack, search, index } = build();
  // WHEN synthesized
  const json = synthStack(stack);
  const resource = indexResource(json);
  const body = resource.body as Record<string, unknown>;

  test('is an azapi data-plane index on the service host', () => {
    expect(resource.type).toBe(SEARCH_INDEX_AZAPI_TYPE);
    expect(resource.type).toBe('Microsoft.Search/searchServices/indexes@2024-07-01');
    expect(resource.name).toBe('docs-v1');
    expect(resource.parent_id).toBe(`${ref('azurerm_search_service.Search.name')}.search.windows.net`);
  });

  test('is protected by prevent_destroy', () => {
    expect(resource.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('body: the name', () => {
    expect(body.name).toBe('docs-v1');
  });

  test('body: fields in order, every attribute written out', () => {
    expect(body.fields).toEqual([
      field('id', { type: 'Edm.String', key: true, filterable: true }),
      field('content', { type: 'Edm.String', searchable: true }),
      field('title', { type: 'Edm.String', searchable: true }),
      field('source', { type: 'Edm.String', filterable: true, facetable: true }),
      field('parentId', { type: 'Edm.String', filterable: true }),
      field('chunkOrdinal', { type: 'Edm.Int32', filterable: true, sortable: true }),
      field('page', { type: 'Edm.Int32', filterable: true, sortable: true }),
      field('keywords', {
        type: 'Collection(Edm.String)',
        searchable: true,
        filterable: true,
        facetable: true,
      }),
      field('lastUpdated', { type: 'Edm.DateTimeOffset', filterable: true, sortable: true }),
      field('contentVector', {
        type: 'Collection(Edm.Single)',
        searchable: true,
        retrievable: false,
        dimensions: 3072,
        vectorSearchProfile: 'default',
      }),
    ]);
  });

  test('body: an HNSW algorithm with explicit parameters', () => {
    expect((body.vectorSearch as Record<string, unknown>).algorithms).toEqual([
      {
        name: 'hnsw',
        kind: 'hnsw',
        hnswParameters: { m: 4, efConstruction: 400, efSearch: 500, metric: 'cosine' },
      },
    ]);
  });

  test('body: the profile joins the algorithm and the vectorizer', () => {
    expect((body.vectorSearch as Record<string, unknown>).profiles).toEqual([
      { name: 'default', algorithm: 'hnsw', vectorizer: 'embedding' },
    ]);
  });

  test('body: the vectorizer calls the embedding deployment on the Azure OpenAI endpoint, keyless', () => {
    // GIVEN the account's endpoint ends with a slash; the body uses the documented form without it
    expect(MODEL_OPENAI_ENDPOINT).toBe('https://ais-test.openai.azure.com/');
    expect((body.vectorSearch as Record<string, unknown>).vectorizers).toEqual([
      {
        name: 'embedding',
        kind: 'azureOpenAI',
        azureOpenAIParameters: {
          resourceUri: 'https://ais-test.openai.azure.com',
          deploymentId: 'embedding',
          modelName: 'text-embedding-3-large',
          authIdentity: null,
        },
      },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/apiKey/i);
  });

  test('body: the semantic configuration reads title, content and keywords', () => {
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

  test('body: valid against the Azure REST schema of 2024-07-01 and its semantic rules', () => {
    expect(validateAgainstAzureSpec(SEARCH_INDEX_AZAPI_TYPE, body)).toEqual([]);
    expect(searchIndexSemanticProblems(body)).toEqual([]);
  });

  test('the search identity is granted inference on the model account', () => {
    expect(onlyResource(json, 'azurerm_role_assignment')).toMatchObject({
      role_definition_name: 'Cognitive Services OpenAI User',
      scope: MODEL_ACCOUNT_ID,
      principal_id: ref('azurerm_search_service.Search.identity[0].principal_id'),
    });
  });

  test('waits for the service and for the inference grant', () => {
    const [grant] = Object.keys(resourcesOf(json, 'azurerm_role_assignment'));
    expect(resource.depends_on).toEqual([
      'azurerm_search_service.Search',
      `azurerm_role_assignment.${grant}`,
    ]);
  });

  test('handles: index name, endpoint, and the service lists the index', () => {
    expect(index.indexName).toBe('docs-v1');
    expect(index.definition.name).toBe('docs-v1');
    expect(search.indexNames).toEqual(['docs-v1']);
    expect(resolveTokens(stack, index.indexEndpoint)).toBe(
      `https://${ref('azurerm_search_service.Search.name')}.search.windows.net/indexes/docs-v1`,
    );
  });
});

describe('SearchIndex options', () => {
  test('in a private environment it also waits for the private endpoint', () => {
    const { stack } = build({}, undefined, true);
    const json = synthStack(stack);
    const [pep] = Object.keys(resourcesOf(json, 'azurerm_private_endpoint'));
    expect(indexResource(json).depends_on).toContain(`azurerm_private_endpoint.${pep}`);
  });

  test('preventDestroy: false leaves the index unprotected', () => {
    const { stack } = build({ preventDestroy: false });
    expect(indexResource(synthStack(stack))).not.toHaveProperty('lifecycle');
  });

  test('two indexes on the same models share one inference grant', () => {
    // GIVEN docs-v1 and docs-v2 side by side (a new version published next to the old one)
    const { stack, search, models } = build();
    new SearchIndex(search, 'docs-v2', {
      service: search,
      name: 'docs-v2',
      models,
      embeddingDeployment: 'embedding',
    });
    const json = synthStack(stack);
    // THEN two indexes, one role assignment
    expect(Object.keys(resourcesOf(json, 'azapi_data_plane_resource'))).toHaveLength(2);
    expect(Object.keys(resourcesOf(json, 'azurerm_role_assignment'))).toHaveLength(1);
    expect(search.indexNames).toEqual(['docs-v1', 'docs-v2']);
  });

  test('a custom definition built with embeddingVectorizer', () => {
    // GIVEN a small FAQ index with its own fields and no semantic ranker
    const stack = testStack();
    const models = new FakeModels(stack, 'Models');
    const search = new SearchService(stack, 'Search', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'srch-test',
    });
    new SearchIndex(search, 'faq', {
      service: search,
      name: 'faq',
      models,
      embeddingDeployment: 'embedding',
      definition: {
        fields: [
          { name: 'id', type: 'string', key: true },
          { name: 'question', type: 'string', searchable: true, analyzer: 'en.microsoft' },
          { name: 'vector', type: 'collection(single)', vector: { dimensions: 3072, profile: 'p' } },
        ],
        vectorSearch: {
          algorithms: { knn: { kind: 'exhaustiveKnn' } },
          profiles: { p: { algorithm: 'knn', vectorizer: 'emb' } },
          vectorizers: { emb: embeddingVectorizer(models, 'embedding') },
        },
      },
    });
    // WHEN synthesized
    const body = indexResource(synthStack(stack)).body as Record<string, unknown>;
    // THEN the body carries the custom schema and is valid for Azure
    expect(body.name).toBe('faq');
    expect((body.fields as { name: string }[]).map((f) => f.name)).toEqual(['id', 'question', 'vector']);
    expect((body.fields as Record<string, unknown>[])[1]).toMatchObject({ analyzer: 'en.microsoft' });
    expect(body).not.toHaveProperty('semantic');
    expect((body.vectorSearch as Record<string, unknown>).algorithms).toEqual([
      { name: 'knn', kind: 'exhaustiveKnn', exhaustiveKnnParameters: { metric: 'cosine' } },
    ]);
    expect(validateAgainstAzureSpec(SEARCH_INDEX_AZAPI_TYPE, body)).toEqual([]);
    expect(searchIndexSemanticProblems(body)).toEqual([]);
  });
});

describe('SearchIndex validation', () => {
  const chatOnly = { chat: DEFAULT_DEPLOYMENTS.chat! };

  test('fails when the embedding deployment does not exist', () => {
    expect(problemsOf(() => build({ embeddingDeployment: 'embed' }))).toEqual([
      {
        path: 'props.embeddingDeployment',
        message: '"embed" is not a deployment of the model endpoint; it has "chat", "embedding"',
      },
    ]);
  });

  test('fails when the embedding deployment serves chat', () => {
    expect(problemsOf(() => build({ embeddingDeployment: 'chat' }, chatOnly))).toEqual([
      {
        path: 'props.embeddingDeployment',
        message: 'deployment "chat" serves chat; the vectorizer needs an embedding deployment',
      },
      {
        path: 'props.embeddingDeployment',
        message: 'deployment "chat" declares no dimensions; vector fields must match the embedding size',
      },
      {
        path: 'props.embeddingDeployment',
        message:
          'deployment "chat" runs "gpt-4o"; the azureOpenAI vectorizer (2024-07-01) accepts text-embedding-3-large, text-embedding-3-small, text-embedding-ada-002',
      },
    ]);
  });

  test('fails when the embedding deployment declares no dimensions', () => {
    const { dimensions: _dimensions, ...noDimensions } = DEFAULT_DEPLOYMENTS.embedding!;
    expect(problemsOf(() => build({}, { embedding: noDimensions }))).toEqual([
      {
        path: 'props.embeddingDeployment',
        message: 'deployment "embedding" declares no dimensions; vector fields must match the embedding size',
      },
    ]);
  });

  test('fails when the embedding model is not one the vectorizer accepts', () => {
    const other = { embedding: { ...DEFAULT_DEPLOYMENTS.embedding!, modelName: 'cohere-embed-v3' } };
    expect(problemsOf(() => build({}, other))).toEqual([
      {
        path: 'props.embeddingDeployment',
        message:
          'deployment "embedding" runs "cohere-embed-v3"; the azureOpenAI vectorizer (2024-07-01) accepts text-embedding-3-large, text-embedding-3-small, text-embedding-ada-002',
      },
    ]);
  });

  test("fails when a vector field's dimensions differ from the embedding deployment's", () => {
    // GIVEN a custom definition sized for a 1536-dimension model while the deployment gives 3072
    const problems = problemsOf(() =>
      build({
        definition: {
          fields: [
            { name: 'id', type: 'string', key: true },
            { name: 'vector', type: 'collection(single)', vector: { dimensions: 1536, profile: 'p' } },
          ],
          vectorSearch: { algorithms: { a: {} }, profiles: { p: { algorithm: 'a' } } },
        },
      }),
    );
    expect(problems).toEqual([
      {
        path: 'props.definition.fields[1].vector.dimensions',
        message: `vector field "vector": dimensions 1536 must equal the embedding deployment's 3072`,
      },
    ]);
  });

  test('fails when the index name is not allowed', () => {
    expect(problemsOf(() => build({ name: 'Docs_V1' }))).toEqual([
      {
        path: 'props.name',
        message:
          'index name "Docs_V1" is not allowed: use 2-128 lowercase letters, digits and dashes, starting and ending with a letter or digit, without "--"',
      },
    ]);
  });

  test('fails when the definition has no key field', () => {
    expect(
      problemsOf(() =>
        build({ definition: { fields: [{ name: 'content', type: 'string', searchable: true }] } }),
      ),
    ).toEqual([
      {
        path: 'props.definition.fields',
        message: 'an index needs exactly one key field (key: true, type string); found none',
      },
    ]);
  });

  test('fails when a referenced vector profile is not defined', () => {
    const problems = problemsOf(() =>
      build({
        definition: {
          fields: [
            { name: 'id', type: 'string', key: true },
            { name: 'vector', type: 'collection(single)', vector: { dimensions: 3072, profile: 'missing' } },
          ],
          vectorSearch: { algorithms: { a: {} }, profiles: { p: { algorithm: 'a' } } },
        },
      }),
    );
    expect(problems).toEqual([
      {
        path: 'props.definition.fields[1].vector.profile',
        message: 'vector field "vector": profile "missing" is not defined; vectorSearch.profiles has "p"',
      },
    ]);
  });

  test('fails when the same index name is declared twice on one service', () => {
    const { search, models } = build();
    expect(
      () =>
        new SearchIndex(search, 'again', {
          service: search,
          name: 'docs-v1',
          models,
          embeddingDeployment: 'embedding',
        }),
    ).toThrow(/index "docs-v1" is already declared on search service test\/Search by test\/Search\/docs-v1/);
  });

  test('embeddingVectorizer fails on a deployment that is not an embedding one', () => {
    const stack = testStack();
    const models = new FakeModels(stack, 'Models');
    expect(problemsOf(() => embeddingVectorizer(models, 'chat'))).toEqual([
      {
        path: 'embeddingDeployment',
        message: 'deployment "chat" serves chat; the vectorizer needs an embedding deployment',
      },
      {
        path: 'embeddingDeployment',
        message: 'deployment "chat" declares no dimensions; vector fields must match the embedding size',
      },
      {
        path: 'embeddingDeployment',
        message:
          'deployment "chat" runs "gpt-4o"; the azureOpenAI vectorizer (2024-07-01) accepts text-embedding-3-large, text-embedding-3-small, text-embedding-ada-002',
      },
    ]);
    expect(() => embeddingVectorizer(models, 'chat')).toThrow(
      'Invalid embedding deployment "chat" of "ais-test"',
    );
  });
});

test('snapshot: the default RAG index resource', () => {
  const { stack } = build();
  const index = indexResource(synthStack(stack));
  expect(index).toMatchObject({ name: 'docs-v1', lifecycle: { prevent_destroy: true } });
  expect(index).toMatchSnapshot();
});
