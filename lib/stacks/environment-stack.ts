import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { DataAzurermResourceGroup } from '@cdktf/provider-azurerm/lib/data-azurerm-resource-group';
import { Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DiagnosticsAspect } from '../../constructs/core/diagnostics';
import { Naming } from '../../constructs/core/naming';
import type { PrivateEndpointProps } from '../../constructs/core/private-endpoint';
import type { IResourceGroup } from '../../constructs/core/props';
import { TagsAspect } from '../../constructs/core/tags';
import type { GenAiGateway } from '../../constructs/gateway';
import { Observability } from '../../constructs/logging/observability';
import type { PrivateNetwork } from '../../constructs/network/private-network';
import { EncryptionKey } from '../../constructs/security/encryption-key';
import { KeyVault } from '../../constructs/security/key-vault';
import { StorageAccount } from '../../constructs/storage/storage-account';
import type { EnvironmentConfig } from '../config/environment';
import { applyPolicies } from '../policy';
import { addEvaluation, type EvaluationHandles } from './capabilities/evaluation';
import { addGateway } from './capabilities/gateway';
import { addLocks } from './capabilities/locks';
import { addModels, type ModelsHandles } from './capabilities/models';
import { addMonitoring, type MonitoringHandles } from './capabilities/monitoring';
import { addNetwork } from './capabilities/network';
import { addSearch, type SearchHandles } from './capabilities/search';
import { closeStateStorage } from './capabilities/state-access';
import {
  addBackend,
  addProviders,
  addStateStorageDiagnostics,
  policySetProps,
  suppressWeakenedProtection,
} from './common';

/**
 * One environment (`dev`, `staging`, `prod`): the stack `cdktf deploy <env>` deploys. It only composes
 * constructs from the typed environment config; every capability lives in `constructs/`.
 */
export class EnvironmentStack extends TerraformStack {
  public readonly env: EnvironmentConfig;
  public readonly naming: Naming;
  public readonly resourceGroup: IResourceGroup;
  public readonly clientConfig: DataAzurermClientConfig;
  /** VNet, subnets and private DNS zones; undefined in public environments. */
  public readonly network?: PrivateNetwork;
  /**
   * Pass as `privateEndpoint` to every PaaS construct (undefined in public environments, so no endpoint
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
  /** Action groups, baseline alerts of every resource above, quality alerts, workbook, budget. */
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

    const publicNetworkAccessEnabled = env.network.mode === 'public';
    const protection = { preventDestroy: env.protection.preventDestroy };

    // Created by bootstrap-<env>; referenced here so a destroy of this stack never removes it.
    this.resourceGroup = new DataAzurermResourceGroup(this, 'ResourceGroup', {
      name: env.azure.resourceGroupName,
    });
    this.clientConfig = new DataAzurermClientConfig(this, 'ClientConfig');
    // The network first: every PaaS construct below gets its private endpoint from it.
    this.network = addNetwork(this);
    this.privateEndpointProps = this.network?.privateEndpointProps();

    this.observability = new Observability(this, 'Observability', {
      resourceGroup: this.resourceGroup,
      workspaceName: this.naming.name('logAnalyticsWorkspace'),
      appInsightsName: this.naming.name('applicationInsights'),
      retentionDays: env.logging.retentionDays,
      dailyQuotaGb: env.logging.dailyQuotaGb,
      ...protection,
    });

    // The state account (bootstrap-<env>) predates this workspace: its diagnostic settings live here.
    addStateStorageDiagnostics(
      this,
      env.state,
      this.clientConfig.subscriptionId,
      this.observability.workspace,
    );

    this.keyVault = new KeyVault(this, 'KeyVault', {
      resourceGroup: this.resourceGroup,
      name: this.naming.name('keyVault'),
      tenantId: this.clientConfig.tenantId,
      publicNetworkAccessEnabled,
      privateEndpoint: this.privateEndpointProps,
      ...protection,
    });

    if (env.protection.customerManagedKeys) {
      this.encryptionKey = new EncryptionKey(this, 'EncryptionKey', {
        keyVault: this.keyVault,
        resourceGroup: this.resourceGroup,
        name: `${env.workload}-cmk`,
        identityName: this.naming.name('userAssignedIdentity', 'cmk'),
        // The pipeline's deployment identity in CI (docs/pipeline.md): a service principal.
        deployer: { principalId: this.clientConfig.objectId },
        // The runner resolves the vault to its private endpoint only once the zone is linked to the network.
        dataPlaneReadyAfter: this.network?.dnsZones.links['privatelink.vaultcore.azure.net']
          ? [this.network.dnsZones.links['privatelink.vaultcore.azure.net']]
          : undefined,
        ...protection,
      });
    }

    this.storage = new StorageAccount(this, 'Storage', {
      resourceGroup: this.resourceGroup,
      name: this.naming.name('storageAccount'),
      containers: ['datasets', 'evaluations'],
      replication: env.storageReplication,
      publicNetworkAccessEnabled,
      privateEndpoint: this.privateEndpointProps,
      // The AI Foundry hub's default storage needs both a blob and a file private endpoint.
      privateEndpointSubresources: env.evaluation.workspace.enabled ? ['blob', 'file'] : ['blob'],
      customerManagedKey: this.encryptionKey?.customerManagedKey(),
      ...protection,
    });
    this.models = addModels(this);
    this.search = addSearch(this, this.models.primary);
    this.evaluation = addEvaluation(this, { models: this.models.primary, search: this.search.service });
    this.gateway = addGateway(this);
    addLocks(this);
    closeStateStorage(this, this.network);

    // LAST among the capabilities (add new ones above): it walks the tree and alerts on every resource so far.
    this.monitoring = addMonitoring(this);

    new TerraformOutput(this, 'log_analytics_workspace_id', { value: this.observability.workspace.id });
    new TerraformOutput(this, 'key_vault_uri', { value: this.keyVault.vaultUri });

    // Order matters: tags and diagnostics change resources, the policy rules then check the result.
    Aspects.of(this).add(new TagsAspect(env.tags));
    Aspects.of(this).add(new DiagnosticsAspect({ workspace: this.observability.workspace }));
    applyPolicies(this, policySetProps(env));
    suppressWeakenedProtection(this, env);
  }
}
