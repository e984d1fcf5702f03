/**
 * The cloud-neutral index definition (`constructs/search/index-schema`) as OpenSearch Serverless index
 * mappings and settings, the properties of `AWS::OpenSearchServerless::Index`, and the list of what the
 * definition asks for that OpenSearch Serverless cannot do.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-opensearchserverless-index.html
 * @see https://docs.opensearch.org/latest/mappings/supported-field-types/knn-methods-engines/
 */

import { type Problem, Problems, show } from '../../core/errors';
import { defaultRagIndex } from '../../search/index-schema/default-index';
import {
  DEFAULT_HNSW_PARAMETERS,
  type SearchFieldDefinition,
  type SearchIndexDefinition,
  type VectorSearchMetric,
} from '../../search/index-schema/definition';
import { isVectorEdmType, toEdmType } from '../../search/index-schema/edm';
import { isUnresolved, validateIndexDefinition } from '../../search/index-schema/validation';

/** One field mapping, with the property names of the OpenSearch mapping API (CloudFormation takes them as is). */
export interface OpenSearchFieldMapping {
  readonly type: string;
  readonly index?: boolean;
  readonly analyzer?: string;
  readonly dimension?: number;
  readonly method?: {
    readonly name: 'hnsw';
    readonly engine: 'faiss';
    readonly spaceType: OpenSearchSpaceType;
    readonly parameters: { readonly m: number; readonly efConstruction: number };
  };
  readonly properties?: Readonly<Record<string, OpenSearchFieldMapping>>;
}

/** The `Mappings` and `Settings` of an `AWS::OpenSearchServerless::Index`. */
export interface OpenSearchIndexBody {
  readonly mappings: { readonly properties: Readonly<Record<string, OpenSearchFieldMapping>> };
  readonly settings: { readonly index: { readonly knn: boolean; readonly knnAlgoParamEfSearch?: number } };
}

/**
 * Space types of the `faiss` engine's `hnsw` method for float vectors: `l2` and `innerproduct`
 * (`cosinesimil` only in OpenSearch 2.19 and later, which OpenSearch Serverless does not promise).
 *
 * @see https://docs.opensearch.org/latest/mappings/supported-field-types/knn-methods-engines/#faiss-engine
 */
export type OpenSearchSpaceType = 'l2' | 'innerproduct';

/**
 * The faiss space type for each metric of the definition. `cosine` becomes `l2`: on unit-length vectors
 * (what the Bedrock embedding models return; Titan Text Embeddings V2 normalizes by default) Euclidean
 * distance ranks exactly as cosine similarity does, and `l2` is what Bedrock uses when it creates a
 * knowledge base index itself. `hamming` needs binary vectors, which the definition cannot declare.
 */
export const SPACE_TYPES: Readonly<Record<Exclude<VectorSearchMetric, 'hamming'>, OpenSearchSpaceType>> = {
  cosine: 'l2',
  euclidean: 'l2',
  dotProduct: 'innerproduct',
};

/**
 * Azure analyzer names with an OpenSearch built-in equivalent. `<lang>.microsoft` analyzers have no
 * OpenSearch counterpart and map to the same built-in language analyzer as `<lang>.lucene`.
 *
 * @see https://docs.opensearch.org/latest/analyzers/supported-analyzers/index/
 */
export const ANALYZERS: Readonly<Record<string, string>> = {
  'standard.lucene': 'standard',
  simple: 'simple',
  whitespace: 'whitespace',
  stop: 'stop',
  keyword: 'keyword',
  ...Object.fromEntries(
    Object.entries({
      en: 'english',
      de: 'german',
      fr: 'french',
      es: 'spanish',
      it: 'italian',
      pt: 'portuguese',
      nl: 'dutch',
    }).flatMap(([lang, name]) => [
      [`${lang}.lucene`, name],
      [`${lang}.microsoft`, name],
    ]),
  ),
};

const NUMERIC: Readonly<Record<string, string>> = {
  'Edm.Int32': 'integer',
  'Edm.Int64': 'long',
  'Edm.Double': 'double',
  'Edm.Boolean': 'boolean',
  'Edm.DateTimeOffset': 'date',
  'Edm.GeographyPoint': 'geo_point',
};

/** A string field that is both full-text searchable and filterable, facetable or sortable. */
export interface TextFieldCompromise {
  /** Field path, `parent.child` for sub-fields. */
  readonly field: string;
  /** The attributes a `text` mapping serves only partly. */
  readonly attributes: readonly string[];
}

/** The result of {@link toOpenSearchIndex}. */
export interface OpenSearchIndexResult {
  /** The index body, or `undefined` when there are problems. */
  readonly body?: OpenSearchIndexBody;
  /** Everything the definition asks for that OpenSearch Serverless cannot do, and invalid definitions. */
  readonly problems: readonly Problem[];
  /**
   * Searchable string fields that are also filterable, facetable or sortable. CloudFormation's
   * `PropertyMapping` has no multi-fields (`fields`), so such a field cannot be `text` and `keyword` at once:
   * it is mapped as `text` (full-text search; exact filters, facets and sorting need a separate field).
   */
  readonly textCompromises: readonly TextFieldCompromise[];
}

interface Context {
  readonly def: SearchIndexDefinition;
  readonly problems: Problems;
  readonly compromises: TextFieldCompromise[];
}

function algorithmOf(def: SearchIndexDefinition, field: SearchFieldDefinition) {
  const profile = field.vector ? def.vectorSearch?.profiles?.[field.vector.profile] : undefined;
  return profile ? def.vectorSearch?.algorithms?.[profile.algorithm] : undefined;
}

function vectorMapping(field: SearchFieldDefinition, edm: string, path: string, ctx: Context) {
  const { problems } = ctx;
  const label = `vector field ${show(field.name)}`;
  if (edm !== 'Collection(Edm.Single)') {
    problems.add(
      `${path}.type`,
      `${label}: type ${edm} has no OpenSearch Serverless mapping here; use collection(single) (32-bit float vectors, what Bedrock embedding models return)`,
    );
    return undefined;
  }
  const algorithm = algorithmOf(ctx.def, field);
  if (!algorithm || !field.vector) return undefined;
  if ((algorithm.kind ?? 'hnsw') !== 'hnsw') {
    problems.add(
      `${path}.vector.profile`,
      `${label}: algorithm kind ${show(algorithm.kind)} has no OpenSearch Serverless mapping; use "hnsw" (exhaustive k-NN is a query option in OpenSearch, not an index setting)`,
    );
    return undefined;
  }
  const metric = algorithm.metric ?? DEFAULT_HNSW_PARAMETERS.metric;
  if (metric === 'hamming') {
    problems.add(
      `${path}.vector.profile`,
      `${label}: metric "hamming" needs binary vectors, which this index definition cannot declare; use cosine, euclidean or dotProduct`,
    );
    return undefined;
  }
  return {
    type: 'knn_vector',
    dimension: field.vector.dimensions,
    method: {
      name: 'hnsw' as const,
      engine: 'faiss' as const,
      spaceType: SPACE_TYPES[metric],
      parameters: {
        m: algorithm.m ?? DEFAULT_HNSW_PARAMETERS.m,
        efConstruction: algorithm.efConstruction ?? DEFAULT_HNSW_PARAMETERS.efConstruction,
      },
    },
  } satisfies OpenSearchFieldMapping;
}

function stringMapping(field: SearchFieldDefinition, path: string, label: string, ctx: Context) {
  const exact = (['filterable', 'facetable', 'sortable'] as const).filter((a) => field[a] === true);
  if (field.searchable === true) {
    if (exact.length > 0) ctx.compromises.push({ field: label, attributes: exact });
    let analyzer: string | undefined;
    if (field.analyzer !== undefined && !isUnresolved(field.analyzer)) {
      analyzer = Object.hasOwn(ANALYZERS, field.analyzer) ? ANALYZERS[field.analyzer] : undefined;
      ctx.problems.check(
        analyzer !== undefined,
        `${path}.analyzer`,
        `field ${show(field.name)}: analyzer ${show(field.analyzer)} has no OpenSearch built-in equivalent; use one of ${Object.keys(ANALYZERS).join(', ')}`,
      );
    }
    return { type: 'text', ...(analyzer ? { analyzer } : {}) } satisfies OpenSearchFieldMapping;
  }
  if (exact.length > 0 || field.key === true) return { type: 'keyword' } satisfies OpenSearchFieldMapping;
  // Stored and returned only (like Bedrock's metadata field): not indexed.
  return { type: 'text', index: false } satisfies OpenSearchFieldMapping;
}

function fieldMappings(
  fields: readonly SearchFieldDefinition[],
  basePath: string,
  labelPrefix: string,
  ctx: Context,
): Record<string, OpenSearchFieldMapping> {
  const out: Record<string, OpenSearchFieldMapping> = {};
  fields.forEach((field, i) => {
    const path = `${basePath}[${i}]`;
    const label = `${labelPrefix}${field.name}`;
    const edm = toEdmType(field.type);
    if (!edm) return;
    let mapping: OpenSearchFieldMapping | undefined;
    if (isVectorEdmType(edm)) {
      mapping = vectorMapping(field, edm, path, ctx);
    } else if (edm === 'Edm.ComplexType' || edm === 'Collection(Edm.ComplexType)') {
      mapping = {
        // A collection of objects keeps each object's fields together only as `nested`.
        type: edm === 'Edm.ComplexType' ? 'object' : 'nested',
        properties: fieldMappings(field.fields ?? [], `${path}.fields`, `${label}.`, ctx),
      };
    } else {
      const scalar = edm.replace(/^Collection\((.*)\)$/, '$1');
      // OpenSearch fields hold one value or an array alike, so a collection maps like its element.
      mapping = scalar === 'Edm.String' ? stringMapping(field, path, label, ctx) : { type: NUMERIC[scalar]! };
    }
    if (mapping) out[field.name] = mapping;
  });
  return out;
}

function efSearchOf(def: SearchIndexDefinition, problems: Problems): number | undefined {
  const values = new Map<number, string[]>();
  for (const field of def.fields ?? []) {
    const algorithm = field.vector ? algorithmOf(def, field) : undefined;
    if (!algorithm || (algorithm.kind ?? 'hnsw') !== 'hnsw') continue;
    const ef = algorithm.efSearch ?? DEFAULT_HNSW_PARAMETERS.efSearch;
    values.set(ef, [...(values.get(ef) ?? []), field.name]);
  }
  if (values.size > 1) {
    problems.add(
      'vectorSearch.algorithms',
      `efSearch differs between vector fields (${[...values].map(([ef, f]) => `${ef} for ${f.map((n) => show(n)).join(', ')}`).join('; ')}); OpenSearch Serverless takes one index-level value (index.knn.algo_param.ef_search)`,
    );
  }
  return values.size === 1 ? [...values.keys()][0] : undefined;
}

/**
 * The definition without Azure's integrated vectorizers (`vectorSearch.vectorizers` and the profiles'
 * `vectorizer`): on AWS the knowledge base embeds documents and queries through Bedrock, so an AWS
 * environment's definition needs no Azure OpenAI endpoint.
 */
export function withoutVectorizers(def: SearchIndexDefinition): SearchIndexDefinition {
  if (!def.vectorSearch) return def;
  const { vectorizers: _vectorizers, ...vectorSearch } = def.vectorSearch;
  const profiles = Object.fromEntries(
    Object.entries(vectorSearch.profiles ?? {}).map(([name, { algorithm }]) => [name, { algorithm }]),
  );
  return { ...def, vectorSearch: { ...vectorSearch, profiles } };
}

/** The name Bedrock documents for the knowledge base metadata field of an OpenSearch Serverless index. */
export const BEDROCK_METADATA_FIELD = 'AMAZON_BEDROCK_METADATA';

/**
 * The definition with the field a Bedrock knowledge base writes its chunk metadata to: a string that is
 * stored and returned but not indexed (`{ type: text, index: false }`), added last unless a field of that
 * name exists. The Azure definition has no such field; Bedrock requires one in the field mapping.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/knowledge-base-setup.html
 */
export function withBedrockMetadataField(
  def: SearchIndexDefinition,
  name: string = BEDROCK_METADATA_FIELD,
): SearchIndexDefinition {
  if ((def.fields ?? []).some((f) => f.name === name)) return def;
  return { ...def, fields: [...(def.fields ?? []), { name, type: 'string' }] };
}

/**
 * The OpenSearch Serverless mappings and settings for an index definition.
 *
 * The definition is first checked with the cloud-neutral `validateIndexDefinition` (names, types, one key,
 * profiles, dimensions against `embeddingDimensions`), then for what OpenSearch Serverless cannot do:
 * vector element types other than `single`, `exhaustiveKnn`, the `hamming` metric, different `efSearch`
 * values in one index, analyzers without an OpenSearch equivalent, and a customer-managed key on the index
 * (OpenSearch Serverless encrypts per collection: use the collection's encryption policy).
 *
 * Ignored, because the AWS rendering does them elsewhere: `vectorizers` (Bedrock embeds queries through
 * the knowledge base), `semantic` (no semantic ranker in OpenSearch Serverless; Bedrock offers reranker
 * models at query time) and `retrievable` (OpenSearch returns every field in `_source`; filter at query time).
 *
 * @param path prefix for problem paths, e.g. `props.definition`
 */
export function toOpenSearchIndex(
  def: SearchIndexDefinition,
  options: { readonly embeddingDimensions?: number; readonly path?: string } = {},
): OpenSearchIndexResult {
  const problems = new Problems(options.path ?? '');
  def = withoutVectorizers(def);
  problems.addAll(
    validateIndexDefinition(def, {
      ...(options.embeddingDimensions !== undefined
        ? { embeddingDimensions: options.embeddingDimensions }
        : {}),
      ...(options.path !== undefined ? { path: options.path } : {}),
    }),
  );
  if (!problems.empty) return { problems: problems.all, textCompromises: [] };

  problems.check(
    def.encryptionKey === undefined,
    'encryptionKey',
    'a customer-managed key per index has no OpenSearch Serverless mapping; encryption is per collection (VectorCollection kmsKey)',
  );
  const ctx: Context = { def, problems, compromises: [] };
  const properties = fieldMappings(def.fields, 'fields', '', ctx);
  const efSearch = efSearchOf(def, problems);
  if (!problems.empty) return { problems: problems.all, textCompromises: [] };
  return {
    body: {
      mappings: { properties },
      settings: {
        index: { knn: true, ...(efSearch !== undefined ? { knnAlgoParamEfSearch: efSearch } : {}) },
      },
    },
    problems: [],
    textCompromises: ctx.compromises,
  };
}

/**
 * The default RAG index (`defaultRagIndex`: the same fields, HNSW parameters and metric as on Azure) for a
 * Bedrock knowledge base: without the Azure vectorizer, with Bedrock's metadata field.
 *
 * @param dimensions output size of the embedding model
 */
export function bedrockRagIndex(name: string, dimensions: number): SearchIndexDefinition {
  // defaultRagIndex needs an Azure vectorizer; it is dropped right away (the field list keeps one home).
  const azureOnly = {
    name: 'unused',
    endpoint: 'https://unused.invalid',
    deploymentName: 'unused',
    modelName: 'text-embedding-3-large',
    dimensions,
  } as const;
  return withBedrockMetadataField(withoutVectorizers(defaultRagIndex(name, azureOnly)));
}
