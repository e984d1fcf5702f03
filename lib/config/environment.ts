import type { Cloud } from './schema';
import type { Profile } from './sections/context';
import type { EvaluationConfig } from './sections/evaluation';
import type { GatewayConfig } from './sections/gateway';
import type { LoggingConfig } from './sections/logging';
import type { ModelsConfig } from './sections/models';
import type { MonitoringConfig } from './sections/monitoring';
import type { NetworkConfig } from './sections/network';
import type { PipelineConfig } from './sections/pipeline';
import type { SearchConfig } from './sections/search';

/** Where an environment's Terraform state lives. */
export type StateConfig =
  | { readonly backend: 'local' /** Relative to the stack's synth directory. */; readonly path: string }
  | {
      readonly backend: 'azurerm';
      readonly resourceGroupName: string;
      readonly storageAccountName: string;
      readonly containerName: string;
      readonly key: string;
    };

/** How the environment's stateful resources are protected. */
export interface ProtectionConfig {
  /** `lifecycle.prevent_destroy` on stateful resources. */
  readonly preventDestroy: boolean;
  /** `CanNotDelete` management locks on the stateful resources (never on the resource group). */
  readonly locks: boolean;
  /** Customer-managed keys (RSA keys in the environment Key Vault) on AI Services, storage, AI Search, the hub. */
  readonly customerManagedKeys: boolean;
  /** Why protection is weakened; set whenever a protection is off where the profile wants it on. */
  readonly reason?: string;
}

/**
 * How an AWS environment runs on AWS (`environments.<env>.aws`). Account-and-region singletons (Bedrock
 * model invocation logging, X-Ray transaction search, the GitHub OIDC provider) belong to one environment
 * per account and region: the one whose `manageSingletons` is true.
 */
export interface AwsSettings {
  readonly region: string;
  /** The account to deploy to; undefined: the account of the credentials at deploy time. */
  readonly accountId?: string;
  /** bootstrap-<env> owns the account-and-region singletons. */
  readonly manageSingletons: boolean;
  /** An existing GitHub OIDC provider to trust instead of creating one. */
  readonly githubOidcProviderArn?: string;
}

/**
 * One environment, validated and with every default filled in. The stacks read only this.
 *
 * Both clouds share the cloud-neutral sections (models, search indexes, gateway, logging, monitoring,
 * evaluation, pipeline, network mode, protection). The Azure stacks read the Azure fields; an AWS
 * environment (`cloud: 'aws'`) has `aws` set and its Azure-only fields (`azure.resourceGroupName`, the
 * Azure SKUs and capacities of the sections) are defaults the AWS app never reads.
 */
export interface EnvironmentConfig {
  readonly name: string;
  /** Where the environment renders: `azure` (cdktf) or `aws` (aws-cdk-lib). */
  readonly cloud: 'azure' | 'aws';
  readonly profile: Profile;
  /** The environment's region: an Azure region, or for an AWS environment its `aws.region`. */
  readonly location: string;
  readonly workload: string;
  readonly namingSeed: string;
  /** Tags on every resource, including environment, workload and managed-by. */
  readonly tags: Readonly<Record<string, string>>;
  /** Keys every taggable resource must carry. */
  readonly requiredTags: readonly string[];
  readonly zoneRedundant: boolean;
  readonly network: NetworkConfig;
  readonly protection: ProtectionConfig;
  /**
   * Redundancy of the datasets and Terraform state accounts: `GZRS` (production: zone- and
   * geo-redundant) or `LRS` (development).
   */
  readonly storageReplication: 'LRS' | 'GZRS';
  readonly state: StateConfig;
  /** State of the bootstrap stack: always local (it creates the remote state's storage). */
  readonly bootstrapState: StateConfig;
  readonly logging: LoggingConfig;
  readonly models: ModelsConfig;
  readonly search: SearchConfig;
  readonly gateway: GatewayConfig;
  readonly monitoring: MonitoringConfig;
  readonly evaluation: EvaluationConfig;
  readonly pipeline: PipelineConfig;
  readonly azure: { readonly subscriptionId?: string; readonly resourceGroupName: string };
  /** AWS settings; set exactly when `cloud` is `aws`. */
  readonly aws?: AwsSettings;
}

/** A loaded config file. */
export interface LoadedConfig {
  /** The file, as given (relative paths stay relative). */
  readonly file: string;
  /** Environments by name, in file order. */
  readonly environments: Readonly<Record<string, EnvironmentConfig>>;
}

/**
 * The consumer name of the pipeline's evaluation role, which every AWS gateway has (`gateway.aws.consumers`
 * may not use it). Here, not beside the gateway schema: the AWS rendering loads no zod.
 */
export const EVALUATION_CONSUMER = 'evaluation';

/** The environments of `config` that render on `cloud`, in file order. */
export function environmentsOn(config: LoadedConfig, cloud: Cloud): EnvironmentConfig[] {
  return Object.values(config.environments).filter((env) => env.cloud === cloud);
}
