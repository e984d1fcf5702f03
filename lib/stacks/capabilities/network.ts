import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { NatGateway } from '../../../constructs/network/nat-gateway';
import { PrivateNetwork } from '../../../constructs/network/private-network';
import { apimNetworkMode } from '../../config/sections/network';
import { runnerSubnetName } from '../common';
import type { EnvironmentInputs } from './inputs';

/** What {@link addNetwork} reads: only the environment itself. */
export type NetworkInputs = EnvironmentInputs;

/**
 * The network of a private environment: VNet (or subnets in an existing one), NSGs, private DNS zones
 * (or references to a hub's), and the NAT gateway when `network.egress.natGateway` is on. Public
 * environments get none: returns undefined.
 *
 * Add it before any PaaS capability; they take the returned network and put their private endpoints in
 * it (`network.privateEndpointProps()`). The API Management subnet exists only when the gateway is
 * enabled and its tier can join a network ({@link apimNetworkMode}); its mode is
 * `network.virtualNetwork.apimMode`.
 */
export function addNetwork(scope: Construct, inputs: NetworkInputs): PrivateNetwork | undefined {
  const { config: env, naming, resourceGroup } = inputs;
  const n = env.network;
  if (n.mode !== 'private') return undefined;
  const apimMode = apimNetworkMode(env);
  const network = new PrivateNetwork(scope, 'Network', {
    resourceGroup,
    name: naming.name('virtualNetwork'),
    addressSpace: n.addressSpace,
    existingVirtualNetworkId: n.existingVirtualNetworkId,
    existingDnsZoneResourceGroupId: n.existingDnsZoneResourceGroupId,
    subnets: {
      privateEndpoints: { name: naming.name('subnet', 'pep'), addressPrefix: n.subnets.privateEndpoints },
      apim: apimMode
        ? { name: naming.name('subnet', 'apim'), addressPrefix: n.subnets.apim, mode: apimMode }
        : undefined,
      agents: {
        name: runnerSubnetName(env),
        addressPrefix: n.subnets.agents,
        // Without a NAT gateway the runners keep implicit outbound access (they need GitHub); the
        // egress-restricted rule rejects that in production.
        defaultOutboundAccessEnabled: !n.egress.natGateway,
        // The Terraform state account admits the runner subnet through this endpoint (state-private).
        serviceEndpoints: env.state.backend === 'azurerm' ? ['Microsoft.Storage'] : undefined,
      },
    },
  });
  if (n.egress.natGateway) {
    // Explicit egress, a static address, no implicit access: for the runners (GitHub, package registries)
    // and for an integrated gateway (Standard v2 outbound through its subnet: Microsoft Entra ID for its
    // managed identity, Application Insights), whose subnet has default outbound access off too.
    const apimSubnet = network.virtualNetwork.apimSubnet;
    new NatGateway(scope, 'Egress', {
      resourceGroup,
      name: naming.name('natGateway'),
      publicIpName: naming.name('publicIp', 'egress'),
      subnets: {
        agents: network.virtualNetwork.agentsSubnet!,
        ...(apimSubnet && network.virtualNetwork.apimMode === 'v2-integration' ? { apim: apimSubnet } : {}),
      },
    });
  }
  new TerraformOutput(scope, 'virtual_network_id', { value: network.virtualNetwork.id });
  new TerraformOutput(scope, 'agents_subnet_id', {
    value: network.virtualNetwork.agentsSubnet!.subnetId,
    description: 'Place the self-hosted runners that deploy this environment here',
  });
  return network;
}
