import { attr, PolicyRule, type SynthesizedResource } from '../engine';

/** Types that call other services and so must have a managed identity. */
const NEEDS_IDENTITY = new Set([
  'azurerm_cognitive_account',
  'azurerm_search_service',
  'azurerm_api_management',
  'azurerm_ai_foundry',
  'azurerm_ai_foundry_project',
]);

/** Resources that call other services authenticate with a managed identity, never with stored keys. */
export class ManagedIdentityRule extends PolicyRule {
  readonly id = 'managed-identity';
  readonly description = 'Resources that call other services have a managed identity.';

  appliesTo(resourceType: string): boolean {
    return NEEDS_IDENTITY.has(resourceType);
  }

  check(resource: SynthesizedResource): string | undefined {
    const type = attr(resource.attributes, 'identity', 0, 'type');
    return typeof type === 'string' && type.length > 0
      ? undefined
      : 'no managed identity: add an identity block (SystemAssigned or UserAssigned)';
  }
}
