import { z } from 'zod';
import type {
  SemanticSearchDefinition,
  VectorSearchAlgorithmDefinition,
} from '../../../constructs/search/index-schema/definition';
import {
  SEARCH_SKUS,
  SEMANTIC_RANKER_PLANS,
  type SearchSku,
  type SemanticRankerPlan,
} from '../../../constructs/search/search-tiers';
import { defaultText, PROFILE_DEFAULTS } from '../profile-defaults';
import { byProfile, type ResolveContext } from './context';

/** AI Search tiers (defined with the construct, `constructs/search/search-tiers.ts`). */
export { SEARCH_SKUS };

/** The index every environment gets when `search.indexes` is not set. */
export const DEFAULT_INDEX_NAME = 'docs-v1';

/** Index templates: `rag` is the default RAG index (`defaultRagIndex` in constructs/search/index-schema.ts). */
export const INDEX_TEMPLATES = ['rag'] as const;

const attribute = (what: string) => z.boolean().optional().describe(what);

/** One field of an index declared in config; maps onto `SearchFieldDefinition`. */
export interface SearchFieldConfig {
  readonly name: string;
  readonly type: string;
  readonly key?: boolean;
  readonly searchable?: boolean;
  readonly filterable?: boolean;
  readonly sortable?: boolean;
  readonly facetable?: boolean;
  readonly retrievable?: boolean;
  readonly analyzer?: string;
  /** Vector options; `dimensions` defaults to the index's embedding deployment's. */
  readonly vector?: { readonly profile: string; readonly dimensions?: number };
  readonly fields?: readonly SearchFieldConfig[];
}

const fieldSchema: z.ZodType<SearchFieldConfig> = z
  .strictObject({
    name: z.string().describe('Field name: letters, digits and underscores, starting with a letter.'),
    type: z
      .string()
      .describe(
        'string, int32, int64, double, boolean, dateTimeOffset, geographyPoint, complex, collection(<type>); vectors: collection(single) (or half, int16, sbyte, byte). Edm.* names also work.',
      ),
    key: attribute('The document key (exactly one top-level string field). Default: false.'),
    searchable: attribute(
      'Full-text (strings) or vector search. Default: true for vectors, false otherwise.',
    ),
    filterable: attribute('Usable in $filter. Default: false.'),
    sortable: attribute('Usable in $orderby. Default: false.'),
    facetable: attribute('Facets can be computed. Default: false.'),
    retrievable: attribute('Returned in results. Default: true, false for vectors.'),
    analyzer: z.string().optional().describe('Analyzer of a searchable string field, e.g. en.microsoft.'),
    vector: z
      .strictObject({
        profile: z.string().describe('Vector search profile (a key of vectorSearch.profiles).'),
        dimensions: z
          .number()
          .int()
          .optional()
          .describe("Vector size. Default: the embedding deployment's dimensions."),
      })
      .optional()
      .describe('Makes this a vector field (type collection(single) or another vector type).'),
    get fields() {
      return z.array(fieldSchema).optional().describe('Sub-fields of a complex field.');
    },
  })
  .describe('An index field.');

/** A vectorizer declared in config: which model deployment embeds query text. */
export interface VectorizerConfig {
  /** A key of `models.deployments` (role embedding). Default: the index's embedding deployment. */
  readonly deployment?: string;
}

/** Vector search settings declared in config; maps onto `VectorSearchDefinition`. */
export interface VectorSearchConfig {
  readonly algorithms: Readonly<Record<string, VectorSearchAlgorithmDefinition>>;
  readonly profiles: Readonly<Record<string, { readonly algorithm: string; readonly vectorizer?: string }>>;
  readonly vectorizers?: Readonly<Record<string, VectorizerConfig>>;
}

const vectorSearchSchema = z
  .strictObject({
    algorithms: z
      .record(
        z.string(),
        z.strictObject({
          kind: z.enum(['hnsw', 'exhaustiveKnn']).optional().describe('Default: hnsw.'),
          m: z.number().int().optional().describe('HNSW links per node, 4-10. Default: 4.'),
          efConstruction: z
            .number()
            .int()
            .optional()
            .describe('HNSW build candidates, 100-1000. Default: 400.'),
          efSearch: z.number().int().optional().describe('HNSW query candidates, 100-1000. Default: 500.'),
          metric: z
            .enum(['cosine', 'euclidean', 'dotProduct', 'hamming'])
            .optional()
            .describe('Default: cosine.'),
        }),
      )
      .describe('Algorithm configurations by name.'),
    profiles: z
      .record(
        z.string(),
        z.strictObject({
          algorithm: z.string().describe('A key of algorithms.'),
          vectorizer: z.string().optional().describe('A key of vectorizers (turns query text into vectors).'),
        }),
      )
      .describe('Profiles by name; vector fields name one.'),
    vectorizers: z
      .record(
        z.string(),
        z.strictObject({
          deployment: z
            .string()
            .optional()
            .describe(
              "A key of models.deployments (role embedding). Default: the index's embeddingDeployment.",
            ),
        }),
      )
      .optional()
      .describe(
        'Integrated vectorizers by name; the search identity calls the model with its managed identity.',
      ),
  })
  .describe('Vector search settings.');

const semanticSchema = z
  .strictObject({
    configurations: z
      .record(
        z.string(),
        z.strictObject({
          titleField: z.string().optional(),
          contentFields: z.array(z.string()).optional(),
          keywordsFields: z.array(z.string()).optional(),
        }),
      )
      .describe('Semantic ranker configurations by name: the string fields the ranker reads.'),
    defaultConfiguration: z.string().optional().describe('Configuration used when a query names none.'),
  })
  .describe('Semantic ranker settings.');

/** One index declared in config: the `rag` template or a full definition. */
export interface SearchIndexConfig {
  /** `rag`: the default RAG index. Excludes `fields`, `vectorSearch`, `semantic`. */
  readonly template?: (typeof INDEX_TEMPLATES)[number];
  /** A key of `models.deployments` (role embedding). Default: the only embedding deployment. */
  readonly embeddingDeployment?: string;
  readonly fields?: readonly SearchFieldConfig[];
  readonly vectorSearch?: VectorSearchConfig;
  readonly semantic?: SemanticSearchDefinition;
}

const indexSchema = z
  .strictObject({
    template: z
      .enum(INDEX_TEMPLATES, {
        error: (iss) =>
          `${JSON.stringify(iss.input)} is not an index template; use ${INDEX_TEMPLATES.join(', ')}, or declare fields`,
      })
      .optional()
      .describe(
        'rag: the default RAG index (id, content, title, source, chunk metadata, content vector). Excludes fields.',
      ),
    embeddingDeployment: z
      .string()
      .optional()
      .describe(
        'A key of models.deployments (role embedding) that fills the index. Default: the only embedding deployment.',
      ),
    fields: z
      .array(fieldSchema)
      .optional()
      .describe('Fields, in order (a full definition instead of a template).'),
    vectorSearch: vectorSearchSchema.optional(),
    semantic: semanticSchema.optional(),
  })
  .describe(
    'A search index: {template: rag} or a full definition. A change the search service (Azure AI Search, OpenSearch Serverless) cannot apply in place (field removed, type, key, attribute or dimension change) needs a new index name, e.g. docs-v2.',
  );

/** The zod schema of the `search` section: indexes (cloud-neutral) and the `azure` sizing. */
export const searchSchema = z
  .strictObject({
    indexes: z
      .record(z.string(), indexSchema)
      .optional()
      .describe(`Search indexes keyed by index name. Default: {${DEFAULT_INDEX_NAME}: {template: rag}}.`),
    azure: z
      .strictObject({
        sku: z.enum(SEARCH_SKUS).optional().describe(defaultText(PROFILE_DEFAULTS.searchSku)),
        replicas: z
          .number()
          .int()
          .min(1)
          .max(12)
          .optional()
          .describe(
            `${defaultText(PROFILE_DEFAULTS.searchReplicas)} The read-write SLA needs 3. Basic: at most 3; free: 1.`,
          ),
        partitions: z
          .number()
          .int()
          .optional()
          .describe(
            '1, 2, 3, 4, 6 or 12 (standard and storage optimized tiers); 1 on free and basic. Default: 1.',
          ),
        semanticRanker: z
          .enum(SEMANTIC_RANKER_PLANS)
          .optional()
          .describe(`${defaultText(PROFILE_DEFAULTS.searchSemanticRanker)} Not available on the free tier.`),
      })
      .optional(),
    aws: z
      .strictObject({
        standbyReplicas: z
          .boolean()
          .optional()
          .describe(
            `OpenSearch Serverless standby replicas in a second Availability Zone (the collection's redundancy). ${defaultText(PROFILE_DEFAULTS.awsStandbyReplicas)}`,
          ),
      })
      .optional()
      .describe(
        'How retrieval runs on AWS: an OpenSearch Serverless vector collection and a Bedrock knowledge base.',
      ),
  })
  .describe('Retrieval (AI Search).');

/** The search section, with every default filled in. */
export interface SearchConfig {
  /** Indexes by name, as declared (templates are expanded by the search capability, which knows the models). */
  readonly indexes: Readonly<Record<string, SearchIndexConfig>>;
  readonly sku: SearchSku;
  readonly replicas: number;
  readonly partitions: number;
  readonly semanticRanker: SemanticRankerPlan;
  /** OpenSearch Serverless settings (AWS environments only). */
  readonly aws?: { readonly standbyReplicas: boolean };
}

/**
 * The `search` section with every default: the `docs-v1` RAG index, one partition, and the profile's tier,
 * replicas and semantic ranker plan (`PROFILE_DEFAULTS`). Tier limits and index definitions are checked by `validateSearch` (lib/search/indexes.ts).
 */
export function resolveSearch(
  raw: z.infer<typeof searchSchema> | undefined,
  ctx: ResolveContext,
): SearchConfig {
  return {
    indexes: raw?.indexes ?? { [DEFAULT_INDEX_NAME]: { template: 'rag' } },
    sku: raw?.azure?.sku ?? byProfile(ctx, 'searchSku'),
    replicas: raw?.azure?.replicas ?? byProfile(ctx, 'searchReplicas'),
    partitions: raw?.azure?.partitions ?? 1,
    semanticRanker: raw?.azure?.semanticRanker ?? byProfile(ctx, 'searchSemanticRanker'),
    ...(ctx.cloud === 'aws'
      ? { aws: { standbyReplicas: raw?.aws?.standbyReplicas ?? byProfile(ctx, 'awsStandbyReplicas') } }
      : {}),
  };
}
