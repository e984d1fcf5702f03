import type { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import type { TerraformResource } from 'cdktf';
import { addManagementLock } from '../../../constructs/core/lock';
import type { EnvironmentStack } from '../environment-stack';

/**
 * `CanNotDelete` locks on the environment's stateful resources when `protection.locks` is on (production
 * default): the Key Vault, the Log Analytics workspace, the datasets storage account, the AI Search
 * service and every AI Services account. The state account's lock lives in the bootstrap stack. Never
 * on the resource group (see `LOCKED_TYPES`). Returns the locks by the locked resource's construct path.
 */
export function addLocks(stack: EnvironmentStack): Readonly<Record<string, ManagementLock>> {
  const { env } = stack;
  if (!env.protection.locks) return {};
  const targets: TerraformResource[] = [
    stack.keyVault.vault,
    stack.observability.workspace,
    stack.storage.account,
    stack.search.service.service,
    ...stack.models.all.map((m) => m.account),
  ];
  return Object.fromEntries(
    targets.map((t) => [
      t.node.path,
      addManagementLock(t, { preventDestroy: env.protection.preventDestroy }),
    ]),
  );
}
