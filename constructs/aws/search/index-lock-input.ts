/**
 * The index-schema lock (`constructs/search/index-lock.ts`) for OpenSearch Serverless indexes.
 *
 * The lock compares cloud-neutral definitions, so it applies to AWS environments unchanged, with one
 * addition: OpenSearch cannot change a `knn_vector` field's method (engine, space type, `m`,
 * `ef_construction`) once the index exists, while Azure updates algorithm parameters in place, so the
 * Azure lock does not record them. {@link openSearchLockDefinition} gives the definition to lock for an
 * AWS index: each vector field's profile is renamed after its OpenSearch method (e.g.
 * `faiss-hnsw-l2-m4-efc400`), so `compareWithLock` reports a method change as a changed vector profile,
 * and `updateLock` records it. `ef_search` is a dynamic index setting and is not recorded.
 *
 * @see https://docs.opensearch.org/latest/mappings/supported-field-types/knn-methods-engines/ (HNSW parameters: "Updatable: No")
 */

import type {
  SearchIndexDefinition,
  VectorSearchAlgorithmDefinition,
  VectorSearchProfileDefinition,
} from '../../search/index-schema/definition';
import { toOpenSearchIndex } from './index-mappings';

/**
 * The definition the index-schema lock records and compares for an OpenSearch Serverless index: `def`
 * with each vector field's profile named after its OpenSearch method. An invalid definition is returned
 * as is (building the index reports its problems).
 */
export function openSearchLockDefinition(def: SearchIndexDefinition): SearchIndexDefinition {
  const { body } = toOpenSearchIndex(def);
  if (!body) return def;
  const algorithms: Record<string, VectorSearchAlgorithmDefinition> = {};
  const profiles: Record<string, VectorSearchProfileDefinition> = {};
  const fields = def.fields.map((field) => {
    const method = body.mappings.properties[field.name]?.method;
    if (!field.vector || !method) return field;
    const profile = `${method.engine}-${method.name}-${method.spaceType}-m${method.parameters.m}-efc${method.parameters.efConstruction}`;
    const algorithmName = def.vectorSearch?.profiles[field.vector.profile]?.algorithm;
    algorithms[profile] = (algorithmName && def.vectorSearch?.algorithms[algorithmName]) || {};
    profiles[profile] = { algorithm: profile };
    return { ...field, vector: { ...field.vector, profile } };
  });
  return { ...def, fields, vectorSearch: { algorithms, profiles } };
}
