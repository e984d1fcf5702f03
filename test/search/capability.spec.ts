import { SEARCH_INDEX_AZAPI_TYPE } from '../../constructs/search/index-schema/body';
import { searchIndexSemanticProblems, validateAgainstAzureSpec } from '../helpers/azure-spec';
import { synthEnvironment } from '../helpers/environment';
import { onlyResource, PRIVATE_ENVIRONMENT_YAML, ref, resourcesOf, testEnvironment } from '../helpers/synth';

describe('the search capability in a development (public) environment', () => {
  // GIVEN the development defaults
  const { stack, json } = synthEnvironment(testEnvironment());
  const service = onlyResource(json, 'azurerm_search_service');

  test('the service is sized from config and reachable publicly, still RBAC only', () => {
    expect(service).toMatchObject({
      sku: 'basic',
      replica_count: 1,
      partition_count: 1,
      semantic_search_sku: 'free',
      public_network_access_enabled: true,
      local_authentication_enabled: false,
    });
    expect(resourcesOf(json, 'azurerm_search_shared_private_link_service')).toEqual({});
  });

  test('the docs-v1 RAG index is vectorized by the primary model account', () => {
    const index = onlyResource(json, 'azapi_data_plane_resource');
    expect(index).toMatchObject({ type: SEARCH_INDEX_AZAPI_TYPE, name: 'docs-v1' });
    const body = index.body as {
      vectorSearch: { vectorizers: { azureOpenAIParameters: Record<string, unknown> }[] };
    };
    expect(body.vectorSearch.vectorizers[0]!.azureOpenAIParameters).toMatchObject({
      deploymentId: 'embedding',
      modelName: 'text-embedding-3-large',
    });
    expect(validateAgainstAzureSpec(SEARCH_INDEX_AZAPI_TYPE, body)).toEqual([]);
    expect(searchIndexSemanticProblems(body)).toEqual([]);
  });

  test('the search identity may call the model account', () => {
    const grants = Object.values(resourcesOf(json, 'azurerm_role_assignment')).filter(
      (r) => r.principal_id === ref('azurerm_search_service.Search.identity[0].principal_id'),
    );
    expect(grants).toEqual([
      expect.objectContaining({
        role_definition_name: 'Cognitive Services OpenAI User',
        scope: ref('azurerm_cognitive_account.Models.id'),
      }),
    ]);
  });

  test('handles and outputs', () => {
    expect(stack.search.service.indexNames).toEqual(['docs-v1']);
    expect(Object.keys(stack.search.indexes)).toEqual(['docs-v1']);
    expect(json.output?.search_endpoint?.value).toBe(
      `https://${ref('azurerm_search_service.Search.name')}.search.windows.net`,
    );
    expect(json.output?.search_index_names?.value).toEqual(['docs-v1']);
  });
});

describe('the search capability in a production (private) environment', () => {
  // GIVEN the production defaults
  const { json } = synthEnvironment(testEnvironment(PRIVATE_ENVIRONMENT_YAML, 'prod'));

  test('standard with 3 replicas (the read-write SLA), public access off, a private endpoint', () => {
    expect(onlyResource(json, 'azurerm_search_service')).toMatchObject({
      sku: 'standard',
      replica_count: 3,
      semantic_search_sku: 'standard',
      public_network_access_enabled: false,
    });
    const endpoints = Object.values(resourcesOf(json, 'azurerm_private_endpoint')).filter(
      (p) =>
        (p.private_service_connection as { subresource_names: string[] }).subresource_names[0] ===
        'searchService',
    );
    expect(endpoints).toHaveLength(1);
  });

  test('a shared private link to the model account for the vectorizer', () => {
    expect(onlyResource(json, 'azurerm_search_shared_private_link_service')).toMatchObject({
      name: 'spl-openai-account',
      subresource_name: 'openai_account',
      target_resource_id: ref('azurerm_cognitive_account.Models.id'),
    });
  });

  test('the index is protected and waits for the private endpoint', () => {
    const index = onlyResource(json, 'azapi_data_plane_resource');
    expect(index.lifecycle).toEqual({ prevent_destroy: true });
    expect((index.depends_on as string[]).some((d) => d.startsWith('azurerm_private_endpoint.Search_'))).toBe(
      true,
    );
  });
});
