import { PRIVATE_LINK_TYPES, PrivateEndpointRule, suppressPolicy } from '../../constructs/policy';
import { KeyVault } from '../../constructs/security/key-vault';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { ref, TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const privateRule = () => new PrivateEndpointRule({ networkMode: 'private' });
const ZONE = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.x';
const PRIVATE = {
  subnetId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pep',
  dnsZoneIds: { 'privatelink.vaultcore.azure.net': ZONE, 'privatelink.blob.core.windows.net': ZONE },
};

/** A private endpoint targeting `targetReference` (`${<type>.<id>.id}`), written raw. */
function endpointTo(
  scope: Parameters<typeof rawResource>[0],
  id: string,
  targetReference: string,
  zoneGroup = true,
  subresource?: string,
) {
  return rawResource(scope, id, 'azurerm_private_endpoint', {
    name: `pep-${id}`,
    private_service_connection: {
      name: 'c',
      private_connection_resource_id: targetReference,
      is_manual_connection: false,
      ...(subresource ? { subresource_names: [subresource] } : {}),
    },
    ...(zoneGroup ? { private_dns_zone_group: { name: 'default', private_dns_zone_ids: [ZONE] } } : {}),
  });
}

describe('policy rule private-endpoint', () => {
  test("passes for the project's constructs given privateEndpoint in a private environment", () => {
    const stack = stackWith(privateRule());
    new KeyVault(stack, 'Vault', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'kv-test',
      tenantId: 't',
      privateEndpoint: PRIVATE,
    });
    new StorageAccount(stack, 'Storage', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'sttest',
      privateEndpoint: PRIVATE,
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test.each(Object.keys(PRIVATE_LINK_TYPES))(
    'passes for a %s targeted by a private endpoint with a zone group',
    (type) => {
      const stack = stackWith(privateRule());
      rawResource(stack, 'Target', type);
      endpointTo(stack, 'Endpoint', `\${${type}.Target.id}`);
      expect(findingsAfterSynth(stack)).toEqual([]);
    },
  );

  test.each(Object.entries(PRIVATE_LINK_TYPES))(
    'fails when a %s has no private endpoint in a private environment',
    (type, sub) => {
      // GIVEN a private environment and a resource no endpoint targets
      const stack = stackWith(privateRule());
      rawResource(stack, 'Target', type);
      // THEN synth fails naming the rule, the construct and the fix
      expect(synthError(stack)).toContain(
        `[policy private-endpoint] test/Target (${type}.Target): the environment is private but no private endpoint targets this resource, so nothing can reach it once public access is off: give the construct privateEndpoint (sub-resource ${JSON.stringify(sub)})`,
      );
    },
  );

  test('fails when the Key Vault construct is given no privateEndpoint', () => {
    const stack = stackWith(privateRule());
    new KeyVault(stack, 'Vault', { resourceGroup: TEST_RESOURCE_GROUP, name: 'kv-test', tenantId: 't' });
    expect(synthError(stack)).toContain(
      '[policy private-endpoint] test/Vault/Default (azurerm_key_vault.Vault)',
    );
  });

  test('fails when an endpoint targets another resource only', () => {
    const stack = stackWith(privateRule());
    rawResource(stack, 'Target', 'azurerm_search_service');
    rawResource(stack, 'Other', 'azurerm_search_service');
    endpointTo(stack, 'Endpoint', ref('azurerm_search_service.Other.id'));
    expect(synthError(stack)).toContain(
      'test/Target (azurerm_search_service.Target): the environment is private but no private endpoint targets this resource',
    );
  });

  test('fails when the only endpoint has no DNS zone group', () => {
    const stack = stackWith(privateRule());
    rawResource(stack, 'Target', 'azurerm_cognitive_account');
    endpointTo(stack, 'Endpoint', ref('azurerm_cognitive_account.Target.id'), false);
    expect(synthError(stack)).toContain(
      'test/Target (azurerm_cognitive_account.Target): the private endpoint azurerm_private_endpoint.Endpoint has no private_dns_zone_group: clients resolve the public address and are refused (403); add the DNS zones',
    );
  });

  describe("an AI Foundry hub's default storage", () => {
    /** A hub whose default storage is the raw storage account `Storage`, with endpoints for `subresources`. */
    function hubWithStorage(subresources: readonly string[]) {
      const stack = stackWith(privateRule());
      rawResource(stack, 'Storage', 'azurerm_storage_account');
      rawResource(stack, 'Hub', 'azurerm_ai_foundry', {
        storage_account_id: ref('azurerm_storage_account.Storage.id'),
      });
      endpointTo(stack, 'HubEndpoint', ref('azurerm_ai_foundry.Hub.id'), true, 'amlworkspace');
      for (const sub of subresources) {
        endpointTo(stack, `Storage${sub}`, ref('azurerm_storage_account.Storage.id'), true, sub);
      }
      return stack;
    }

    test('passes with a blob and a file endpoint', () => {
      expect(findingsAfterSynth(hubWithStorage(['blob', 'file']))).toEqual([]);
    });

    test('fails when the hub storage has a blob endpoint only', () => {
      expect(synthError(hubWithStorage(['blob']))).toContain(
        '[policy private-endpoint] test/Storage (azurerm_storage_account.Storage): an AI Foundry hub uses this account as its default storage, which needs private endpoints (with DNS zones) for blob and file; missing: file (StorageAccount privateEndpointSubresources)',
      );
    });

    test('a storage account no hub uses passes with a blob endpoint only', () => {
      const stack = stackWith(privateRule());
      rawResource(stack, 'Storage', 'azurerm_storage_account');
      endpointTo(stack, 'Blob', ref('azurerm_storage_account.Storage.id'), true, 'blob');
      expect(findingsAfterSynth(stack)).toEqual([]);
    });

    test("passes for the project's StorageAccount given privateEndpointSubresources blob and file", () => {
      const stack = stackWith(privateRule());
      const storage = new StorageAccount(stack, 'Storage', {
        resourceGroup: TEST_RESOURCE_GROUP,
        name: 'sttest',
        privateEndpoint: {
          ...PRIVATE,
          dnsZoneIds: { ...PRIVATE.dnsZoneIds, 'privatelink.file.core.windows.net': ZONE },
        },
        privateEndpointSubresources: ['blob', 'file'],
      });
      rawResource(stack, 'Hub', 'azurerm_ai_foundry', { storage_account_id: storage.resourceId });
      endpointTo(stack, 'HubEndpoint', ref('azurerm_ai_foundry.Hub.id'), true, 'amlworkspace');
      expect(findingsAfterSynth(stack)).toEqual([]);
    });
  });

  test('passes for API Management injected in internal mode, without an endpoint', () => {
    const stack = stackWith(privateRule());
    rawResource(stack, 'Gateway', 'azurerm_api_management', { virtual_network_type: 'Internal' });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails when API Management is injected in external mode and has no endpoint', () => {
    const stack = stackWith(privateRule());
    rawResource(stack, 'Gateway', 'azurerm_api_management', { virtual_network_type: 'External' });
    expect(synthError(stack)).toContain(
      '[policy private-endpoint] test/Gateway (azurerm_api_management.Gateway): the environment is private but no private endpoint targets this resource, so nothing can reach it once public access is off: give the construct privateEndpoint (sub-resource "Gateway")',
    );
  });

  test('checks nothing in a public environment', () => {
    const stack = stackWith(new PrivateEndpointRule({ networkMode: 'public' }));
    new StorageAccount(stack, 'Storage', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'sttest',
      publicNetworkAccessEnabled: true,
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    // GIVEN Terraform state storage created before the network (as in the bootstrap stack)
    const stack = stackWith(privateRule());
    const state = new StorageAccount(stack, 'State', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'sttf',
      publicNetworkAccessEnabled: true,
    });
    suppressPolicy(
      state,
      'private-endpoint',
      'the state account exists before the network it would need an endpoint in',
    );
    // THEN the finding is kept, with its reason
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'private-endpoint',
        path: 'test/State/Default',
        severity: 'error',
        suppressedBecause: 'the state account exists before the network it would need an endpoint in',
      }),
    ]);
  });

  test.each([
    ['an empty private_dns_zone_ids list', { name: 'default', private_dns_zone_ids: [] }],
    ['no private_dns_zone_ids', { name: 'default' }],
    ['an empty zone group list', []],
  ])('fails when the zone group has %s: it resolves nothing', (_name, zoneGroup) => {
    // GIVEN an endpoint whose zone group names no DNS zone
    const stack = stackWith(privateRule());
    rawResource(stack, 'Target', 'azurerm_key_vault');
    rawResource(stack, 'Endpoint', 'azurerm_private_endpoint', {
      name: 'pep-kv',
      private_service_connection: {
        name: 'c',
        private_connection_resource_id: ref('azurerm_key_vault.Target.id'),
        is_manual_connection: false,
      },
      private_dns_zone_group: zoneGroup,
    });
    // THEN it counts as no zone group
    expect(synthError(stack)).toContain(
      '[policy private-endpoint] test/Target (azurerm_key_vault.Target): the private endpoint azurerm_private_endpoint.Endpoint has no private_dns_zone_group: clients resolve the public address and are refused (403); add the DNS zones',
    );
  });

  test('one endpoint with zones among several without is enough', () => {
    const stack = stackWith(privateRule());
    rawResource(stack, 'Target', 'azurerm_key_vault');
    endpointTo(stack, 'NoZones', ref('azurerm_key_vault.Target.id'), false);
    endpointTo(stack, 'WithZones', ref('azurerm_key_vault.Target.id'));
    expect(findingsAfterSynth(stack)).toEqual([]);
  });
});
