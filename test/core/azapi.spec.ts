import {
  AZAPI_PROVIDER_SOURCE,
  AZAPI_PROVIDER_VERSION,
  AzapiDataPlaneResource,
  AzapiProvider,
  AzapiResource,
  AzapiResourceList,
} from '../../constructs/core/azapi';
import {
  AZAPI_DATA_PLANE_TYPES,
  AZAPI_EMBEDDED_TYPES,
  AZAPI_TABLES_READ_AT,
} from '../../constructs/core/azapi-types';
import { resolveTokens } from '../../constructs/core/resolve';
import { onlyResource, synthStack, testStack } from '../helpers/synth';

describe('azapi binding', () => {
  test('the provider is pinned to an exact 2.x version in required_providers', () => {
    const json = synthStack(testStack());
    expect(AZAPI_PROVIDER_VERSION).toMatch(/^2\.\d+\.\d+$/);
    expect(json.terraform!.required_providers!.azapi).toEqual({
      source: AZAPI_PROVIDER_SOURCE,
      version: AZAPI_PROVIDER_VERSION,
    });
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

describe('azapi_resource_list data source', () => {
  test('writes type, parent, named JMESPath queries and depends_on; outputValue reads a named result', () => {
    // GIVEN a list that waits for another resource
    const stack = testStack();
    const after = new AzapiResource(stack, 'First', { type: 'T@1', name: 'n', parentId: '/p', body: {} });
    const list = new AzapiResourceList(stack, 'List', {
      type: 'Microsoft.CognitiveServices/accounts/privateEndpointConnections@2024-10-01',
      parentId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a',
      responseExportValues: { first: 'value[0].id' },
      dependsOn: [after],
    });
    // WHEN synthesized
    const json = synthStack(stack);
    // THEN it is a data source with the arguments as Terraform names them
    expect((json.data as Record<string, Record<string, unknown>>).azapi_resource_list).toEqual({
      List: {
        type: 'Microsoft.CognitiveServices/accounts/privateEndpointConnections@2024-10-01',
        parent_id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a',
        response_export_values: { first: 'value[0].id' },
        depends_on: ['azapi_resource.First'],
      },
    });
    expect(resolveTokens(stack, list.outputValue('first'))).toBe(
      `\${data.azapi_resource_list.List.output.first}`,
    );
  });

  test('fails when outputValue names a query that is not exported', () => {
    const list = new AzapiResourceList(testStack(), 'List', {
      type: 'T@1',
      parentId: '/p',
      responseExportValues: { first: 'value[0].id' },
    });
    expect(() => list.outputValue('second')).toThrow(
      'AzapiResourceList "test/List": no query named "second" (queries: first)',
    );
  });
});

describe('what the pinned azapi knows (AZAPI_EMBEDDED_TYPES, AZAPI_DATA_PLANE_TYPES)', () => {
  test('every embedded type names the types.json folder of its own provider namespace and api-version', () => {
    for (const [typeAtVersion, folder] of Object.entries(AZAPI_EMBEDDED_TYPES)) {
      const [resourceType, version] = typeAtVersion.split('@') as [string, string];
      const namespace = resourceType.split('/')[0]!.toLowerCase();
      expect(folder).toMatch(new RegExp(`^[a-z]+/${namespace.replace('.', '\\.')}/${version}$`));
    }
  });

  test('the tables were read at the pinned release', () => {
    // AZAPI_EMBEDDED_TYPES and AZAPI_DATA_PLANE_TYPES were read in Azure/terraform-provider-azapi at
    // v2.12.0; moving the pin means reading them again (2.7.0 had no Search data-plane mapping at all).
    expect(AZAPI_PROVIDER_VERSION).toBe(AZAPI_TABLES_READ_AT);
  });

  test('the search index parent pattern takes the host (a reference in the name part) and nothing else', () => {
    const { parentIdPattern } = AZAPI_DATA_PLANE_TYPES['Microsoft.Search/searchServices/indexes']!;
    expect(parentIdPattern.test(`\${azurerm_search_service.Search.name}.search.windows.net`)).toBe(true);
    expect(parentIdPattern.test('srch-test.search.windows.net')).toBe(true);
    expect(parentIdPattern.test('https://srch-test.search.windows.net')).toBe(false);
    expect(
      parentIdPattern.test(
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Search/searchServices/srch-test',
      ),
    ).toBe(false);
  });
});
