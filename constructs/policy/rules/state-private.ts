import type { TerraformStack } from 'cdktf';
import { idReference } from '../../core/diagnostics';
import { attr, PolicyRule, type SynthesizedResource, stackResources } from '../engine';

/** What the rule knows about the environment. */
export interface StatePrivateRuleProps {
  readonly profile: 'development' | 'production';
  readonly networkMode: 'public' | 'private';
  /** The Terraform state account; undefined for a local backend (nothing to check). */
  readonly stateStorageAccountName?: string;
  /** Name of the subnet the self-hosted runners live in: the only one the state firewall admits. */
  readonly runnerSubnetName?: string;
}

/** The ARM type and API version the environment stack closes the state account with (azapi 2.12.0 embeds it). */
export const STATE_FIREWALL_TYPE = 'Microsoft.Storage/storageAccounts@2023-05-01';

/** Arguments of the state account the environment stack owns once it has closed the firewall. */
export const STATE_FIREWALL_IGNORED: readonly string[] = ['network_rules', 'public_network_access_enabled'];

/**
 * In production private environments the Terraform state account is not reachable from the internet.
 *
 * The account exists before the network (bootstrap creates it; the runner subnet comes later), so the
 * firewall is closed by the environment stack, which the runner deploys from inside the network: the
 * runner subnet gets a `Microsoft.Storage` service endpoint, and an `azapi_update_resource`
 * (`Microsoft.Storage/storageAccounts@2023-05-01`; its rule references the subnet, so it runs after it) sets `networkAcls.defaultAction =
 * Deny` with that subnet as the only virtual network rule and no IP rules. The bootstrap stack ignores
 * changes of `network_rules` and `public_network_access_enabled`, so re-running it does not reopen the
 * firewall.
 *
 * Checked on the bootstrap stack's state account (`ignore_changes`) and on the environment stack's runner
 * subnet (service endpoint and the closing update).
 *
 * @see https://learn.microsoft.com/azure/storage/common/storage-network-security
 */
export class StatePrivateRule extends PolicyRule {
  readonly id = 'state-private';
  readonly description =
    'Production private environments: the Terraform state account admits only the runner subnet.';
  private readonly closures = new WeakMap<TerraformStack, SynthesizedResource[]>();

  constructor(private readonly props: StatePrivateRuleProps) {
    super();
  }

  appliesTo(resourceType: string): boolean {
    return (
      this.props.profile === 'production' &&
      this.props.networkMode === 'private' &&
      this.props.stateStorageAccountName !== undefined &&
      (resourceType === 'azurerm_storage_account' || resourceType === 'azurerm_subnet')
    );
  }

  check(resource: SynthesizedResource): string | undefined {
    const a = resource.attributes;
    const account = this.props.stateStorageAccountName!;
    if (resource.type === 'azurerm_storage_account') {
      if (attr(a, 'name') !== account) return undefined;
      if (attr(a, 'public_network_access_enabled') === false) return undefined;
      const ignored = attr(a, 'lifecycle', 'ignore_changes');
      const missing = STATE_FIREWALL_IGNORED.filter((k) => !(Array.isArray(ignored) && ignored.includes(k)));
      return missing.length === 0
        ? undefined
        : `the state account is open to the internet and would be reopened by this stack: add ${missing.join(', ')} to lifecycle.ignore_changes (the environment stack closes the firewall to the runner subnet)`;
    }
    if (this.props.runnerSubnetName === undefined || attr(a, 'name') !== this.props.runnerSubnetName) {
      return undefined;
    }
    const problems: string[] = [];
    const endpoints = attr(a, 'service_endpoints');
    if (!(Array.isArray(endpoints) && endpoints.includes('Microsoft.Storage'))) {
      problems.push(
        'the runner subnet has no Microsoft.Storage service endpoint, which the state firewall rule needs',
      );
    }
    let closures = this.closures.get(resource.stack);
    if (!closures) {
      closures = stackResources(resource.stack, 'azapi_update_resource').filter(
        (r) =>
          attr(r.attributes, 'type') === STATE_FIREWALL_TYPE &&
          String(attr(r.attributes, 'resource_id')).endsWith(`/storageAccounts/${account}`),
      );
      this.closures.set(resource.stack, closures);
    }
    const subnetId = idReference(resource.construct);
    const closing = closures.find((c) => {
      const acls = attr(c.attributes, 'body', 'properties', 'networkAcls');
      const rules = attr(acls as Record<string, unknown>, 'virtualNetworkRules');
      const ips = attr(acls as Record<string, unknown>, 'ipRules');
      return (
        attr(acls as Record<string, unknown>, 'defaultAction') === 'Deny' &&
        Array.isArray(rules) &&
        rules.length === 1 &&
        attr(rules[0] as Record<string, unknown>, 'id') === subnetId &&
        (ips === undefined || (Array.isArray(ips) && ips.length === 0))
      );
    });
    if (!closing) {
      problems.push(
        `nothing closes the state account ${account} to this subnet: an azapi_update_resource (${STATE_FIREWALL_TYPE}) with networkAcls.defaultAction Deny, this subnet as the only virtual network rule, no IP rules`,
      );
    }
    return problems.length ? problems.join('; ') : undefined;
  }
}
