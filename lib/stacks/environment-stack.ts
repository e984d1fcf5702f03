import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { DataAzurermResourceGroup } from '@cdktf/provider-azurerm/lib/data-azurerm-resource-group';
import { Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DiagnosticsAspect } from '../../constructs/core/diagnostics';
import { Naming } from '../../constructs/core/naming';
import type { IResourceGroup } from '../../constructs/core/props';
import { TagsAspect } from '../../constructs/core/tags';
import { Observability } from '../../constructs/logging/observability';
import { KeyVault } from '../../constructs/security/key-vault';
import { StorageAccount } from '../../constructs/storage/storage-account';
import type { EnvironmentConfig } from '../config/environment';
import { applyPolicies, suppressPolicy } from '../policy';
import { addBackend, addProviders } from './common';

/**
 * One environment (`dev`, `staging`, `prod`): the stack `cdktf deploy <env>` deploys. It only composes
 * constructs from the typed environment config; every capability lives in `constructs/`.
 */
export class EnvironmentStack extends TerraformStack {
  public readonly env: EnvironmentConfig;
  public readonly naming: Naming;
  public readonly resourceGroup: IResourceGroup;
  public readonly clientConfig: DataAzurermClientConfig;
  public readonly observability: Observability;
  public readonly keyVault: KeyVault;
  public readonly storage: StorageAccount;

  constructor(scope: Construct, env: EnvironmentConfig) {
    super(scope, env.name);
    this.env = env;
    this.naming = new Naming({ workload: env.workload, environment: env.name, location: env.location, seed: env.namingSeed });
    addProviders(this, env);
    addBackend(this, env.state);

    const publicNetworkAccessEnabled = env.network.mode === 'public';
    const protection = { preventDestroy: env.protection.preventDestroy };

    // Created by bootstrap-<env>; referenced here so a destroy of this stack never removes it.
    this.resourceGroup = new DataAzurermResourceGroup(this, 'ResourceGroup', { name: env.azure.resourceGroupName });
    this.clientConfig = new DataAzurermClientConfig(this, 'ClientConfig');

    this.observability = new Observability(this, 'Observability', {
      resourceGroup: this.resourceGroup,
      workspaceName: this.naming.name('logAnalyticsWorkspace'),
      appInsightsName: this.naming.name('applicationInsights'),
      retentionDays: env.logging.retentionDays,
      dailyQuotaGb: env.logging.dailyQuotaGb,
      ...protection,
    });

    this.keyVault = new KeyVault(this, 'KeyVault', {
      resourceGroup: this.resourceGroup,
      name: this.naming.name('keyVault'),
      tenantId: this.clientConfig.tenantId,
      publicNetworkAccessEnabled,
      ...protection,
    });

    this.storage = new StorageAccount(this, 'Storage', {
      resourceGroup: this.resourceGroup,
      name: this.naming.name('storageAccount'),
      containers: ['datasets', 'evaluations'],
      replication: env.zoneRedundant ? 'ZRS' : 'LRS',
      publicNetworkAccessEnabled,
      ...protection,
    });

    new TerraformOutput(this, 'log_analytics_workspace_id', { value: this.observability.workspace.id });
    new TerraformOutput(this, 'key_vault_uri', { value: this.keyVault.vaultUri });

    // Order matters: tags and diagnostics change resources, the policy rules then check the result.
    Aspects.of(this).add(new TagsAspect(env.tags));
    Aspects.of(this).add(new DiagnosticsAspect({ workspace: this.observability.workspace }));
    applyPolicies(this, { networkMode: env.network.mode, requiredTags: env.requiredTags });
    if (!env.protection.preventDestroy) suppressPolicy(this, 'prevent-destroy', env.protection.reason!);
  }
}
