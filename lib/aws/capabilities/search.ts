import { Validations } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { KnowledgeBase } from '../../../constructs/aws/search/knowledge-base';
import { VectorCollection } from '../../../constructs/aws/search/vector-collection';
import { VectorIndex } from '../../../constructs/aws/search/vector-index';
import type { EnvironmentConfig } from '../../config/environment';
import { configuredIndexes } from '../../search/lock';
import { awsName } from '../names';
import type { AwsModels } from './models';
import { removalPolicyOf } from './protection';

/** What the search capability hands to the others. */
export interface AwsSearch {
  readonly collection: VectorCollection;
  /** One knowledge base per configured index, by index name. */
  readonly knowledgeBases: Readonly<Record<string, KnowledgeBase>>;
}

/**
 * Retrieval on AWS: one OpenSearch Serverless vector collection (public only in public environments; in
 * private ones reachable through the network's OpenSearch Serverless endpoint and by Bedrock), one vector
 * index per configured index, built from the same definitions the index lock records
 * (`configuredIndexes`), and a Bedrock knowledge base with an S3 data source per index, embedding with
 * the index's embedding deployment.
 */
export function addAwsSearch(
  scope: Construct,
  inputs: {
    readonly env: EnvironmentConfig;
    readonly models: AwsModels;
    readonly aossVpcEndpointId?: string;
    /** Where the documents buckets write their S3 server access logs. */
    readonly accessLogs: IBucket;
  },
): AwsSearch {
  const { env, models } = inputs;
  const removalPolicy = removalPolicyOf(env);
  // protection.customerManagedKeys: the collection's encryption policy names a key of the environment.
  const kmsKey = env.protection.customerManagedKeys
    ? new Key(scope, 'SearchKey', {
        description: `Encrypts the OpenSearch Serverless collection of ${env.name}`,
        enableKeyRotation: true,
        removalPolicy,
      })
    : undefined;
  const collection = new VectorCollection(scope, 'Search', {
    ...(kmsKey ? { kmsKey } : {}),
    collectionName: awsName(env),
    standbyReplicasEnabled: env.search.aws!.standbyReplicas,
    publicAccess: env.network.mode === 'public',
    ...(inputs.aossVpcEndpointId ? { vpcEndpointIds: [inputs.aossVpcEndpointId] } : {}),
    removalPolicy,
  });
  if (env.network.mode === 'public') {
    Validations.of(collection).acknowledge({
      id: 'LlmopsAws::LLMOPS-AWS-AOSS-PUBLIC-NETWORK',
      reason: `network.mode is public in ${env.name}: the collection is reachable from the internet, and every request still needs IAM (SigV4) and the data access policy`,
    });
  }
  const knowledgeBases: Record<string, KnowledgeBase> = {};
  for (const configured of configuredIndexes(env)) {
    const index = new VectorIndex(scope, `Index-${configured.name}`, {
      collection,
      definition: configured.definition,
      embeddingDimensions: configured.embeddingDimensions,
      removalPolicy,
    });
    const embedding = models.deployments[configured.embeddingDeployment]!;
    knowledgeBases[configured.name] = new KnowledgeBase(scope, `KnowledgeBase-${configured.name}`, {
      knowledgeBaseName: awsName(env, configured.name),
      index,
      embeddingModel: { modelId: embedding.modelId, dimensions: configured.embeddingDimensions },
      serverAccessLogsBucket: inputs.accessLogs,
      removalPolicy,
    });
  }
  return { collection, knowledgeBases };
}
