import { AZAPI_EMBEDDED_TYPES } from '../../constructs/core/azapi-types';
import type { PrivateEndpointProps } from '../../constructs/core/private-endpoint';
import {
  API_DIAGNOSTIC_TYPE,
  API_LLM_DIAGNOSTIC_TYPE,
  LLM_LOG_TABLE,
} from '../../constructs/gateway/api-telemetry';
import { APIM_BACKEND_TYPE, equalWeights } from '../../constructs/gateway/model-backends';
import { PolicyReport } from '../../constructs/policy';
import { validateAgainstAzureSpec } from '../helpers/azure-spec';
import {
  type Attributes,
  allResources,
  onlyResource,
  ref,
  resourcesOf,
  type SynthJson,
  synthStack,
} from '../helpers/synth';
import {
  APP_INSIGHTS_CONNECTION_STRING,
  APP_INSIGHTS_ID,
  buildGateway,
  EXPERIMENT,
  SUBSCRIPTION,
  WORKSPACE_ID,
} from './fixtures';
import { child, findOne, parseXml } from './xml';

const APIM_REF = ref('azurerm_api_management.Gateway_Apim_0EDB00D1.id');
const PRINCIPAL_REF = ref('azurerm_api_management.Gateway_Apim_0EDB00D1.identity[0].principal_id');
const SUBNET_ID = `${SUBSCRIPTION}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-apim`;
const PRIVATE_ENDPOINT: PrivateEndpointProps = {
  subnetId: `${SUBSCRIPTION}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-pep`,
  dnsZoneIds: {
    'privatelink.azure-api.net': `${SUBSCRIPTION}/providers/Microsoft.Network/privateDnsZones/privatelink.azure-api.net`,
  },
};

function azapi(json: SynthJson, typePrefix: string): Attributes[] {
  return Object.values(resourcesOf(json, 'azapi_resource')).filter((r) =>
    String(r.type).startsWith(typePrefix),
  );
}

function azapiNamed(json: SynthJson, typePrefix: string, name: string): Attributes {
  const found = azapi(json, typePrefix).filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${typePrefix} named ${name}, found ${found.length}`);
  return found[0]!;
}

function pools(json: SynthJson): Record<string, { id: string; priority: number; weight: number }[]> {
  return Object.fromEntries(
    azapi(json, 'Microsoft.ApiManagement/service/backends@').map((r) => {
      const body = r.body as {
        properties: { pool: { services: { id: string; priority: number; weight: number }[] } };
      };
      return [r.name as string, body.properties.pool.services];
    }),
  );
}

const backendRef = (name: string, json: SynthJson) => {
  const ids = Object.entries(resourcesOf(json, 'azurerm_api_management_backend')).filter(
    ([, r]) => r.name === name,
  );
  return `\${azurerm_api_management_backend.${ids[0]![0]}.id}`;
};

describe('GenAiGateway defaults', () => {
  // GIVEN a gateway over one model endpoint and nothing else
  const { stack } = buildGateway();
  // WHEN synthesized with the project's policy rules
  const json = synthStack(stack);

  test('API Management has a managed identity, TLS 1.2+, a minimum API version and protection', () => {
    const apim = onlyResource(json, 'azurerm_api_management');
    expect(apim).toMatchObject({
      name: 'apim-llmops-test-abcde',
      sku_name: 'Developer_1',
      identity: { type: 'SystemAssigned' },
      min_api_version: '2021-08-01',
      public_network_access_enabled: true,
      virtual_network_type: 'None',
      lifecycle: { prevent_destroy: true },
    });
    expect(apim.security).toEqual({
      backend_ssl30_enabled: false,
      backend_tls10_enabled: false,
      backend_tls11_enabled: false,
      frontend_ssl30_enabled: false,
      frontend_tls10_enabled: false,
      frontend_tls11_enabled: false,
      triple_des_ciphers_enabled: false,
    });
  });

  test('passes every policy rule, with the diagnostic setting (LLM logs in resource-specific tables) from the aspect', () => {
    const findings = PolicyReport.tryOf(stack)!.findings.filter((f) => f.path.startsWith('test/Gateway'));
    expect(findings).toEqual([]);
    expect(PolicyReport.tryOf(stack)!.ruleIds).toEqual(
      expect.arrayContaining(['managed-identity', 'tls-minimum', 'diagnostic-setting']),
    );
    expect(onlyResource(json, 'azurerm_monitor_diagnostic_setting')).toMatchObject({
      target_resource_id: APIM_REF,
      log_analytics_workspace_id: WORKSPACE_ID,
      log_analytics_destination_type: 'Dedicated',
      enabled_log: [{ category_group: 'allLogs' }],
    });
  });

  test('the gateway identity gets Cognitive Services OpenAI User on the model account', () => {
    const grants = Object.values(resourcesOf(json, 'azurerm_role_assignment')).filter(
      (r) => r.role_definition_name === 'Cognitive Services OpenAI User',
    );
    expect(grants).toEqual([
      expect.objectContaining({
        scope: `${SUBSCRIPTION}/providers/Microsoft.CognitiveServices/accounts/ais-test-swedencentral`,
        principal_id: PRINCIPAL_REF,
        principal_type: 'ServicePrincipal',
      }),
    ]);
  });

  test('the Application Insights logger authenticates with the managed identity after its role exists', () => {
    const logger = azapiNamed(json, 'Microsoft.ApiManagement/service/loggers@', 'appinsights');
    expect(logger.parent_id).toBe(APIM_REF);
    expect(logger.body).toEqual({
      properties: {
        loggerType: 'applicationInsights',
        description: 'Application Insights, authenticated with the gateway managed identity',
        resourceId: APP_INSIGHTS_ID,
        isBuffered: true,
        credentials: { connectionString: APP_INSIGHTS_CONNECTION_STRING, identityClientId: 'SystemAssigned' },
      },
    });
    const publisher = Object.entries(resourcesOf(json, 'azurerm_role_assignment')).find(
      ([, r]) => r.role_definition_name === 'Monitoring Metrics Publisher',
    )!;
    expect(publisher[1]).toMatchObject({ scope: APP_INSIGHTS_ID, principal_id: PRINCIPAL_REF });
    expect(logger.depends_on).toEqual([`azurerm_role_assignment.${publisher[0]}`]);
    expect(logger.lifecycle).toEqual({ ignore_changes: ['body.properties.credentials'] });
  });

  test('one backend per deployment, on its deployment path; alone in its pool, it never trips', () => {
    const backends = Object.values(resourcesOf(json, 'azurerm_api_management_backend'));
    expect(backends.map((b) => b.name).sort()).toEqual([
      'chat-primary',
      'chat-v2-primary',
      'embedding-primary',
    ]);
    for (const b of backends) {
      expect(b).toMatchObject({
        protocol: 'http',
        url: `https://ais-test-swedencentral.openai.azure.com/openai/deployments/${String(b.name).replace(/-primary$/, '')}`,
        tls: { validate_certificate_chain: true, validate_certificate_name: true },
      });
      // a one-member pool has no breaker: one 429 must not become a 503 for every caller
      expect(b).not.toHaveProperty('circuit_breaker_rule');
      expect(b).not.toHaveProperty('credentials');
    }
  });

  test('one pool per deployment, valid against the Azure spec', () => {
    expect(pools(json)).toEqual({
      'pool-chat': [{ id: backendRef('chat-primary', json), priority: 1, weight: 100 }],
      'pool-chat-v2': [{ id: backendRef('chat-v2-primary', json), priority: 1, weight: 100 }],
      'pool-embedding': [{ id: backendRef('embedding-primary', json), priority: 1, weight: 100 }],
    });
    for (const pool of azapi(json, 'Microsoft.ApiManagement/service/backends@')) {
      expect(pool.type).toBe(APIM_BACKEND_TYPE);
      expect(pool.parent_id).toBe(APIM_REF);
      expect(validateAgainstAzureSpec(APIM_BACKEND_TYPE, pool.body)).toEqual([]);
    }
  });

  test('an OpenAI-compatible API with chat completions and embeddings, key in api-key', () => {
    expect(onlyResource(json, 'azurerm_api_management_api')).toMatchObject({
      name: 'openai',
      path: 'openai',
      protocols: ['https'],
      subscription_required: true,
      subscription_key_parameter_names: { header: 'api-key', query: 'subscription-key' },
    });
    const operations = Object.values(resourcesOf(json, 'azurerm_api_management_api_operation'));
    expect(operations.map((o) => [o.operation_id, o.method, o.url_template])).toEqual([
      ['chat-completions', 'POST', '/deployments/{deployment-id}/chat/completions'],
      ['embeddings', 'POST', '/deployments/{deployment-id}/embeddings'],
    ]);
    const policy = parseXml(onlyResource(json, 'azurerm_api_management_api_policy').xml_content as string);
    expect(findOne(policy, 'authentication-managed-identity').attributes.resource).toBe(
      'https://cognitiveservices.azure.com',
    );
    expect(findOne(policy, 'backend').children.map((c) => c.name)).toEqual(['forward-request']);
  });

  test('one product, approval required, limited to 10,000 tokens per minute per subscription at API scope', () => {
    expect(onlyResource(json, 'azurerm_api_management_product')).toMatchObject({
      product_id: 'inference',
      subscription_required: true,
      approval_required: true,
      published: true,
    });
    // the limit is in the API policy, so no product-scoped policy exists that a key could go around
    expect(resourcesOf(json, 'azurerm_api_management_product_policy')).toEqual({});
    const limit = findOne(
      parseXml(onlyResource(json, 'azurerm_api_management_api_policy').xml_content as string),
      'azure-openai-token-limit',
    );
    expect(limit.attributes['tokens-per-minute']).toBe('10000');
    expect(limit.attributes['counter-key']).toBe('@(context.Subscription.Id)');
    expect(limit.attributes).not.toHaveProperty('token-quota');
  });

  test('the Application Insights diagnostic enables custom metrics and logs every request', () => {
    const diagnostic = azapiNamed(
      json,
      'Microsoft.ApiManagement/service/apis/diagnostics@',
      'applicationinsights',
    );
    expect(diagnostic.type).toBe(API_DIAGNOSTIC_TYPE);
    expect(diagnostic.parent_id).toBe(
      `${APIM_REF}/apis/\${azurerm_api_management_api.Gateway_Api_B3C8C360.name}`,
    );
    expect(diagnostic.body).toMatchObject({
      properties: {
        loggerId: ref('azapi_resource.Gateway_Apim_Logger_B60FDB11.id'),
        metrics: true,
        sampling: { samplingType: 'fixed', percentage: 100 },
        logClientIp: false,
      },
    });
    expect(validateAgainstAzureSpec(API_DIAGNOSTIC_TYPE, diagnostic.body)).toEqual([]);
  });

  test('the LLM diagnostic logs token usage, prompts and completions of every request by default', () => {
    const diagnostic = azapiNamed(json, 'Microsoft.ApiManagement/service/apis/diagnostics@', 'azuremonitor');
    expect(diagnostic.type).toBe(API_LLM_DIAGNOSTIC_TYPE);
    // azapi 2.12.0 embeds this preview version, so plan validates the body (no opt-out)
    expect(diagnostic).not.toHaveProperty('schema_validation_enabled');
    expect(AZAPI_EMBEDDED_TYPES).toHaveProperty([API_LLM_DIAGNOSTIC_TYPE]);
    expect(diagnostic.body).toEqual({
      properties: {
        loggerId: `${APIM_REF}/loggers/azuremonitor`,
        alwaysLog: 'allErrors',
        sampling: { samplingType: 'fixed', percentage: 100 },
        logClientIp: false,
        verbosity: 'information',
        largeLanguageModel: {
          logs: 'enabled',
          requests: { messages: 'all', maxSizeInBytes: 32768 },
          responses: { messages: 'all', maxSizeInBytes: 32768 },
        },
      },
    });
    expect(validateAgainstAzureSpec(API_LLM_DIAGNOSTIC_TYPE, diagnostic.body)).toEqual([]);
    expect(resourcesOf(json, 'azurerm_log_analytics_workspace_table')).toEqual({});
  });

  test('the API policy is configured after the pools and both diagnostics', () => {
    const dependsOn = onlyResource(json, 'azurerm_api_management_api_policy').depends_on as string[];
    expect(dependsOn.map((d) => d.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'azapi_resource.Gateway_Backends_pool-chat',
      'azapi_resource.Gateway_Backends_pool-chat-v2',
      'azapi_resource.Gateway_Backends_pool-embedding',
      'azapi_resource.Gateway_Telemetry_AppInsights',
      'azapi_resource.Gateway_Telemetry_LlmLogs',
    ]);
  });
});

describe('GenAiGateway with failover regions and an experiment', () => {
  // GIVEN two failover regions and a 90/10 experiment
  const { stack, gateway } = buildGateway(
    { experiments: { chat: EXPERIMENT }, metricNamespace: 'llmops' },
    { secondaryLocations: ['francecentral', 'uksouth'] },
  );
  const json = synthStack(stack);

  test('each pool tries the primary first, then shares failover between the secondaries', () => {
    expect(pools(json)['pool-chat']).toEqual([
      { id: backendRef('chat-primary', json), priority: 1, weight: 100 },
      { id: backendRef('chat-francecentral', json), priority: 2, weight: 50 },
      { id: backendRef('chat-uksouth', json), priority: 2, weight: 50 },
    ]);
    expect(equalWeights(3)).toEqual([34, 33, 33]);
    expect(gateway.backends.backendIds).toEqual({
      chat: 'pool-chat',
      'chat-v2': 'pool-chat-v2',
      embedding: 'pool-embedding',
    });
  });

  test('the identity may call every model account', () => {
    const scopes = Object.values(resourcesOf(json, 'azurerm_role_assignment'))
      .filter((r) => r.role_definition_name === 'Cognitive Services OpenAI User')
      .map((r) => [r.scope, r.principal_id]);
    expect(scopes.sort()).toEqual(
      ['francecentral', 'swedencentral', 'uksouth'].map((l) => [
        `${SUBSCRIPTION}/providers/Microsoft.CognitiveServices/accounts/ais-test-${l}`,
        PRINCIPAL_REF,
      ]),
    );
  });

  test('requests that get 429 or 5xx are sent again once per failover region, and once more per region after a fallback to the control', () => {
    const policy = parseXml(onlyResource(json, 'azurerm_api_management_api_policy').xml_content as string);
    // the variant's pool: 3 members and the send that finds it open (4), then the control's 3 members
    expect(findOne(policy, 'retry').attributes.count).toBe('7');
    expect(child(policy, 'backend').children[0]!.attributes.value).toBe(
      '@((string)context.Variables["llmops-backend"] == "pool-chat" ? 3 : ((string)context.Variables["llmops-backend"] == "pool-chat-v2" ? 4 : ((string)context.Variables["llmops-backend"] == "pool-embedding" ? 3 : (1))))',
    );
  });

  test("the candidate's pool may open entirely (it falls back to the control); every other pool keeps a member that never trips", () => {
    const byName = Object.fromEntries(
      Object.values(resourcesOf(json, 'azurerm_api_management_backend')).map((b) => [b.name, b]),
    );
    expect(byName['chat-v2-uksouth']).toHaveProperty('circuit_breaker_rule');
    expect(byName['chat-uksouth']).not.toHaveProperty('circuit_breaker_rule');
    expect(byName['chat-primary']).toHaveProperty('circuit_breaker_rule');
  });

  test('the pin header is recorded with each request', () => {
    const diagnostic = azapiNamed(
      json,
      'Microsoft.ApiManagement/service/apis/diagnostics@',
      'applicationinsights',
    );
    expect((diagnostic.body as { properties: { frontend: unknown } }).properties.frontend).toEqual({
      request: { headers: ['x-llmops-variant'] },
      response: {
        headers: [
          'x-llmops-experiment',
          'x-llmops-variant',
          'x-llmops-deployment',
          'x-llmops-prompt-version',
          'x-llmops-fallback',
          'x-llmops-remaining-tokens',
        ],
      },
    });
  });

  test("each experiment's weights live in a named value the policy reads", () => {
    expect(onlyResource(json, 'azurerm_api_management_named_value')).toMatchObject({
      name: 'llmops-weights-chat',
      display_name: 'llmops-weights-chat',
      value: 'control=90;candidate=10',
      secret: false,
    });
    const dependsOn = onlyResource(json, 'azurerm_api_management_api_policy').depends_on as string[];
    expect(dependsOn).toContain(
      `azurerm_api_management_named_value.${Object.keys(resourcesOf(json, 'azurerm_api_management_named_value'))[0]}`,
    );
  });

  test('rolling back changes the named value only: the policy and the pools stay the same', () => {
    // GIVEN the same experiment rolled back (candidate 10 -> 0, control 90 -> 100)
    const rolledBack = synthStack(
      buildGateway(
        {
          experiments: {
            chat: {
              variants: {
                control: { deployment: 'chat', weight: 100 },
                candidate: { deployment: 'chat-v2', promptVersion: 'v7', weight: 0 },
              },
            },
          },
        },
        { secondaryLocations: ['francecentral', 'uksouth'] },
      ).stack,
    );
    // THEN only the weights value differs
    expect(onlyResource(rolledBack, 'azurerm_api_management_named_value').value).toBe(
      'control=100;candidate=0',
    );
    expect(onlyResource(rolledBack, 'azurerm_api_management_api_policy').xml_content).toBe(
      onlyResource(json, 'azurerm_api_management_api_policy').xml_content,
    );
    expect(pools(rolledBack)).toEqual(pools(json));
  });

  test('focused snapshot: the API policy and the pools', () => {
    expect(Object.keys(pools(json)).sort()).toEqual(['pool-chat', 'pool-chat-v2', 'pool-embedding']);
    expect(onlyResource(json, 'azurerm_api_management_api_policy').xml_content).toContain(
      '{{llmops-weights-chat}}',
    );
    expect(onlyResource(json, 'azurerm_api_management_api_policy').xml_content).toMatchSnapshot();
    expect(pools(json)).toMatchSnapshot();
  });
});

describe('GenAiGateway logging', () => {
  test('the privacy switch logs token usage of every request and no message', () => {
    // GIVEN bodies off (and a sample rate that then does not apply)
    const json = synthStack(
      buildGateway({ logging: { logBodiesEnabled: false, bodySampleRatePercent: 10 } }).stack,
    );
    const diagnostic = azapiNamed(json, 'Microsoft.ApiManagement/service/apis/diagnostics@', 'azuremonitor');
    // THEN LLM logs stay on at 100% without requests or responses
    expect((diagnostic.body as { properties: unknown }).properties).toMatchObject({
      sampling: { samplingType: 'fixed', percentage: 100 },
      largeLanguageModel: { logs: 'enabled' },
    });
    expect(
      (diagnostic.body as { properties: { largeLanguageModel: object } }).properties.largeLanguageModel,
    ).toEqual({ logs: 'enabled' });
    expect(validateAgainstAzureSpec(API_LLM_DIAGNOSTIC_TYPE, diagnostic.body)).toEqual([]);
  });

  test('bodies are sampled at the configured rate and kept for the configured days', () => {
    // GIVEN a 25% sample and 30 days of retention
    const json = synthStack(
      buildGateway({
        logging: {
          bodySampleRatePercent: 25,
          llmLogRetention: { workspace: { id: WORKSPACE_ID }, retentionDays: 30 },
        },
      }).stack,
    );
    const diagnostic = azapiNamed(json, 'Microsoft.ApiManagement/service/apis/diagnostics@', 'azuremonitor');
    expect((diagnostic.body as { properties: { sampling: unknown } }).properties.sampling).toEqual({
      samplingType: 'fixed',
      percentage: 25,
    });
    expect(onlyResource(json, 'azurerm_log_analytics_workspace_table')).toEqual({
      name: LLM_LOG_TABLE,
      workspace_id: WORKSPACE_ID,
      retention_in_days: 30,
    });
  });

  test('a sample rate of 0 logs no message', () => {
    const json = synthStack(buildGateway({ logging: { bodySampleRatePercent: 0 } }).stack);
    const body = azapiNamed(json, 'Microsoft.ApiManagement/service/apis/diagnostics@', 'azuremonitor')
      .body as {
      properties: { largeLanguageModel: object; sampling: object };
    };
    expect(body.properties.largeLanguageModel).toEqual({ logs: 'enabled' });
    expect(body.properties.sampling).toEqual({ samplingType: 'fixed', percentage: 100 });
  });
});

describe('GenAiGateway options', () => {
  test('semantic caching adds an embeddings backend and a chat completions policy', () => {
    const json = synthStack(buildGateway({ semanticCache: { embeddingsDeployment: 'embedding' } }).stack);
    const backend = Object.values(resourcesOf(json, 'azurerm_api_management_backend')).find(
      (b) => b.name === 'semantic-cache-embeddings',
    )!;
    expect(backend.url).toBe(
      'https://ais-test-swedencentral.openai.azure.com/openai/deployments/embedding/embeddings',
    );
    const operationPolicy = onlyResource(json, 'azurerm_api_management_api_operation_policy');
    expect(operationPolicy.operation_id).toBe(
      ref('azurerm_api_management_api_operation.Gateway_Api_chat-completions_4EB715A6.operation_id'),
    );
    expect(
      findOne(parseXml(operationPolicy.xml_content as string), 'azure-openai-semantic-cache-lookup')
        .attributes['embeddings-backend-id'],
    ).toBe('semantic-cache-embeddings');
  });

  test('products carry their own limits and quotas', () => {
    const json = synthStack(
      buildGateway({
        products: { team: { tokensPerMinute: 50_000, tokenQuota: 1_000_000, tokenQuotaPeriod: 'Daily' } },
      }).stack,
    );
    expect(onlyResource(json, 'azurerm_api_management_product').product_id).toBe('team');
    const limit = findOne(
      parseXml(onlyResource(json, 'azurerm_api_management_api_policy').xml_content as string),
      'azure-openai-token-limit',
    );
    expect(limit.attributes).toMatchObject({
      'tokens-per-minute': '50000',
      'token-quota': '1000000',
      'token-quota-period': 'Daily',
    });
  });

  test('circuit breaker settings', () => {
    const json = synthStack(
      buildGateway(
        { circuitBreaker: { failureCount: 3, failureIntervalSeconds: 20, tripDurationSeconds: 120 } },
        { secondaryLocations: ['francecentral'] },
      ).stack,
    );
    const primary = Object.values(resourcesOf(json, 'azurerm_api_management_backend')).find(
      (b) => b.name === 'chat-primary',
    )!;
    expect(primary.circuit_breaker_rule).toMatchObject({
      trip_duration: 'PT120S',
      accept_retry_after_enabled: false,
      failure_condition: { count: 3, interval_duration: 'PT20S' },
    });
  });

  test('Standard v2 in a private network: outbound integration, inbound private endpoint, no public access', () => {
    // GIVEN a private environment's Standard v2 gateway
    const { stack } = buildGateway(
      {
        sku: 'StandardV2',
        capacity: 2,
        network: { subnetId: SUBNET_ID, mode: 'v2-integration' },
        privateEndpoint: PRIVATE_ENDPOINT,
      },
      { networkMode: 'private' },
    );
    const json = synthStack(stack);
    expect(onlyResource(json, 'azurerm_api_management')).toMatchObject({
      sku_name: 'StandardV2_2',
      virtual_network_type: 'External',
      virtual_network_configuration: { subnet_id: SUBNET_ID },
      // created open (Azure refuses it closed at creation), closed once the endpoint exists
      public_network_access_enabled: true,
      lifecycle: { ignore_changes: ['public_network_access_enabled'] },
    });
    const closure = onlyResource(json, 'azapi_update_resource');
    expect(closure).toMatchObject({
      resource_id: APIM_REF,
      body: { properties: { publicNetworkAccess: 'Disabled' } },
    });
    // AND the service-wide update waits for every write under the service (none meets it mid-update)
    const childWrites = allResources(json)
      .filter(
        ([type, , attrs]) =>
          type.startsWith('azurerm_api_management_') ||
          (type === 'azapi_resource' && String(attrs.type).startsWith('Microsoft.ApiManagement/service/')),
      )
      .map(([type, id]) => `${type}.${id}`);
    expect(childWrites.length).toBeGreaterThan(5);
    expect(closure.depends_on).toEqual(expect.arrayContaining(childWrites));
    expect(onlyResource(json, 'azurerm_private_endpoint')).toMatchObject({
      name: 'pep-apim-llmops-test-abcde-gateway',
      private_service_connection: {
        private_connection_resource_id: APIM_REF,
        subresource_names: ['Gateway'],
      },
    });
  });

  test('Developer and Premium are injected in internal mode without a private endpoint', () => {
    const json = synthStack(
      buildGateway(
        { sku: 'Premium', network: { subnetId: SUBNET_ID, mode: 'classic-injection' } },
        { networkMode: 'private' },
      ).stack,
    );
    expect(onlyResource(json, 'azurerm_api_management')).toMatchObject({
      sku_name: 'Premium_1',
      virtual_network_type: 'Internal',
      virtual_network_configuration: { subnet_id: SUBNET_ID },
      public_network_access_enabled: true,
    });
    expect(resourcesOf(json, 'azurerm_private_endpoint')).toEqual({});
  });

  test('protection can be turned off for throwaway environments', () => {
    const { stack } = buildGateway({ preventDestroy: false });
    const apim = onlyResource(synthStack(stack), 'azurerm_api_management');
    expect(apim.lifecycle).toBeUndefined();
  });
});
