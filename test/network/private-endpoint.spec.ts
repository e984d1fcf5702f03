import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { ValidationError } from '../../constructs/core/errors';
import {
  ALL_PRIVATE_DNS_ZONES,
  addPrivateEndpoint,
  PRIVATE_DNS_ZONES,
  type PrivateEndpointProps,
  type PrivateLinkSubresource,
} from '../../constructs/core/private-endpoint';
import { KeyVault } from '../../constructs/security/key-vault';
import { StorageAccount, type StorageAccountProps } from '../../constructs/storage/storage-account';
import {
  type Attributes,
  ref,
  resourcesOf,
  type SynthJson,
  synthStack,
  TEST_RESOURCE_GROUP,
  testStack,
} from '../helpers/synth';

const SUBNET_ID =
  '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-test/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-pep';
const zoneId = (zone: string) =>
  `/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${zone}`;

/** What PrivateNetwork.privateEndpointProps() hands out, with literal ids. */
const PRIVATE: PrivateEndpointProps = {
  subnetId: SUBNET_ID,
  dnsZoneIds: Object.fromEntries(ALL_PRIVATE_DNS_ZONES.map((z) => [z, zoneId(z)])),
  location: 'swedencentral',
};

function endpoints(json: SynthJson): Attributes[] {
  return Object.values(resourcesOf(json, 'azurerm_private_endpoint'));
}

describe('addPrivateEndpoint (every sub-resource)', () => {
  test.each(Object.keys(PRIVATE_DNS_ZONES) as PrivateLinkSubresource[])(
    '%s: endpoint, connection and zone group with its zones',
    (sub) => {
      // GIVEN
      const stack = testStack();
      const target = {
        resourceId: `/subscriptions/x/resourceGroups/rg-test/providers/Some/thing/res-${sub.toLowerCase()}`,
        resourceName: `res-${sub.toLowerCase()}`,
        subresource: sub,
        dnsZones: PRIVATE_DNS_ZONES[sub],
        resourceGroupName: 'rg-test',
        location: 'westeurope',
      };

      // WHEN
      const endpoint = addPrivateEndpoint(stack, target, PRIVATE);

      // THEN
      expect(endpoint).toBeInstanceOf(PrivateEndpoint);
      const [pe] = endpoints(synthStack(stack));
      const name = `pep-res-${sub.toLowerCase()}-${sub.toLowerCase()}`;
      expect(pe).toEqual({
        name,
        custom_network_interface_name: `${name}-nic`,
        resource_group_name: 'rg-test',
        location: 'swedencentral', // the network's region wins over the resource's
        subnet_id: SUBNET_ID,
        private_service_connection: {
          name: `${name}-connection`,
          private_connection_resource_id: target.resourceId,
          subresource_names: [sub],
          is_manual_connection: false,
        },
        private_dns_zone_group: { name: 'default', private_dns_zone_ids: PRIVATE_DNS_ZONES[sub].map(zoneId) },
      });
    },
  );

  test('AI Services accounts register in all three zones (cognitiveservices, openai, services.ai)', () => {
    expect(PRIVATE_DNS_ZONES.account).toEqual([
      'privatelink.cognitiveservices.azure.com',
      'privatelink.openai.azure.com',
      'privatelink.services.ai.azure.com',
    ]);
  });

  test('fails when a zone the sub-resource needs is missing, naming the zone', () => {
    const stack = testStack();
    const run = () =>
      addPrivateEndpoint(
        stack,
        {
          resourceId: 'id',
          resourceName: 'ais-test',
          subresource: 'account',
          dnsZones: PRIVATE_DNS_ZONES.account,
          resourceGroupName: 'rg',
          location: 'swedencentral',
        },
        { subnetId: SUBNET_ID, dnsZoneIds: { 'privatelink.cognitiveservices.azure.com': 'z' } },
      );
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(
      /needs DNS zones privatelink\.openai\.azure\.com, privatelink\.services\.ai\.azure\.com; given: privatelink\.cognitiveservices\.azure\.com/,
    );
  });

  test('takes the DNS zones of the sub-resource when the target names none', () => {
    // GIVEN a target without dnsZones
    const stack = testStack();
    addPrivateEndpoint(
      stack,
      {
        resourceId: 'id',
        resourceName: 'srch-test',
        subresource: 'searchService',
        resourceGroupName: 'rg',
        location: 'x',
      },
      PRIVATE,
    );
    // THEN the zone group holds the zones PRIVATE_DNS_ZONES lists for it
    const [pe] = endpoints(synthStack(stack));
    expect(pe!.private_dns_zone_group).toEqual({
      name: 'default',
      private_dns_zone_ids: [zoneId('privatelink.search.windows.net')],
    });
  });

  test('fails when the sub-resource is unknown and no zones are given', () => {
    const run = () =>
      addPrivateEndpoint(
        testStack(),
        {
          resourceId: 'id',
          resourceName: 'x-test',
          subresource: 'sqlServer',
          resourceGroupName: 'rg',
          location: 'x',
        },
        PRIVATE,
      );
    expect(run).toThrow(/privateEndpoint\.dnsZones: no DNS zone given for sub-resource "sqlServer"/);
  });

  test('fails when the endpoint name would break the naming rule', () => {
    const run = () =>
      addPrivateEndpoint(
        testStack(),
        {
          resourceId: 'id',
          resourceName: 'a'.repeat(60),
          subresource: 'vault',
          dnsZones: PRIVATE_DNS_ZONES.vault,
          resourceGroupName: 'rg',
          location: 'x',
        },
        PRIVATE,
      );
    expect(run).toThrow(
      /privateEndpoint\.name: private endpoint name "pep-a+-vault" breaks the rule.*shorten the resource name/,
    );
  });
});

describe('KeyVault private endpoint', () => {
  test('private: an endpoint for the vault with its zone group, public access off', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const vault = new KeyVault(stack, 'KeyVault', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'kv-test-1',
      tenantId: 'tenant',
      privateEndpoint: PRIVATE,
    });
    const json = synthStack(stack);

    // THEN
    expect(vault.privateEndpoint).toBeDefined();
    const [pe] = endpoints(json);
    expect(pe).toMatchObject({
      name: 'pep-kv-test-1-vault',
      private_service_connection: {
        private_connection_resource_id: ref('azurerm_key_vault.KeyVault.id'),
        subresource_names: ['vault'],
      },
      private_dns_zone_group: { private_dns_zone_ids: [zoneId('privatelink.vaultcore.azure.net')] },
    });
    const kv = Object.values(resourcesOf(json, 'azurerm_key_vault'))[0]!;
    expect(kv.public_network_access_enabled).toBe(false);
    expect(kv.network_acls).toMatchObject({ default_action: 'Deny' });
  });

  test('public: no endpoint, public access on', () => {
    const stack = testStack();
    const vault = new KeyVault(stack, 'KeyVault', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'kv-test-1',
      tenantId: 'tenant',
      publicNetworkAccessEnabled: true,
    });
    const json = synthStack(stack);
    expect(vault.privateEndpoint).toBeUndefined();
    expect(endpoints(json)).toEqual([]);
    expect(Object.values(resourcesOf(json, 'azurerm_key_vault'))[0]!.public_network_access_enabled).toBe(
      true,
    );
  });
});

describe('StorageAccount private endpoints', () => {
  const base: StorageAccountProps = { resourceGroup: TEST_RESOURCE_GROUP, name: 'sttest1' };

  test('private: a blob endpoint with its zone group, public access off', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const storage = new StorageAccount(stack, 'Storage', { ...base, privateEndpoint: PRIVATE });
    const json = synthStack(stack);

    // THEN
    expect(Object.keys(storage.privateEndpoints)).toEqual(['blob']);
    expect(endpoints(json)).toEqual([
      expect.objectContaining({
        name: 'pep-sttest1-blob',
        private_service_connection: expect.objectContaining({
          private_connection_resource_id: ref('azurerm_storage_account.Storage.id'),
          subresource_names: ['blob'],
        }),
        private_dns_zone_group: {
          name: 'default',
          private_dns_zone_ids: [zoneId('privatelink.blob.core.windows.net')],
        },
      }),
    ]);
    const account = Object.values(resourcesOf(json, 'azurerm_storage_account'))[0]!;
    expect(account.public_network_access_enabled).toBe(false);
    expect(account.network_rules).toMatchObject({ default_action: 'Deny' });
  });

  test('private with blob and file (an AI Foundry hub store): one endpoint each, stable ids', () => {
    const stack = testStack();
    new StorageAccount(stack, 'Storage', {
      ...base,
      privateEndpoint: PRIVATE,
      privateEndpointSubresources: ['blob', 'file'],
    });
    const json = synthStack(stack);
    const byId = resourcesOf(json, 'azurerm_private_endpoint');
    expect(Object.keys(byId).map((id) => id.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'Storage_PrivateEndpointBlob',
      'Storage_PrivateEndpointFile',
    ]);
    expect(
      Object.values(byId).map((pe) => (pe.private_dns_zone_group as Attributes).private_dns_zone_ids),
    ).toEqual([[zoneId('privatelink.blob.core.windows.net')], [zoneId('privatelink.file.core.windows.net')]]);
  });

  test('public: no endpoint, public access on', () => {
    const stack = testStack();
    const storage = new StorageAccount(stack, 'Storage', { ...base, publicNetworkAccessEnabled: true });
    const json = synthStack(stack);
    expect(storage.privateEndpoints).toEqual({});
    expect(endpoints(json)).toEqual([]);
    expect(
      Object.values(resourcesOf(json, 'azurerm_storage_account'))[0]!.public_network_access_enabled,
    ).toBe(true);
  });

  test('fails when a private endpoint sub-resource is not supported or repeats', () => {
    const run = () =>
      new StorageAccount(testStack(), 'Storage', {
        ...base,
        privateEndpoint: PRIVATE,
        privateEndpointSubresources: ['blob', 'queue' as 'blob', 'blob'],
      });
    expect(run).toThrow(
      /props\.privateEndpointSubresources\[1\]: "queue" is not supported: allowed blob, file/,
    );
    expect(run).toThrow(
      'props.privateEndpointSubresources: duplicate sub-resources: blob (each gets one private endpoint)',
    );
  });
});
