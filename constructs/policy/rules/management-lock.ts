import type { TerraformStack } from 'cdktf';
import { idReference } from '../../core/diagnostics';
import { LOCKED_TYPES } from '../../core/lock';
import { attr, PolicyRule, type SynthesizedResource, stackResources } from '../engine';

/** Profile of the environment the rule checks. */
export interface ManagementLockRuleProps {
  readonly profile: 'development' | 'production';
}

/** A lock scope that is a resource group: a reference to one, or a literal group id. */
function isResourceGroupScope(scope: unknown): boolean {
  if (typeof scope !== 'string') return false;
  return (
    /^\$\{(data\.)?azurerm_resource_group\.[^.}]+\.id\}$/.test(scope) ||
    /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/?$/i.test(scope)
  );
}

/**
 * In production every stateful resource of {@link LOCKED_TYPES} (state and datasets storage, Key Vault,
 * Log Analytics, AI Search, AI Services) is the scope of a `CanNotDelete` management lock in the same
 * stack; in every environment no lock sits on a resource group (a group lock is inherited and makes
 * every Terraform delete or replace in the group fail). Lock arguments: azurerm v4.55.0
 * `website/docs/r/management_lock.html.markdown`.
 */
export class ManagementLockRule extends PolicyRule {
  readonly id = 'management-lock';
  readonly description =
    'Production stateful resources carry a CanNotDelete lock; no lock is placed on a resource group.';
  private readonly locks = new WeakMap<TerraformStack, Map<string, unknown>>();

  constructor(private readonly props: ManagementLockRuleProps) {
    super();
  }

  appliesTo(resourceType: string): boolean {
    return (
      resourceType === 'azurerm_management_lock' ||
      (this.props.profile === 'production' && LOCKED_TYPES.has(resourceType))
    );
  }

  check(resource: SynthesizedResource): string | undefined {
    if (resource.type === 'azurerm_management_lock') {
      return isResourceGroupScope(attr(resource.attributes, 'scope'))
        ? 'a lock on a resource group is inherited by every resource in it, so every Terraform delete or replace in the environment fails: lock the stateful resources instead (addManagementLock)'
        : undefined;
    }
    let byScope = this.locks.get(resource.stack);
    if (!byScope) {
      byScope = new Map(
        stackResources(resource.stack, 'azurerm_management_lock').map((l) => [
          String(attr(l.attributes, 'scope')),
          attr(l.attributes, 'lock_level'),
        ]),
      );
      this.locks.set(resource.stack, byScope);
    }
    const level = byScope.get(idReference(resource.construct));
    if (level === undefined) {
      return 'no management lock: a delete from the portal or the CLI would lose its data (prevent_destroy guards Terraform only); keep protection.locks on';
    }
    return level === 'CanNotDelete'
      ? undefined
      : `the lock has lock_level ${JSON.stringify(level)}; use CanNotDelete (ReadOnly blocks the updates Terraform and Azure make)`;
  }
}
