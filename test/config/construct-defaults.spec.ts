/**
 * Constructs cannot import `lib/`, so a construct default that is also a profile default is written twice:
 * in `PROFILE_DEFAULTS` and in the construct. These tests keep the construct's equal to the development
 * value: each builds the construct with only its required props and reads the synthesized attribute.
 */
import { ApiManagementService } from '../../constructs/gateway/api-management';
import { InferenceApi } from '../../constructs/gateway/inference-api';
import { Observability } from '../../constructs/logging/observability';
import { MICROSOFT_DEFAULT_CONTENT_FILTER } from '../../constructs/models/content-filter-policy';
import { ModelDeployment } from '../../constructs/models/model-deployment';
import { SearchService } from '../../constructs/search/search-service';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { PROFILE_DEFAULTS } from '../../lib/config/profile-defaults';
import { buildGateway, FakeTelemetry } from '../gateway/fixtures';
import { findOne, parseXml } from '../gateway/xml';
import { onlyResource, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const development = <K extends keyof typeof PROFILE_DEFAULTS>(name: K) => PROFILE_DEFAULTS[name].development;

describe('construct defaults equal the development profile defaults', () => {
  test('Observability retentionDays is logging.retentionDays', () => {
    // GIVEN only the required props
    const stack = testStack();
    new Observability(stack, 'Observability', {
      resourceGroup: TEST_RESOURCE_GROUP,
      workspaceName: 'log-test-sdc',
      appInsightsName: 'appi-test-sdc',
    });
    // WHEN synthesized THEN the workspace keeps logs as long as a development environment does
    const json = synthStack(stack);
    expect(onlyResource(json, 'azurerm_log_analytics_workspace').retention_in_days).toBe(
      development('logRetentionDays'),
    );
  });

  test('SearchService sku, replicas and semanticRanker are the search.azure ones', () => {
    const stack = testStack();
    new SearchService(stack, 'Search', { resourceGroup: TEST_RESOURCE_GROUP, name: 'srch-llmops-dev-abcde' });
    const service = onlyResource(synthStack(stack), 'azurerm_search_service');
    expect(service.sku).toBe(development('searchSku'));
    expect(service.replica_count).toBe(development('searchReplicas'));
    expect(service.semantic_search_sku).toBe(development('searchSemanticRanker'));
  });

  test('ApiManagementService and GenAiGateway sku is gateway.azure.sku', () => {
    const stack = testStack();
    new ApiManagementService(stack, 'Apim', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'apim-llmops-test-abcde',
      publisherEmail: 'platform@example.com',
      publisherName: 'Platform',
      telemetry: new FakeTelemetry(stack, 'Observability'),
    });
    expect(onlyResource(synthStack(stack), 'azurerm_api_management').sku_name).toBe(
      `${development('gatewaySku')}_1`,
    );
    const { stack: gatewayStack } = buildGateway();
    expect(onlyResource(synthStack(gatewayStack), 'azurerm_api_management').sku_name).toBe(
      `${development('gatewaySku')}_1`,
    );
  });

  test('InferenceApi token limit is gateway.tokenLimits.tokensPerMinute', () => {
    const stack = testStack();
    const service = new ApiManagementService(stack, 'Apim', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'apim-llmops-test-abcde',
      publisherEmail: 'platform@example.com',
      publisherName: 'Platform',
      telemetry: new FakeTelemetry(stack, 'Observability'),
    });
    new InferenceApi(stack, 'Api', { service, routes: { chat: { role: 'chat', backendId: 'pool-chat' } } });
    const json = synthStack(stack);
    // the limit is enforced at API scope (one policy for every product)
    const policy = parseXml(onlyResource(json, 'azurerm_api_management_api_policy').xml_content as string);
    const limit = findOne(policy, 'azure-openai-token-limit');
    expect(limit.attributes['tokens-per-minute']).toBe(String(development('gatewayTokensPerMinute')));
  });

  test('ModelDeployment versionUpgradeOption is models.deployments.<name>.azure.versionUpgrade', () => {
    const stack = testStack();
    new ModelDeployment(stack, 'Chat', {
      account: {
        accountId: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/ais',
      },
      name: 'chat',
      role: 'chat',
      model: { name: 'gpt-4o', version: '2024-11-20' },
      capacityThousandTokensPerMinute: 30,
      contentFilter: MICROSOFT_DEFAULT_CONTENT_FILTER,
    });
    expect(onlyResource(synthStack(stack), 'azurerm_cognitive_deployment').version_upgrade_option).toBe(
      development('versionUpgrade'),
    );
  });

  test('StorageAccount replication and protection are the development ones', () => {
    const stack = testStack();
    new StorageAccount(stack, 'Storage', { resourceGroup: TEST_RESOURCE_GROUP, name: 'sttestabcde' });
    const account = onlyResource(synthStack(stack), 'azurerm_storage_account');
    expect(account.account_replication_type).toBe(development('storageReplication'));
    expect(account.lifecycle).toEqual({ prevent_destroy: development('preventDestroy') });
  });
});
