import { DataAzurermVirtualNetwork } from '@cdktf/provider-azurerm/lib/data-azurerm-virtual-network';
import { VirtualNetwork as VirtualNetworkResource } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Problems } from '../core/errors';
import { checkName } from '../core/naming';
import type { IResourceGroup } from '../core/props';
import { checkAddressPlan } from './cidr';
import { parseVirtualNetworkId } from './network-ids';
import { APIM_SUBNET_REQUIREMENTS, type ApimNetworkMode, networkAddressPlan } from './network-plan';
import { type IVirtualNetwork, NetworkSubnet, type SecurityRuleProps } from './subnet';

export { parseVirtualNetworkId, type VirtualNetworkIdParts } from './network-ids';
export {
  APIM_SUBNET_REQUIREMENTS,
  type ApimNetworkMode,
  apimNetworkModeForSku,
  type NetworkAddressPlanInput,
  networkAddressPlan,
  PRIVATE_ENDPOINT_SUBNET_MAX_PREFIX_LENGTH,
} from './network-plan';

/** A subnet: its name and range. */
export interface SubnetSpec {
  /** Subnet name, unique in the virtual network. Forces replacement. */
  readonly name: string;
  /** Range inside the address space, e.g. `10.40.1.0/24`. */
  readonly addressPrefix: string;
}

/** The API Management subnet: a subnet plus how API Management attaches to it. */
export interface ApimSubnetSpec extends SubnetSpec {
  readonly mode: ApimNetworkMode;
}

/** The subnets of a {@link VirtualNetwork}. */
export interface VirtualNetworkSubnetsProps {
  /** Holds every private endpoint: at least /28. NSG and route policies apply to the endpoints. */
  readonly privateEndpoints: SubnetSpec;
  /** @default - no API Management subnet (no gateway, or a tier that cannot join a network) */
  readonly apim?: ApimSubnetSpec;
  /**
   * Self-hosted CI runners (or build agents) that deploy data-plane objects, which are reachable only
   * inside the network.
   * @default - no agents subnet (runners live in a peered network)
   */
  readonly agents?: AgentsSubnetSpec;
}

/** The agents (runner) subnet: a subnet plus how it reaches the internet and Azure services. */
export interface AgentsSubnetSpec extends SubnetSpec {
  /**
   * Implicit outbound internet access. Runners need GitHub: give the subnet a NAT gateway
   * (`NatGateway`) and leave this off.
   * @default false
   */
  readonly defaultOutboundAccessEnabled?: boolean;
  /** @default - none */
  readonly serviceEndpoints?: readonly string[];
}

/** Properties of {@link VirtualNetwork}. */
export interface VirtualNetworkProps {
  readonly resourceGroup: IResourceGroup;
  /** Name of the virtual network to create. Ignored with `existingVirtualNetworkId`. Forces replacement. */
  readonly name: string;
  /**
   * Address space of the virtual network. With `existingVirtualNetworkId`, the existing network's space
   * (or the part of it this environment owns), used only to check the subnets.
   * @default - required when creating the network; unchecked with an existing one
   */
  readonly addressSpace?: string;
  readonly subnets: VirtualNetworkSubnetsProps;
  /**
   * Bring your own virtual network (hub-and-spoke landing zones): its ARM id. Only the subnets and
   * their NSGs are created in it; the network is read with a data source for its region.
   * @default - a new virtual network
   */
  readonly existingVirtualNetworkId?: string;
}

/**
 * A virtual network (new, or an existing one) with the subnets a private environment needs, each with
 * its own NSG: private endpoints (NSG policies on), API Management (delegated per tier, with the
 * management rules classic injection needs) and self-hosted agents.
 *
 * Validates the address plan before creating anything: ranges parse, subnets lie inside the address
 * space, do not overlap and are large enough for their workload.
 *
 * @see https://learn.microsoft.com/azure/virtual-network/virtual-networks-overview
 */
export class VirtualNetwork extends Construct implements IVirtualNetwork {
  /** The created network; undefined with an existing one. */
  public readonly network?: VirtualNetworkResource;
  public readonly privateEndpointSubnet: NetworkSubnet;
  public readonly apimSubnet?: NetworkSubnet;
  public readonly agentsSubnet?: NetworkSubnet;
  /** How API Management attaches, when there is an API Management subnet. */
  public readonly apimMode?: ApimNetworkMode;
  public readonly id: string;
  public readonly name: string;
  public readonly resourceGroupName: string;
  public readonly location: string;

  constructor(scope: Construct, id: string, props: VirtualNetworkProps) {
    super(scope, id);
    const existing = props.existingVirtualNetworkId;
    const problems = new Problems('props');
    const parts = existing === undefined ? undefined : parseVirtualNetworkId(existing);
    if (existing !== undefined) {
      problems.check(
        parts !== undefined,
        'existingVirtualNetworkId',
        Token.isUnresolved(existing)
          ? 'must be a literal id (its name and resource group are needed at synth), not a reference'
          : `${JSON.stringify(existing)} is not a virtual network id: /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>`,
      );
    }
    if (existing === undefined) {
      const nameProblem = checkName('virtualNetwork', props.name);
      if (nameProblem) problems.add('name', nameProblem.message);
      problems.check(
        props.addressSpace !== undefined,
        'addressSpace',
        'is required when creating a virtual network',
      );
    }
    checkAddressPlan(
      networkAddressPlan({
        addressSpace: props.addressSpace,
        privateEndpoints: props.subnets.privateEndpoints.addressPrefix,
        apim: props.subnets.apim,
        agents: props.subnets.agents?.addressPrefix,
      }),
      problems,
    );
    problems.throwIfAny(`Invalid VirtualNetwork "${this.node.path}"`);

    if (existing === undefined) {
      this.network = new VirtualNetworkResource(this, 'Default', {
        name: props.name,
        resourceGroupName: props.resourceGroup.name,
        location: props.resourceGroup.location,
        addressSpace: [props.addressSpace!],
      });
      this.id = this.network.id;
      this.name = this.network.name;
      this.resourceGroupName = props.resourceGroup.name;
      this.location = props.resourceGroup.location;
    } else {
      const { name, resourceGroupName } = parts!;
      const data = new DataAzurermVirtualNetwork(this, 'Existing', { name, resourceGroupName });
      this.id = existing;
      this.name = name;
      this.resourceGroupName = resourceGroupName;
      this.location = data.location;
    }

    const common = { virtualNetwork: this as IVirtualNetwork, resourceGroup: props.resourceGroup };
    this.privateEndpointSubnet = new NetworkSubnet(this, 'PrivateEndpoints', {
      ...common,
      ...props.subnets.privateEndpoints,
      privateEndpointNetworkPoliciesEnabled: true,
      defaultOutboundAccessEnabled: false,
      securityRules: [
        {
          ...ALLOW_VNET_HTTPS_INBOUND,
          description: 'Clients in the network (and peered networks) reach the private endpoints over HTTPS',
        },
      ],
    });

    const apim = props.subnets.apim;
    if (apim) {
      this.apimMode = apim.mode;
      this.apimSubnet = new NetworkSubnet(this, 'Apim', {
        ...common,
        name: apim.name,
        addressPrefix: apim.addressPrefix,
        delegation: APIM_SUBNET_REQUIREMENTS[apim.mode].delegation,
        securityRules: APIM_SECURITY_RULES[apim.mode],
      });
    }
    if (props.subnets.agents) {
      this.agentsSubnet = new NetworkSubnet(this, 'Agents', { ...common, ...props.subnets.agents });
    }
  }

  /** ARM id of the private endpoint subnet. */
  get privateEndpointSubnetId(): string {
    return this.privateEndpointSubnet.subnetId;
  }
}

const ALLOW_VNET_HTTPS_INBOUND: SecurityRuleProps = {
  name: 'AllowVirtualNetworkHttpsInbound',
  priority: 100,
  direction: 'Inbound',
  access: 'Allow',
  sourceAddressPrefix: 'VirtualNetwork',
  destinationAddressPrefix: 'VirtualNetwork',
  destinationPortRanges: ['443'],
  description: 'Clients in the network (and peered networks) call the gateway',
};

/**
 * NSG rules per API Management mode. Outbound dependencies (Storage, SQL, Key Vault, Azure Monitor) are
 * covered by Azure's default outbound rules; an egress firewall must allow them.
 *
 * @see https://learn.microsoft.com/azure/api-management/virtual-network-reference
 */
const APIM_SECURITY_RULES: Readonly<Record<ApimNetworkMode, readonly SecurityRuleProps[]>> = {
  'classic-injection': [
    ALLOW_VNET_HTTPS_INBOUND,
    {
      name: 'AllowApimManagementInbound',
      priority: 110,
      direction: 'Inbound',
      access: 'Allow',
      sourceAddressPrefix: 'ApiManagement',
      destinationAddressPrefix: 'VirtualNetwork',
      destinationPortRanges: ['3443'],
      description: 'Management endpoint for the Azure portal and ARM (required)',
    },
    {
      name: 'AllowAzureLoadBalancerInbound',
      priority: 120,
      direction: 'Inbound',
      access: 'Allow',
      sourceAddressPrefix: 'AzureLoadBalancer',
      destinationAddressPrefix: 'VirtualNetwork',
      destinationPortRanges: ['6390'],
      description: 'Azure infrastructure load balancer health probes (required)',
    },
  ],
  'v2-integration': [],
  'v2-injection': [ALLOW_VNET_HTTPS_INBOUND],
};
