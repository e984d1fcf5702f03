import { Problems } from '../../constructs/core/errors';
import { ApiManagementService } from '../../constructs/gateway/api-management';
import { ApiTelemetry } from '../../constructs/gateway/api-telemetry';
import { InferenceApi } from '../../constructs/gateway/inference-api';
import { ModelBackends } from '../../constructs/gateway/model-backends';
import { checkExperiments, type Experiment } from '../../constructs/gateway/validation';
import { TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';
import {
  buildGateway,
  DEPLOYMENTS,
  EXPERIMENT,
  FakeModelEndpoint,
  FakeTelemetry,
  problemsOf,
} from './fixtures';

const SUBNET_ID =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/apim';
const PRIVATE_ENDPOINT = { subnetId: SUBNET_ID, dnsZoneIds: { 'privatelink.azure-api.net': 'zone-id' } };

function experimentProblems(experiments: Record<string, Experiment>): { path: string; message: string }[] {
  const problems = new Problems('props');
  checkExperiments(experiments, DEPLOYMENTS, problems);
  return [...problems.all];
}

describe('GenAiGateway validation', () => {
  test('fails when the weights of an experiment do not sum to 100, showing the sum', () => {
    const problems = problemsOf(() =>
      buildGateway({
        experiments: {
          chat: {
            variants: {
              control: { deployment: 'chat', weight: 60 },
              candidate: { deployment: 'chat-v2', weight: 30 },
            },
          },
        },
      }),
    );
    expect(problems).toEqual([
      {
        path: 'props.experiments.chat.variants',
        message: 'weights 60 (control) + 30 (candidate) = 90, must sum to 100',
      },
    ]);
  });

  test('fails when a variant references a deployment that does not exist, listing the declared ones', () => {
    const problems = problemsOf(() =>
      buildGateway({
        experiments: {
          chat: {
            variants: {
              control: { deployment: 'chat', weight: 50 },
              candidate: { deployment: 'gpt-5', weight: 50 },
            },
          },
        },
      }),
    );
    expect(problems).toEqual([
      {
        path: 'props.experiments.chat.variants.candidate.deployment',
        message: '"gpt-5" is not a model deployment (declared: chat, chat-v2, embedding)',
      },
    ]);
  });

  test('fails when a token limit is not positive', () => {
    const problems = problemsOf(() =>
      buildGateway({ products: { team: { tokensPerMinute: 0, tokenQuota: -5 } } }),
    );
    expect(problems).toEqual([
      { path: 'props.products.team.tokensPerMinute', message: '0 must be a positive integer' },
      { path: 'props.products.team.tokenQuota', message: '-5 must be a positive integer' },
    ]);
  });

  test('fails when the body sample rate is outside 0-100', () => {
    const problems = problemsOf(() => buildGateway({ logging: { bodySampleRatePercent: 120 } }));
    expect(problems).toEqual([
      { path: 'props.logging.bodySampleRatePercent', message: '120 is out of range: 0-100 percent' },
    ]);
  });

  test('fails when the LLM log retention is outside 4-730 days', () => {
    const problems = problemsOf(() =>
      buildGateway({ logging: { llmLogRetention: { workspace: { id: 'w' }, retentionDays: 1000 } } }),
    );
    expect(problems).toEqual([
      {
        path: 'props.logging.llmLogRetention.retentionDays',
        message: '1000 is out of range: 4-730 days (Log Analytics table retention)',
      },
    ]);
  });

  test('fails when the capacity does not fit the tier', () => {
    expect(problemsOf(() => buildGateway({ sku: 'Developer', capacity: 2 }))).toEqual([
      { path: 'props.capacity', message: '2 is not allowed: Developer has exactly 1 unit' },
    ]);
    expect(problemsOf(() => buildGateway({ sku: 'Standard', capacity: 5 }))).toEqual([
      { path: 'props.capacity', message: '5 is out of range: Standard allows 1-4 units' },
    ]);
  });

  test('fails when the tier cannot join the network the way asked', () => {
    const problems = problemsOf(() =>
      buildGateway({ sku: 'BasicV2', network: { subnetId: SUBNET_ID, mode: 'v2-integration' } }),
    );
    expect(problems).toEqual([
      {
        path: 'props.network.mode',
        message: '"v2-integration" needs tier StandardV2 or PremiumV2, got "BasicV2"',
      },
    ]);
  });

  test('fails when an injected gateway is given a private endpoint', () => {
    const problems = problemsOf(() =>
      buildGateway({
        sku: 'Premium',
        network: { subnetId: SUBNET_ID, mode: 'classic-injection' },
        privateEndpoint: PRIVATE_ENDPOINT,
      }),
    );
    expect(problems).toEqual([
      {
        path: 'props.privateEndpoint',
        message:
          'an injected gateway (classic-injection) is reached inside its network: private endpoints are not supported for injected instances',
      },
    ]);
  });

  test('fails when semantic caching names a chat deployment', () => {
    const problems = problemsOf(() =>
      buildGateway({ semanticCache: { embeddingsDeployment: 'chat', scoreThreshold: 2 } }),
    );
    expect(problems).toEqual([
      {
        path: 'props.semanticCache.embeddingsDeployment',
        message: '"chat" is a chat deployment: the cache needs an embedding deployment',
      },
      { path: 'props.semanticCache.scoreThreshold', message: '2 is out of range: (0, 1]' },
    ]);
  });

  test('reports every problem at once', () => {
    const problems = problemsOf(() =>
      buildGateway({
        sku: 'Developer',
        capacity: 3,
        logging: { bodySampleRatePercent: -1 },
        experiments: { chat: { variants: {} } },
      }),
    );
    expect(problems.map((p) => p.path)).toEqual([
      'props.capacity',
      'props.experiments.chat.variants',
      'props.logging.bodySampleRatePercent',
    ]);
  });
});

describe('experiment rules', () => {
  test('fails when the variants of an experiment serve different APIs', () => {
    const problems = experimentProblems({
      mixed: {
        variants: { a: { deployment: 'chat', weight: 50 }, b: { deployment: 'embedding', weight: 50 } },
      },
    });
    expect(problems).toEqual([
      {
        path: 'props.experiments.mixed.variants',
        message:
          'variants mix deployment roles (chat, embedding): every variant of an experiment must serve the same API',
      },
    ]);
  });

  test('fails when names or the pin header break their rules', () => {
    const problems = experimentProblems({
      'bad name': {
        pinHeader: 'x variant',
        variants: { 'a/b': { deployment: 'chat', promptVersion: 'v 1', weight: 100 } },
      },
    });
    expect(problems).toEqual([
      {
        path: 'props.experiments.bad name',
        message:
          'experiment name "bad name" breaks the rule: 1-64 letters, digits, "_", "." and "-", starting with a letter or digit',
      },
      {
        path: 'props.experiments.bad name.pinHeader',
        message: '"x variant" is not a header name: letters, digits and "-", starting with a letter',
      },
      {
        path: 'props.experiments.bad name.variants.a/b',
        message:
          'variant name "a/b" breaks the rule: 1-64 letters, digits, "_", "." and "-", starting with a letter or digit',
      },
      {
        path: 'props.experiments.bad name.variants.a/b.promptVersion',
        message:
          '"v 1" breaks the rule: 1-64 letters, digits, "_", "." and "-", starting with a letter or digit',
      },
    ]);
  });

  test('fails when a weight is not an integer percentage', () => {
    const problems = experimentProblems({
      chat: {
        variants: { a: { deployment: 'chat', weight: 100.5 }, b: { deployment: 'chat', weight: -0.5 } },
      },
    });
    expect(problems).toEqual([
      {
        path: 'props.experiments.chat.variants.a.weight',
        message: '100.5 is out of range: an integer percentage 0-100',
      },
      {
        path: 'props.experiments.chat.variants.b.weight',
        message: '-0.5 is out of range: an integer percentage 0-100',
      },
    ]);
  });

  test('a valid experiment with a weight-0 variant passes', () => {
    expect(
      experimentProblems({
        chat: {
          variants: {
            control: { deployment: 'chat', weight: 100 },
            candidate: { deployment: 'chat-v2', weight: 0 },
          },
        },
      }),
    ).toEqual([]);
    expect(experimentProblems({ chat: EXPERIMENT })).toEqual([]);
  });
});

describe('building blocks validate their own props', () => {
  function service(props: Partial<ConstructorParameters<typeof ApiManagementService>[2]> = {}) {
    const stack = testStack();
    return new ApiManagementService(stack, 'Apim', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'apim-test',
      publisherEmail: 'a@example.com',
      publisherName: 'A',
      telemetry: new FakeTelemetry(stack, 'Observability'),
      ...props,
    });
  }

  test('ApiManagementService fails when the name breaks the naming rule', () => {
    expect(problemsOf(() => service({ name: '1-apim' }))).toEqual([
      {
        path: 'props.name',
        message:
          'API Management service name "1-apim" breaks the rule: 1-50 letters, digits and single hyphens, starting with a letter, ending with a letter or digit, globally unique',
      },
    ]);
  });

  test('ApiManagementService fails when public access is off and nothing else reaches it', () => {
    expect(problemsOf(() => service({ publicNetworkAccessEnabled: false }))).toEqual([
      {
        path: 'props.publicNetworkAccessEnabled',
        message:
          'false leaves the gateway unreachable: give privateEndpoint, or inject it into a network (classic-injection, v2-injection)',
      },
    ]);
  });

  test('ModelBackends fails when circuit breaker settings are not positive, or the cache deployment is not an embedding one', () => {
    const svc = service();
    const primary = new FakeModelEndpoint(svc, 'Models', 'swedencentral');
    const problems = problemsOf(
      () =>
        new ModelBackends(svc, 'Backends', {
          service: svc,
          primary,
          circuitBreaker: { tripDurationSeconds: 0 },
          semanticCacheEmbeddingsDeployment: 'chat',
        }),
    );
    expect(problems).toEqual([
      { path: 'props.circuitBreaker.tripDurationSeconds', message: '0 must be a positive integer' },
      {
        path: 'props.semanticCacheEmbeddingsDeployment',
        message:
          '"chat" is not an embedding deployment of the primary endpoint (deployments: chat, chat-v2, embedding)',
      },
    ]);
  });

  test('ModelBackends fails when a backend id would exceed 80 characters', () => {
    const svc = service();
    const long = 'd'.repeat(75);
    const primary = new FakeModelEndpoint(svc, 'Models', 'swedencentral', {
      [long]: { ...DEPLOYMENTS.chat!, deploymentName: long },
    });
    expect(problemsOf(() => new ModelBackends(svc, 'Backends', { service: svc, primary }))[0]).toEqual({
      path: 'props.primary.deployments',
      message: `backend id "${long}-primary" is longer than 80 characters: shorten the deployment name`,
    });
  });

  test('InferenceApi fails without routes, products or with a bad path and retry count', () => {
    const svc = service();
    const problems = problemsOf(
      () =>
        new InferenceApi(svc, 'Api', {
          service: svc,
          routes: {},
          products: {},
          path: 'OpenAI',
          retryCount: 11,
        }),
    );
    expect(problems).toEqual([
      { path: 'props.routes', message: 'no deployment to route to: the model endpoints have no deployments' },
      { path: 'props.products', message: 'declare at least one product: subscriptions belong to products' },
      { path: 'props.path', message: '"OpenAI" must be lowercase letters, digits, "-" and "/"' },
      { path: 'props.retryCount', message: '11 is out of range: 0-10' },
    ]);
  });

  test('ApiTelemetry fails when the sample rate is out of range', () => {
    const svc = service();
    expect(
      problemsOf(
        () =>
          new ApiTelemetry(svc, 'Telemetry', { service: svc, apiName: 'openai', bodySampleRatePercent: 101 }),
      ),
    ).toEqual([{ path: 'props.bodySampleRatePercent', message: '101 is out of range: 0-100 percent' }]);
  });
});
