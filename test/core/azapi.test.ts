import {
  AZAPI_PROVIDER_SOURCE,
  AZAPI_PROVIDER_VERSION,
  AzapiDataPlaneResource,
  AzapiProvider,
  AzapiResource,
} from '../../constructs/core/azapi';
import { onlyResource, synthStack, testStack } from '../helpers/synth';

describe('azapi binding', () => {
  test('the provider is pinned to an exact 2.x version in required_providers', () => {
    const json = synthStack(testStack());
    expect(AZAPI_PROVIDER_VERSION).toMatch(/^2\.\d+\.\d+$/);
    expect(json.terraform!.required_providers!.azapi).toEqual({
      source: AZAPI_PROVIDER_SOURCE,
      version: AZAPI_PROVIDER_VERSION,
    });
    expect(AZAPI_PROVIDER_SOURCE).toBe('azure/azapi');
  });

  test('provider settings are written under their Terraform names, alias included', () => {
    // GIVEN a second, aliased azapi provider and a resource that uses it
    const stack = testStack();
    const oidc = new AzapiProvider(stack, 'Oidc', {
      alias: 'oidc',
      useOidc: true,
      subscriptionId: '00000000-0000-0000-0000-000000000001',
    });
    new AzapiResource(stack, 'Thing', {
      type: 'Microsoft.X/y@2024-01-01',
      name: 'n',
      parentId: '/p',
      body: {},
      provider: oidc,
    });
    // WHEN synthesized
    const json = synthStack(stack);
    // THEN the provider block carries its alias and the resource points at it
    expect(json.provider!.azapi).toContainEqual({
      alias: 'oidc',
      use_oidc: true,
      subscription_id: '00000000-0000-0000-0000-000000000001',
    });
    expect(onlyResource(json, 'azapi_resource').provider).toBe('azapi.oidc');
  });

  test('azapi_resource writes body as a JSON object (azapi 2.x), with identity and tags', () => {
    // GIVEN a resource whose body references another resource
    const stack = testStack();
    const parent = new AzapiResource(stack, 'Parent', {
      type: 'Microsoft.ApiManagement/service@2024-05-01',
      name: 'apim',
      parentId: '/subscriptions/s/resourceGroups/rg',
      location: 'swedencentral',
      body: { sku: { name: 'Developer', capacity: 1 } },
      identity: { type: 'SystemAssigned' },
      tags: { owner: 'me' },
      responseExportValues: ['properties.gatewayUrl'],
    });
    new AzapiResource(stack, 'Pool', {
      type: 'Microsoft.ApiManagement/service/backends@2024-05-01',
      name: 'pool',
      parentId: parent.id,
      body: { properties: { type: 'Pool', url: parent.outputValue('properties.gatewayUrl') } },
      schemaValidationEnabled: false,
    });
    // WHEN synthesized
    const resources = synthStack(stack).resource!.azapi_resource!;
    // THEN the body is an object and references resolve to Terraform expressions
    expect(resources.Parent).toEqual({
      type: 'Microsoft.ApiManagement/service@2024-05-01',
      name: 'apim',
      parent_id: '/subscriptions/s/resourceGroups/rg',
      location: 'swedencentral',
      body: { sku: { name: 'Developer', capacity: 1 } },
      identity: [{ type: 'SystemAssigned' }],
      tags: { owner: 'me' },
      response_export_values: ['properties.gatewayUrl'],
    });
    expect(resources.Pool).toEqual({
      type: 'Microsoft.ApiManagement/service/backends@2024-05-01',
      name: 'pool',
      parent_id: `\${azapi_resource.Parent.id}`,
      body: { properties: { type: 'Pool', url: `\${azapi_resource.Parent.output.properties.gatewayUrl}` } },
      schema_validation_enabled: false,
    });
  });

  test('azapi_data_plane_resource takes the service host as parent and honours lifecycle', () => {
    const stack = testStack();
    new AzapiDataPlaneResource(stack, 'Index', {
      type: 'Microsoft.Search/searchServices/indexes@2024-07-01',
      name: 'docs',
      parentId: 'srch-test.search.windows.net',
      body: { fields: [{ name: 'id', type: 'Edm.String', key: true }] },
      lifecycle: { preventDestroy: true },
    });
    expect(onlyResource(synthStack(stack), 'azapi_data_plane_resource')).toEqual({
      type: 'Microsoft.Search/searchServices/indexes@2024-07-01',
      name: 'docs',
      parent_id: 'srch-test.search.windows.net',
      body: { fields: [{ name: 'id', type: 'Edm.String', key: true }] },
      lifecycle: { prevent_destroy: true },
    });
  });
});
