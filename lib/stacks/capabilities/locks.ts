import type { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import type { TerraformResource } from 'cdktf';
import { addManagementLock } from '../../../constructs/core/lock';
import type { Observability } from '../../../constructs/logging/observability';
import type { ModelAccount } from '../../../constructs/models/model-account';
import type { SearchService } from '../../../constructs/search/search-service';
import type { KeyVault } from '../../../constructs/security/key-vault';
import type { StorageAccount } from '../../../constructs/storage/storage-account';
import type { EnvironmentConfig } from '../../config/environment';

/** The stateful resources {@link addLocks} locks, and whether it does. */
export interface LocksInputs {
  /** The environment's typed config: `protection.locks` and `protection.preventDestroy`. */
  readonly config: EnvironmentConfig;
  readonly keyVault: KeyVault;
  /** Its Log Analytics workspace is locked. */
  readonly observability: Observability;
  readonly storage: StorageAccount;
  readonly search: SearchService;
  /** Every AI Services account: the primary and the failover regions. */
  readonly models: readonly ModelAccount[];
}

/**
 * `CanNotDelete` locks on the environment's stateful resources when `protection.locks` is on (production
 * default): the Key Vault, the Log Analytics workspace, the datasets storage account, the AI Search
 * service and every AI Services account. The state account's lock lives in the bootstrap stack. Never
 * on the resource group (see `LOCKED_TYPES`). Each lock is a child of its resource. Returns the locks by
 * the locked resource's construct path.
 */
export function addLocks(inputs: LocksInputs): Readonly<Record<string, ManagementLock>> {
  const { config: env } = inputs;
  if (!env.protection.locks) return {};
  const targets: TerraformResource[] = [
    inputs.keyVault.vault,
    inputs.observability.workspace,
    inputs.storage.account,
    inputs.search.service,
    ...inputs.models.map((m) => m.account),
  ];
  return Object.fromEntries(
    targets.map((t) => [
      t.node.path,
      addManagementLock(t, { preventDestroy: env.protection.preventDestroy }),
    ]),
  );
}
