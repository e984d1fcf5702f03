import type { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AzurermBackend, LocalBackend, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AzapiProvider } from '../../constructs/core/azapi';
import { addDiagnosticSettingsById } from '../../constructs/core/diagnostics';
import { Naming } from '../../constructs/core/naming';
import type { ILogAnalyticsWorkspace } from '../../constructs/core/props';
import { TimeProvider } from '../../constructs/core/time';
import { type PolicySetProps, suppressPolicy } from '../../constructs/policy';
import type { EnvironmentConfig, StateConfig } from '../config/environment';
import { ENVIRONMENT_RESOURCE_PROVIDERS } from './resource-providers';

/** Which stack of an environment the providers are for. */
export type StackRole = 'bootstrap' | 'environment';

/**
 * The provider blocks every stack of an environment uses. Authentication comes from the environment
 * (`az login` locally, OIDC in CI); nothing secret is written into the synthesized files.
 *
 * Resource providers: the bootstrap stack (an administrator) registers exactly
 * {@link ENVIRONMENT_RESOURCE_PROVIDERS}; the environment stack (the deployment identity, scoped to one
 * resource group) registers none, in azurerm and in azapi.
 */
export function addProviders(stack: TerraformStack, env: EnvironmentConfig, role: StackRole): void {
  new AzurermProvider(stack, 'Azurerm', {
    subscriptionId: env.azure.subscriptionId,
    storageUseAzuread: true,
    resourceProviderRegistrations: 'none',
    resourceProvidersToRegister:
      role === 'bootstrap' ? Object.keys(ENVIRONMENT_RESOURCE_PROVIDERS).sort() : undefined,
    features: [
      {
        keyVault: [{ purgeSoftDeleteOnDestroy: false, recoverSoftDeletedKeyVaults: true }],
        cognitiveAccount: [{ purgeSoftDeleteOnDestroy: false }],
        resourceGroup: [{ preventDeletionIfContainsResources: true }],
        logAnalyticsWorkspace: [{ permanentlyDeleteOnDestroy: false }],
        applicationInsights: [{ disableGeneratedRule: true }],
        // The runner cannot reach the storage data planes of a private environment (public access off,
        // firewall Deny; only blob and file get private endpoints, and only after the account exists).
        // With the default (true) azurerm polls the blob, queue and file endpoints on create and reads
        // queue properties on every refresh, and a firewall 403 fails the run
        // (hashicorp/terraform-provider-azurerm v4.55.0 internal/services/storage/storage_account_resource.go,
        // storage_account_data_plane_helpers.go). Everything this project sets on storage goes through the
        // management plane (blob properties, containers by storage_account_id). Enforced by the
        // storage-data-plane-reachable policy rule.
        storage: [{ dataPlaneAvailable: false }],
      },
    ],
  });
  if (role === 'environment' && env.protection.customerManagedKeys) {
    // time_sleep: waits for RBAC propagation before the key and its consumers (EncryptionKey).
    new TimeProvider(stack, 'Time');
  }
  new AzapiProvider(stack, 'Azapi', {
    subscriptionId: env.azure.subscriptionId,
    // Registered by the bootstrap stack; the deployment identity may not register providers.
    skipProviderRegistration: true,
  });
}

/** The backend of a stack: Azure Storage with Entra ID auth, or a local file at a relative path. */
export function addBackend(stack: TerraformStack, state: StateConfig): void {
  if (state.backend === 'local') {
    new LocalBackend(stack, { path: state.path });
    return;
  }
  new AzurermBackend(stack, {
    resourceGroupName: state.resourceGroupName,
    storageAccountName: state.storageAccountName,
    containerName: state.containerName,
    key: state.key,
    useAzureadAuth: true,
  });
}

/**
 * Diagnostic settings for the Terraform state account of an environment (account metrics; blob reads,
 * writes and deletes: who touched the state). The bootstrap stack creates the account before the
 * environment's workspace exists, so the environment stack adds them. None for a local backend.
 *
 * @param subscriptionId the subscription of the environment (a token such as the client config's is fine)
 */
export function addStateStorageDiagnostics(
  scope: Construct,
  state: StateConfig,
  subscriptionId: string,
  workspace: ILogAnalyticsWorkspace,
): MonitorDiagnosticSetting[] {
  if (state.backend !== 'azurerm') return [];
  const accountId = `/subscriptions/${subscriptionId}/resourceGroups/${state.resourceGroupName}/providers/Microsoft.Storage/storageAccounts/${state.storageAccountName}`;
  return addDiagnosticSettingsById(scope, 'StateStorageDiagnostics', 'azurerm_storage_account', accountId, {
    workspace,
  });
}

/** What the policy rules need to know about an environment. */
export function policySetProps(env: EnvironmentConfig): PolicySetProps {
  return {
    networkMode: env.network.mode,
    profile: env.profile,
    requiredTags: env.requiredTags,
    stateStorageAccountName: env.state.backend === 'azurerm' ? env.state.storageAccountName : undefined,
    runnerSubnetName: env.network.mode === 'private' ? runnerSubnetName(env) : undefined,
  };
}

/** The name of the agents subnet, where the self-hosted runners live. */
export function runnerSubnetName(env: EnvironmentConfig): string {
  return new Naming({
    workload: env.workload,
    environment: env.name,
    location: env.location,
    seed: env.namingSeed,
  }).name('subnet', 'agents');
}

/**
 * Suppresses, with the configured `protection.reason`, the rules whose protection the config turned off
 * (`preventDestroy`, `locks`, `customerManagedKeys`), so synth passes and the summary prints why.
 */
export function suppressWeakenedProtection(stack: TerraformStack, env: EnvironmentConfig): void {
  const reason = env.protection.reason;
  if (reason === undefined) return;
  if (!env.protection.preventDestroy) suppressPolicy(stack, 'prevent-destroy', reason);
  if (env.profile !== 'production') return;
  if (!env.protection.locks) suppressPolicy(stack, 'management-lock', reason);
  if (!env.protection.customerManagedKeys) suppressPolicy(stack, 'cmk', reason);
}
