import { ValidationError } from '../../constructs/core/errors';
import { resolveTokens } from '../../constructs/core/resolve';
import {
  DENY_INTERNET_INBOUND,
  NetworkSubnet,
  type NetworkSubnetProps,
  type SecurityRuleProps,
} from '../../constructs/network/subnet';
import { type Attributes, onlyResource, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const VNET = {
  id: '/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-test',
  name: 'vnet-test',
  resourceGroupName: 'rg-net',
  location: 'westeurope',
};

const REQUIRED: NetworkSubnetProps = {
  virtualNetwork: VNET,
  resourceGroup: TEST_RESOURCE_GROUP,
  name: 'snet-llmops-prod-x-sdc',
  addressPrefix: '10.40.9.0/24',
};

const rule = (overrides: Partial<SecurityRuleProps> = {}): SecurityRuleProps => ({
  name: 'AllowHttps',
  priority: 200,
  direction: 'Inbound',
  access: 'Allow',
  sourceAddressPrefix: 'VirtualNetwork',
  destinationAddressPrefix: 'VirtualNetwork',
  destinationPortRanges: ['443'],
  description: 'https inside the network',
  ...overrides,
});

function synth(props: Partial<NetworkSubnetProps> = {}) {
  const stack = testStack();
  const subnet = new NetworkSubnet(stack, 'Subnet', { ...REQUIRED, ...props });
  const json = synthStack(stack);
  return {
    subnet,
    json,
    resource: onlyResource(json, 'azurerm_subnet'),
    nsg: onlyResource(json, 'azurerm_network_security_group'),
  };
}

function problemsOf(securityRules: SecurityRuleProps[]): string[] {
  try {
    synth({ securityRules });
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('NetworkSubnet', () => {
  test('defaults: a subnet in the network, its own NSG denying internet inbound, and the association', () => {
    // GIVEN only the required props
    const { json, resource, nsg } = synth();
    // THEN the subnet lives in the network's group; endpoint policies off, no implicit outbound access
    expect(resource).toEqual({
      name: 'snet-llmops-prod-x-sdc',
      resource_group_name: 'rg-net',
      virtual_network_name: 'vnet-test',
      address_prefixes: ['10.40.9.0/24'],
      private_endpoint_network_policies: 'Disabled',
      default_outbound_access_enabled: false,
    });
    // AND the NSG is named after the subnet, in the environment's group and the network's region
    expect(nsg).toMatchObject({
      name: 'nsg-llmops-prod-x-sdc',
      resource_group_name: 'rg-test',
      location: 'westeurope',
    });
    expect(nsg.security_rule).toEqual([
      expect.objectContaining({
        name: 'DenyInternetInbound',
        priority: 4096,
        direction: 'Inbound',
        access: 'Deny',
        protocol: '*',
        source_port_range: '*',
        source_address_prefix: 'Internet',
        destination_address_prefix: '*',
        destination_port_range: '*',
        description: 'No inbound traffic from the internet',
      }),
    ]);
    expect(onlyResource(json, 'azurerm_subnet_network_security_group_association')).toEqual({
      subnet_id: `\${azurerm_subnet.Subnet.id}`,
      network_security_group_id: `\${azurerm_network_security_group.Subnet_SecurityGroup_24BF6AD9.id}`,
    });
  });

  test('all props: NSG name, rules before the deny, delegation, endpoint policies, outbound access', () => {
    // GIVEN every optional prop
    const { subnet, resource, nsg } = synth({
      securityGroupName: 'nsg-custom',
      securityRules: [
        rule(),
        rule({ name: 'AllowDns', priority: 210, protocol: 'Udp', destinationPortRanges: ['53'] }),
      ],
      delegation: 'Microsoft.Web/serverFarms',
      privateEndpointNetworkPoliciesEnabled: true,
      defaultOutboundAccessEnabled: false,
    });
    // THEN each shows
    expect(resource).toMatchObject({
      private_endpoint_network_policies: 'Enabled',
      default_outbound_access_enabled: false,
      delegation: [
        {
          name: 'Microsoft.Web.serverFarms',
          service_delegation: {
            name: 'Microsoft.Web/serverFarms',
            actions: ['Microsoft.Network/virtualNetworks/subnets/action'],
          },
        },
      ],
    });
    expect(nsg.name).toBe('nsg-custom');
    const rules = nsg.security_rule as Attributes[];
    expect(rules.map((r) => [r.name, r.priority, r.protocol])).toEqual([
      ['AllowHttps', 200, 'Tcp'],
      ['AllowDns', 210, 'Udp'],
      ['DenyInternetInbound', 4096, '*'],
    ]);
    expect(resolveTokens(subnet, subnet.subnetId)).toBe(`\${azurerm_subnet.Subnet.id}`);
  });

  test('one port is written as destination_port_range, several as destination_port_ranges', () => {
    const { nsg } = synth({ securityRules: [rule({ destinationPortRanges: ['8080', '8443'] })] });
    const [custom, deny] = nsg.security_rule as Attributes[];
    expect(custom).toMatchObject({ destination_port_ranges: ['8080', '8443'], destination_port_range: null });
    expect(deny).toMatchObject({ destination_port_range: '*', destination_port_ranges: null });
  });

  test('the internet deny is the last word: it sits at the lowest priority Azure allows', () => {
    expect(DENY_INTERNET_INBOUND).toMatchObject({
      priority: 4096,
      access: 'Deny',
      sourceAddressPrefix: 'Internet',
    });
  });

  test('the same priority in the other direction is allowed', () => {
    const { nsg } = synth({ securityRules: [rule(), rule({ name: 'AllowOut', direction: 'Outbound' })] });
    expect((nsg.security_rule as Attributes[]).map((r) => [r.name, r.direction, r.priority])).toEqual([
      ['AllowHttps', 'Inbound', 200],
      ['AllowOut', 'Outbound', 200],
      ['DenyInternetInbound', 'Inbound', 4096],
    ]);
  });

  describe('validation', () => {
    test.each([99, 4096, 150.5])('fails when a rule priority is %s', (priority) => {
      expect(problemsOf([rule({ priority })])).toEqual([
        `props.securityRules[0].priority: ${priority} is out of range: allowed 100-4095 (4096 is the internet deny)`,
      ]);
    });

    test('fails when two rules of one direction share a priority', () => {
      expect(problemsOf([rule(), rule({ name: 'AllowOther' })])).toEqual([
        'props.securityRules[1]: Inbound rule "AllowOther" (priority 200) repeats the name or priority of securityRules[0]',
      ]);
    });

    test('fails when two rules share a name, even in different directions (names are unique per NSG)', () => {
      expect(problemsOf([rule(), rule({ direction: 'Outbound', priority: 300 })])).toEqual([
        'props.securityRules[1]: Outbound rule "AllowHttps" (priority 300) repeats the name or priority of securityRules[0]',
      ]);
    });

    test('fails when a rule takes the name of the internet deny rule', () => {
      expect(problemsOf([rule({ name: 'DenyInternetInbound' })])).toEqual([
        'props.securityRules[0].name: "DenyInternetInbound" is the name of the internet deny rule every subnet gets: choose another name',
      ]);
    });

    test('fails with every problem at once, naming the subnet', () => {
      const rules = [rule({ priority: 50 }), rule({ priority: 50 })];
      expect(() => synth({ securityRules: rules })).toThrow('Invalid NetworkSubnet "test/Subnet"');
      expect(problemsOf(rules).map((p) => p.split(': ')[0])).toEqual([
        'props.securityRules[0].priority',
        'props.securityRules[1].priority',
        'props.securityRules[1]',
      ]);
    });
  });
});
