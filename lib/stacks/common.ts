import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AzurermBackend, LocalBackend, type TerraformStack } from 'cdktf';
import { AzapiProvider } from '../../constructs/core/azapi';
import type { EnvironmentConfig, StateConfig } from '../config/environment';

/**
 * The provider blocks every stack of an environment uses. Authentication comes from the environment
 * (`az login` locally, OIDC in CI); nothing secret is written into the synthesized files.
 */
export function addProviders(stack: TerraformStack, env: EnvironmentConfig): void {
  new AzurermProvider(stack, 'Azurerm', {
    subscriptionId: env.azure.subscriptionId,
    storageUseAzuread: true,
    features: [
      {
        keyVault: [{ purgeSoftDeleteOnDestroy: false, recoverSoftDeletedKeyVaults: true }],
        cognitiveAccount: [{ purgeSoftDeleteOnDestroy: false }],
        resourceGroup: [{ preventDeletionIfContainsResources: true }],
        logAnalyticsWorkspace: [{ permanentlyDeleteOnDestroy: false }],
        applicationInsights: [{ disableGeneratedRule: true }],
      },
    ],
  });
  new AzapiProvider(stack, 'Azapi', { subscriptionId: env.azure.subscriptionId });
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
