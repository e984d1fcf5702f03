import type { TerraformStack } from 'cdktf';
import { StatePrivateRule, suppressPolicy } from '../../constructs/policy';
import { STATE_FIREWALL_TYPE } from '../../constructs/policy/rules/state-private';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const ACCOUNT = 'stllmopsprodtfabcde';
const RUNNERS = 'snet-runners';
const rule = (profile: 'development' | 'production' = 'production') =>
  new StatePrivateRule({
    profile,
    networkMode: 'private',
    stateStorageAccountName: ACCOUNT,
    runnerSubnetName: RUNNERS,
  });

/** The runner subnet with its service endpoint and, optionally, the update that closes the state firewall. */
function runnerSubnetWithClosure(stack: TerraformStack, acls: Record<string, unknown> | undefined) {
  const subnet = rawResource(stack, 'Runners', 'azurerm_subnet', {
    name: RUNNERS,
    service_endpoints: ['Microsoft.Storage'],
  });
  if (acls) {
    rawResource(stack, 'StateFirewall', 'azapi_update_resource', {
      type: STATE_FIREWALL_TYPE,
      resource_id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${ACCOUNT}`,
      body: { properties: { networkAcls: acls } },
    });
  }
  return subnet;
}

const closed = (subnetId: string) => ({
  defaultAction: 'Deny',
  ipRules: [],
  virtualNetworkRules: [{ id: subnetId, action: 'Allow' }],
});

describe('policy rule state-private', () => {
  test('passes in the environment stack when the state firewall admits only the runner subnet', () => {
    const stack = stackWith(rule());
    const subnet = rawResource(stack, 'Runners', 'azurerm_subnet', {
      name: RUNNERS,
      service_endpoints: ['Microsoft.Storage'],
    });
    rawResource(stack, 'StateFirewall', 'azapi_update_resource', {
      type: STATE_FIREWALL_TYPE,
      resource_id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${ACCOUNT}`,
      body: { properties: { networkAcls: closed(subnet.getStringAttribute('id')) } },
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails in the environment stack when nothing closes the state firewall', () => {
    const stack = stackWith(rule());
    runnerSubnetWithClosure(stack, undefined);
    expect(synthError(stack)).toContain(
      `[policy state-private] test/Runners (azurerm_subnet.Runners): nothing closes the state account ${ACCOUNT} to this subnet: an azapi_update_resource (${STATE_FIREWALL_TYPE}) with networkAcls.defaultAction Deny, this subnet as the only virtual network rule, no IP rules`,
    );
  });

  test('fails when the closing update still admits an IP range, and when the subnet lacks the service endpoint', () => {
    const stack = stackWith(rule());
    const subnet = rawResource(stack, 'Runners', 'azurerm_subnet', { name: RUNNERS });
    rawResource(stack, 'StateFirewall', 'azapi_update_resource', {
      type: STATE_FIREWALL_TYPE,
      resource_id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${ACCOUNT}`,
      body: {
        properties: {
          networkAcls: { ...closed(subnet.getStringAttribute('id')), ipRules: [{ value: '0.0.0.0/0' }] },
        },
      },
    });
    const message = synthError(stack);
    expect(message).toContain(
      'test/Runners (azurerm_subnet.Runners): the runner subnet has no Microsoft.Storage service endpoint, which the state firewall rule needs; nothing closes the state account',
    );
  });

  test('fails in the bootstrap stack when the open state account would be reopened by a re-run', () => {
    const stack = stackWith(rule());
    rawResource(stack, 'StateStorage', 'azurerm_storage_account', {
      name: ACCOUNT,
      public_network_access_enabled: true,
      lifecycle: { ignore_changes: ['public_network_access_enabled'] },
    });
    expect(synthError(stack)).toContain(
      '[policy state-private] test/StateStorage (azurerm_storage_account.StateStorage): the state account is open to the internet and would be reopened by this stack: add network_rules to lifecycle.ignore_changes',
    );
  });

  test('passes in the bootstrap stack when the firewall arguments are left to the environment stack; other accounts are not its concern', () => {
    const stack = stackWith(rule());
    rawResource(stack, 'StateStorage', 'azurerm_storage_account', {
      name: ACCOUNT,
      public_network_access_enabled: true,
      lifecycle: { ignore_changes: ['network_rules', 'public_network_access_enabled'] },
    });
    rawResource(stack, 'Other', 'azurerm_storage_account', {
      name: 'stother',
      public_network_access_enabled: true,
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('does not apply in development', () => {
    const stack = stackWith(rule('development'));
    runnerSubnetWithClosure(stack, undefined);
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    const stack = stackWith(rule());
    const subnet = runnerSubnetWithClosure(stack, undefined);
    suppressPolicy(subnet, 'state-private', 'state reached through a private endpoint in the hub network');
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'state-private',
        suppressedBecause: 'state reached through a private endpoint in the hub network',
      }),
    ]);
  });
});
