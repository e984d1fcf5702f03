/**
 * Retrieval on Azure AI Search: the service, its indexes, the typed index schema and the schema lock.
 * See README.md in this folder.
 */
export * from './index-lock';
export * from './index-schema/index';
export * from './search-index';
export * from './search-service';
