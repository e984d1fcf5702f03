import { ValidationError } from '../../constructs/core/errors';
import { ALL_PRIVATE_DNS_ZONES } from '../../constructs/core/private-endpoint';
import { resolveTokens } from '../../constructs/core/resolve';
import { PrivateDnsZones, type PrivateDnsZonesProps } from '../../constructs/network/private-dns-zones';
import { resourcesOf, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const VNET = {
  id: '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-test/providers/Microsoft.Network/virtualNetworks/vnet-test',
  name: 'vnet-test',
  resourceGroupName: 'rg-test',
  location: 'swedencentral',
};
const HUB_RG = '/subscriptions/99999999-2222-3333-4444-555555555555/resourceGroups/rg-hub-dns';

function make(overrides: Partial<PrivateDnsZonesProps> = {}) {
  const stack = testStack();
  const zones = new PrivateDnsZones(stack, 'Zones', {
    resourceGroup: TEST_RESOURCE_GROUP,
    virtualNetwork: VNET,
    ...overrides,
  });
  return { zones, json: synthStack(stack), resolve: (v: string) => resolveTokens(stack, v) };
}

describe('PrivateDnsZones', () => {
  test('defaults: every zone the project uses is created and linked to the network', () => {
    // GIVEN / WHEN
    const { zones, json, resolve } = make();

    // THEN
    const created = Object.values(resourcesOf(json, 'azurerm_private_dns_zone')).map((z) => z.name);
    expect(created.sort()).toEqual([...ALL_PRIVATE_DNS_ZONES]);
    expect(created).toEqual(
      expect.arrayContaining([
        'privatelink.cognitiveservices.azure.com',
        'privatelink.openai.azure.com',
        'privatelink.services.ai.azure.com',
        'privatelink.search.windows.net',
        'privatelink.vaultcore.azure.net',
        'privatelink.blob.core.windows.net',
        'privatelink.file.core.windows.net',
        'privatelink.azure-api.net',
        'privatelink.api.azureml.ms',
        'privatelink.notebooks.azure.net',
      ]),
    );
    const links = Object.values(resourcesOf(json, 'azurerm_private_dns_zone_virtual_network_link'));
    expect(links).toHaveLength(ALL_PRIVATE_DNS_ZONES.length);
    for (const link of links) {
      expect(link).toMatchObject({
        virtual_network_id: VNET.id,
        registration_enabled: false,
        resource_group_name: 'rg-test',
        name: 'link-vnet-test',
      });
      expect(link.private_dns_zone_name).toMatch(/^\$\{azurerm_private_dns_zone\..*\.name\}$/);
    }
    expect(resolve(zones.dnsZoneIds['privatelink.vaultcore.azure.net']!)).toMatch(
      /^\$\{azurerm_private_dns_zone\.Zones_privatelinkvaultcoreazurenet_[0-9A-F]{8}\.id\}$/,
    );
  });

  test('zones can be narrowed to what the environment deploys', () => {
    const { json, zones } = make({ zones: ['privatelink.vaultcore.azure.net'] });
    expect(Object.values(resourcesOf(json, 'azurerm_private_dns_zone')).map((z) => z.name)).toEqual([
      'privatelink.vaultcore.azure.net',
    ]);
    expect(Object.keys(zones.dnsZoneIds)).toEqual(['privatelink.vaultcore.azure.net']);
  });

  test('bring your own zones: nothing is created, ids point into the hub group by zone name', () => {
    // GIVEN / WHEN
    const { zones, json } = make({ existingDnsZoneResourceGroupId: HUB_RG });

    // THEN
    expect(json.resource).toBeUndefined();
    expect(zones.dnsZoneIds['privatelink.search.windows.net']).toBe(
      `${HUB_RG}/providers/Microsoft.Network/privateDnsZones/privatelink.search.windows.net`,
    );
    expect(Object.keys(zones.dnsZoneIds).sort()).toEqual([...ALL_PRIVATE_DNS_ZONES]);
  });

  test('bring your own zones with linkExistingZones: only links, in the hub group', () => {
    const { json } = make({ existingDnsZoneResourceGroupId: HUB_RG, linkExistingZones: true });
    expect(resourcesOf(json, 'azurerm_private_dns_zone')).toEqual({});
    const links = Object.values(resourcesOf(json, 'azurerm_private_dns_zone_virtual_network_link'));
    expect(links).toHaveLength(ALL_PRIVATE_DNS_ZONES.length);
    expect(links).toContainEqual(
      expect.objectContaining({
        resource_group_name: 'rg-hub-dns',
        private_dns_zone_name: 'privatelink.vaultcore.azure.net',
      }),
    );
  });

  test('fails when the zone resource group id is not a resource group id', () => {
    expect(() => make({ existingDnsZoneResourceGroupId: 'rg-hub-dns' })).toThrow(
      'props.existingDnsZoneResourceGroupId: "rg-hub-dns" is not a resource group id: /subscriptions/<guid>/resourceGroups/<name>',
    );
  });

  test('fails when a zone name is not a DNS name or repeats', () => {
    const run = () =>
      make({ zones: ['privatelink.vaultcore.azure.net', 'Not A Zone', 'privatelink.vaultcore.azure.net'] });
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(/props\.zones\[1\]: "Not A Zone" is not a DNS zone name/);
    expect(run).toThrow(/props\.zones: duplicate zones: privatelink\.vaultcore\.azure\.net/);
  });
});
