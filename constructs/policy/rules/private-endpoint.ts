import { TerraformResource, type TerraformStack } from 'cdktf';
import { idReference } from '../../core/diagnostics';
import { synthesizedAttributes } from '../../core/resolve';
import { RESOURCE_TYPES } from '../../core/resource-types';
import { attr, PolicyRule, type SynthesizedResource } from '../engine';

/**
 * PaaS types that must be reached through a private endpoint in a private environment, with the usual
 * sub-resource: every registry type with `privateLink` zones, and the first sub-resource it lists.
 */
export const PRIVATE_LINK_TYPES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(RESOURCE_TYPES).flatMap(([type, { privateLink }]) =>
    privateLink ? [[type, Object.keys(privateLink)[0]!]] : [],
  ),
);

/**
 * Sub-resources a storage account needs endpoints for when it is an AI Foundry hub's default storage:
 * the hub and its compute use both blob and file storage.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/how-to/configure-private-link
 */
export const HUB_STORAGE_SUBRESOURCES: readonly string[] = ['blob', 'file'];

/** A private endpoint of the stack, as the rules see it. */
export interface EndpointInfo {
  readonly address: string;
  readonly hasDnsZoneGroup: boolean;
  /** `private_service_connection.subresource_names`. */
  readonly subresources: readonly string[];
}

/** What the rule reads once per stack. */
export interface StackIndex {
  /** Private endpoints by the resolved id reference of their target (`${azurerm_key_vault.x.id}`). */
  readonly endpoints: Map<string, EndpointInfo[]>;
  /** `storage_account_id` values of the stack's AI Foundry hubs. */
  readonly hubStorage: Set<string>;
}

/** Network mode of the environment the rule checks. */
export interface PrivateEndpointRuleProps {
  readonly networkMode: 'public' | 'private';
}

/**
 * In a private environment every PaaS resource (AI Services, AI Search, Key Vault, storage, AI Foundry,
 * API Management unless injected in internal mode) is the target of a private endpoint in the same
 * stack, and that endpoint has a DNS zone group, so clients in the network resolve the private address.
 * A storage account that an AI Foundry hub of the stack uses as its default storage needs a `blob` and a
 * `file` endpoint ({@link HUB_STORAGE_SUBRESOURCES}).
 *
 * Public access being off is the `public-network-access` rule's job; this one catches the other half of
 * the classic failure: public access off and no endpoint, so nothing can reach the resource.
 */
export class PrivateEndpointRule extends PolicyRule {
  readonly id = 'private-endpoint';
  readonly description =
    'In a private environment every PaaS resource has a private endpoint with a DNS zone group.';
  private readonly index = new WeakMap<TerraformStack, StackIndex>();

  constructor(private readonly props: PrivateEndpointRuleProps) {
    super();
  }

  appliesTo(resourceType: string): boolean {
    return this.props.networkMode === 'private' && resourceType in PRIVATE_LINK_TYPES;
  }

  check(resource: SynthesizedResource): string | undefined {
    if (
      resource.type === 'azurerm_api_management' &&
      attr(resource.attributes, 'virtual_network_type') === 'Internal'
    ) {
      return undefined; // injected in internal mode: the gateway has a private address in the network
    }
    let index = this.index.get(resource.stack);
    if (!index) {
      index = indexStack(resource.stack);
      this.index.set(resource.stack, index);
    }
    const reference = idReference(resource.construct);
    const found = index.endpoints.get(reference) ?? [];
    const sub = PRIVATE_LINK_TYPES[resource.type];
    if (found.length === 0) {
      return `the environment is private but no private endpoint targets this resource, so nothing can reach it once public access is off: give the construct privateEndpoint (sub-resource ${JSON.stringify(sub)})`;
    }
    const withZones = found.filter((e) => e.hasDnsZoneGroup);
    if (withZones.length === 0) {
      return `the private endpoint ${found.map((e) => e.address).join(', ')} has no private_dns_zone_group: clients resolve the public address and are refused (403); add the DNS zones`;
    }
    if (resource.type === 'azurerm_storage_account' && index.hubStorage.has(reference)) {
      const covered = new Set(withZones.flatMap((e) => e.subresources));
      const missing = HUB_STORAGE_SUBRESOURCES.filter((s) => !covered.has(s));
      if (missing.length > 0) {
        return `an AI Foundry hub uses this account as its default storage, which needs private endpoints (with DNS zones) for ${HUB_STORAGE_SUBRESOURCES.join(' and ')}; missing: ${missing.join(', ')} (StorageAccount privateEndpointSubresources)`;
      }
    }
    return undefined;
  }
}

/**
 * Reads the stack's private endpoints (by the id reference of their target) and the default storage of its
 * AI Foundry hubs.
 */
export function indexStack(stack: TerraformStack): StackIndex {
  const endpoints = new Map<string, EndpointInfo[]>();
  const hubStorage = new Set<string>();
  for (const node of stack.node.findAll()) {
    if (!(node instanceof TerraformResource)) continue;
    const type = node.terraformResourceType;
    if (type !== 'azurerm_private_endpoint' && type !== 'azurerm_ai_foundry') continue;
    const attributes = synthesizedAttributes(node);
    if (type === 'azurerm_ai_foundry') {
      const storage = attr(attributes, 'storage_account_id');
      if (typeof storage === 'string') hubStorage.add(storage);
      continue;
    }
    const target = first(attr(attributes, 'private_service_connection'));
    const targetId = target ? attr(target, 'private_connection_resource_id') : undefined;
    if (typeof targetId !== 'string') continue;
    const zoneGroup = first(attr(attributes, 'private_dns_zone_group'));
    const zoneIds = zoneGroup ? attr(zoneGroup, 'private_dns_zone_ids') : undefined;
    const names = target ? attr(target, 'subresource_names') : undefined;
    const info: EndpointInfo = {
      address: `azurerm_private_endpoint.${node.friendlyUniqueId}`,
      hasDnsZoneGroup: Array.isArray(zoneIds) && zoneIds.length > 0,
      subresources: Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [],
    };
    endpoints.set(targetId, [...(endpoints.get(targetId) ?? []), info]);
  }
  return { endpoints, hubStorage };
}

/** A nested block as cdktf writes it: an object, or a one-element list. */
function first(value: unknown): Record<string, unknown> | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
}
