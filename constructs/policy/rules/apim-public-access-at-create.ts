import { attr, dependsOn, PolicyRule, type SynthesizedResource, stackResources } from '../engine';
import { indexStack } from './private-endpoint';

/**
 * The `azapi_update_resource` that turns an API Management service's public network access off after
 * creation (`body.properties.publicNetworkAccess = "Disabled"` on the service's id), if the stack has one.
 */
export function apimPublicAccessClosure(apim: SynthesizedResource): SynthesizedResource | undefined {
  const reference = `\${${apim.address}.id}`;
  return stackResources(apim.stack, 'azapi_update_resource').find(
    (update) =>
      attr(update.attributes, 'resource_id') === reference &&
      attr(update.attributes, 'body', 'properties', 'publicNetworkAccess') === 'Disabled',
  );
}

/** Addresses of the stack's private endpoints whose connection targets `resource`. */
function privateEndpointsOf(resource: SynthesizedResource): string[] {
  const endpoints = indexStack(resource.stack).endpoints.get(`\${${resource.address}.id}`) ?? [];
  return endpoints.map((e) => e.address);
}

/**
 * API Management is created with public network access on, and closed only after its private endpoint
 * exists, in the same deploy:
 *
 * - `public_network_access_enabled = false` fails at create: "It is required to be `true` on the
 *   creation" (hashicorp/terraform-provider-azurerm v4.55.0, `website/docs/r/api_management.html.markdown`;
 *   Azure/azure-rest-api-specs#24947).
 * - The closing update (`azapi_update_resource`, `publicNetworkAccess = "Disabled"`) must depend on a
 *   private endpoint of the service: Azure refuses to disable public access without an approved private
 *   endpoint connection.
 * - The service must ignore later changes of `public_network_access_enabled`; otherwise the next plan
 *   sets it back to `true`.
 */
export class ApimPublicAccessAtCreateRule extends PolicyRule {
  readonly id = 'apim-public-access-at-create';
  readonly description =
    'API Management is created with public access on and closed after its private endpoint exists.';

  appliesTo(resourceType: string): boolean {
    return resourceType === 'azurerm_api_management';
  }

  check(resource: SynthesizedResource): string | undefined {
    if (attr(resource.attributes, 'public_network_access_enabled') === false) {
      return 'public_network_access_enabled = false is rejected while the service is created (azurerm v4.55.0 docs: "required to be `true` on the creation"): create it with true and close it with an azapi_update_resource after the private endpoint (ApiManagementService does this when publicNetworkAccessEnabled is false)';
    }
    const closure = apimPublicAccessClosure(resource);
    if (!closure) return undefined;
    const problems: string[] = [];
    const ignored = attr(resource.attributes, 'lifecycle', 'ignore_changes');
    if (!Array.isArray(ignored) || !ignored.includes('public_network_access_enabled')) {
      problems.push(
        `${closure.address} closes public access but the service does not ignore changes of public_network_access_enabled, so the next apply reopens it: add it to lifecycle.ignore_changes`,
      );
    }
    const endpoints = privateEndpointsOf(resource);
    if (!dependsOn(closure).some((address) => endpoints.includes(address))) {
      problems.push(
        `${closure.address} closes public access without depending on a private endpoint of the service${endpoints.length ? ` (${endpoints.join(', ')})` : ' (it has none)'}: Azure refuses Disabled until a private endpoint connection is approved`,
      );
    }
    return problems.length ? problems.join('; ') : undefined;
  }
}
