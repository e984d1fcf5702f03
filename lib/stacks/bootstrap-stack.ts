import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Aspects, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { addManagementLock } from '../../constructs/core/lock';
import { Naming } from '../../constructs/core/naming';
import { applyProtection } from '../../constructs/core/props';
import { TagsAspect } from '../../constructs/core/tags';
import { DeploymentIdentity } from '../../constructs/pipeline/deployment-identity';
import { PlanIdentity } from '../../constructs/pipeline/plan-identity';
import { VerificationIdentity } from '../../constructs/pipeline/verification-identity';
import { applyPolicies, suppressPolicy } from '../../constructs/policy';
import { STATE_FIREWALL_IGNORED } from '../../constructs/policy/rules/state-private';
import { StorageAccount } from '../../constructs/storage/storage-account';
import type { EnvironmentConfig } from '../config/environment';
import { needsPrivateState } from './capabilities/state-access';
import { addBackend, addProviders, policySetProps, suppressWeakenedProtection } from './common';
import { bootstrapStackName } from './names';
import { PlatformStack } from './platform-stack';

export { bootstrapStackName };

/**
 * What must exist before an environment's first deploy, applied once by an administrator
 * (`cdktf deploy bootstrap-<env>`): the environment's resource group and, when the environment keeps
 * its state in Azure, the state storage account (versioned, soft delete, Entra ID only).
 */
export class BootstrapStack extends PlatformStack {
  public readonly resourceGroup: ResourceGroup;
  /** The Terraform state account, when the environment uses the azurerm backend. */
  public readonly stateStorage?: StorageAccount;
  /** Identity the deploy jobs sign in as (GitHub OIDC), when `pipeline.github.repository` is set. */
  public readonly deploymentIdentity?: DeploymentIdentity;
  /** Identity the evaluation jobs sign in as, when `pipeline.github.repository` is set. */
  public readonly verificationIdentity?: VerificationIdentity;
  /** Identity the pull request diff jobs sign in as (plan only), when `pipeline.github.repository` is set. */
  public readonly planIdentity?: PlanIdentity;

  constructor(scope: Construct, env: EnvironmentConfig) {
    super(scope, bootstrapStackName(env.name));
    addProviders(this, env, 'bootstrap');
    addBackend(this, env.bootstrapState);

    this.resourceGroup = new ResourceGroup(this, 'ResourceGroup', {
      name: env.azure.resourceGroupName,
      location: env.location,
    });
    applyProtection(this.resourceGroup, env.protection);
    new TerraformOutput(this, 'resource_group_name', { value: this.resourceGroup.name });

    if (env.state.backend === 'azurerm') {
      this.stateStorage = new StorageAccount(this, 'StateStorage', {
        resourceGroup: this.resourceGroup,
        name: env.state.storageAccountName,
        containers: [env.state.containerName],
        replication: env.storageReplication,
        softDeleteRetentionDays: 90,
        versioningEnabled: true,
        // The deploy runner reaches the state before any VNet exists; access is Entra ID only.
        publicNetworkAccessEnabled: true,
        preventDestroy: env.protection.preventDestroy,
      });
      suppressPolicy(
        this.stateStorage,
        'public-network-access',
        needsPrivateState(env)
          ? 'Terraform state must be reachable before the environment network exists (bootstrap, then the runner subnet); shared keys are off, and the environment stack then closes the firewall to the runner subnet (policy rule state-private).'
          : 'Terraform state must be reachable by the deploy runner before the environment network exists; shared keys are off, so only Entra ID principals with Storage Blob Data roles get in.',
      );
      suppressPolicy(
        this.stateStorage,
        'private-endpoint',
        needsPrivateState(env)
          ? 'The state account is created before the environment network it would need a private endpoint in; the environment stack limits its firewall to the runner subnet instead (service endpoint, policy rule state-private).'
          : 'The state account is created before the environment network it would need a private endpoint in; it stays reachable over Entra ID only (see public-network-access).',
      );
      suppressPolicy(
        this.stateStorage,
        'cmk',
        "The state account is created before the environment's Key Vault and its key exist (bootstrap runs first), so it keeps Microsoft-managed keys; access is Entra ID only, and in private production environments only the runner subnet reaches it.",
      );
      if (needsPrivateState(env)) {
        // The environment stack closes the firewall to the runner subnet once that subnet exists
        // (lib/stacks/capabilities/state-access.ts, policy rule state-private); re-running bootstrap must
        // not reopen it.
        this.stateStorage.account.lifecycle = {
          ...(this.stateStorage.account.lifecycle ?? {}),
          ignoreChanges: [...STATE_FIREWALL_IGNORED],
        };
      }
      if (env.protection.locks) {
        addManagementLock(this.stateStorage.account, { preventDestroy: env.protection.preventDestroy });
      }
      new TerraformOutput(this, 'state_storage_account_name', { value: this.stateStorage.account.name });
    }

    // The pipeline's identities (docs/pipeline.md): created here, by an administrator, so no pipeline run
    // can change its own permissions. `cdktf output bootstrap-<env>` prints what the GitHub environments need.
    if (env.pipeline.repository !== undefined) {
      const naming = new Naming({
        workload: env.workload,
        environment: env.name,
        location: env.location,
        seed: env.namingSeed,
      });
      const stateContainerResourceId =
        env.state.backend === 'azurerm'
          ? this.stateStorage?.containers[env.state.containerName]?.id
          : undefined;
      const identityProps = {
        resourceGroup: this.resourceGroup,
        githubRepository: env.pipeline.repository,
        stateContainerResourceId,
        preventDestroy: env.protection.preventDestroy,
      };
      this.deploymentIdentity = new DeploymentIdentity(this, 'DeploymentIdentity', {
        ...identityProps,
        name: naming.name('userAssignedIdentity', 'deploy'),
        githubEnvironment: env.pipeline.githubEnvironment,
        manageLocks: env.protection.locks,
      });
      this.verificationIdentity = new VerificationIdentity(this, 'VerificationIdentity', {
        ...identityProps,
        name: naming.name('userAssignedIdentity', 'verify'),
        githubEnvironment: env.pipeline.verifyEnvironment,
      });
      this.planIdentity = new PlanIdentity(this, 'PlanIdentity', {
        ...identityProps,
        name: naming.name('userAssignedIdentity', 'plan'),
        githubEnvironment: env.pipeline.planEnvironment,
        // the plan refreshes the customer-managed key through the vault's data plane
        keyMetadataReadEnabled: env.protection.customerManagedKeys,
      });
      const client = new DataAzurermClientConfig(this, 'ClientConfig');
      new TerraformOutput(this, 'deployment_client_id', { value: this.deploymentIdentity.clientId });
      new TerraformOutput(this, 'deployment_principal_id', { value: this.deploymentIdentity.principalId });
      new TerraformOutput(this, 'verification_client_id', { value: this.verificationIdentity.clientId });
      new TerraformOutput(this, 'verification_principal_id', {
        value: this.verificationIdentity.principalId,
      });
      new TerraformOutput(this, 'plan_client_id', { value: this.planIdentity.clientId });
      new TerraformOutput(this, 'plan_principal_id', { value: this.planIdentity.principalId });
      new TerraformOutput(this, 'tenant_id', { value: client.tenantId });
      new TerraformOutput(this, 'subscription_id', { value: client.subscriptionId });
    }

    Aspects.of(this).add(new TagsAspect(env.tags));
    applyPolicies(this, policySetProps(env));
    // No DiagnosticsAspect here: there is no workspace to send to yet.
    const noWorkspaceYet =
      "The bootstrap stack runs before the environment's Log Analytics workspace exists; the environment stack adds the state account's diagnostic settings (addStateStorageDiagnostics).";
    suppressPolicy(this, 'diagnostic-setting', noWorkspaceYet);
    suppressPolicy(this, 'diagnostics-aspect', noWorkspaceYet);
    suppressWeakenedProtection(this, env);
  }
}
