import type { Construct } from 'constructs';
import { AzapiUpdateResource } from '../../../constructs/core/azapi';
import type { PrivateNetwork } from '../../../constructs/network/private-network';
import { STATE_FIREWALL_TYPE } from '../../../constructs/policy/rules/state-private';
import type { EnvironmentConfig } from '../../config/environment';

/** What {@link closeStateStorage} reads. */
export interface StateAccessInputs {
  /** The environment's typed config: profile, network mode and the state account (`state`). */
  readonly config: EnvironmentConfig;
  /** The subscription of the state account (the client config's is fine). */
  readonly subscriptionId: string;
  /**
   * The network whose agents subnet keeps access to the state.
   * @default - none: nothing to close (a public environment)
   */
  readonly network?: PrivateNetwork;
}

/**
 * Closes the Terraform state account of a production private environment to everything but the runner
 * subnet (policy rule `state-private`). Bootstrap created the account open (Entra ID only) because the
 * network did not exist yet; this stack, deployed by the runner from inside the network, sets
 * `networkAcls` (default action `Deny`, the agents subnet through its `Microsoft.Storage` service
 * endpoint, no IP rules) with an `azapi_update_resource`, and bootstrap ignores those arguments from then
 * on. The firewall rule references the subnet, so it is written after the service endpoint exists and
 * the runner never loses the state mid-run. docs/protection.md gives the break-glass steps.
 *
 * Body: `Microsoft.Storage/storageAccounts@2023-05-01` `properties.networkAcls` (azapi 2.12.0
 * `internal/azure/generated/storage/microsoft.storage/2023-05-01/types.json`).
 */
export function closeStateStorage(
  scope: Construct,
  inputs: StateAccessInputs,
): AzapiUpdateResource | undefined {
  const { config: env, network } = inputs;
  if (!needsPrivateState(env) || env.state.backend !== 'azurerm' || !network) return undefined;
  const subnet = network.virtualNetwork.agentsSubnet;
  if (!subnet) return undefined;
  const accountId = `/subscriptions/${inputs.subscriptionId}/resourceGroups/${env.state.resourceGroupName}/providers/Microsoft.Storage/storageAccounts/${env.state.storageAccountName}`;
  return new AzapiUpdateResource(scope, 'StateStorageFirewall', {
    type: STATE_FIREWALL_TYPE,
    resourceId: accountId,
    body: {
      properties: {
        publicNetworkAccess: 'Enabled',
        networkAcls: {
          defaultAction: 'Deny',
          bypass: 'AzureServices',
          ipRules: [],
          virtualNetworkRules: [{ id: subnet.subnetId, action: 'Allow' }],
        },
      },
    },
  });
}

/** Whether the environment's state must be private: a production private environment with remote state. */
export function needsPrivateState(env: EnvironmentConfig): boolean {
  return env.profile === 'production' && env.network.mode === 'private' && env.state.backend === 'azurerm';
}
