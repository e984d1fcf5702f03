import { ValidationError } from '../../constructs/core/errors';
import { NatGateway } from '../../constructs/network/nat-gateway';
import { NetworkSubnet } from '../../constructs/network/subnet';
import { onlyResource, resourcesOf, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const VNET = { id: '/vnet', name: 'vnet-test', resourceGroupName: 'rg-net', location: 'swedencentral' };

function build(props: { idleTimeoutMinutes?: number; name?: string; withSubnet?: boolean } = {}) {
  const stack = testStack();
  const agents = new NetworkSubnet(stack, 'Agents', {
    virtualNetwork: VNET,
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'snet-agents',
    addressPrefix: '10.0.3.0/24',
  });
  const nat = new NatGateway(stack, 'Egress', {
    resourceGroup: TEST_RESOURCE_GROUP,
    name: props.name ?? 'ng-llmops-prod',
    publicIpName: 'pip-llmops-prod-egress',
    subnets: props.withSubnet === false ? {} : { agents },
    idleTimeoutMinutes: props.idleTimeoutMinutes,
  });
  return { stack, nat };
}

describe('NatGateway', () => {
  test('defaults: a Standard regional gateway with one static Standard public IP, associated with each subnet', () => {
    const json = synthStack(build().stack);
    expect(onlyResource(json, 'azurerm_nat_gateway')).toMatchObject({
      name: 'ng-llmops-prod',
      sku_name: 'Standard',
      idle_timeout_in_minutes: 4,
    });
    expect(onlyResource(json, 'azurerm_nat_gateway')).not.toHaveProperty('zones');
    expect(onlyResource(json, 'azurerm_public_ip')).toMatchObject({
      name: 'pip-llmops-prod-egress',
      allocation_method: 'Static',
      sku: 'Standard',
    });
    expect(onlyResource(json, 'azurerm_nat_gateway_public_ip_association')).toEqual(
      expect.objectContaining({
        nat_gateway_id: `\${azurerm_nat_gateway.Egress.id}`,
        public_ip_address_id: `\${azurerm_public_ip.Egress_PublicIp_2879127F.id}`,
      }),
    );
    expect(Object.values(resourcesOf(json, 'azurerm_subnet_nat_gateway_association'))).toEqual([
      expect.objectContaining({
        subnet_id: `\${azurerm_subnet.Agents.id}`,
        nat_gateway_id: `\${azurerm_nat_gateway.Egress.id}`,
      }),
    ]);
  });

  test('fails with every problem at once: name, idle timeout, no subnet', () => {
    let caught: unknown;
    try {
      build({ name: '-bad-', idleTimeoutMinutes: 2, withSubnet: false });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'props.name: NAT gateway name "-bad-" breaks the rule: 1-80 lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
      'props.idleTimeoutMinutes: 2 is out of range: allowed 4-120 minutes',
      'props.subnets: name at least one subnet',
    ]);
  });
});
