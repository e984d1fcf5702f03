import { AZAPI_PROVIDER_VERSION } from '../../core/azapi';
import { AZAPI_DATA_PLANE_TYPES, AZAPI_EMBEDDED_TYPES } from '../../core/azapi-types';
import { attr, PolicyRule, type SynthesizedResource } from '../engine';

const ARM_TYPES = new Set(['azapi_resource', 'azapi_update_resource']);

/**
 * Every azapi resource names a `type@api-version` the pinned azapi release can handle:
 *
 * - `azapi_resource` / `azapi_update_resource`: the type is embedded in the release
 *   ({@link AZAPI_EMBEDDED_TYPES}, from `internal/azure/generated/`), or the resource switches schema
 *   validation off (`schema_validation_enabled = false`, `azapi_resource` only) — otherwise
 *   `terraform plan` fails on a valid body.
 * - `azapi_data_plane_resource`: the type has a data-plane mapping in the release
 *   ({@link AZAPI_DATA_PLANE_TYPES}, from `internal/services/parse/data_plane_resources.json`) and
 *   `parent_id` has the mapped shape — otherwise the request goes to an empty host at apply.
 */
export class AzapiTypeSupportedRule extends PolicyRule {
  readonly id = 'azapi-type-supported';
  readonly description =
    `azapi types are embedded in (or routed by) the pinned azapi ${AZAPI_PROVIDER_VERSION}.`;

  appliesTo(resourceType: string): boolean {
    return ARM_TYPES.has(resourceType) || resourceType === 'azapi_data_plane_resource';
  }

  check(resource: SynthesizedResource): string | undefined {
    const type = attr(resource.attributes, 'type');
    if (typeof type !== 'string') return 'type is not a literal "<resource type>@<api-version>"';
    if (resource.type === 'azapi_data_plane_resource') {
      const resourceType = type.split('@')[0]!;
      const mapping = AZAPI_DATA_PLANE_TYPES[resourceType];
      if (!mapping) {
        return `azapi ${AZAPI_PROVIDER_VERSION} has no data-plane mapping for ${JSON.stringify(resourceType)} (internal/services/parse/data_plane_resources.json), so the request would go to an empty host; mapped: ${Object.keys(AZAPI_DATA_PLANE_TYPES).join(', ')}`;
      }
      const parentId = attr(resource.attributes, 'parent_id');
      if (typeof parentId !== 'string' || !mapping.parentIdPattern.test(parentId)) {
        return `parent_id ${JSON.stringify(parentId)} does not have the shape azapi ${AZAPI_PROVIDER_VERSION} routes for ${resourceType}: ${mapping.parentIdExample}`;
      }
      return undefined;
    }
    if (type in AZAPI_EMBEDDED_TYPES) return undefined;
    if (
      resource.type === 'azapi_resource' &&
      attr(resource.attributes, 'schema_validation_enabled') === false
    ) {
      return undefined;
    }
    return `${type} is not embedded in azapi ${AZAPI_PROVIDER_VERSION} (internal/azure/generated/), so plan fails validating the body: use an embedded API version (see AZAPI_EMBEDDED_TYPES) or set schemaValidationEnabled = false with the reason in a comment`;
  }
}
