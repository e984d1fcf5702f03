/**
 * The Azure OpenAI embedding models whose vector size is known: their native size, and whether they can
 * return shorter vectors (the `dimensions` request parameter of `text-embedding-3-*`). The models
 * capability reads it for deployments, the search capability for vectorizers (the 2024-07-01
 * `azureOpenAI` vectorizer accepts exactly these `modelName`s).
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/concepts/models#embeddings
 * @see https://learn.microsoft.com/rest/api/searchservice/indexes/create?view=rest-searchservice-2024-07-01
 */
export const EMBEDDING_MODELS = {
  'text-embedding-3-large': { dimensions: 3072, shortenable: true },
  'text-embedding-3-small': { dimensions: 1536, shortenable: true },
  'text-embedding-ada-002': { dimensions: 1536, shortenable: false },
} as const satisfies Record<string, { readonly dimensions: number; readonly shortenable: boolean }>;

/** An embedding model of {@link EMBEDDING_MODELS}. */
export type KnownEmbeddingModel = keyof typeof EMBEDDING_MODELS;
