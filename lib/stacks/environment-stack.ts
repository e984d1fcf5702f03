import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { DataAzurermResourceGroup } from '@cdktf/provider-azurerm/lib/data-azurerm-resource-group';
import { Aspects, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { DiagnosticsAspect } from '../../constructs/core/diagnostics';
import { Naming } from '../../constructs/core/naming';
import type { PrivateEndpointProps } from '../../constructs/core/private-endpoint';
import type { IResourceGroup } from '../../constructs/core/props';
import { TagsAspect } from '../../constructs/core/tags';
import type { GenAiGateway } from '../../constructs/gateway';
import type { Observability } from '../../constructs/logging/observability';
import type { PrivateNetwork } from '../../constructs/network/private-network';
import { applyPolicies } from '../../constructs/policy';
import type { EncryptionKey } from '../../constructs/security/encryption-key';
import type { KeyVault } from '../../constructs/security/key-vault';
import type { StorageAccount } from '../../constructs/storage/storage-account';
import type { EnvironmentConfig } from '../config/environment';
import { addEvaluation, type EvaluationHandles } from './capabilities/evaluation';
import { addGateway } from './capabilities/gateway';
import type { EnvironmentInputs } from './capabilities/inputs';
import { addLocks } from './capabilities/locks';
import { addModels, type ModelsHandles } from './capabilities/models';
import { addMonitoring, type MonitoringHandles, watchModelAccount } from './capabilities/monitoring';
import { addNetwork } from './capabilities/network';
import { addObservability } from './capabilities/observability';
import { addSearch, type SearchHandles } from './capabilities/search';
import { closeStateStorage } from './capabilities/state-access';
import { addVaultAndStorage } from './capabilities/vault-and-storage';
import { addBackend, addProviders, policySetProps, suppressWeakenedProtection } from './common';
import { PlatformStack } from './platform-stack';

/**
 * One environment (`dev`, `staging`, `prod`): the stack `cdktf deploy <env>` deploys. It only composes:
 * each capability (`./capabilities/`) takes the environment and the handles of the capabilities before
 * it, and returns its own.
 */
export class EnvironmentStack extends PlatformStack {
  public readonly env: EnvironmentConfig;
  public readonly naming: Naming;
  public readonly resourceGroup: IResourceGroup;
  public readonly clientConfig: DataAzurermClientConfig;
  /** VNet, subnets and private DNS zones; undefined in public environments. */
  public readonly network?: PrivateNetwork;
  /**
   * What every PaaS construct gets as `privateEndpoint` (undefined in public environments, so no endpoint
   * is created there).
   */
  public readonly privateEndpointProps?: PrivateEndpointProps;
  public readonly observability: Observability;
  public readonly keyVault: KeyVault;
  public readonly storage: StorageAccount;
  /**
   * The customer-managed key (RSA, rotation policy, expiry) and its identity, when
   * `protection.customerManagedKeys` is on; every encrypting construct takes `customerManagedKey()`.
   */
  public readonly encryptionKey?: EncryptionKey;
  /** AI Services account(s) with content filters and model deployments (primary + failover regions). */
  public readonly models: ModelsHandles;
  /** AI Search service and its indexes, vectorized by the primary model account. */
  public readonly search: SearchHandles;
  /** Evaluation identity, AI Foundry hub and project (connected to models and search), optional compute. */
  public readonly evaluation: EvaluationHandles;
  /** GenAI gateway (API Management) in front of the model endpoints; undefined when `gateway.enabled` is false. */
  public readonly gateway?: GenAiGateway;
  /** Action groups, baseline alerts of the resources above, quality alerts, workbook, budget. */
  public readonly monitoring: MonitoringHandles;

  constructor(scope: Construct, env: EnvironmentConfig) {
    super(scope, env.name);
    this.env = env;
    this.naming = new Naming({
      workload: env.workload,
      environment: env.name,
      location: env.location,
      seed: env.namingSeed,
    });
    addProviders(this, env, 'environment');
    addBackend(this, env.state);

    // Created by bootstrap-<env>; referenced here so a destroy of this stack never removes it.
    this.resourceGroup = new DataAzurermResourceGroup(this, 'ResourceGroup', {
      name: env.azure.resourceGroupName,
    });
    this.clientConfig = new DataAzurermClientConfig(this, 'ClientConfig');
    const environment: EnvironmentInputs = {
      config: env,
      naming: this.naming,
      resourceGroup: this.resourceGroup,
    };
    const { clientConfig } = this;

    const network = addNetwork(this, environment);
    this.network = network;
    this.privateEndpointProps = network?.privateEndpointProps();
    const observability = addObservability(this, { ...environment, clientConfig });
    this.observability = observability;
    const { keyVault, encryptionKey, storage } = addVaultAndStorage(this, {
      ...environment,
      clientConfig,
      network,
    });
    this.keyVault = keyVault;
    this.encryptionKey = encryptionKey;
    this.storage = storage;
    const models = addModels(this, { ...environment, network, encryptionKey });
    this.models = models;
    const search = addSearch(this, { ...environment, models: models.primary, network, encryptionKey });
    this.search = search;
    const evaluation = addEvaluation(this, {
      ...environment,
      clientConfig,
      observability,
      keyVault,
      storage,
      encryptionKey,
      network,
      models: models.primary,
      search: search.service,
    });
    this.evaluation = evaluation;
    const gateway = addGateway(this, { ...environment, models: models.all, observability, network });
    this.gateway = gateway;
    addLocks({ config: env, keyVault, observability, storage, search: search.service, models: models.all });
    closeStateStorage(this, { config: env, subscriptionId: clientConfig.subscriptionId, network });

    this.monitoring = addMonitoring(this, {
      ...environment,
      observability,
      // Every resource with baseline alerts, in the order they were created above.
      resources: [
        ...(network?.virtualNetwork.network ? [network.virtualNetwork.network] : []),
        ...Object.values(network?.dnsZones.zones ?? {}),
        keyVault.vault,
        storage.account,
        ...models.all.map(watchModelAccount),
        search.service.service,
        ...(evaluation.workspace ? [evaluation.workspace.hub, evaluation.workspace.project] : []),
        ...(gateway ? [gateway.service.service] : []),
      ],
    });

    new TerraformOutput(this, 'log_analytics_workspace_id', { value: observability.workspace.id });
    new TerraformOutput(this, 'key_vault_uri', { value: keyVault.vaultUri });

    // Order matters: tags and diagnostics change resources, the policy rules then check the result.
    Aspects.of(this).add(new TagsAspect(env.tags));
    Aspects.of(this).add(new DiagnosticsAspect({ workspace: observability.workspace }));
    applyPolicies(this, policySetProps(env));
    suppressWeakenedProtection(this, env);
  }
}
