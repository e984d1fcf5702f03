import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { IModelEndpoint } from '../../../constructs/core/contracts';
import { Problems } from '../../../constructs/core/errors';
import type { PrivateNetwork } from '../../../constructs/network/private-network';
import { SearchIndex } from '../../../constructs/search/search-index';
import { SearchService } from '../../../constructs/search/search-service';
import type { EncryptionKey } from '../../../constructs/security/encryption-key';
import { type EmbeddingTarget, searchIndexDefinitions } from '../../search/indexes';
import type { EnvironmentInputs } from './inputs';

/** What {@link addSearch} reads besides the environment. */
export interface SearchInputs extends EnvironmentInputs {
  /** The model account whose embedding deployments vectorize the indexes (integrated vectorization). */
  readonly models: IModelEndpoint;
  /**
   * The private network the service gets its private endpoint in (and then a shared private link to
   * `models`).
   * @default - none: a public environment
   */
  readonly network?: PrivateNetwork;
  /**
   * The customer-managed key the service and its indexes are encrypted with.
   * @default - Microsoft-managed keys
   */
  readonly encryptionKey?: EncryptionKey;
}

/** What the search capability gives the rest of the environment. */
export interface SearchHandles {
  /** The AI Search service: endpoint, service id, principal id, index names, grants. */
  readonly service: SearchService;
  /** Indexes by name, in config order. */
  readonly indexes: Readonly<Record<string, SearchIndex>>;
}

/**
 * Retrieval: the AI Search service sized from `search.azure` (tier, replicas, partitions, semantic
 * ranker), reachable per the network mode, and one index per `search.indexes` entry (by default the RAG
 * index `docs-v1`), each vectorized by an embedding deployment of `models`.
 *
 * The service's identity gets inference on the model account (integrated vectorization); in a private
 * environment the service gets a private endpoint and a shared private link to the model account
 * (`openai_account`, approved on the account side). Index definitions are built by the same function the
 * schema lock check uses, so what synth checks is what is deployed.
 */
export function addSearch(scope: Construct, inputs: SearchInputs): SearchHandles {
  const { config: env, naming, resourceGroup, models } = inputs;
  const search = env.search;
  const privateMode = env.network.mode === 'private';

  const service = new SearchService(scope, 'Search', {
    resourceGroup,
    name: naming.name('searchService'),
    sku: search.sku,
    replicas: search.replicas,
    partitions: search.partitions,
    semanticRanker: search.semanticRanker,
    publicNetworkAccessEnabled: !privateMode,
    privateEndpoint: inputs.network?.privateEndpointProps(),
    sharedPrivateLinks: privateMode
      ? { 'spl-openai-account': { targetResourceId: models.accountId, subresourceName: 'openai_account' } }
      : undefined,
    customerManagedKey: inputs.encryptionKey?.customerManagedKey(),
    preventDestroy: env.protection.preventDestroy,
  });

  const target: EmbeddingTarget = {
    endpoint: models.openAiEndpoint,
    deploymentName: (key) => models.deployments[key]?.deploymentName ?? key,
  };
  const problems = new Problems(`environments.${env.name}`);
  const configured = searchIndexDefinitions(env, target, problems, service.indexEncryptionKey);
  problems.throwIfAny(`Invalid search indexes of environment ${env.name}`);

  const indexes: Record<string, SearchIndex> = {};
  for (const { name, embeddingDeployment, definition } of configured) {
    const { name: _name, ...schema } = definition;
    indexes[name] = new SearchIndex(service, name, {
      service,
      name,
      models,
      embeddingDeployment,
      definition: schema,
      preventDestroy: env.protection.preventDestroy,
    });
  }

  new TerraformOutput(scope, 'search_endpoint', { value: service.endpoint });
  new TerraformOutput(scope, 'search_index_names', { value: service.indexNames });
  return { service, indexes };
}
