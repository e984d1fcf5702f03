import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import type { Construct } from 'constructs';

/**
 * The one shared prop shape for private endpoints. Every PaaS construct takes
 * `privateEndpoint?: PrivateEndpointProps`; in a private environment the stack passes it and the
 * construct turns public network access off, in a public environment it is absent.
 */
export interface PrivateEndpointProps {
  /** Id of the subnet that holds the private endpoint's network interface. */
  readonly subnetId: string;
  /**
   * Private DNS zone ids by zone name (`privatelink.vaultcore.azure.net` -> id). The construct picks the
   * zones its service needs; a missing one is an error naming the zone.
   */
  readonly dnsZoneIds: Readonly<Record<string, string>>;
  /** Resource group of the endpoint. @default - the resource's group */
  readonly resourceGroupName?: string;
  /** Region of the endpoint (the VNet's). @default - the resource's region */
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
  /** DNS zones that resolve the sub-resource. */
  readonly dnsZones: readonly string[];
  readonly resourceGroupName: string;
  readonly location: string;
}

/**
 * Creates the private endpoint of `target` with its DNS zone group, as a child of `scope` named
 * `PrivateEndpoint` (or `PrivateEndpoint<Subresource>` when a construct has several).
 *
 * @throws when `props.dnsZoneIds` lacks a zone the target needs.
 */
export function addPrivateEndpoint(
  scope: Construct,
  target: PrivateLinkTarget,
  props: PrivateEndpointProps,
  id = 'PrivateEndpoint',
): PrivateEndpoint {
  const missing = target.dnsZones.filter((z) => !props.dnsZoneIds[z]);
  if (missing.length) {
    throw new Error(
      `${scope.node.path}: the private endpoint for ${target.subresource} needs DNS zones ${missing.join(', ')}; given: ${Object.keys(props.dnsZoneIds).join(', ') || 'none'}`,
    );
  }
  const name = `pep-${target.resourceName}-${target.subresource.toLowerCase()}`;
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
      privateDnsZoneIds: target.dnsZones.map((z) => props.dnsZoneIds[z]!),
    },
  });
}

/** Private DNS zones per private-link sub-resource (public Azure cloud). */
export const PRIVATE_DNS_ZONES = {
  vault: ['privatelink.vaultcore.azure.net'],
  blob: ['privatelink.blob.core.windows.net'],
  file: ['privatelink.file.core.windows.net'],
  account: [
    'privatelink.cognitiveservices.azure.com',
    'privatelink.openai.azure.com',
    'privatelink.services.ai.azure.com',
  ],
  searchService: ['privatelink.search.windows.net'],
  Gateway: ['privatelink.azure-api.net'],
  amlworkspace: ['privatelink.api.azureml.ms', 'privatelink.notebooks.azure.net'],
} as const satisfies Record<string, readonly string[]>;
