import { TerraformProvider, type TerraformStack } from 'cdktf';
import { resolveTokens } from '../../core/resolve';
import { attr, PolicyRule, type SynthesizedResource } from '../engine';

/** `features.storage.data_plane_available` of each azurerm provider block of the stack. */
function dataPlaneAvailability(stack: TerraformStack): unknown[] {
  return stack.node
    .findAll()
    .filter(
      (n): n is TerraformProvider => n instanceof TerraformProvider && n.terraformResourceType === 'azurerm',
    )
    .map((provider) => {
      const json = resolveTokens(provider, provider.toTerraform()) as {
        provider?: { azurerm?: Record<string, unknown>[] };
      };
      return attr(json.provider?.azurerm?.[0] ?? {}, 'features', 0, 'storage', 0, 'data_plane_available');
    });
}

/** Child types that go through the management plane when given `storage_account_id` (azurerm 4.x). */
const BY_ACCOUNT_ID: Readonly<Record<string, string>> = {
  azurerm_storage_container: 'container',
  azurerm_storage_queue: 'queue',
  azurerm_storage_share: 'file share',
};

/** Types azurerm manages only through a storage data plane. */
const DATA_PLANE_ONLY: readonly string[] = [
  'azurerm_storage_blob',
  'azurerm_storage_table_entity',
  'azurerm_storage_data_lake_gen2_filesystem',
  'azurerm_storage_data_lake_gen2_path',
];

/**
 * Terraform never needs a storage data plane the runner cannot reach. With the provider feature
 * `storage.data_plane_available` at its default (true), azurerm polls the blob, queue and file endpoints
 * when it creates an account and reads queue properties on every refresh; behind a `Deny` firewall or with
 * public access off (only blob and file get private endpoints, created after the account) that is a 403
 * and the run fails; so does a deploying identity without data-plane roles (hashicorp/terraform-provider-azurerm v4.55.0,
 * `internal/services/storage/storage_account_resource.go`, `storage_account_data_plane_helpers.go`).
 *
 * So: the stack's azurerm provider sets `features { storage { data_plane_available = false } }`, and
 * every storage account avoids what then has no route (`queue_properties`, `static_website`; the provider
 * rejects them at plan) and every container is addressed by `storage_account_id` (management plane), not
 * `storage_account_name` (data plane).
 */
export class StorageDataPlaneReachableRule extends PolicyRule {
  readonly id = 'storage-data-plane-reachable';
  readonly description = 'Terraform manages storage through the management plane only.';
  private readonly availability = new WeakMap<TerraformStack, unknown[]>();

  appliesTo(resourceType: string): boolean {
    return (
      resourceType === 'azurerm_storage_account' ||
      resourceType in BY_ACCOUNT_ID ||
      DATA_PLANE_ONLY.includes(resourceType)
    );
  }

  check(resource: SynthesizedResource): string | undefined {
    if (DATA_PLANE_ONLY.includes(resource.type)) {
      return `${resource.type} exists only in the storage data plane, which a firewall blocks for the runner: manage its content outside Terraform (a pipeline step on a runner with network access and a data role)`;
    }
    if (resource.type in BY_ACCOUNT_ID) {
      return attr(resource.attributes, 'storage_account_name') === undefined
        ? undefined
        : `storage_account_name makes azurerm create and read the ${BY_ACCOUNT_ID[resource.type]} through its data plane, which a firewall blocks: use storage_account_id`;
    }
    const problems: string[] = [];
    let availability = this.availability.get(resource.stack);
    if (!availability) {
      availability = dataPlaneAvailability(resource.stack);
      this.availability.set(resource.stack, availability);
    }
    if (availability.length === 0 || availability.some((value) => value !== false)) {
      problems.push(
        'the azurerm provider polls the blob, queue and file data planes on create and every refresh (features.storage.data_plane_available defaults to true), which fails with 403 when the firewall denies the runner or its identity has no data role: set features { storage { data_plane_available = false } }',
      );
    }
    for (const key of ['queue_properties', 'static_website']) {
      if (attr(resource.attributes, key) !== undefined) {
        problems.push(`${key} is set through the data plane: manage it outside Terraform or drop it`);
      }
    }
    return problems.length ? problems.join('; ') : undefined;
  }
}
