import { ApiManagementBackend } from '@cdktf/provider-azurerm/lib/api-management-backend';
import type { TerraformStack } from 'cdktf';
import { ApiManagementService } from '../../constructs/gateway/api-management';
import {
  INFERENCE_OPERATIONS,
  InferenceApi,
  type InferenceApiProps,
  type InferenceRoute,
} from '../../constructs/gateway/inference-api';
import {
  onlyResource,
  resourcesOf,
  type SynthJson,
  synthStack,
  TEST_RESOURCE_GROUP,
  testStack,
} from '../helpers/synth';
import { EXPERIMENT, FakeTelemetry, problemsOf } from './fixtures';
import { child, childNames, findOne, parseXml } from './xml';

const ROUTES: Record<string, InferenceRoute> = {
  chat: { role: 'chat', backendId: 'pool-chat' },
  'chat-v2': { role: 'chat', backendId: 'pool-chat-v2' },
  embedding: { role: 'embedding', backendId: 'pool-embedding' },
};
const APIM_NAME = `\${azurerm_api_management.Apim.name}`;

function build(props: Partial<InferenceApiProps> = {}): {
  stack: TerraformStack;
  api: InferenceApi;
  json: SynthJson;
} {
  const stack = testStack();
  const service = new ApiManagementService(stack, 'Apim', {
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'apim-llmops-test-abcde',
    publisherEmail: 'platform@example.com',
    publisherName: 'Platform',
    telemetry: new FakeTelemetry(stack, 'Observability'),
  });
  const api = new InferenceApi(stack, 'Api', { service, routes: ROUTES, ...props });
  return { stack, api, json: synthStack(stack) };
}

const policyOf = (json: SynthJson) =>
  parseXml(onlyResource(json, 'azurerm_api_management_api_policy').xml_content as string);

describe('InferenceApi', () => {
  describe('defaults', () => {
    const { api, json } = build();

    test('an OpenAI-compatible API on https, keyed by subscription in the api-key header', () => {
      expect(onlyResource(json, 'azurerm_api_management_api')).toMatchObject({
        name: 'openai',
        api_management_name: APIM_NAME,
        resource_group_name: 'rg-test',
        revision: '1',
        path: 'openai',
        protocols: ['https'],
        api_type: 'http',
        subscription_required: true,
        subscription_key_parameter_names: { header: 'api-key', query: 'subscription-key' },
      });
      expect(api.apiName).toBe('openai');
    });

    test('chat completions and embeddings, each taking the deployment from the path', () => {
      const operations = Object.values(resourcesOf(json, 'azurerm_api_management_api_operation'));
      expect(operations.map((o) => [o.operation_id, o.method, o.url_template])).toEqual(
        Object.entries(INFERENCE_OPERATIONS).map(([id, op]) => [id, 'POST', op.urlTemplate]),
      );
      expect(Object.values(INFERENCE_OPERATIONS).map((op) => op.urlTemplate)).toEqual([
        '/deployments/{deployment-id}/chat/completions',
        '/deployments/{deployment-id}/embeddings',
      ]);
      for (const operation of operations) {
        expect(operation.template_parameter).toEqual([
          expect.objectContaining({ name: 'deployment-id', required: true, type: 'string' }),
        ]);
      }
    });

    test('one product "inference": 10,000 tokens per minute per subscription, each subscription approved', () => {
      expect(onlyResource(json, 'azurerm_api_management_product')).toMatchObject({
        product_id: 'inference',
        published: true,
        subscription_required: true,
        approval_required: true,
        description: 'Inference within 10000 tokens per minute per subscription',
      });
      expect(onlyResource(json, 'azurerm_api_management_product_api')).toMatchObject({
        api_name: `\${azurerm_api_management_api.Api.name}`,
      });
      expect(resourcesOf(json, 'azurerm_api_management_product_policy')).toEqual({});
      const limit = findOne(policyOf(json), 'azure-openai-token-limit');
      expect(limit.attributes['tokens-per-minute']).toBe('10000');
      expect(limit.attributes).not.toHaveProperty('token-quota');
    });

    test('the API policy routes each deployment to its pool, with no retry and no experiment', () => {
      const policy = policyOf(json);
      const routes = child(policy, 'inbound')
        .children.filter((c) => c.name === 'choose')[1]!
        .children.filter((w) => w.name === 'when')
        .map((w) => findOne(w, 'set-variable').attributes.value);
      expect(routes).toEqual(['pool-chat', 'pool-chat-v2', 'pool-embedding']);
      expect(childNames(child(policy, 'backend'))).toEqual(['forward-request']);
      expect(findOne(policy, 'forward-request').attributes).toEqual({ timeout: '120' });
      expect(findOne(policy, 'azure-openai-emit-token-metric').attributes.namespace).toBe('llmops');
      expect(resourcesOf(json, 'azurerm_api_management_named_value')).toEqual({});
      expect(resourcesOf(json, 'azurerm_api_management_api_operation_policy')).toEqual({});
      expect(api.semanticCachePolicy).toBeUndefined();
    });
  });

  test('all props: experiments, own products, semantic cache, metric namespace, retries, path, dependsOn', () => {
    // GIVEN every optional prop, and a backend the policy must wait for
    const stack = testStack();
    const service = new ApiManagementService(stack, 'Apim', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'apim-llmops-test-abcde',
      publisherEmail: 'platform@example.com',
      publisherName: 'Platform',
      telemetry: new FakeTelemetry(stack, 'Observability'),
    });
    const pool = new ApiManagementBackend(stack, 'Pool', {
      name: 'pool',
      apiManagementName: 'apim',
      resourceGroupName: 'rg-test',
      protocol: 'http',
      url: 'https://x',
    });
    const api = new InferenceApi(stack, 'Api', {
      service,
      routes: ROUTES,
      experiments: { chat: EXPERIMENT },
      products: { gold: { tokensPerMinute: 50_000, tokenQuota: 1_000_000, tokenQuotaPeriod: 'Daily' } },
      semanticCache: { embeddingsDeployment: 'embedding', embeddingsBackendId: 'semantic-cache-embeddings' },
      metricNamespace: 'team-a',
      retryCount: 2,
      path: 'ai/openai',
      dependsOn: [pool],
    });
    const json = synthStack(stack);
    // THEN the experiment's weights live in a named value the policy waits for
    const weights = onlyResource(json, 'azurerm_api_management_named_value');
    expect(weights).toMatchObject({
      name: 'llmops-weights-chat',
      value: 'control=90;candidate=10',
      secret: false,
      tags: ['llmops-experiment'],
    });
    const apiPolicy = onlyResource(json, 'azurerm_api_management_api_policy');
    expect(apiPolicy.depends_on).toEqual([
      'azurerm_api_management_backend.Pool',
      `azurerm_api_management_named_value.${Object.keys(resourcesOf(json, 'azurerm_api_management_named_value'))[0]}`,
    ]);
    // AND the policy retries twice and emits its metrics in the given namespace
    const policy = policyOf(json);
    expect(findOne(policy, 'retry').attributes.count).toBe('2');
    expect(findOne(policy, 'azure-openai-emit-token-metric').attributes.namespace).toBe('team-a');
    // AND the product carries its limits, the API its path, the chat operation the cache lookup
    expect(onlyResource(json, 'azurerm_api_management_product')).toMatchObject({
      product_id: 'gold',
      description:
        'Inference within 50000 tokens per minute per subscription and 1000000 tokens per daily period',
    });
    expect(onlyResource(json, 'azurerm_api_management_api').path).toBe('ai/openai');
    const cache = onlyResource(json, 'azurerm_api_management_api_operation_policy');
    expect(cache.operation_id).toMatch(
      /^\$\{azurerm_api_management_api_operation\.Api_chat-completions_[0-9A-F]{8}\.operation_id\}$/,
    );
    expect(cache.depends_on).toEqual([
      `azurerm_api_management_api_policy.${Object.keys(resourcesOf(json, 'azurerm_api_management_api_policy'))[0]}`,
      'azurerm_api_management_backend.Pool',
    ]);
    expect(
      findOne(parseXml(cache.xml_content as string), 'azure-openai-semantic-cache-lookup').attributes[
        'embeddings-backend-id'
      ],
    ).toBe('semantic-cache-embeddings');
    expect(Object.keys(api.weights)).toEqual(['chat']);
    expect(Object.keys(api.products)).toEqual(['gold']);
  });

  describe('validation', () => {
    test('fails when an experiment names a deployment that has no route', () => {
      expect(
        problemsOf(() =>
          build({
            experiments: {
              chat: {
                variants: {
                  control: { deployment: 'chat', weight: 50 },
                  candidate: { deployment: 'gpt-5', weight: 50 },
                },
              },
            },
          }),
        ),
      ).toEqual([
        {
          path: 'props.experiments.chat.variants.candidate.deployment',
          message: '"gpt-5" is not a model deployment (declared: chat, chat-v2, embedding)',
        },
      ]);
    });

    test('fails when a product id or its limits are not allowed', () => {
      expect(problemsOf(() => build({ products: { 'team a': { tokensPerMinute: 0 } } }))).toEqual([
        {
          path: 'props.products.team a',
          message: 'product id "team a" must be letters, digits, "_", "." and "-"',
        },
        { path: 'props.products.team a.tokensPerMinute', message: '0 must be a positive integer' },
      ]);
    });

    test.each([-1, 1.5, 11])('fails when retryCount is %s', (retryCount) => {
      expect(problemsOf(() => build({ retryCount }))).toEqual([
        { path: 'props.retryCount', message: `${retryCount} is out of range: 0-10` },
      ]);
    });

    test('fails with every problem at once, naming the construct', () => {
      expect(() => build({ routes: {}, path: '/openai' })).toThrow('Invalid InferenceApi "test/Api"');
      expect(problemsOf(() => build({ routes: {}, path: '/openai' }))).toEqual([
        {
          path: 'props.routes',
          message: 'no deployment to route to: the model endpoints have no deployments',
        },
        { path: 'props.path', message: '"/openai" must be lowercase letters, digits, "-" and "/"' },
      ]);
    });
  });
});
