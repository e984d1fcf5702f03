import { AZAPI_PROVIDER_VERSION } from '../../constructs/core/azapi';
import { AZAPI_EMBEDDED_TYPES } from '../../constructs/core/azapi-types';
import { AzapiTypeSupportedRule, suppressPolicy } from '../../constructs/policy';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

describe('policy rule azapi-type-supported', () => {
  test.each(Object.keys(AZAPI_EMBEDDED_TYPES))('passes for the embedded type %s', (type) => {
    const stack = stackWith(new AzapiTypeSupportedRule());
    rawResource(stack, 'Thing', 'azapi_resource', { type, name: 'n', parent_id: '/p', body: {} });
    rawResource(stack, 'Update', 'azapi_update_resource', { type, resource_id: '/r', body: {} });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails for an api-version the pinned release does not embed (plan would fail validating the body)', () => {
    const stack = stackWith(new AzapiTypeSupportedRule());
    rawResource(stack, 'Thing', 'azapi_update_resource', {
      type: 'Microsoft.ApiManagement/service@2019-01-01',
      resource_id: '/r',
      body: {},
    });
    expect(synthError(stack)).toContain(
      `[policy azapi-type-supported] test/Thing (azapi_update_resource.Thing): Microsoft.ApiManagement/service@2019-01-01 is not embedded in azapi ${AZAPI_PROVIDER_VERSION} (internal/azure/generated/), so plan fails validating the body: use an embedded API version (see AZAPI_EMBEDDED_TYPES) or set schemaValidationEnabled = false with the reason in a comment`,
    );
  });

  test('passes for an azapi_resource that switches schema validation off', () => {
    const stack = stackWith(new AzapiTypeSupportedRule());
    rawResource(stack, 'Thing', 'azapi_resource', {
      type: 'Microsoft.Foo/bars@2099-01-01-preview',
      schema_validation_enabled: false,
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('passes for a search index addressed by its host', () => {
    const stack = stackWith(new AzapiTypeSupportedRule());
    rawResource(stack, 'Index', 'azapi_data_plane_resource', {
      type: 'Microsoft.Search/searchServices/indexes@2024-07-01',
      parent_id: `\${azurerm_search_service.Search.name}.search.windows.net`,
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails for a data-plane type without a mapping (the request would go to an empty host)', () => {
    const stack = stackWith(new AzapiTypeSupportedRule());
    rawResource(stack, 'Indexer', 'azapi_data_plane_resource', {
      type: 'Microsoft.Search/searchServices/aliases@2024-07-01',
      parent_id: 'srch.search.windows.net',
    });
    expect(synthError(stack)).toContain(
      `[policy azapi-type-supported] test/Indexer (azapi_data_plane_resource.Indexer): azapi ${AZAPI_PROVIDER_VERSION} has no data-plane mapping for "Microsoft.Search/searchServices/aliases" (internal/services/parse/data_plane_resources.json), so the request would go to an empty host; mapped: Microsoft.Search/searchServices/indexes`,
    );
  });

  test('fails for a search index whose parent is the ARM id instead of the host', () => {
    const stack = stackWith(new AzapiTypeSupportedRule());
    rawResource(stack, 'Index', 'azapi_data_plane_resource', {
      type: 'Microsoft.Search/searchServices/indexes@2024-07-01',
      parent_id: `\${azurerm_search_service.Search.id}`,
    });
    expect(synthError(stack)).toContain(
      `test/Index (azapi_data_plane_resource.Index): parent_id "\${azurerm_search_service.Search.id}" does not have the shape azapi ${AZAPI_PROVIDER_VERSION} routes for Microsoft.Search/searchServices/indexes: {searchServiceName}.search.windows.net`,
    );
  });

  test('a suppression with a reason lets synth pass', () => {
    const stack = stackWith(new AzapiTypeSupportedRule());
    const thing = rawResource(stack, 'Thing', 'azapi_resource', { type: 'Microsoft.Foo/bars@2099-01-01' });
    suppressPolicy(thing, 'azapi-type-supported', 'checked against a newer azapi in a fork of this repo');
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({ ruleId: 'azapi-type-supported', suppressedBecause: expect.any(String) }),
    ]);
  });
});
