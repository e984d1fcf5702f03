import type { ApimSku } from '../../constructs/gateway/validation';
import type { VersionUpgradeOption } from '../../constructs/models/model-facts';
import type { SearchSku, SemanticRankerPlan } from '../../constructs/search/search-service';
import type { StorageReplication } from '../../constructs/storage/storage-account';
import type { Profile } from './sections/context';

/** A default that the environment's profile picks. */
export interface ProfileDefault<T> {
  /** The config key it fills (`search.azure.replicas`), or undefined when the value is not configurable. */
  readonly key?: string;
  /** What the value sets, one short phrase (the README table's last column). */
  readonly about: string;
  readonly development: T;
  readonly production: T;
}

/** Every default that depends on the profile, typed by what it fills. */
export interface ProfileDefaults {
  readonly networkMode: ProfileDefault<'public' | 'private'>;
  readonly natGateway: ProfileDefault<boolean>;
  readonly preventDestroy: ProfileDefault<boolean>;
  readonly locks: ProfileDefault<boolean>;
  readonly customerManagedKeys: ProfileDefault<boolean>;
  readonly zoneRedundant: ProfileDefault<boolean>;
  readonly storageReplication: ProfileDefault<Extract<StorageReplication, 'LRS' | 'GZRS'>>;
  readonly logRetentionDays: ProfileDefault<number>;
  readonly chatCapacity: ProfileDefault<number>;
  readonly embeddingCapacity: ProfileDefault<number>;
  readonly versionUpgrade: ProfileDefault<VersionUpgradeOption>;
  readonly searchSku: ProfileDefault<SearchSku>;
  readonly searchReplicas: ProfileDefault<number>;
  readonly searchSemanticRanker: ProfileDefault<SemanticRankerPlan>;
  readonly gatewaySku: ProfileDefault<ApimSku>;
  readonly gatewayTokensPerMinute: ProfileDefault<number>;
  readonly tokenBudgetPerHour: ProfileDefault<number>;
  readonly latencyP95Ms: ProfileDefault<number>;
  readonly approval: ProfileDefault<'auto' | 'manual'>;
  readonly continuousEvaluation: ProfileDefault<boolean>;
  readonly awsChatModel: ProfileDefault<string>;
  readonly awsEmbeddingModel: ProfileDefault<string>;
  readonly awsStandbyReplicas: ProfileDefault<boolean>;
}

/**
 * The development and production defaults: the one place they are written. The config resolvers
 * (`lib/config/sections/*.ts`, `lib/config/load.ts`) read them with {@link profileDefault}, the zod
 * `.describe()` texts print them with {@link defaultText}, and `npm run schema` renders them into the
 * JSON Schema and the README's profile table. Construct defaults equal the development values
 * (`test/config/construct-defaults.spec.ts` checks that they agree).
 */
export const PROFILE_DEFAULTS: ProfileDefaults = {
  networkMode: {
    key: 'network.mode',
    about: 'public: reachable from the internet (Entra ID auth only); private: private endpoints only',
    development: 'public',
    production: 'private',
  },
  natGateway: {
    key: 'network.azure.egress.natGateway',
    about: 'private environments: a NAT gateway (static public IP) for the agents subnet',
    development: false,
    production: true,
  },
  preventDestroy: {
    key: 'protection.preventDestroy',
    about: '`lifecycle.prevent_destroy` on the stateful resources',
    development: true,
    production: true,
  },
  locks: {
    key: 'protection.locks',
    about: '`CanNotDelete` locks on the stateful resources',
    development: false,
    production: true,
  },
  customerManagedKeys: {
    key: 'protection.customerManagedKeys',
    about: 'customer-managed keys for AI Services, datasets storage, AI Search and the Foundry hub',
    development: false,
    production: true,
  },
  zoneRedundant: {
    about: 'zone-redundant resources',
    development: false,
    production: true,
  },
  storageReplication: {
    about: 'replication of the datasets and Terraform state accounts',
    development: 'LRS',
    production: 'GZRS',
  },
  logRetentionDays: {
    key: 'logging.retentionDays',
    about: 'days Log Analytics and Application Insights keep logs',
    development: 30,
    production: 90,
  },
  chatCapacity: {
    key: 'models.deployments.<name>.azure.capacity',
    about: 'chat deployments (standard types): thousands of tokens per minute',
    development: 30,
    production: 100,
  },
  embeddingCapacity: {
    key: 'models.deployments.<name>.azure.capacity',
    about: 'embedding deployments (standard types): thousands of tokens per minute',
    development: 50,
    production: 150,
  },
  versionUpgrade: {
    key: 'models.deployments.<name>.azure.versionUpgrade',
    about: 'when Azure moves a deployment to a newer model version',
    development: 'OnceCurrentVersionExpired',
    production: 'NoAutoUpgrade',
  },
  searchSku: {
    key: 'search.azure.sku',
    about: 'AI Search tier',
    development: 'basic',
    production: 'standard',
  },
  searchReplicas: {
    key: 'search.azure.replicas',
    about: 'AI Search replicas (3 give the read-write SLA)',
    development: 1,
    production: 3,
  },
  searchSemanticRanker: {
    key: 'search.azure.semanticRanker',
    about: 'semantic ranker plan',
    development: 'free',
    production: 'standard',
  },
  gatewaySku: {
    key: 'gateway.azure.sku',
    about: 'API Management tier',
    development: 'Developer',
    production: 'StandardV2',
  },
  gatewayTokensPerMinute: {
    key: 'gateway.tokenLimits.tokensPerMinute',
    about: 'tokens per minute per subscription',
    development: 10_000,
    production: 50_000,
  },
  tokenBudgetPerHour: {
    key: 'monitoring.tokenBudgetPerHour',
    about: 'tokens per hour per model account before the token consumption alert fires',
    development: 500_000,
    production: 5_000_000,
  },
  latencyP95Ms: {
    key: 'evaluation.thresholds.latencyP95Ms',
    about: 'release gate ceiling of the p95 latency, in milliseconds',
    development: 8000,
    production: 5000,
  },
  approval: {
    key: 'pipeline.approval',
    about: 'manual: required reviewers; auto: the passing gate of the previous environment approves',
    development: 'auto',
    production: 'manual',
  },
  continuousEvaluation: {
    key: 'pipeline.continuousEvaluation.enabled',
    about: 'scheduled evaluation of production answers',
    development: false,
    production: true,
  },
  // AWS environments (cloud: aws). Claude Sonnet 4.5 is served on demand only through cross-region
  // inference profiles (us., eu., apac., global.); Titan Text Embeddings V2 in-region, 1,024 dimensions by
  // default (https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html,
  // https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html).
  awsChatModel: {
    key: 'models.deployments.chat.model',
    about:
      "AWS: the default chat deployment, a versioned Bedrock model ID (cross-region profile of the region's geography)",
    development: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
    production: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
  },
  awsEmbeddingModel: {
    key: 'models.deployments.embedding.model',
    about: 'AWS: the default embedding deployment (1,024 dimensions: the index vector size)',
    development: 'amazon.titan-embed-text-v2:0',
    production: 'amazon.titan-embed-text-v2:0',
  },
  awsStandbyReplicas: {
    key: 'search.aws.standbyReplicas',
    about: 'AWS: OpenSearch Serverless standby replicas in a second Availability Zone',
    development: false,
    production: true,
  },
};

/** The value of `name` in the profile's column of {@link PROFILE_DEFAULTS}. */
export function profileDefault<K extends keyof ProfileDefaults>(
  profile: Profile,
  name: K,
): ProfileDefaults[K]['development'] {
  return PROFILE_DEFAULTS[name][profile];
}

/** `1 (development), 3 (production)`, or just `true` when both profiles agree. */
export function profileValues(entry: ProfileDefault<unknown>): string {
  const { development, production } = entry;
  return development === production
    ? String(development)
    : `${String(development)} (development), ${String(production)} (production)`;
}

/** `Default: 1 (development), 3 (production).`: the end of a zod `.describe()` text. */
export function defaultText(entry: ProfileDefault<unknown>): string {
  return `Default: ${profileValues(entry)}.`;
}
