import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Problems } from '../core/errors';
import { ALL_PRIVATE_DNS_ZONES } from '../core/private-endpoint';
import type { IResourceGroup } from '../core/props';
import { isResourceGroupId } from './network-ids';
import type { IVirtualNetwork } from './subnet';

export { isResourceGroupId } from './network-ids';

/** Properties of {@link PrivateDnsZones}. */
export interface PrivateDnsZonesProps {
  /** Where the zones are created (ignored with `existingDnsZoneResourceGroupId`). */
  readonly resourceGroup: IResourceGroup;
  /** The network the zones resolve in: every created zone is linked to it. */
  readonly virtualNetwork: IVirtualNetwork;
  /**
   * Zone names.
   * @default ALL_PRIVATE_DNS_ZONES - every zone a construct of this project asks for
   */
  readonly zones?: readonly string[];
  /**
   * Bring your own zones (hub-and-spoke): id of the resource group that holds them, usually in the
   * connectivity subscription. No zone is created; zone ids point into that group by name. Linking
   * the zones to the network (or resolving through a hub DNS resolver) is the hub owner's job.
   * @default - zones are created in `resourceGroup` and linked to the network
   */
  readonly existingDnsZoneResourceGroupId?: string;
  /**
   * Link the existing zones to this network too (needs write access to the hub's zones).
   * @default false
   */
  readonly linkExistingZones?: boolean;
}

const ZONE_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The private DNS zones private endpoints register in, each linked to the network, or references to
 * existing zones of a hub. Hands out `dnsZoneIds` keyed by zone name, the shape
 * `PrivateEndpointProps.dnsZoneIds` takes.
 *
 * @see https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 * @see https://learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-best-practices/private-link-and-dns-integration-at-scale
 */
export class PrivateDnsZones extends Construct {
  /** Zone ids by zone name. */
  public readonly dnsZoneIds: Readonly<Record<string, string>>;
  /** Created zones by name (empty with existing zones). */
  public readonly zones: Readonly<Record<string, PrivateDnsZone>>;
  /** Virtual network links by zone name. */
  public readonly links: Readonly<Record<string, PrivateDnsZoneVirtualNetworkLink>>;

  constructor(scope: Construct, id: string, props: PrivateDnsZonesProps) {
    super(scope, id);
    const zoneNames = [...(props.zones ?? ALL_PRIVATE_DNS_ZONES)];
    const existingRg = props.existingDnsZoneResourceGroupId;
    const problems = new Problems('props');
    zoneNames.forEach((z, i) => {
      problems.check(
        ZONE_NAME.test(z),
        `zones[${i}]`,
        `${JSON.stringify(z)} is not a DNS zone name (e.g. privatelink.vaultcore.azure.net)`,
      );
    });
    const duplicates = zoneNames.filter((z, i) => zoneNames.indexOf(z) !== i);
    problems.check(duplicates.length === 0, 'zones', `duplicate zones: ${duplicates.join(', ')}`);
    if (existingRg !== undefined && !Token.isUnresolved(existingRg)) {
      problems.check(
        isResourceGroupId(existingRg),
        'existingDnsZoneResourceGroupId',
        `${JSON.stringify(existingRg)} is not a resource group id: /subscriptions/<guid>/resourceGroups/<name>`,
      );
    }
    problems.throwIfAny(`Invalid PrivateDnsZones "${this.node.path}"`);

    const ids: Record<string, string> = {};
    const zones: Record<string, PrivateDnsZone> = {};
    const links: Record<string, PrivateDnsZoneVirtualNetworkLink> = {};
    for (const zoneName of zoneNames) {
      let zoneResourceGroup: string;
      if (existingRg === undefined) {
        const zone = new PrivateDnsZone(this, zoneName, {
          name: zoneName,
          resourceGroupName: props.resourceGroup.name,
        });
        zones[zoneName] = zone;
        ids[zoneName] = zone.id;
        zoneResourceGroup = props.resourceGroup.name;
      } else {
        ids[zoneName] = `${existingRg}/providers/Microsoft.Network/privateDnsZones/${zoneName}`;
        zoneResourceGroup = existingRg.split('/')[4] ?? existingRg;
        if (!props.linkExistingZones) continue;
      }
      links[zoneName] = new PrivateDnsZoneVirtualNetworkLink(this, `${zoneName}-link`, {
        name: `link-${props.virtualNetwork.name}`,
        resourceGroupName: zoneResourceGroup,
        privateDnsZoneName: zones[zoneName]?.name ?? zoneName,
        virtualNetworkId: props.virtualNetwork.id,
        registrationEnabled: false,
      });
    }
    this.dnsZoneIds = ids;
    this.zones = zones;
    this.links = links;
  }
}
