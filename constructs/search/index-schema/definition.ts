/**
 * The Azure AI Search index definition as typed code: the construct API and what the YAML config maps to.
 * `body.ts` turns a definition into the REST body for api-version 2024-07-01, `validation.ts` checks it.
 *
 * @see https://learn.microsoft.com/rest/api/searchservice/indexes/create-or-update?view=rest-searchservice-2024-07-01
 */

import { EMBEDDING_MODELS, type KnownEmbeddingModel } from '../../core/embedding-models';

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

/** HNSW parameters the default RAG index and any algorithm without explicit values get. */
export const DEFAULT_HNSW_PARAMETERS = {
  m: 4,
  efConstruction: 400,
  efSearch: 500,
  metric: 'cosine',
} as const satisfies { m: number; efConstruction: number; efSearch: number; metric: VectorSearchMetric };
