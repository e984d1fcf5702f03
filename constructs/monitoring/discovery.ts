import { TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { idReference } from '../core/diagnostics';
import { Problems } from '../core/errors';
import { synthesizedAttributes } from '../core/resolve';
import { BASELINE_ALERTS, BASELINE_RESOURCE_TYPES, type TerraformResourceType } from './baseline-catalog';

/**
 * Describes the resources monitoring watches: their catalog type, a stable key, the name used in alert
 * names, and whether a model account serves provisioned (PTU) deployments.
 *
 * Two ways in: {@link monitoredResources} takes the resources explicitly (what the environment stack
 * does, from the handles its capabilities return, so nothing depends on the order the tree is built in);
 * {@link findMonitoredResources} walks a construct tree for them, for a stack assembled without such
 * handles. Both read the resources as they would synthesize (`toTerraform()` with tokens resolved).
 */

/**
 * Kinds of `azurerm_cognitive_account` that serve Azure OpenAI models and so emit the Azure OpenAI metrics
 * the catalog alerts on. Accounts of other kinds (e.g. `ContentSafety`) are not monitored by the catalog.
 */
export const OPENAI_ACCOUNT_KINDS: readonly string[] = ['AIServices', 'OpenAI'];

/** A resource of the tree with baseline alerts in the catalog. */
export interface MonitoredResource {
  /** The resource. */
  readonly resource: TerraformResource;
  /** Its Terraform type, a key of the catalog. */
  readonly resourceType: TerraformResourceType;
  /**
   * Stable identifier derived from the construct path below the stack, e.g. `KeyVault` for
   * `prod/KeyVault/Default` and `Models-Account` for `prod/Models/Account/Default`. Use it as construct id.
   */
  readonly key: string;
  /** The resource's `name` when it is known at synth time; otherwise {@link key}. Used in alert names. */
  readonly name: string;
  /**
   * Whether a provisioned (PTU) model deployment belongs to this resource: an `azurerm_cognitive_deployment`
   * (or an azapi `Microsoft.CognitiveServices/accounts/deployments`) referencing it whose SKU name contains
   * `Provisioned`. Always false for other types.
   */
  readonly provisioned: boolean;
}

/** A resource handed to {@link monitoredResources}, with what its owner knows that the resource does not show. */
export interface WatchedResource {
  /** The resource: an `azurerm_*` resource of a catalog type ({@link BASELINE_RESOURCE_TYPES}). */
  readonly resource: TerraformResource;
  /**
   * Whether a provisioned (PTU) deployment serves from this model account (its deployments' SKU names,
   * see {@link isProvisionedSkuName}); it adds the PTU utilization alert. Ignored for other types.
   * @default false
   */
  readonly provisioned?: boolean;
}

/** True for SKU names of provisioned deployments (`ProvisionedManaged`, `GlobalProvisionedManaged`, ...). */
export function isProvisionedSkuName(skuName: unknown): boolean {
  return typeof skuName === 'string' && skuName.includes('Provisioned');
}

/** A single nested block synthesizes as an object; tolerate the one-element list form too. */
function block(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
}

const DEPLOYMENT_TYPE_PREFIX = 'Microsoft.CognitiveServices/accounts/deployments@';

/** `${azurerm_cognitive_account.x.id}` references of accounts that have a provisioned deployment. */
function provisionedAccountReferences(resources: readonly TerraformResource[]): Set<string> {
  const refs = new Set<string>();
  for (const resource of resources) {
    let account: unknown;
    let skuName: unknown;
    if (resource.terraformResourceType === 'azurerm_cognitive_deployment') {
      const attrs = synthesizedAttributes(resource);
      account = attrs.cognitive_account_id;
      skuName = block(attrs.sku)?.name;
    } else if (resource.terraformResourceType === 'azapi_resource') {
      const attrs = synthesizedAttributes(resource);
      if (typeof attrs.type !== 'string' || !attrs.type.startsWith(DEPLOYMENT_TYPE_PREFIX)) continue;
      account = attrs.parent_id;
      skuName = block(block(attrs.body)?.sku)?.name;
    } else {
      continue;
    }
    if (typeof account === 'string' && isProvisionedSkuName(skuName)) refs.add(account);
  }
  return refs;
}

function isCatalogType(type: string): type is TerraformResourceType {
  return (BASELINE_RESOURCE_TYPES as readonly string[]).includes(type);
}

/** Whether the catalog's alerts make sense for this resource (only Azure OpenAI capable accounts emit their metrics). */
function catalogApplies(attributes: Record<string, unknown>, type: TerraformResourceType): boolean {
  if (type !== 'azurerm_cognitive_account') return true;
  const kind = attributes.kind;
  return typeof kind !== 'string' || kind.includes('${') || OPENAI_ACCOUNT_KINDS.includes(kind);
}

/** Construct path below the stack, without a trailing `Default`, joined with `-`. */
function pathKey(resource: TerraformResource): string {
  const stackPath = TerraformStack.of(resource).node.path;
  const relative = resource.node.path.slice(stackPath.length).split('/').filter(Boolean);
  if (relative.length > 1 && relative.at(-1) === 'Default') relative.pop();
  return relative.join('-');
}

/**
 * The resources of `watched` that have baseline alerts in the catalog, in the order given. Resources of
 * a catalog type without alerts (the Log Analytics workspace) and model accounts of kinds that do not
 * serve Azure OpenAI models are left out.
 *
 * @throws ValidationError when a resource's type is not in the catalog ({@link BASELINE_RESOURCE_TYPES}):
 * monitoring was handed something it cannot watch.
 */
export function monitoredResources(
  watched: readonly (TerraformResource | WatchedResource)[],
): MonitoredResource[] {
  const problems = new Problems();
  const found: MonitoredResource[] = [];
  watched.forEach((entry, i) => {
    const { resource, provisioned = false } =
      entry instanceof TerraformResource ? { resource: entry } : entry;
    const type = resource.terraformResourceType;
    if (!isCatalogType(type)) {
      problems.add(
        `resources[${i}]`,
        `${resource.node.path} (${type}) has no baseline alerts in the catalog; allowed types: ${BASELINE_RESOURCE_TYPES.join(', ')}`,
      );
      return;
    }
    if (BASELINE_ALERTS[type].length === 0) return;
    const attributes = synthesizedAttributes(resource);
    if (!catalogApplies(attributes, type)) return;
    const key = pathKey(resource);
    const name = attributes.name;
    found.push({
      resource,
      resourceType: type,
      key,
      name: typeof name === 'string' && !name.includes('${') ? name : key,
      provisioned: type === 'azurerm_cognitive_account' && provisioned,
    });
  });
  problems.throwIfAny('Invalid monitored resources');
  return found;
}

/**
 * The resources in `scope` (a stack or any construct below one) that have baseline alerts in the catalog,
 * in tree order, found by walking the tree. A model account counts as provisioned when a deployment in the
 * tree that references it has a provisioned SKU. Otherwise as {@link monitoredResources}.
 */
export function findMonitoredResources(scope: IConstruct): MonitoredResource[] {
  const resources = scope.node
    .findAll()
    .filter((n): n is TerraformResource => n instanceof TerraformResource);
  const provisioned = provisionedAccountReferences(resources);
  return monitoredResources(
    resources
      .filter((resource) => isCatalogType(resource.terraformResourceType))
      .map((resource) => ({ resource, provisioned: provisioned.has(idReference(resource)) })),
  );
}
