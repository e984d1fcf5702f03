import { ApiManagementService } from '../../constructs/gateway/api-management';
import {
  ApimPublicAccessAtCreateRule,
  PublicNetworkAccessRule,
  suppressPolicy,
} from '../../constructs/policy';
import { FakeTelemetry, SUBSCRIPTION } from '../gateway/fixtures';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const APIM = `\${azurerm_api_management.Apim.id}`;

/** A private endpoint targeting the raw `Apim` resource. */
function endpoint(scope: Parameters<typeof rawResource>[0]) {
  return rawResource(scope, 'Endpoint', 'azurerm_private_endpoint', {
    private_service_connection: { private_connection_resource_id: APIM, subresource_names: ['Gateway'] },
  });
}

/** The closing update, with overrides of its arguments. */
function closure(scope: Parameters<typeof rawResource>[0], attributes: Record<string, unknown> = {}) {
  return rawResource(scope, 'Close', 'azapi_update_resource', {
    type: 'Microsoft.ApiManagement/service@2024-05-01',
    resource_id: APIM,
    body: { properties: { publicNetworkAccess: 'Disabled' } },
    depends_on: ['azurerm_private_endpoint.Endpoint'],
    ...attributes,
  });
}

describe('policy rule apim-public-access-at-create', () => {
  test('passes for a private ApiManagementService: created open, closed after its endpoint', () => {
    const stack = stackWith(
      new ApimPublicAccessAtCreateRule(),
      new PublicNetworkAccessRule({ networkMode: 'private' }),
    );
    new ApiManagementService(stack, 'Apim', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'apim-llmops-test-abcde',
      publisherEmail: 'platform@example.com',
      publisherName: 'Platform',
      sku: 'StandardV2',
      telemetry: new FakeTelemetry(stack, 'Observability'),
      privateEndpoint: {
        subnetId: `${SUBSCRIPTION}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-pep`,
        dnsZoneIds: { 'privatelink.azure-api.net': '/zones/apim' },
      },
    });
    // both rules pass: nothing is closed at creation, and the service counts as closed in a private environment
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('passes for a public gateway (nothing to close)', () => {
    const stack = stackWith(new ApimPublicAccessAtCreateRule());
    rawResource(stack, 'Apim', 'azurerm_api_management', { public_network_access_enabled: true });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails when the service is created with public access off (Azure rejects it at create)', () => {
    const stack = stackWith(new ApimPublicAccessAtCreateRule());
    rawResource(stack, 'Apim', 'azurerm_api_management', { public_network_access_enabled: false });
    expect(synthError(stack)).toContain(
      '[policy apim-public-access-at-create] test/Apim (azurerm_api_management.Apim): public_network_access_enabled = false is rejected while the service is created (azurerm v4.55.0 docs: "required to be `true` on the creation")',
    );
  });

  test('fails when the closure would be undone by the next plan and does not wait for an endpoint, naming both', () => {
    // GIVEN an open service with a closure, but no ignore_changes and no endpoint dependency
    const stack = stackWith(new ApimPublicAccessAtCreateRule());
    rawResource(stack, 'Apim', 'azurerm_api_management', { public_network_access_enabled: true });
    endpoint(stack);
    closure(stack, { depends_on: undefined });
    // THEN
    expect(synthError(stack)).toContain(
      '[policy apim-public-access-at-create] test/Apim (azurerm_api_management.Apim): azapi_update_resource.Close closes public access but the service does not ignore changes of public_network_access_enabled, so the next apply reopens it: add it to lifecycle.ignore_changes; azapi_update_resource.Close closes public access without depending on a private endpoint of the service (azurerm_private_endpoint.Endpoint): Azure refuses Disabled until a private endpoint connection is approved',
    );
  });

  test('fails when the closure depends on something that is not an endpoint of this service', () => {
    const stack = stackWith(new ApimPublicAccessAtCreateRule());
    rawResource(stack, 'Apim', 'azurerm_api_management', {
      public_network_access_enabled: true,
      lifecycle: { ignore_changes: ['public_network_access_enabled'] },
    });
    closure(stack, { depends_on: ['azurerm_private_endpoint.SomeoneElses'] });
    expect(synthError(stack)).toContain(
      'azapi_update_resource.Close closes public access without depending on a private endpoint of the service (it has none)',
    );
  });

  test('passes when the closure waits for the endpoint and the service ignores the switch', () => {
    const stack = stackWith(new ApimPublicAccessAtCreateRule());
    rawResource(stack, 'Apim', 'azurerm_api_management', {
      public_network_access_enabled: true,
      lifecycle: { ignore_changes: ['public_network_access_enabled'] },
    });
    endpoint(stack);
    closure(stack);
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('an update of another property of the service is not a closure', () => {
    const stack = stackWith(new PublicNetworkAccessRule({ networkMode: 'private' }));
    rawResource(stack, 'Apim', 'azurerm_api_management', { public_network_access_enabled: true });
    closure(stack, { body: { properties: { publicNetworkAccess: 'Enabled' } } });
    expect(synthError(stack)).toContain(
      '[policy public-network-access] test/Apim (azurerm_api_management.Apim): the environment is private but public_network_access_enabled is true and nothing closes it after creation',
    );
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    const stack = stackWith(new ApimPublicAccessAtCreateRule());
    const apim = rawResource(stack, 'Apim', 'azurerm_api_management', {
      public_network_access_enabled: false,
    });
    suppressPolicy(
      apim,
      'apim-public-access-at-create',
      'imported service that exists already, never created by us',
    );
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'apim-public-access-at-create',
        suppressedBecause: 'imported service that exists already, never created by us',
      }),
    ]);
  });
});
