import { Construct } from 'constructs';
import type { PrivateEndpointProps } from '../core/private-endpoint';
import type { IResourceGroup } from '../core/props';
import { PrivateDnsZones } from './private-dns-zones';
import { VirtualNetwork, type VirtualNetworkSubnetsProps } from './virtual-network';

/** Properties of {@link PrivateNetwork}. */
export interface PrivateNetworkProps {
  readonly resourceGroup: IResourceGroup;
  /** Name of the virtual network to create (ignored with `existingVirtualNetworkId`). Forces replacement. */
  readonly name: string;
  /**
   * Address space of the virtual network; with an existing network, its space, used only for checks.
   * @default - required unless `existingVirtualNetworkId` is given
   */
  readonly addressSpace?: string;
  readonly subnets: VirtualNetworkSubnetsProps;
  /**
   * Bring your own virtual network: only subnets and NSGs are created in it.
   * @default - a new virtual network
   */
  readonly existingVirtualNetworkId?: string;
  /**
   * Bring your own private DNS zones (hub-and-spoke): id of the resource group that holds them.
   * @default - every zone in ALL_PRIVATE_DNS_ZONES is created and linked to the network
   */
  readonly existingDnsZoneResourceGroupId?: string;
  /**
   * Private DNS zones to create or reference.
   * @default ALL_PRIVATE_DNS_ZONES
   */
  readonly dnsZones?: readonly string[];
}

/**
 * The network of a private environment: a {@link VirtualNetwork} (subnets with NSGs) and the
 * {@link PrivateDnsZones} linked to it. Hands every PaaS construct the same
 * {@link PrivateEndpointProps} through {@link PrivateNetwork.privateEndpointProps}.
 *
 * Data-plane endpoints (search indexes, blob containers, model inference) then resolve to private
 * addresses and are reachable only from inside the network or a peered one: deploy from self-hosted
 * runners in the agents subnet.
 */
export class PrivateNetwork extends Construct {
  public readonly virtualNetwork: VirtualNetwork;
  public readonly dnsZones: PrivateDnsZones;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    this.virtualNetwork = new VirtualNetwork(this, 'VirtualNetwork', {
      resourceGroup: props.resourceGroup,
      name: props.name,
      addressSpace: props.addressSpace,
      subnets: props.subnets,
      existingVirtualNetworkId: props.existingVirtualNetworkId,
    });
    this.dnsZones = new PrivateDnsZones(this, 'DnsZones', {
      resourceGroup: props.resourceGroup,
      virtualNetwork: this.virtualNetwork,
      zones: props.dnsZones,
      existingDnsZoneResourceGroupId: props.existingDnsZoneResourceGroupId,
    });
  }

  /** Zone ids by zone name. */
  get dnsZoneIds(): Readonly<Record<string, string>> {
    return this.dnsZones.dnsZoneIds;
  }

  /** ARM id of the subnet holding the private endpoints. */
  get privateEndpointSubnetId(): string {
    return this.virtualNetwork.privateEndpointSubnetId;
  }

  /**
   * What to pass as `privateEndpoint` to every PaaS construct: the private endpoint subnet, the zone
   * ids, and the network's region (private endpoints must be in the virtual network's region).
   */
  privateEndpointProps(): PrivateEndpointProps {
    return {
      subnetId: this.privateEndpointSubnetId,
      dnsZoneIds: this.dnsZoneIds,
      location: this.virtualNetwork.location,
    };
  }
}
