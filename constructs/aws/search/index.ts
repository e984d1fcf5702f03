/**
 * RAG on AWS: an OpenSearch Serverless vector collection with its policies, a vector index built from the
 * cloud-neutral index definition, and a Bedrock knowledge base with an S3 data source.
 */

export * from './index-lock-input';
export * from './index-mappings';
export * from './knowledge-base';
export * from './vector-collection';
export * from './vector-index';
