/**
 * ARM ids of existing network resources a private environment can bring (its virtual network, the resource
 * group of hub DNS zones): their shapes and parts. Free of cdktf, so the constructs and the environment config
 * read them with the same rules.
 */

const RESOURCE_GROUP_ID = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]{1,90}$/i;

/** Whether `id` reads `/subscriptions/<guid>/resourceGroups/<name>`. */
export function isResourceGroupId(id: string): boolean {
  return RESOURCE_GROUP_ID.test(id);
}

/** Parts of a virtual network id. */
export interface VirtualNetworkIdParts {
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  readonly name: string;
}

const VNET_ID =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w.()]{1,90})\/providers\/Microsoft\.Network\/virtualNetworks\/([\w.-]{2,64})$/i;

/**
 * Splits `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>`,
 * or returns undefined when the text is not such an id.
 */
export function parseVirtualNetworkId(id: string): VirtualNetworkIdParts | undefined {
  const m = VNET_ID.exec(id);
  return m ? { subscriptionId: m[1]!, resourceGroupName: m[2]!, name: m[3]! } : undefined;
}
