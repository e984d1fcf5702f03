import { NatGateway } from '../../constructs/network/nat-gateway';
import { NetworkSubnet } from '../../constructs/network/subnet';
import { EgressRestrictedRule, suppressPolicy } from '../../constructs/policy';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const RUNNERS = 'snet-runners';
const productionPrivate = () =>
  new EgressRestrictedRule({ profile: 'production', networkMode: 'private', runnerSubnetName: RUNNERS });
const VNET = { id: '/vnet', name: 'vnet-test', resourceGroupName: 'rg-net', location: 'westeurope' };

describe('policy rule egress-restricted', () => {
  test('passes for subnets with the construct default and a runner subnet behind a NatGateway', () => {
    // GIVEN an endpoint subnet and a runner subnet, both without default outbound access, the runners behind NAT
    const stack = stackWith(productionPrivate());
    new NetworkSubnet(stack, 'Endpoints', {
      virtualNetwork: VNET,
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'snet-pep',
      addressPrefix: '10.0.1.0/24',
    });
    const runners = new NetworkSubnet(stack, 'Runners', {
      virtualNetwork: VNET,
      resourceGroup: TEST_RESOURCE_GROUP,
      name: RUNNERS,
      addressPrefix: '10.0.2.0/24',
    });
    new NatGateway(stack, 'Egress', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'ng-test',
      publicIpName: 'pip-test',
      subnets: { runners },
    });
    rawResource(stack, 'Models', 'azurerm_cognitive_account', {
      outbound_network_access_restricted: true,
      fqdns: ['srch-test.search.windows.net'],
    });
    // THEN nothing is found
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails for an AI Services account whose outbound access is not restricted', () => {
    const stack = stackWith(productionPrivate());
    rawResource(stack, 'Models', 'azurerm_cognitive_account', { outbound_network_access_restricted: false });
    expect(synthError(stack)).toContain(
      '[policy egress-restricted] test/Models (azurerm_cognitive_account.Models): outbound network access is not restricted: set outbound_network_access_restricted = true and list the hosts it may call in network.azure.egress.allowedFqdns',
    );
  });

  test('fails for a subnet that leaves default outbound access to the provider default (on)', () => {
    const stack = stackWith(productionPrivate());
    rawResource(stack, 'Subnet', 'azurerm_subnet', { name: 'snet-other' });
    expect(synthError(stack)).toContain(
      'test/Subnet (azurerm_subnet.Subnet): default outbound access is on (the provider default): set default_outbound_access_enabled = false',
    );
  });

  test('fails for the runner subnet without a NAT gateway, reporting both problems', () => {
    const stack = stackWith(productionPrivate());
    rawResource(stack, 'Runners', 'azurerm_subnet', { name: RUNNERS, default_outbound_access_enabled: true });
    expect(synthError(stack)).toContain(
      'test/Runners (azurerm_subnet.Runners): default outbound access is on (the provider default): set default_outbound_access_enabled = false and give the subnet explicit egress where it needs the internet; the runner subnet has no NAT gateway: its runners need GitHub through explicit egress (network.azure.egress.natGateway: true)',
    );
  });

  test.each([
    ['development', 'private'],
    ['production', 'public'],
  ] as const)('does not apply to a %s %s environment', (profile, networkMode) => {
    const stack = stackWith(new EgressRestrictedRule({ profile, networkMode, runnerSubnetName: RUNNERS }));
    rawResource(stack, 'Runners', 'azurerm_subnet', { name: RUNNERS });
    rawResource(stack, 'Models', 'azurerm_cognitive_account', {});
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    const stack = stackWith(productionPrivate());
    const runners = rawResource(stack, 'Runners', 'azurerm_subnet', {
      name: RUNNERS,
      default_outbound_access_enabled: false,
    });
    suppressPolicy(
      runners,
      'egress-restricted',
      'egress through the hub firewall (user-defined route 0.0.0.0/0)',
    );
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'egress-restricted',
        suppressedBecause: 'egress through the hub firewall (user-defined route 0.0.0.0/0)',
      }),
    ]);
  });
});
