import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import { Problems } from './errors';
import { checkName } from './naming';
import { PRIVATE_DNS_ZONES } from './resource-types';

export { PRIVATE_DNS_ZONES, type PrivateLinkSubresource } from './resource-types';

/**
 * The one shared prop shape for private endpoints. Every PaaS construct takes
 * `privateEndpoint?: PrivateEndpointProps`; in a private environment the stack passes it and the
 * construct turns public network access off, in a public environment it is absent.
 *
 * The network construct (`PrivateNetwork.privateEndpointProps()`) builds it; a construct never creates
 * its own subnet or DNS zone.
 *
 * @see https://learn.microsoft.com/azure/private-link/private-endpoint-overview
 */
export interface PrivateEndpointProps {
  /** Id of the subnet that holds the private endpoint's network interface. */
  readonly subnetId: string;
  /**
   * Private DNS zone ids by zone name (`privatelink.vaultcore.azure.net` -> id). The construct picks the
   * zones its service needs ({@link PRIVATE_DNS_ZONES}); a missing one is an error naming the zone.
   */
  readonly dnsZoneIds: Readonly<Record<string, string>>;
  /** Resource group of the endpoint. @default - the resource's group */
  readonly resourceGroupName?: string;
  /**
   * Region of the endpoint: it must be the virtual network's region.
   * @default - the resource's region
   */
  readonly location?: string;
}

/** What one private endpoint connects: a resource, one of its sub-resources and the DNS zones that resolve it. */
export interface PrivateLinkTarget {
  /** ARM id of the resource. */
  readonly resourceId: string;
  /** Name of the resource, used for the endpoint's name. */
  readonly resourceName: string;
  /** Private link sub-resource (group id): `vault`, `blob`, `account`, `searchService`, `Gateway`, `amlworkspace`. */
  readonly subresource: string;
  /**
   * DNS zones that resolve the sub-resource.
   * @default - `PRIVATE_DNS_ZONES[subresource]` (an unknown sub-resource without zones is an error)
   */
  readonly dnsZones?: readonly string[];
  readonly resourceGroupName: string;
  readonly location: string;
}

/**
 * Creates the private endpoint of `target` with its DNS zone group, as a child of `scope` named
 * `PrivateEndpoint` (or `PrivateEndpoint<Subresource>` when a construct has several, e.g. a storage
 * account's `PrivateEndpointBlob` and `PrivateEndpointFile`). The endpoint is named
 * `pep-<resource name>-<sub-resource>`, its network interface `<endpoint name>-nic`.
 *
 * The DNS zone group makes Azure write the endpoint's A records into the private DNS zones, so the
 * service's public host name resolves to the private address inside the network.
 *
 * @throws ValidationError when `props.dnsZoneIds` lacks a zone the target needs, or the endpoint name
 * breaks the Azure naming rule.
 * @see https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 */
export function addPrivateEndpoint(
  scope: Construct,
  target: PrivateLinkTarget,
  props: PrivateEndpointProps,
  id = 'PrivateEndpoint',
): PrivateEndpoint {
  const problems = new Problems('privateEndpoint');
  const dnsZones: readonly string[] =
    target.dnsZones ??
    (PRIVATE_DNS_ZONES as Readonly<Record<string, readonly string[]>>)[target.subresource] ??
    [];
  const missing = dnsZones.filter((z) => !props.dnsZoneIds[z]);
  problems.check(
    missing.length === 0,
    'dnsZoneIds',
    `the ${target.subresource} endpoint needs DNS zones ${missing.join(', ')}; given: ${Object.keys(props.dnsZoneIds).join(', ') || 'none'}`,
  );
  problems.check(
    dnsZones.length > 0,
    'dnsZones',
    `no DNS zone given for sub-resource ${JSON.stringify(target.subresource)}`,
  );
  const name = `pep-${target.resourceName}-${target.subresource.toLowerCase()}`;
  if (!Token.isUnresolved(target.resourceName)) {
    const nameProblem = checkName('privateEndpoint', name);
    if (nameProblem) problems.add('name', `${nameProblem.message}: shorten the resource name`);
  }
  problems.throwIfAny(`Invalid private endpoint "${scope.node.path}/${id}"`);

  return new PrivateEndpoint(scope, id, {
    name,
    resourceGroupName: props.resourceGroupName ?? target.resourceGroupName,
    location: props.location ?? target.location,
    subnetId: props.subnetId,
    customNetworkInterfaceName: `${name}-nic`,
    privateServiceConnection: {
      name: `${name}-connection`,
      privateConnectionResourceId: target.resourceId,
      subresourceNames: [target.subresource],
      isManualConnection: false,
    },
    privateDnsZoneGroup: {
      name: 'default',
      privateDnsZoneIds: dnsZones.map((z) => props.dnsZoneIds[z]!),
    },
  });
}

/** Every zone of {@link PRIVATE_DNS_ZONES}, sorted, without duplicates: what a private network links. */
export const ALL_PRIVATE_DNS_ZONES: readonly string[] = [
  ...new Set(Object.values(PRIVATE_DNS_ZONES).flat()),
].sort();
