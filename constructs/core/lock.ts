import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import type { TerraformResource } from 'cdktf';
import { applyProtection, type ProtectionProps } from './props';
import { resourceTypesWhere } from './resource-types';

/** The lock name every lock of this project carries (unique per locked resource). */
export const MANAGEMENT_LOCK_NAME = 'llmops-platform-cannot-delete';

/**
 * The resource types that carry a `CanNotDelete` lock when `protection.locks` is on: what holds the
 * environment's data, keys and history (`managementLock` in the resource-type registry). Never
 * `azurerm_resource_group`: a group lock is inherited by every resource in it, so every Terraform delete or
 * replace in the environment would fail.
 */
export const LOCKED_TYPES: ReadonlySet<string> = new Set(
  resourceTypesWhere((f) => f.managementLock === true),
);

/** Properties of {@link addManagementLock}. */
export interface ManagementLockProps extends ProtectionProps {
  /**
   * Why the lock exists, shown in the portal to whoever tries a delete (at most 512 characters).
   * @default - a note naming llmops-platform and the break-glass page
   */
  readonly notes?: string;
}

/**
 * A `CanNotDelete` management lock on `target`, a child of `target` named `Lock`. `lifecycle.prevent_destroy`
 * guards Terraform only; a lock also stops a delete from the portal, the CLI or another tool. Children of
 * the resource inherit it (model deployments, containers): deleting one needs the break-glass steps of
 * docs/protection.md.
 *
 * Arguments: azurerm v4.55.0 `website/docs/r/management_lock.html.markdown` (`lock_level` `CanNotDelete`
 * or `ReadOnly`; every argument forces replacement). Writing locks needs
 * `Microsoft.Authorization/locks/*`, which the deployment identity gets from a narrow custom role
 * (`DeploymentIdentity` `manageLocks`).
 *
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources
 */
export function addManagementLock(
  target: TerraformResource,
  props: ManagementLockProps = {},
): ManagementLock {
  const lock = new ManagementLock(target, 'Lock', {
    name: MANAGEMENT_LOCK_NAME,
    scope: target.getStringAttribute('id'),
    lockLevel: 'CanNotDelete',
    notes:
      props.notes ??
      'Managed by llmops-platform (protection.locks). Removing it: docs/protection.md, break glass.',
  });
  applyProtection(lock, props);
  return lock;
}
