import {
  DEFAULT_HNSW_PARAMETERS,
  type EmbeddingVectorizerInput,
  type SearchIndexDefinition,
} from './definition';

/** Name of the vectorizer the default RAG index declares. */
export const DEFAULT_VECTORIZER_NAME = 'embedding';

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
