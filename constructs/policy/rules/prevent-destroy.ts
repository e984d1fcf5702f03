import { registryKey, resourceTypeFacts } from '../../core/resource-types';
import { attr, PolicyRule, type SynthesizedResource } from '../engine';

/** True when the registry marks the resource's type `preventDestroy` (azapi resources by their ARM type). */
export function requiresPreventDestroy(resourceType: string, azapiType?: unknown): boolean {
  return resourceTypeFacts(resourceType, azapiType)?.preventDestroy === true;
}

/**
 * Stateful resources carry `lifecycle.prevent_destroy`, so no plan can delete them: every type the
 * resource-type registry marks `preventDestroy` (Key Vault, storage, AI Search, Log Analytics, model
 * accounts, AI Search indexes, ...). Throwaway environments opt out in config
 * (`protection.preventDestroy: false` with a reason), which suppresses this rule with that reason.
 */
export class PreventDestroyRule extends PolicyRule {
  readonly id = 'prevent-destroy';
  readonly description = 'Stateful resources carry lifecycle.prevent_destroy.';

  appliesTo(resourceType: string): boolean {
    // An azapi resource has no registry key of its own: check() decides by the ARM type in its `type`.
    return requiresPreventDestroy(resourceType) || registryKey(resourceType) === undefined;
  }

  check(resource: SynthesizedResource): string | undefined {
    if (!requiresPreventDestroy(resource.type, attr(resource.attributes, 'type'))) return undefined;
    return attr(resource.attributes, 'lifecycle', 'prevent_destroy') === true
      ? undefined
      : 'stateful resource without lifecycle.prevent_destroy; keep the construct default (preventDestroy: true)';
  }
}
