/**
 * The REST body of an index for api-version 2024-07-01 (property names are the REST API's) and
 * {@link toIndexBody}, which builds it from a definition. The index is provisioned as an
 * `azapi_data_plane_resource` of type {@link SEARCH_INDEX_AZAPI_TYPE} with this body.
 *
 * @see https://learn.microsoft.com/rest/api/searchservice/indexes/create-or-update?view=rest-searchservice-2024-07-01
 */

import { compareStrings } from '../../core/json';
import {
  DEFAULT_HNSW_PARAMETERS,
  type SearchFieldDefinition,
  type SearchIndexDefinition,
  type SemanticSearchDefinition,
  type VectorSearchAlgorithmDefinition,
  type VectorSearchDefinition,
  type VectorSearchMetric,
} from './definition';
import { isComplexEdmType, isVectorEdmType, toEdmType } from './edm';

/** The azapi `type` (resource type and api-version) an index body built here is valid for. */
export const SEARCH_INDEX_AZAPI_TYPE = 'Microsoft.Search/searchServices/indexes@2024-07-01';

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

function sortedEntries<T>(record: Readonly<Record<string, T>> | undefined): [string, T][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => compareStrings(a, b));
}

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
 * or identity objects. Call `validateIndexDefinition` (`validation.ts`) first; this function does not validate.
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
