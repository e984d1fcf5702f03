import { resolveTokens } from '../../constructs/core/resolve';
import { PrivateNetwork, type PrivateNetworkProps } from '../../constructs/network/private-network';
import { resourcesOf, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const HUB_RG = '/subscriptions/99999999-2222-3333-4444-555555555555/resourceGroups/rg-hub-dns';
const EXISTING_VNET_ID =
  '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke';

function props(overrides: Partial<PrivateNetworkProps> = {}): PrivateNetworkProps {
  return {
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'vnet-llmops-prod-sdc',
    addressSpace: '10.42.0.0/16',
    subnets: {
      privateEndpoints: { name: 'snet-llmops-prod-pep-sdc', addressPrefix: '10.42.1.0/24' },
      apim: { name: 'snet-llmops-prod-apim-sdc', addressPrefix: '10.42.2.0/24', mode: 'v2-integration' },
      agents: { name: 'snet-llmops-prod-agents-sdc', addressPrefix: '10.42.3.0/24' },
    },
    ...overrides,
  };
}

describe('PrivateNetwork', () => {
  test('privateEndpointProps hands out the endpoint subnet, every zone id and the network region', () => {
    // GIVEN
    const stack = testStack();
    const network = new PrivateNetwork(stack, 'Network', props());

    // WHEN
    const pe = network.privateEndpointProps();

    // THEN
    expect(resolveTokens(stack, pe.subnetId)).toMatch(
      /^\$\{azurerm_subnet\.Network_VirtualNetwork_PrivateEndpoints_[0-9A-F]{8}\.id\}$/,
    );
    expect(pe.dnsZoneIds).toBe(network.dnsZoneIds);
    expect(resolveTokens(stack, pe.dnsZoneIds['privatelink.openai.azure.com'])).toMatch(
      /^\$\{azurerm_private_dns_zone\.Network_DnsZones_privatelinkopenaiazurecom_[0-9A-F]{8}\.id\}$/,
    );
    expect(pe.location).toBe('swedencentral');
    expect(pe.resourceGroupName).toBeUndefined();
  });

  test('bring your own VNet and zones: only subnets, NSGs and associations are created', () => {
    // GIVEN
    const stack = testStack();
    const network = new PrivateNetwork(
      stack,
      'Network',
      props({
        existingVirtualNetworkId: EXISTING_VNET_ID,
        existingDnsZoneResourceGroupId: HUB_RG,
        addressSpace: undefined,
      }),
    );

    // WHEN
    const json = synthStack(stack);

    // THEN
    expect(Object.keys(json.resource ?? {}).sort()).toEqual([
      'azurerm_network_security_group',
      'azurerm_subnet',
      'azurerm_subnet_network_security_group_association',
    ]);
    const pe = network.privateEndpointProps();
    expect(pe.dnsZoneIds['privatelink.blob.core.windows.net']).toBe(
      `${HUB_RG}/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`,
    );
    // the existing network's region, read at plan time
    expect(resolveTokens(stack, pe.location)).toMatch(
      /^\$\{data\.azurerm_virtual_network\.Network_VirtualNetwork_Existing_[0-9A-F]{8}\.location\}$/,
    );
  });

  test('snapshot of the network resources', () => {
    const stack = testStack();
    new PrivateNetwork(stack, 'Network', props({ dnsZones: ['privatelink.vaultcore.azure.net'] }));
    const json = synthStack(stack);
    const types = [
      'azurerm_virtual_network',
      'azurerm_subnet',
      'azurerm_network_security_group',
      'azurerm_subnet_network_security_group_association',
      'azurerm_private_dns_zone',
      'azurerm_private_dns_zone_virtual_network_link',
    ];
    expect(Object.keys(json.resource ?? {}).sort()).toEqual([...types].sort());
    expect(Object.fromEntries(types.map((t) => [t, resourcesOf(json, t)]))).toMatchSnapshot();
  });
});
