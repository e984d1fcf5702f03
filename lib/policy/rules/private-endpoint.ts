import { TerraformResource, type TerraformStack } from 'cdktf';
import { idReference } from '../../../constructs/core/diagnostics';
import { resolveTokens } from '../../../constructs/core/resolve';
import { attr, PolicyRule, type SynthesizedResource } from '../engine';

/** PaaS types that must be reached through a private endpoint in a private environment, with the usual sub-resource. */
export const PRIVATE_LINK_TYPES: Readonly<Record<string, string>> = {
  azurerm_cognitive_account: 'account',
  azurerm_search_service: 'searchService',
  azurerm_key_vault: 'vault',
  azurerm_storage_account: 'blob',
  azurerm_ai_foundry: 'amlworkspace',
  azurerm_api_management: 'Gateway',
};

/** A private endpoint of the stack, as the rule sees it. */
interface EndpointInfo {
  readonly address: string;
  readonly hasDnsZoneGroup: boolean;
}

/** Network mode of the environment the rule checks. */
export interface PrivateEndpointRuleProps {
  readonly networkMode: 'public' | 'private';
}

/**
 * In a private environment every PaaS resource (AI Services, AI Search, Key Vault, storage, AI Foundry,
 * API Management unless injected in internal mode) is the target of a private endpoint in the same
 * stack, and that endpoint has a DNS zone group, so clients in the network resolve the private address.
 *
 * Public access being off is the `public-network-access` rule's job; this one catches the other half of
 * the classic failure: public access off and no endpoint, so nothing can reach the resource.
 */
export class PrivateEndpointRule extends PolicyRule {
  readonly id = 'private-endpoint';
  readonly description =
    'In a private environment every PaaS resource has a private endpoint with a DNS zone group.';
  private readonly endpoints = new WeakMap<TerraformStack, Map<string, EndpointInfo[]>>();

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
    let byTarget = this.endpoints.get(resource.stack);
    if (!byTarget) {
      byTarget = privateEndpointsByTarget(resource.stack);
      this.endpoints.set(resource.stack, byTarget);
    }
    const found = byTarget.get(idReference(resource.construct)) ?? [];
    const sub = PRIVATE_LINK_TYPES[resource.type];
    if (found.length === 0) {
      return `the environment is private but no private endpoint targets this resource, so nothing can reach it once public access is off: give the construct privateEndpoint (sub-resource ${JSON.stringify(sub)})`;
    }
    if (!found.some((e) => e.hasDnsZoneGroup)) {
      return `the private endpoint ${found.map((e) => e.address).join(', ')} has no private_dns_zone_group: clients resolve the public address and are refused (403); add the DNS zones`;
    }
    return undefined;
  }
}

/** Private endpoints of a stack by the resolved id reference of their target (`${azurerm_key_vault.x.id}`). */
function privateEndpointsByTarget(stack: TerraformStack): Map<string, EndpointInfo[]> {
  const byTarget = new Map<string, EndpointInfo[]>();
  for (const node of stack.node.findAll()) {
    if (!(node instanceof TerraformResource) || node.terraformResourceType !== 'azurerm_private_endpoint')
      continue;
    const json = resolveTokens(stack, node.toTerraform()) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const attributes = json.resource.azurerm_private_endpoint?.[node.friendlyUniqueId] ?? {};
    const target = first(attr(attributes, 'private_service_connection'));
    const targetId = target ? attr(target, 'private_connection_resource_id') : undefined;
    if (typeof targetId !== 'string') continue;
    const zoneGroup = first(attr(attributes, 'private_dns_zone_group'));
    const zoneIds = zoneGroup ? attr(zoneGroup, 'private_dns_zone_ids') : undefined;
    const info = {
      address: `azurerm_private_endpoint.${node.friendlyUniqueId}`,
      hasDnsZoneGroup: Array.isArray(zoneIds) && zoneIds.length > 0,
    };
    byTarget.set(targetId, [...(byTarget.get(targetId) ?? []), info]);
  }
  return byTarget;
}

/** A nested block as cdktf writes it: an object, or a one-element list. */
function first(value: unknown): Record<string, unknown> | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
}
