/**
 * The Azure AI Search index definition as typed code: the construct API, what the YAML config maps to,
 * its validation, and the exact REST body sent for api-version 2024-07-01.
 *
 * The index is provisioned as an `azapi_data_plane_resource` of type
 * `Microsoft.Search/searchServices/indexes@2024-07-01`; its `body` is {@link toIndexBody}'s output.
 *
 * @see https://learn.microsoft.com/rest/api/searchservice/indexes/create-or-update?view=rest-searchservice-2024-07-01
 */

import { EMBEDDING_MODELS, type KnownEmbeddingModel } from '../core/embedding-models';
import { type Problem, Problems, show } from '../core/errors';
import { compareStrings } from '../core/json';

/** The azapi `type` (resource type and api-version) an index body built here is valid for. */
export const SEARCH_INDEX_AZAPI_TYPE = 'Microsoft.Search/searchServices/indexes@2024-07-01';

/** Friendly scalar field types and the Entity Data Model names Azure uses for them. */
export const SCALAR_FIELD_TYPES = {
  string: 'Edm.String',
  int32: 'Edm.Int32',
  int64: 'Edm.Int64',
  double: 'Edm.Double',
  boolean: 'Edm.Boolean',
  dateTimeOffset: 'Edm.DateTimeOffset',
  geographyPoint: 'Edm.GeographyPoint',
  complex: 'Edm.ComplexType',
} as const;

/** Element types that exist only inside a collection, for vector fields, and their EDM names. */
export const VECTOR_ELEMENT_TYPES = {
  single: 'Edm.Single',
  half: 'Edm.Half',
  int16: 'Edm.Int16',
  sbyte: 'Edm.SByte',
  byte: 'Edm.Byte',
} as const;

/** A friendly scalar type name, e.g. `string`. */
export type ScalarFieldType = keyof typeof SCALAR_FIELD_TYPES;
/** A friendly vector element type name, e.g. `single` (32-bit float). */
export type VectorElementType = keyof typeof VECTOR_ELEMENT_TYPES;

type EdmScalar = (typeof SCALAR_FIELD_TYPES)[ScalarFieldType];
type EdmVectorElement = (typeof VECTOR_ELEMENT_TYPES)[VectorElementType];

/** An Azure field type name as the REST API spells it, e.g. `Edm.String` or `Collection(Edm.Single)`. */
export type EdmFieldType = EdmScalar | `Collection(${EdmScalar | EdmVectorElement})`;

/**
 * A field type: a friendly name (`string`, `collection(string)`, `collection(single)` for float vectors)
 * or the Azure EDM name (`Edm.String`, `Collection(Edm.Single)`). Both map to the EDM name in the body.
 *
 * @see https://learn.microsoft.com/rest/api/searchservice/supported-data-types
 */
export type SearchFieldType =
  | ScalarFieldType
  | `collection(${ScalarFieldType | VectorElementType})`
  | EdmFieldType;

/** Embedding models the 2024-07-01 `azureOpenAI` vectorizer accepts as `modelName`, with their output size. */
export const EMBEDDING_MODEL_DIMENSIONS = Object.fromEntries(
  Object.entries(EMBEDDING_MODELS).map(([name, m]) => [name, { max: m.dimensions, fixed: !m.shortenable }]),
) as Readonly<Record<KnownEmbeddingModel, { readonly max: number; readonly fixed: boolean }>>;

/** An embedding model name the `azureOpenAI` vectorizer accepts in api-version 2024-07-01. */
export type EmbeddingModelName = keyof typeof EMBEDDING_MODEL_DIMENSIONS;

/** Smallest vector size Azure accepts (`SearchField.dimensions` minimum in the REST spec). */
export const MIN_VECTOR_DIMENSIONS = 2;
/** Largest vector size Azure accepts (raised from 2048 to 3072 in Feb 2024 for text-embedding-3-large). */
export const MAX_VECTOR_DIMENSIONS = 3072;

/** The vector part of a vector field. */
export interface VectorFieldOptions {
  /** Number of dimensions of each vector; must equal the embedding deployment's output size. */
  readonly dimensions: number;
  /** Name of the vector search profile (a key of `vectorSearch.profiles`) used to index and query it. */
  readonly profile: string;
}

/**
 * One field of a search index.
 *
 * Attributes default to off (except `retrievable`), unlike the REST API where most default to on: every
 * attribute costs index space, and each of `searchable`, `filterable`, `sortable`, `facetable` and
 * `analyzer` can only be set when the field is created (changing it needs a new index, see
 * `index-lock.ts`). The body always states every attribute so Azure's implicit defaults never apply.
 */
export interface SearchFieldDefinition {
  /** Field name: letters, digits and underscores, starts with a letter, at most 128 characters. */
  readonly name: string;
  /** Field type; see {@link SearchFieldType}. */
  readonly type: SearchFieldType;
  /**
   * Whether this is the document key. Exactly one top-level `string` field must be the key.
   * @default false
   */
  readonly key?: boolean;
  /**
   * Whether full-text search (string fields) or vector search (vector fields) runs on the field.
   * @default true for vector fields, false otherwise
   */
  readonly searchable?: boolean;
  /**
   * Whether `$filter` can use the field.
   * @default false
   */
  readonly filterable?: boolean;
  /**
   * Whether `$orderby` can use the field. Not allowed on collections.
   * @default false
   */
  readonly sortable?: boolean;
  /**
   * Whether facets can be computed on the field. Not allowed on geography points.
   * @default false
   */
  readonly facetable?: boolean;
  /**
   * Whether the field is returned in results. The only attribute Azure can change on an existing field.
   * @default true, except false for vector fields (clients query through the vectorizer and never need
   * the raw embeddings, which are large)
   */
  readonly retrievable?: boolean;
  /**
   * Analyzer for indexing and searching a searchable string field, e.g. `en.microsoft`.
   * @default the service default (`standard.lucene`)
   * @see https://learn.microsoft.com/azure/search/search-analyzers
   */
  readonly analyzer?: string;
  /**
   * Makes this a vector field; the type must then be a vector collection, e.g. `collection(single)`.
   * @default not a vector field
   */
  readonly vector?: VectorFieldOptions;
  /**
   * Sub-fields of a `complex` / `collection(complex)` field. Required for those types, not allowed
   * otherwise. Complex fields carry no attributes themselves.
   * @default no sub-fields
   */
  readonly fields?: readonly SearchFieldDefinition[];
}

/** Similarity metrics for vector comparison. */
export type VectorSearchMetric = 'cosine' | 'euclidean' | 'dotProduct' | 'hamming';

/**
 * A vector search algorithm configuration.
 *
 * @see https://learn.microsoft.com/azure/search/vector-search-ranking
 */
export interface VectorSearchAlgorithmDefinition {
  /**
   * `hnsw` (approximate nearest neighbours) or `exhaustiveKnn` (brute force; small indexes only).
   * @default 'hnsw'
   */
  readonly kind?: 'hnsw' | 'exhaustiveKnn';
  /**
   * HNSW only: bi-directional links per node, 4..10. Higher = better recall, more memory.
   * @default 4
   */
  readonly m?: number;
  /**
   * HNSW only: candidate list size while building the graph, 100..1000.
   * @default 400
   */
  readonly efConstruction?: number;
  /**
   * HNSW only: candidate list size at query time, 100..1000.
   * @default 500
   */
  readonly efSearch?: number;
  /**
   * Similarity metric.
   * @default 'cosine' - what Azure OpenAI embeddings are designed for
   */
  readonly metric?: VectorSearchMetric;
}

/** A vector search profile: which algorithm (and optionally which vectorizer) a vector field uses. */
export interface VectorSearchProfileDefinition {
  /** Name of an algorithm (a key of `vectorSearch.algorithms`). */
  readonly algorithm: string;
  /**
   * Name of a vectorizer (a key of `vectorSearch.vectorizers`) that turns query text into a vector.
   * @default no vectorizer - queries must send vectors
   */
  readonly vectorizer?: string;
}

/**
 * An integrated `azureOpenAI` vectorizer: the search service embeds query text itself by calling an
 * embedding deployment.
 *
 * No API key is sent: the service calls the model with its system-assigned managed identity, which needs
 * the `Cognitive Services OpenAI User` role on the model account (granted by the model construct).
 *
 * @see https://learn.microsoft.com/azure/search/vector-search-vectorizer-azure-open-ai
 */
export interface AzureOpenAIVectorizerDefinition {
  /**
   * The AI Services / Azure OpenAI account endpoint (`resourceUri`), e.g. `https://x.openai.azure.com`;
   * a trailing slash is dropped in the body. May be a token.
   */
  readonly endpoint: string;
  /** The embedding deployment name (`deploymentId`). May be a token. */
  readonly deploymentName: string;
  /** The embedding model deployed there. */
  readonly modelName: EmbeddingModelName;
  /** Output size of the deployment; every vector field using this vectorizer must have this many dimensions. */
  readonly dimensions: number;
}

/** Vector search configuration. Collections are keyed by name. */
export interface VectorSearchDefinition {
  /** Algorithm configurations by name. */
  readonly algorithms: Readonly<Record<string, VectorSearchAlgorithmDefinition>>;
  /** Profiles by name; vector fields name one. */
  readonly profiles: Readonly<Record<string, VectorSearchProfileDefinition>>;
  /**
   * Vectorizers by name.
   * @default none
   */
  readonly vectorizers?: Readonly<Record<string, AzureOpenAIVectorizerDefinition>>;
}

/** A semantic ranker configuration: which fields the ranker reads, in priority order. */
export interface SemanticConfigurationDefinition {
  /**
   * A short string field, e.g. the document title.
   * @default none
   */
  readonly titleField?: string;
  /**
   * Long text fields, most important first.
   * @default none
   */
  readonly contentFields?: readonly string[];
  /**
   * Keyword / tag fields, most important first.
   * @default none
   */
  readonly keywordsFields?: readonly string[];
}

/**
 * Semantic ranker settings.
 *
 * @see https://learn.microsoft.com/azure/search/semantic-how-to-configure
 */
export interface SemanticSearchDefinition {
  /** Configurations by name. */
  readonly configurations: Readonly<Record<string, SemanticConfigurationDefinition>>;
  /**
   * Configuration used when a query names none.
   * @default none - queries must name a configuration
   */
  readonly defaultConfiguration?: string;
}

/**
 * A search index definition.
 *
 * Fields are an ordered list (Azure keeps their order); the named collections (algorithms, profiles,
 * vectorizers, semantic configurations) are keyed by name and emitted sorted by name.
 */
export interface SearchIndexDefinition {
  /** Index name: lowercase letters, digits and dashes, starts and ends with a letter or digit, no `--`, 2..128 characters. */
  readonly name: string;
  /** Fields, in order. */
  readonly fields: readonly SearchFieldDefinition[];
  /**
   * Vector search configuration; required when any field is a vector field.
   * @default none
   */
  readonly vectorSearch?: VectorSearchDefinition;
  /**
   * Semantic ranker configuration.
   * @default none
   */
  readonly semantic?: SemanticSearchDefinition;
  /**
   * Encrypt the index with a customer-managed key. Set when the index is created: the service ignores
   * removing it, and the schema lock treats adding or removing it as a change that needs a new index
   * version.
   * @default none - Microsoft-managed keys
   */
  readonly encryptionKey?: SearchEncryptionKeyDefinition;
}

/**
 * A customer-managed key for one search object: the REST `encryptionKey` (`SearchResourceEncryptionKey`,
 * api-version 2024-07-01) with an explicit user-assigned identity (`identity`,
 * `#Microsoft.Azure.Search.DataUserAssignedIdentity`), which must be one of the search service's identities.
 *
 * @see https://learn.microsoft.com/azure/search/search-security-manage-encryption-keys
 */
export interface SearchEncryptionKeyDefinition {
  /** `https://<vault>.vault.azure.net/` */
  readonly keyVaultUri: string;
  readonly keyName: string;
  /** Required by the 2024-07-01 API; a rotation changes it and the next deploy updates the index in place. */
  readonly keyVersion: string;
  /** ARM id of the user-assigned identity that holds Key Vault Crypto Service Encryption User on the key. */
  readonly userAssignedIdentityId: string;
}

/**
 * The embedding deployment an index's integrated vectorizer calls. `endpoint` and `deploymentName` usually
 * come from the model construct at synth time and may be tokens.
 */
export interface EmbeddingVectorizerInput extends AzureOpenAIVectorizerDefinition {
  /** Vectorizer name inside the index, e.g. `embedding`. */
  readonly name: string;
}

// ---------------------------------------------------------------------------------------------------------
// REST body types (api-version 2024-07-01). Property names are the REST API's.
// ---------------------------------------------------------------------------------------------------------

/** A field in the REST body. Complex fields carry only `name`, `type` and `fields`. */
export interface SearchFieldBody {
  readonly name: string;
  readonly type: string;
  readonly key?: boolean;
  readonly retrievable?: boolean;
  readonly searchable?: boolean;
  readonly filterable?: boolean;
  readonly sortable?: boolean;
  readonly facetable?: boolean;
  readonly analyzer?: string;
  readonly dimensions?: number;
  readonly vectorSearchProfile?: string;
  readonly fields?: readonly SearchFieldBody[];
}

/** An algorithm configuration in the REST body. */
export type VectorSearchAlgorithmBody =
  | {
      readonly name: string;
      readonly kind: 'hnsw';
      readonly hnswParameters: {
        readonly m: number;
        readonly efConstruction: number;
        readonly efSearch: number;
        readonly metric: VectorSearchMetric;
      };
    }
  | {
      readonly name: string;
      readonly kind: 'exhaustiveKnn';
      readonly exhaustiveKnnParameters: { readonly metric: VectorSearchMetric };
    };

/** A vectorizer in the REST body. `authIdentity: null` = the search service's system-assigned identity. */
export interface AzureOpenAIVectorizerBody {
  readonly name: string;
  readonly kind: 'azureOpenAI';
  readonly azureOpenAIParameters: {
    readonly resourceUri: string;
    readonly deploymentId: string;
    readonly modelName: string;
    readonly authIdentity: null;
  };
}

/** The `vectorSearch` section of the REST body. */
export interface VectorSearchBody {
  readonly algorithms: readonly VectorSearchAlgorithmBody[];
  readonly profiles: readonly {
    readonly name: string;
    readonly algorithm: string;
    readonly vectorizer?: string;
  }[];
  readonly vectorizers: readonly AzureOpenAIVectorizerBody[];
}

/** The `semantic` section of the REST body. */
export interface SemanticSearchBody {
  readonly defaultConfiguration?: string;
  readonly configurations: readonly {
    readonly name: string;
    readonly prioritizedFields: {
      readonly titleField?: { readonly fieldName: string };
      readonly prioritizedContentFields: readonly { readonly fieldName: string }[];
      readonly prioritizedKeywordsFields: readonly { readonly fieldName: string }[];
    };
  }[];
}

/** The index definition body for `PUT /indexes('{name}')`, api-version 2024-07-01. */
export interface SearchIndexBody {
  readonly name: string;
  readonly fields: readonly SearchFieldBody[];
  readonly vectorSearch?: VectorSearchBody;
  readonly semantic?: SemanticSearchBody;
  readonly encryptionKey?: {
    readonly keyVaultUri: string;
    readonly keyVaultKeyName: string;
    readonly keyVaultKeyVersion: string;
    readonly identity: { readonly '@odata.type': string; readonly userAssignedIdentity: string };
  };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

/** Whether a value is an unresolved Terraform/cdktf reference (a string containing `${`), unknown until apply. */
export function isUnresolved(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

const FRIENDLY_TO_EDM: ReadonlyMap<string, EdmFieldType> = (() => {
  const map = new Map<string, EdmFieldType>();
  for (const [friendly, edm] of Object.entries(SCALAR_FIELD_TYPES)) {
    map.set(friendly, edm);
    map.set(edm, edm);
    map.set(`collection(${friendly})`, `Collection(${edm})`);
    map.set(`Collection(${edm})`, `Collection(${edm})`);
  }
  for (const [friendly, edm] of Object.entries(VECTOR_ELEMENT_TYPES)) {
    map.set(`collection(${friendly})`, `Collection(${edm})`);
    map.set(`Collection(${edm})`, `Collection(${edm})`);
  }
  return map;
})();

/** The EDM type name for a field type (friendly or EDM), or `undefined` if it is not a field type. */
export function toEdmType(type: string): EdmFieldType | undefined {
  return FRIENDLY_TO_EDM.get(type);
}

const VECTOR_EDM_TYPES: ReadonlySet<string> = new Set(
  Object.values(VECTOR_ELEMENT_TYPES).map((edm) => `Collection(${edm})`),
);

/** Whether an EDM type is a vector type (`Collection(Edm.Single)`, `Collection(Edm.Half)`, ...). */
export function isVectorEdmType(edm: string): boolean {
  return VECTOR_EDM_TYPES.has(edm);
}

function isComplexEdmType(edm: string): boolean {
  return edm === 'Edm.ComplexType' || edm === 'Collection(Edm.ComplexType)';
}

function isCollectionEdmType(edm: string): boolean {
  return edm.startsWith('Collection(');
}

function isStringEdmType(edm: string): boolean {
  return edm === 'Edm.String' || edm === 'Collection(Edm.String)';
}

/** HNSW parameters the default RAG index and any algorithm without explicit values get. */
export const DEFAULT_HNSW_PARAMETERS = {
  m: 4,
  efConstruction: 400,
  efSearch: 500,
  metric: 'cosine',
} as const satisfies { m: number; efConstruction: number; efSearch: number; metric: VectorSearchMetric };

const HNSW_RANGES = { m: [4, 10], efConstruction: [100, 1000], efSearch: [100, 1000] } as const;
const METRICS: readonly VectorSearchMetric[] = ['cosine', 'euclidean', 'dotProduct', 'hamming'];

function sortedEntries<T>(record: Readonly<Record<string, T>> | undefined): [string, T][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => compareStrings(a, b));
}

// ---------------------------------------------------------------------------------------------------------
// The default RAG index
// ---------------------------------------------------------------------------------------------------------

/**
 * The RAG index every environment ships: one document per chunk, hybrid (keyword + vector) search with
 * an integrated vectorizer, and a semantic ranker configuration.
 *
 * Fields: `id` (key: the chunk id), `content` and `title` (searchable text), `source` (URL or path of the
 * original document; filterable and facetable), `parentId` (the original document's id, so all its chunks
 * can be filtered or deleted together), `chunkOrdinal` (position of the chunk in its document), `page`
 * (page number, for paged sources), `keywords` (tags), `lastUpdated`, and `contentVector` (the chunk's
 * embedding, as many dimensions as the vectorizer's deployment produces).
 *
 * HNSW parameters (the Azure defaults, written out so a change of service defaults cannot alter the
 * index): `m` 4 keeps the graph small, since vector storage is the tight quota on Basic/S1 services;
 * `efConstruction` 400 and `efSearch` 500 give high recall at RAG corpus sizes with query latency well
 * under the model call it precedes; `cosine` is the metric Azure OpenAI embeddings are built for.
 *
 * @param name the index name, e.g. `docs` (publish breaking changes as `docs-v2`, see `index-lock.ts`)
 * @param vectorizer the embedding deployment queries are vectorized with
 */
export function defaultRagIndex(name: string, vectorizer: EmbeddingVectorizerInput): SearchIndexDefinition {
  const { name: vectorizerName, ...deployment } = vectorizer;
  return {
    name,
    fields: [
      { name: 'id', type: 'string', key: true, filterable: true },
      { name: 'content', type: 'string', searchable: true },
      { name: 'title', type: 'string', searchable: true },
      { name: 'source', type: 'string', filterable: true, facetable: true },
      { name: 'parentId', type: 'string', filterable: true },
      { name: 'chunkOrdinal', type: 'int32', filterable: true, sortable: true },
      { name: 'page', type: 'int32', filterable: true, sortable: true },
      { name: 'keywords', type: 'collection(string)', searchable: true, filterable: true, facetable: true },
      { name: 'lastUpdated', type: 'dateTimeOffset', filterable: true, sortable: true },
      {
        name: 'contentVector',
        type: 'collection(single)',
        searchable: true,
        vector: { dimensions: vectorizer.dimensions, profile: 'default' },
      },
    ],
    vectorSearch: {
      algorithms: { hnsw: { kind: 'hnsw', ...DEFAULT_HNSW_PARAMETERS } },
      profiles: { default: { algorithm: 'hnsw', vectorizer: vectorizerName } },
      vectorizers: { [vectorizerName]: deployment },
    },
    semantic: {
      defaultConfiguration: 'default',
      configurations: {
        default: { titleField: 'title', contentFields: ['content'], keywordsFields: ['keywords'] },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Body
// ---------------------------------------------------------------------------------------------------------

function fieldBody(field: SearchFieldDefinition): SearchFieldBody {
  const type = toEdmType(field.type) ?? field.type;
  if (isComplexEdmType(type)) {
    return { name: field.name, type, fields: (field.fields ?? []).map(fieldBody) };
  }
  const vector = isVectorEdmType(type);
  return {
    name: field.name,
    type,
    key: field.key ?? false,
    retrievable: field.retrievable ?? !vector,
    searchable: field.searchable ?? vector,
    filterable: field.filterable ?? false,
    sortable: field.sortable ?? false,
    facetable: field.facetable ?? false,
    ...(field.analyzer !== undefined ? { analyzer: field.analyzer } : {}),
    ...(field.vector
      ? { dimensions: field.vector.dimensions, vectorSearchProfile: field.vector.profile }
      : {}),
  };
}

function algorithmBody(name: string, algorithm: VectorSearchAlgorithmDefinition): VectorSearchAlgorithmBody {
  const metric = algorithm.metric ?? DEFAULT_HNSW_PARAMETERS.metric;
  if (algorithm.kind === 'exhaustiveKnn') {
    return { name, kind: 'exhaustiveKnn', exhaustiveKnnParameters: { metric } };
  }
  return {
    name,
    kind: 'hnsw',
    hnswParameters: {
      m: algorithm.m ?? DEFAULT_HNSW_PARAMETERS.m,
      efConstruction: algorithm.efConstruction ?? DEFAULT_HNSW_PARAMETERS.efConstruction,
      efSearch: algorithm.efSearch ?? DEFAULT_HNSW_PARAMETERS.efSearch,
      metric,
    },
  };
}

function vectorSearchBody(vs: VectorSearchDefinition): VectorSearchBody {
  return {
    algorithms: sortedEntries(vs.algorithms).map(([name, a]) => algorithmBody(name, a)),
    profiles: sortedEntries(vs.profiles).map(([name, p]) => ({
      name,
      algorithm: p.algorithm,
      ...(p.vectorizer !== undefined ? { vectorizer: p.vectorizer } : {}),
    })),
    vectorizers: sortedEntries(vs.vectorizers).map(([name, v]) => ({
      name,
      kind: 'azureOpenAI' as const,
      azureOpenAIParameters: {
        // Microsoft's documented form has no trailing slash (`https://<account>.openai.azure.com`);
        // account endpoints (`openAiEndpoint`) end with one.
        resourceUri: v.endpoint.replace(/\/+$/, ''),
        deploymentId: v.deploymentName,
        modelName: v.modelName,
        authIdentity: null,
      },
    })),
  };
}

function semanticBody(semantic: SemanticSearchDefinition): SemanticSearchBody {
  const names = (fields: readonly string[] | undefined) => (fields ?? []).map((fieldName) => ({ fieldName }));
  return {
    ...(semantic.defaultConfiguration !== undefined
      ? { defaultConfiguration: semantic.defaultConfiguration }
      : {}),
    configurations: sortedEntries(semantic.configurations).map(([name, c]) => ({
      name,
      prioritizedFields: {
        ...(c.titleField !== undefined ? { titleField: { fieldName: c.titleField } } : {}),
        prioritizedContentFields: names(c.contentFields),
        prioritizedKeywordsFields: names(c.keywordsFields),
      },
    })),
  };
}

/**
 * The exact index body for api-version 2024-07-01, as the `body` of the `azapi_data_plane_resource`.
 *
 * Deterministic: keys in a fixed order, named collections sorted by name, every field attribute written
 * out (Azure's implicit defaults, mostly `true`, never apply), HNSW parameters written out. The vectorizer
 * sends no API key and `authIdentity: null`, so the search service authenticates with its
 * system-assigned managed identity. No `@odata.type` is needed: the body holds no analyzers, similarity
 * or identity objects. Call {@link validateIndexDefinition} first; this function does not validate.
 */
export function toIndexBody(def: SearchIndexDefinition): SearchIndexBody {
  return {
    name: def.name,
    fields: def.fields.map(fieldBody),
    ...(def.vectorSearch ? { vectorSearch: vectorSearchBody(def.vectorSearch) } : {}),
    ...(def.semantic ? { semantic: semanticBody(def.semantic) } : {}),
    ...(def.encryptionKey
      ? {
          encryptionKey: {
            keyVaultUri: def.encryptionKey.keyVaultUri,
            keyVaultKeyName: def.encryptionKey.keyName,
            keyVaultKeyVersion: def.encryptionKey.keyVersion,
            identity: {
              '@odata.type': '#Microsoft.Azure.Search.DataUserAssignedIdentity',
              userAssignedIdentity: def.encryptionKey.userAssignedIdentityId,
            },
          },
        }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------------

/** Options of {@link validateIndexDefinition}. */
export interface ValidateIndexOptions {
  /**
   * Output size of the embedding deployment that fills the index; every vector field must match it.
   * @default not checked (vector fields are still checked against their vectorizer's dimensions)
   */
  readonly embeddingDimensions?: number;
  /**
   * Prefix for problem paths, e.g. `search.indexes.docs`.
   * @default '' - paths start at the definition
   */
  readonly path?: string;
}

const INDEX_NAME = /^[a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
const FRIENDLY_TYPES = [
  ...Object.keys(SCALAR_FIELD_TYPES),
  ...[...Object.keys(SCALAR_FIELD_TYPES), ...Object.keys(VECTOR_ELEMENT_TYPES)].map(
    (t) => `collection(${t})`,
  ),
];

function checkIndexName(name: unknown, problems: Problems): void {
  if (isUnresolved(name)) return;
  if (typeof name !== 'string' || !INDEX_NAME.test(name) || name.includes('--')) {
    problems.add(
      'name',
      `index name ${show(name)} is not allowed: use 2-128 lowercase letters, digits and dashes, starting and ending with a letter or digit, without "--"`,
    );
  }
}

function checkFieldName(name: unknown, path: string, problems: Problems): void {
  if (isUnresolved(name)) return;
  if (typeof name !== 'string' || !FIELD_NAME.test(name)) {
    problems.add(
      `${path}.name`,
      `field name ${show(name)} is not allowed: use 1-128 letters, digits and underscores, starting with a letter`,
    );
  } else if (name.toLowerCase().startsWith('azuresearch')) {
    problems.add(
      `${path}.name`,
      `field name ${show(name)} is not allowed: names starting with "azureSearch" are reserved`,
    );
  }
}

function checkDimensions(value: unknown, path: string, what: string, problems: Problems): boolean {
  return problems.check(
    typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= MIN_VECTOR_DIMENSIONS &&
      value <= MAX_VECTOR_DIMENSIONS,
    path,
    `${what} ${show(value)} must be an integer from ${MIN_VECTOR_DIMENSIONS} to ${MAX_VECTOR_DIMENSIONS}`,
  );
}

interface ValidationContext {
  readonly def: SearchIndexDefinition;
  readonly problems: Problems;
  readonly options: ValidateIndexOptions;
}

function checkVectorField(
  field: SearchFieldDefinition,
  path: string,
  edm: string,
  ctx: ValidationContext,
): void {
  const { problems, def, options } = ctx;
  const label = `vector field ${show(field.name)}`;
  if (!field.vector) {
    problems.add(`${path}.vector`, `${label} has type ${edm} but no vector: { dimensions, profile }`);
    return;
  }
  problems.check(field.searchable !== false, `${path}.searchable`, `${label} must be searchable, got false`);
  for (const attr of ['filterable', 'sortable', 'facetable', 'key'] as const) {
    problems.check(field[attr] !== true, `${path}.${attr}`, `${label} cannot be ${attr}`);
  }
  problems.check(field.analyzer === undefined, `${path}.analyzer`, `${label} cannot have an analyzer`);

  const { dimensions, profile } = field.vector;
  if (checkDimensions(dimensions, `${path}.vector.dimensions`, `${label}: dimensions`, problems)) {
    if (options.embeddingDimensions !== undefined) {
      problems.check(
        dimensions === options.embeddingDimensions,
        `${path}.vector.dimensions`,
        `${label}: dimensions ${dimensions} must equal the embedding deployment's ${options.embeddingDimensions}`,
      );
    }
  }
  if (isUnresolved(profile)) return;
  const profiles = def.vectorSearch?.profiles ?? {};
  const profileDef = Object.hasOwn(profiles, profile) ? profiles[profile] : undefined;
  if (!profileDef) {
    problems.add(
      `${path}.vector.profile`,
      `${label}: profile ${show(profile)} is not defined; vectorSearch.profiles has ${listNames(profiles)}`,
    );
    return;
  }
  const vectorizers = def.vectorSearch?.vectorizers ?? {};
  const vectorizer =
    profileDef.vectorizer !== undefined && Object.hasOwn(vectorizers, profileDef.vectorizer)
      ? vectorizers[profileDef.vectorizer]
      : undefined;
  if (vectorizer && typeof dimensions === 'number' && typeof vectorizer.dimensions === 'number') {
    problems.check(
      dimensions === vectorizer.dimensions,
      `${path}.vector.dimensions`,
      `${label}: dimensions ${dimensions} must equal the ${vectorizer.dimensions} dimensions of vectorizer ${show(profileDef.vectorizer)} (profile ${show(profile)})`,
    );
  }
}

function checkSimpleField(field: SearchFieldDefinition, path: string, edm: string, problems: Problems): void {
  const label = `field ${show(field.name)} (${edm})`;
  if (field.vector) {
    problems.add(
      `${path}.vector`,
      `${label}: only vector types (collection(single), collection(half), collection(int16), collection(sbyte), collection(byte)) take vector options`,
    );
  }
  problems.check(
    field.searchable !== true || isStringEdmType(edm),
    `${path}.searchable`,
    `${label} cannot be searchable: only string and vector fields are`,
  );
  problems.check(
    field.sortable !== true || !isCollectionEdmType(edm),
    `${path}.sortable`,
    `${label} cannot be sortable: collections are not`,
  );
  problems.check(
    field.facetable !== true || !edm.includes('Edm.GeographyPoint'),
    `${path}.facetable`,
    `${label} cannot be facetable: geography points are not`,
  );
  if (field.analyzer !== undefined) {
    problems.check(
      isStringEdmType(edm) && field.searchable === true,
      `${path}.analyzer`,
      `${label}: analyzer ${show(field.analyzer)} applies only to searchable string fields`,
    );
  }
}

function checkFields(
  fields: readonly SearchFieldDefinition[] | undefined,
  basePath: string,
  topLevel: boolean,
  ctx: ValidationContext,
): void {
  const { problems } = ctx;
  if (!Array.isArray(fields) || fields.length === 0) {
    problems.add(
      basePath,
      topLevel ? 'an index needs at least one field' : 'a complex field needs at least one sub-field',
    );
    return;
  }
  const seen = new Map<string, number>();
  fields.forEach((field, i) => {
    const path = `${basePath}[${i}]`;
    checkFieldName(field.name, path, problems);
    if (typeof field.name === 'string' && !isUnresolved(field.name)) {
      const first = seen.get(field.name);
      if (first !== undefined) {
        problems.add(
          `${path}.name`,
          `field name ${show(field.name)} is already used by ${basePath}[${first}]`,
        );
      } else {
        seen.set(field.name, i);
      }
    }
    const edm = typeof field.type === 'string' ? toEdmType(field.type) : undefined;
    if (!edm) {
      problems.add(
        `${path}.type`,
        `field ${show(field.name)}: type ${show(field.type)} is not a field type; use one of ${FRIENDLY_TYPES.join(', ')} (or the Edm.* / Collection(Edm.*) names)`,
      );
      return;
    }
    if (field.key === true) {
      if (!topLevel) {
        problems.add(
          `${path}.key`,
          `field ${show(field.name)}: the key must be a top-level field, not a sub-field`,
        );
      } else {
        problems.check(
          edm === 'Edm.String',
          `${path}.type`,
          `key field ${show(field.name)} must be of type string (Edm.String), got ${edm}`,
        );
        problems.check(
          field.retrievable !== false,
          `${path}.retrievable`,
          `key field ${show(field.name)} must be retrievable, got false`,
        );
      }
    }
    if (isComplexEdmType(edm)) {
      for (const attr of [
        'key',
        'searchable',
        'filterable',
        'sortable',
        'facetable',
        'retrievable',
        'analyzer',
        'vector',
      ] as const) {
        problems.check(
          field[attr] === undefined,
          `${path}.${attr}`,
          `complex field ${show(field.name)} cannot set ${attr}: attributes go on its sub-fields`,
        );
      }
      checkFields(field.fields, `${path}.fields`, false, ctx);
      return;
    }
    problems.check(
      field.fields === undefined,
      `${path}.fields`,
      `field ${show(field.name)} (${edm}) cannot have sub-fields: only complex fields do`,
    );
    if (isVectorEdmType(edm)) {
      if (!topLevel) {
        problems.add(
          `${path}.type`,
          `vector field ${show(field.name)} must be a top-level field in api-version 2024-07-01`,
        );
      }
      checkVectorField(field, path, edm, ctx);
    } else {
      checkSimpleField(field, path, edm, problems);
    }
  });
}

function checkKeyCount(def: SearchIndexDefinition, problems: Problems): void {
  if (!Array.isArray(def.fields)) return;
  const keys = def.fields.filter((f) => f.key === true).map((f) => f.name);
  problems.check(
    keys.length === 1,
    'fields',
    keys.length === 0
      ? 'an index needs exactly one key field (key: true, type string); found none'
      : `an index needs exactly one key field; found ${keys.length}: ${keys.map((k) => show(k)).join(', ')}`,
  );
}

function listNames(record: Readonly<Record<string, unknown>> | undefined): string {
  const names = Object.keys(record ?? {});
  return names.length === 0 ? 'none' : names.map((n) => show(n)).join(', ');
}

function checkIntRange(
  value: unknown,
  [min, max]: readonly [number, number],
  path: string,
  what: string,
  problems: Problems,
): void {
  if (value === undefined) return;
  problems.check(
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
    path,
    `${what} ${show(value)} must be an integer from ${min} to ${max}`,
  );
}

function checkVectorSearch(ctx: ValidationContext): void {
  const { def, problems } = ctx;
  const vs = def.vectorSearch;
  const hasVectorFields = (def.fields ?? []).some((f) => f.vector !== undefined);
  if (!vs) {
    problems.check(
      !hasVectorFields,
      'vectorSearch',
      'vector fields need a vectorSearch section with algorithms and profiles',
    );
    return;
  }
  for (const [name, algorithm] of Object.entries(vs.algorithms ?? {})) {
    const path = `vectorSearch.algorithms.${name}`;
    const kind = algorithm.kind ?? 'hnsw';
    if (
      !problems.check(
        kind === 'hnsw' || kind === 'exhaustiveKnn',
        `${path}.kind`,
        `algorithm kind ${show(kind)} must be "hnsw" or "exhaustiveKnn"`,
      )
    ) {
      continue;
    }
    if (algorithm.metric !== undefined) {
      problems.check(
        METRICS.includes(algorithm.metric),
        `${path}.metric`,
        `metric ${show(algorithm.metric)} must be one of ${METRICS.join(', ')}`,
      );
    }
    for (const param of ['m', 'efConstruction', 'efSearch'] as const) {
      if (kind === 'hnsw') {
        checkIntRange(algorithm[param], HNSW_RANGES[param], `${path}.${param}`, `HNSW ${param}`, problems);
      } else {
        problems.check(
          algorithm[param] === undefined,
          `${path}.${param}`,
          `${param} applies only to kind "hnsw", not "${kind}"`,
        );
      }
    }
  }
  for (const [name, profile] of Object.entries(vs.profiles ?? {})) {
    const path = `vectorSearch.profiles.${name}`;
    if (!isUnresolved(profile.algorithm)) {
      problems.check(
        Object.hasOwn(vs.algorithms ?? {}, profile.algorithm),
        `${path}.algorithm`,
        `profile ${show(name)}: algorithm ${show(profile.algorithm)} is not defined; vectorSearch.algorithms has ${listNames(vs.algorithms)}`,
      );
    }
    if (profile.vectorizer !== undefined && !isUnresolved(profile.vectorizer)) {
      problems.check(
        Object.hasOwn(vs.vectorizers ?? {}, profile.vectorizer),
        `${path}.vectorizer`,
        `profile ${show(name)}: vectorizer ${show(profile.vectorizer)} is not defined; vectorSearch.vectorizers has ${listNames(vs.vectorizers)}`,
      );
    }
  }
  for (const [name, vectorizer] of Object.entries(vs.vectorizers ?? {})) {
    checkVectorizer(name, vectorizer, `vectorSearch.vectorizers.${name}`, problems);
  }
}

function checkVectorizer(
  name: string,
  v: AzureOpenAIVectorizerDefinition,
  path: string,
  problems: Problems,
): void {
  const label = `vectorizer ${show(name)}`;
  if (!isUnresolved(v.endpoint)) {
    let ok = false;
    try {
      ok = typeof v.endpoint === 'string' && new URL(v.endpoint).protocol === 'https:';
    } catch {
      ok = false;
    }
    problems.check(
      ok,
      `${path}.endpoint`,
      `${label}: endpoint ${show(v.endpoint)} must be an https URL, e.g. https://<account>.openai.azure.com`,
    );
  }
  if (!isUnresolved(v.deploymentName)) {
    problems.check(
      typeof v.deploymentName === 'string' && v.deploymentName.length > 0,
      `${path}.deploymentName`,
      `${label}: deploymentName ${show(v.deploymentName)} must name the embedding deployment`,
    );
  }
  const model = Object.hasOwn(EMBEDDING_MODEL_DIMENSIONS, v.modelName)
    ? EMBEDDING_MODEL_DIMENSIONS[v.modelName]
    : undefined;
  if (!model) {
    problems.add(
      `${path}.modelName`,
      `${label}: modelName ${show(v.modelName)} must be one of ${Object.keys(EMBEDDING_MODEL_DIMENSIONS).join(', ')} (api-version 2024-07-01)`,
    );
  }
  if (checkDimensions(v.dimensions, `${path}.dimensions`, `${label}: dimensions`, problems) && model) {
    problems.check(
      model.fixed ? v.dimensions === model.max : v.dimensions <= model.max,
      `${path}.dimensions`,
      model.fixed
        ? `${label}: ${v.modelName} always returns ${model.max} dimensions, got ${v.dimensions}`
        : `${label}: ${v.modelName} returns at most ${model.max} dimensions, got ${v.dimensions}`,
    );
  }
}

function checkSemantic(ctx: ValidationContext): void {
  const { def, problems } = ctx;
  const semantic = def.semantic;
  if (!semantic) return;
  const topLevel = new Map<string, string | undefined>();
  for (const f of def.fields ?? [])
    topLevel.set(f.name, typeof f.type === 'string' ? toEdmType(f.type) : undefined);
  const configurations = semantic.configurations ?? {};
  for (const [name, config] of Object.entries(configurations)) {
    const path = `semantic.configurations.${name}`;
    const refs: [string, string][] = [];
    if (config.titleField !== undefined) refs.push([`${path}.titleField`, config.titleField]);
    (config.contentFields ?? []).forEach((f, i) => {
      refs.push([`${path}.contentFields[${i}]`, f]);
    });
    (config.keywordsFields ?? []).forEach((f, i) => {
      refs.push([`${path}.keywordsFields[${i}]`, f]);
    });
    problems.check(
      refs.length > 0,
      path,
      `semantic configuration ${show(name)} needs at least one of titleField, contentFields, keywordsFields`,
    );
    for (const [refPath, fieldName] of refs) {
      if (isUnresolved(fieldName)) continue;
      if (!topLevel.has(fieldName)) {
        problems.add(
          refPath,
          `semantic configuration ${show(name)}: field ${show(fieldName)} is not a top-level field of the index`,
        );
        continue;
      }
      const edm = topLevel.get(fieldName);
      if (edm) {
        problems.check(
          isStringEdmType(edm),
          refPath,
          `semantic configuration ${show(name)}: field ${show(fieldName)} is ${edm}; the semantic ranker reads only string fields`,
        );
      }
    }
  }
  if (semantic.defaultConfiguration !== undefined && !isUnresolved(semantic.defaultConfiguration)) {
    problems.check(
      Object.hasOwn(configurations, semantic.defaultConfiguration),
      'semantic.defaultConfiguration',
      `defaultConfiguration ${show(semantic.defaultConfiguration)} is not a configuration; semantic.configurations has ${listNames(configurations)}`,
    );
  }
}

/**
 * Checks an index definition against Azure's rules and returns every problem found, each with a path.
 *
 * Checked: the index name; field names (legal, unique per level, not `azureSearch*`); field types;
 * exactly one top-level key field, of type string and retrievable; attributes legal for the type
 * (searchable only on string/vector fields, no sortable collections, no facetable geography points,
 * analyzers only on searchable strings, none on complex fields); vector fields searchable and not
 * filterable/sortable/facetable, dimensions 2..3072 and equal to their vectorizer's and to
 * `embeddingDimensions`; every referenced profile, algorithm and vectorizer exists; HNSW parameters in
 * range; vectorizer endpoint, deployment, model and dimensions; semantic configurations name real
 * top-level string fields and `defaultConfiguration` names a configuration. Values that are unresolved
 * tokens (strings containing `${`) are not checked.
 *
 * @see https://learn.microsoft.com/rest/api/searchservice/naming-rules
 */
export function validateIndexDefinition(
  def: SearchIndexDefinition,
  opts: ValidateIndexOptions = {},
): Problem[] {
  const problems = new Problems(opts.path ?? '');
  const ctx: ValidationContext = { def, problems, options: opts };
  checkIndexName(def.name, problems);
  checkFields(def.fields, 'fields', true, ctx);
  checkKeyCount(def, problems);
  checkVectorSearch(ctx);
  checkSemantic(ctx);
  return [...problems.all];
}
