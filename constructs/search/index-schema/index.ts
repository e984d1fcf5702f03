/**
 * The Azure AI Search index definition as typed code: the definition types (`SearchIndexDefinition`),
 * the default RAG index, the exact REST body sent for api-version 2024-07-01 and its validation, one concern
 * per file.
 *
 * @see https://learn.microsoft.com/rest/api/searchservice/indexes/create-or-update?view=rest-searchservice-2024-07-01
 */

export * from './body';
export * from './default-index';
export * from './definition';
export { isVectorEdmType, toEdmType } from './edm';
export * from './validation';
