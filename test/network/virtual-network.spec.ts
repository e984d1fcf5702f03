import { ValidationError } from '../../constructs/core/errors';
import { NetworkSubnet } from '../../constructs/network/subnet';
import {
  apimNetworkModeForSku,
  VirtualNetwork,
  type VirtualNetworkProps,
} from '../../constructs/network/virtual-network';
import {
  type Attributes,
  resourcesOf,
  type SynthJson,
  synthStack,
  TEST_RESOURCE_GROUP,
  testStack,
} from '../helpers/synth';

const EXISTING_VNET_ID =
  '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-hub-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke-prod';

function props(overrides: Partial<VirtualNetworkProps> = {}): VirtualNetworkProps {
  return {
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'vnet-test',
    addressSpace: '10.40.0.0/16',
    subnets: {
      privateEndpoints: { name: 'snet-pep', addressPrefix: '10.40.1.0/24' },
      agents: { name: 'snet-agents', addressPrefix: '10.40.3.0/24' },
    },
    ...overrides,
  };
}

function synth(p: VirtualNetworkProps): SynthJson {
  const stack = testStack();
  new VirtualNetwork(stack, 'Network', p);
  return synthStack(stack);
}

function byName(json: SynthJson, type: string): Record<string, Attributes> {
  return Object.fromEntries(Object.values(resourcesOf(json, type)).map((r) => [r.name as string, r]));
}

function validationProblems(p: VirtualNetworkProps): string[] {
  try {
    new VirtualNetwork(testStack(), 'Network', p);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((x) => `${x.path}: ${x.message}`);
    throw e;
  }
  return [];
}

describe('VirtualNetwork', () => {
  test('defaults: a VNet with a private endpoint subnet and an agents subnet, each with its own NSG', () => {
    // GIVEN / WHEN
    const json = synth(props());

    // THEN
    const vnets = Object.values(resourcesOf(json, 'azurerm_virtual_network'));
    expect(vnets).toEqual([
      expect.objectContaining({
        name: 'vnet-test',
        address_space: ['10.40.0.0/16'],
        location: 'swedencentral',
        resource_group_name: 'rg-test',
      }),
    ]);
    const subnets = byName(json, 'azurerm_subnet');
    expect(Object.keys(subnets).sort()).toEqual(['snet-agents', 'snet-pep']);
    expect(subnets['snet-pep']).toMatchObject({
      address_prefixes: ['10.40.1.0/24'],
      private_endpoint_network_policies: 'Enabled',
      default_outbound_access_enabled: false,
    });
    expect(subnets['snet-pep']!.delegation).toBeUndefined();
    const nsgs = byName(json, 'azurerm_network_security_group');
    expect(Object.keys(nsgs).sort()).toEqual(['nsg-agents', 'nsg-pep']);
    expect(Object.keys(resourcesOf(json, 'azurerm_subnet_network_security_group_association'))).toHaveLength(
      2,
    );
  });

  test('every NSG denies inbound internet traffic; the endpoint subnet lets the network in on 443 only', () => {
    const nsgs = byName(synth(props()), 'azurerm_network_security_group');
    for (const nsg of Object.values(nsgs)) {
      expect(nsg.security_rule).toContainEqual(
        expect.objectContaining({
          name: 'DenyInternetInbound',
          access: 'Deny',
          direction: 'Inbound',
          source_address_prefix: 'Internet',
          priority: 4096,
        }),
      );
    }
    expect(nsgs['nsg-pep']!.security_rule).toContainEqual(
      expect.objectContaining({
        name: 'AllowVirtualNetworkHttpsInbound',
        access: 'Allow',
        source_address_prefix: 'VirtualNetwork',
        destination_port_range: '443',
        protocol: 'Tcp',
      }),
    );
    expect(nsgs['nsg-agents']!.security_rule).toHaveLength(1);
  });

  test('each association ties a subnet to its own NSG', () => {
    const json = synth(props());
    const associations = Object.values(
      resourcesOf(json, 'azurerm_subnet_network_security_group_association'),
    );
    const pairs = associations.map((a) => [a.subnet_id, a.network_security_group_id]);
    expect(pairs).toContainEqual([
      expect.stringMatching(/^\$\{azurerm_subnet\.Network_PrivateEndpoints_.*\.id\}$/),
      expect.stringMatching(
        /^\$\{azurerm_network_security_group\.Network_PrivateEndpoints_SecurityGroup_.*\.id\}$/,
      ),
    ]);
  });

  test('API Management classic injection: no delegation, management and load balancer ports open', () => {
    // GIVEN
    const p = props({
      subnets: {
        ...props().subnets,
        apim: { name: 'snet-apim', addressPrefix: '10.40.2.0/29', mode: 'classic-injection' },
      },
    });

    // WHEN
    const json = synth(p);

    // THEN
    expect(byName(json, 'azurerm_subnet')['snet-apim']!.delegation).toBeUndefined();
    const rules = byName(json, 'azurerm_network_security_group')['nsg-apim']!.security_rule as Attributes[];
    expect(rules.map((r) => [r.name, r.source_address_prefix, r.destination_port_range])).toEqual([
      ['AllowVirtualNetworkHttpsInbound', 'VirtualNetwork', '443'],
      ['AllowApimManagementInbound', 'ApiManagement', '3443'],
      ['AllowAzureLoadBalancerInbound', 'AzureLoadBalancer', '6390'],
      ['DenyInternetInbound', 'Internet', '*'],
    ]);
  });

  test.each([
    ['v2-integration', 'Microsoft.Web/serverFarms'],
    ['v2-injection', 'Microsoft.Web/hostingEnvironments'],
  ] as const)('API Management %s: the subnet is delegated to %s', (mode, service) => {
    const p = props({
      subnets: { ...props().subnets, apim: { name: 'snet-apim', addressPrefix: '10.40.2.0/27', mode } },
    });
    const subnet = byName(synth(p), 'azurerm_subnet')['snet-apim']!;
    expect(subnet.delegation).toEqual([
      {
        name: service.replace('/', '.'),
        service_delegation: { name: service, actions: ['Microsoft.Network/virtualNetworks/subnets/action'] },
      },
    ]);
  });

  test('apimNetworkModeForSku maps tiers that can join a network and nothing else', () => {
    expect(
      ['Developer', 'Premium', 'StandardV2', 'PremiumV2', 'Basic', 'Standard', 'BasicV2'].map(
        apimNetworkModeForSku,
      ),
    ).toEqual([
      'classic-injection',
      'classic-injection',
      'v2-integration',
      'v2-injection',
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('bring your own VNet: no VNet is created, subnets go into it, NSGs follow its region', () => {
    // GIVEN
    const p = props({ existingVirtualNetworkId: EXISTING_VNET_ID, addressSpace: undefined });

    // WHEN
    const json = synth(p);

    // THEN
    expect(resourcesOf(json, 'azurerm_virtual_network')).toEqual({});
    const data = Object.values(json.data?.azurerm_virtual_network ?? {});
    expect(data).toEqual([
      expect.objectContaining({ name: 'vnet-spoke-prod', resource_group_name: 'rg-hub-spoke' }),
    ]);
    const subnets = Object.values(resourcesOf(json, 'azurerm_subnet'));
    expect(subnets).toHaveLength(2);
    for (const s of subnets)
      expect(s).toMatchObject({
        virtual_network_name: 'vnet-spoke-prod',
        resource_group_name: 'rg-hub-spoke',
      });
    const nsgs = Object.values(resourcesOf(json, 'azurerm_network_security_group'));
    expect(nsgs).toHaveLength(2);
    for (const n of nsgs) {
      expect(n.resource_group_name).toBe('rg-test');
      expect(n.location).toMatch(/^\$\{data\.azurerm_virtual_network\..*\.location\}$/);
    }
  });

  test('bring your own VNet: the given address space still checks the subnets', () => {
    expect(
      validationProblems(props({ existingVirtualNetworkId: EXISTING_VNET_ID, addressSpace: '10.50.0.0/16' })),
    ).toEqual([
      'props.subnets.privateEndpoints: 10.40.1.0/24 is outside the address space 10.50.0.0/16',
      'props.subnets.agents: 10.40.3.0/24 is outside the address space 10.50.0.0/16',
    ]);
  });

  test('fails when the existing VNet id is not a VNet id', () => {
    expect(
      validationProblems(props({ existingVirtualNetworkId: '/subscriptions/x/resourceGroups/rg' })),
    ).toEqual([
      'props.existingVirtualNetworkId: "/subscriptions/x/resourceGroups/rg" is not a virtual network id: /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>',
    ]);
  });

  test('fails when a new VNet has no address space', () => {
    expect(validationProblems(props({ addressSpace: undefined }))).toEqual([
      'props.addressSpace: is required when creating a virtual network',
    ]);
  });

  test('fails when the VNet name breaks the naming rule', () => {
    expect(validationProblems(props({ name: 'VNet_Test' }))).toEqual([
      'props.name: virtual network name "VNet_Test" breaks the rule: 2-64 lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
    ]);
  });

  test('fails when a subnet is outside the address space', () => {
    const p = props({ subnets: { privateEndpoints: { name: 'snet-pep', addressPrefix: '10.41.1.0/24' } } });
    expect(validationProblems(p)).toEqual([
      'props.subnets.privateEndpoints: 10.41.1.0/24 is outside the address space 10.40.0.0/16',
    ]);
  });

  test('fails when subnets overlap', () => {
    const p = props({
      subnets: {
        privateEndpoints: { name: 'snet-pep', addressPrefix: '10.40.1.0/24' },
        agents: { name: 'snet-agents', addressPrefix: '10.40.1.64/26' },
      },
    });
    expect(validationProblems(p)).toEqual([
      'props.subnets.agents: 10.40.1.64/26 overlaps subnets.privateEndpoints (10.40.1.0/24): subnets of one network must not share addresses',
    ]);
  });

  test('fails when the private endpoint subnet is smaller than /28', () => {
    const p = props({ subnets: { privateEndpoints: { name: 'snet-pep', addressPrefix: '10.40.1.0/29' } } });
    expect(validationProblems(p)).toEqual([
      'props.subnets.privateEndpoints: 10.40.1.0/29 is too small (8 addresses): at least /28 (16 addresses) is needed because every private endpoint takes one address and an environment has about ten (a /28 leaves 11)',
    ]);
  });

  test('fails when the API Management v2 subnet is smaller than /27', () => {
    const p = props({
      subnets: {
        ...props().subnets,
        apim: { name: 'snet-apim', addressPrefix: '10.40.2.0/28', mode: 'v2-integration' },
      },
    });
    expect(validationProblems(p)).toEqual([
      'props.subnets.apim: 10.40.2.0/28 is too small (16 addresses): at least /27 (32 addresses) is needed because API Management v2 virtual network integration needs at least /27 (/24 recommended to scale)',
    ]);
  });

  test('fails when the classic API Management subnet is smaller than /29', () => {
    const p = props({
      subnets: {
        ...props().subnets,
        apim: { name: 'snet-apim', addressPrefix: '10.40.2.0/30', mode: 'classic-injection' },
      },
    });
    expect(validationProblems(p)).toEqual([
      'props.subnets.apim: 10.40.2.0/30 is too small (4 addresses): at least /29 (8 addresses) is needed because API Management (Developer/Premium) injection needs a /29 for one unit: Azure reserves 5 addresses, each unit takes 2, an internal load balancer 1',
    ]);
  });

  test('reports every problem at once', () => {
    const p = props({
      name: 'x',
      subnets: { privateEndpoints: { name: 'snet-pep', addressPrefix: '10.41.1.0/29' } },
    });
    expect(validationProblems(p).map((x) => x.split(': ')[0])).toEqual([
      'props.name',
      'props.subnets.privateEndpoints',
      'props.subnets.privateEndpoints',
    ]);
  });
});

describe('NetworkSubnet', () => {
  const vnet = { id: 'vnet-id', name: 'vnet-test', resourceGroupName: 'rg-test', location: 'swedencentral' };
  const rule = {
    name: 'AllowX',
    priority: 200,
    direction: 'Inbound' as const,
    access: 'Allow' as const,
    sourceAddressPrefix: 'VirtualNetwork',
    destinationAddressPrefix: 'VirtualNetwork',
    destinationPortRanges: ['8080', '8443'],
    description: 'x',
  };

  test('writes several ports as destination_port_ranges and names the NSG after the subnet', () => {
    const stack = testStack();
    new NetworkSubnet(stack, 'Subnet', {
      virtualNetwork: vnet,
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'snet-llmops-prod-x-sdc',
      addressPrefix: '10.40.9.0/24',
      securityRules: [rule],
    });
    const nsg = Object.values(resourcesOf(synthStack(stack), 'azurerm_network_security_group'))[0]!;
    expect(nsg.name).toBe('nsg-llmops-prod-x-sdc');
    expect((nsg.security_rule as Attributes[])[0]).toMatchObject({
      destination_port_ranges: ['8080', '8443'],
      destination_port_range: null,
    });
  });

  test('fails when a rule priority is out of range or repeats another rule', () => {
    const make = () =>
      new NetworkSubnet(testStack(), 'Subnet', {
        virtualNetwork: vnet,
        resourceGroup: TEST_RESOURCE_GROUP,
        name: 'snet-x',
        addressPrefix: '10.40.9.0/24',
        securityRules: [rule, { ...rule, name: 'AllowY' }, { ...rule, name: 'AllowZ', priority: 4096 }],
      });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(
      /securityRules\[1\]: Inbound rule "AllowY" \(priority 200\) repeats the name or priority of securityRules\[0\]/,
    );
    expect(make).toThrow(/securityRules\[2\]\.priority: 4096 is out of range: allowed 100-4095/);
  });
});
