import { attr, PolicyRule, type SynthesizedResource } from '../engine';

/**
 * Types that hold data or identity that cannot be recreated: deleting them loses data, keys, history or
 * a globally unique name.
 */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  'azurerm_key_vault',
  'azurerm_storage_account',
  'azurerm_search_service',
  'azurerm_log_analytics_workspace',
  'azurerm_application_insights',
  'azurerm_cognitive_account',
  'azurerm_ai_foundry',
  'azurerm_resource_group',
  // A lock removed by a plan leaves its resource deletable from the portal and the CLI.
  'azurerm_management_lock',
  // Deleting a customer-managed key makes everything encrypted with it unreadable.
  'azurerm_key_vault_key',
]);

/** AI Search indexes (azapi data-plane resources) hold documents: they are stateful too. */
function isSearchIndex(resource: SynthesizedResource): boolean {
  const type = attr(resource.attributes, 'type');
  return typeof type === 'string' && type.startsWith('Microsoft.Search/searchServices/indexes@');
}

/**
 * Stateful resources carry `lifecycle.prevent_destroy`, so no plan can delete them. Throwaway
 * environments opt out in config (`protection.preventDestroy: false` with a reason), which suppresses
 * this rule with that reason.
 */
export class PreventDestroyRule extends PolicyRule {
  readonly id = 'prevent-destroy';
  readonly description = 'Stateful resources carry lifecycle.prevent_destroy.';

  appliesTo(resourceType: string): boolean {
    return STATEFUL_TYPES.has(resourceType) || resourceType === 'azapi_data_plane_resource';
  }

  check(resource: SynthesizedResource): string | undefined {
    if (resource.type === 'azapi_data_plane_resource' && !isSearchIndex(resource)) return undefined;
    return attr(resource.attributes, 'lifecycle', 'prevent_destroy') === true
      ? undefined
      : 'stateful resource without lifecycle.prevent_destroy; keep the construct default (preventDestroy: true)';
  }
}
