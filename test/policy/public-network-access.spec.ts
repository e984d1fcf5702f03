import { PublicNetworkAccessRule, suppressPolicy } from '../../constructs/policy';
import { KeyVault } from '../../constructs/security/key-vault';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

/** Per type: the argument and its closed value. */
const CASES = [
  ['azurerm_cognitive_account', 'public_network_access_enabled', false, true],
  ['azurerm_search_service', 'public_network_access_enabled', false, true],
  ['azurerm_storage_account', 'public_network_access_enabled', false, true],
  ['azurerm_key_vault', 'public_network_access_enabled', false, true],
  ['azurerm_ai_foundry', 'public_network_access', 'Disabled', 'Enabled'],
  ['azurerm_api_management', 'public_network_access_enabled', false, true],
] as const;

const privateRule = () => new PublicNetworkAccessRule({ networkMode: 'private' });

describe('policy rule public-network-access', () => {
  test("passes for the project's constructs in a private environment (public access off by default)", () => {
    const stack = stackWith(privateRule());
    new KeyVault(stack, 'Vault', { resourceGroup: TEST_RESOURCE_GROUP, name: 'kv-test', tenantId: 't' });
    new StorageAccount(stack, 'Storage', { resourceGroup: TEST_RESOURCE_GROUP, name: 'sttest' });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test.each(CASES)('passes for a %s with %s = %j in a private environment', (type, key, closed) => {
    const stack = stackWith(privateRule());
    rawResource(stack, 'Target', type, { [key]: closed });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test.each(CASES.filter(([type]) => type !== 'azurerm_api_management'))(
    'fails when a %s has %s = %j in a private environment',
    (type, key, closed, open) => {
      // GIVEN a private environment and a resource open to the internet
      const stack = stackWith(privateRule());
      rawResource(stack, 'Target', type, { [key]: open });
      // THEN synth fails naming the rule, the construct, the value and the fix
      expect(synthError(stack)).toContain(
        `[policy public-network-access] test/Target (${type}.Target): the environment is private but ${key} is ${JSON.stringify(open)}; set ${key} = ${JSON.stringify(closed)}`,
      );
    },
  );

  test('passes for API Management injected into a VNet in internal mode, whatever the switch says', () => {
    const stack = stackWith(privateRule());
    rawResource(stack, 'Gateway', 'azurerm_api_management', {
      public_network_access_enabled: true,
      virtual_network_type: 'Internal',
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails when API Management is only integrated (External), open and never closed, naming both fixes', () => {
    // (API Management cannot be created closed: the fix is the closure after its private endpoint)
    const stack = stackWith(privateRule());
    rawResource(stack, 'Gateway', 'azurerm_api_management', {
      public_network_access_enabled: true,
      virtual_network_type: 'External',
    });
    expect(synthError(stack)).toContain(
      '[policy public-network-access] test/Gateway (azurerm_api_management.Gateway): the environment is private but public_network_access_enabled is true and nothing closes it after creation: give ApiManagementService a privateEndpoint and publicNetworkAccessEnabled = false (created open, closed by an azapi_update_resource once the endpoint exists) (or inject it in internal mode)',
    );
  });

  test('fails when public access is left to the provider default (open)', () => {
    const stack = stackWith(privateRule());
    rawResource(stack, 'Vault', 'azurerm_key_vault');
    expect(synthError(stack)).toContain(
      'public_network_access_enabled is "(provider default: open)"; set public_network_access_enabled = false',
    );
  });

  test('checks nothing in a public environment', () => {
    const stack = stackWith(new PublicNetworkAccessRule({ networkMode: 'public' }));
    new StorageAccount(stack, 'Storage', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'sttest',
      publicNetworkAccessEnabled: true,
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    // GIVEN Terraform state storage that must be reachable before the network exists (as in the bootstrap stack)
    const stack = stackWith(privateRule());
    const state = new StorageAccount(stack, 'State', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'sttf',
      publicNetworkAccessEnabled: true,
    });
    suppressPolicy(
      state,
      'public-network-access',
      'state is read by the runner before the VNet exists; Entra ID only',
    );
    // THEN the finding is kept, with its reason
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'public-network-access',
        path: 'test/State/Default',
        address: 'azurerm_storage_account.State',
        suppressedBecause: 'state is read by the runner before the VNet exists; Entra ID only',
      }),
    ]);
  });
});
