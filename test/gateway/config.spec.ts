import { ValidationError } from '../../constructs/core/errors';
import { PROFILE_DEFAULTS } from '../../lib/config/profile-defaults';
import { PRIVATE_ENVIRONMENT_YAML, testEnvironment } from '../helpers/synth';

const EXPERIMENT_YAML = (
  control: number,
  candidate: number,
  candidateDeployment = 'chat-v2',
  enabled = true,
) => `profile: development
models:
  deployments:
    chat: { role: chat, model: gpt-4o, version: "2024-11-20" }
    chat-v2: { role: chat, model: gpt-4.1, version: "2025-04-14" }
    embedding: { role: embedding, model: text-embedding-3-large, version: "1", dimensions: 3072 }
gateway:
  enabled: ${enabled}
  experiments:
    chat:
      variants:
        control: { deployment: chat, weight: ${control} }
        candidate: { deployment: ${candidateDeployment}, promptVersion: v7, weight: ${candidate} }`;

/** The problems a config body fails with (those under `gateway`, or `also` when given). */
function configProblems(body: string, name = 'dev', also = '.gateway'): { path: string; message: string }[] {
  try {
    testEnvironment(body, name);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.filter((p) => p.path.includes(also));
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('gateway config defaults', () => {
  test('development: Developer tier, 10,000 tokens per minute, bodies logged for every request', () => {
    // GIVEN a development environment without a gateway section
    const env = testEnvironment('profile: development');
    // THEN the gateway is on with the development defaults
    expect(env.gateway).toEqual({
      enabled: true,
      experiments: {},
      tokenLimits: { tokensPerMinute: 10_000, monthlyQuota: undefined },
      logging: { bodySampleRatePercent: 100, logBodies: true, retentionDays: undefined },
      semanticCache: undefined,
      sku: 'Developer',
      capacity: 1,
      publisherEmail: 'platform@example.com',
      publisherName: 'LLMOps platform',
      publicNetworkAccessEnabled: undefined,
    });
  });

  test("production: the profile's gateway tier and token limit, below the default chat deployment's capacity", () => {
    const env = testEnvironment(PRIVATE_ENVIRONMENT_YAML, 'prod');
    expect(env.gateway.sku).toBe(PROFILE_DEFAULTS.gatewaySku.production);
    expect(env.gateway.tokenLimits.tokensPerMinute).toBe(PROFILE_DEFAULTS.gatewayTokensPerMinute.production);
    expect(env.gateway.tokenLimits.tokensPerMinute).toBeLessThan(
      PROFILE_DEFAULTS.chatCapacity.production * 1000,
    );
  });

  test('an experiment gets the default pin header', () => {
    const env = testEnvironment(EXPERIMENT_YAML(90, 10));
    expect(env.gateway.experiments).toEqual({
      chat: {
        pinHeader: 'x-llmops-variant',
        variants: {
          control: { deployment: 'chat', weight: 90 },
          candidate: { deployment: 'chat-v2', promptVersion: 'v7', weight: 10 },
        },
      },
    });
  });

  test('a rollback (candidate 0, control 100) is valid', () => {
    expect(
      testEnvironment(EXPERIMENT_YAML(100, 0)).gateway.experiments.chat!.variants.candidate!.weight,
    ).toBe(0);
  });
});

describe('gateway config validation', () => {
  test('fails when the weights do not sum to 100', () => {
    expect(configProblems(EXPERIMENT_YAML(90, 20))).toEqual([
      {
        path: 'environments.dev.gateway.experiments.chat.variants',
        message: 'weights 90 (control) + 20 (candidate) = 110, must sum to 100',
      },
    ]);
  });

  test('fails when a variant references an undeclared deployment', () => {
    expect(configProblems(EXPERIMENT_YAML(90, 10, 'chat-v3'))).toEqual([
      {
        path: 'environments.dev.gateway.experiments.chat.variants.candidate.deployment',
        message: '"chat-v3" is not a model deployment (declared: chat, chat-v2, embedding)',
      },
    ]);
  });

  test('fails when a token limit is not positive', () => {
    expect(configProblems('profile: development\ngateway:\n  tokenLimits:\n    tokensPerMinute: 0')).toEqual([
      {
        path: 'environments.dev.gateway.tokenLimits.tokensPerMinute',
        message: '0 is too small: must be greater than 0',
      },
    ]);
  });

  test('fails when a production gateway has no failover region', () => {
    // GIVEN a production environment without secondary locations
    const body = 'profile: production\npipeline:\n  runner:\n    labels: [self-hosted]';
    // THEN the missing failover is named, with what to list
    expect(configProblems(body, 'prod', 'secondaryLocations')).toEqual([
      {
        path: 'environments.prod.models.azure.secondaryLocations',
        message:
          'is empty, but a production gateway needs failover: list at least one region that offers every configured model (Microsoft Learn, "Azure OpenAI model availability"), so each backend pool has two or more members',
      },
    ]);
    // AND a development environment, or a production one without a gateway, may stay in one region
    expect(testEnvironment('profile: development').models.secondaryLocations).toEqual([]);
    expect(() => testEnvironment(`${body}\ngateway:\n  enabled: false`, 'prod')).not.toThrow();
  });

  test("fails when the per-subscription token limit is not below a standard deployment's capacity", () => {
    // GIVEN 30,000 tokens per minute per subscription and a 30 (thousand TPM) chat deployment
    const body = `profile: development
models:
  deployments:
    chat: { role: chat, model: gpt-4o, version: "2024-11-20", azure: { capacity: 30 } }
    ptu: { role: chat, model: gpt-4o, version: "2024-11-20", azure: { sku: GlobalProvisionedManaged, capacity: 15 } }
    embedding: { role: embedding, model: text-embedding-3-large, version: "1", azure: { capacity: 50 } }
gateway:
  tokenLimits:
    tokensPerMinute: 30000`;
    // THEN the limit is refused for chat (one subscription could exhaust it); provisioned capacity is in PTU
    expect(configProblems(body)).toEqual([
      {
        path: 'environments.dev.gateway.tokenLimits.tokensPerMinute',
        message:
          '30000 is not below the capacity of deployment chat (30000 tokens per minute): one subscription could exhaust it for every caller',
      },
    ]);
    expect(testEnvironment(body.replace('30000', '29999')).gateway.tokenLimits.tokensPerMinute).toBe(29_999);
  });

  test('fails when the body sample rate is outside 0-100', () => {
    expect(
      configProblems('profile: development\ngateway:\n  logging:\n    bodySampleRatePercent: 150'),
    ).toEqual([
      {
        path: 'environments.dev.gateway.logging.bodySampleRatePercent',
        message: '150 is too large: maximum 100',
      },
    ]);
  });

  test('fails when the capacity does not fit the tier', () => {
    expect(
      configProblems('profile: development\ngateway:\n  azure:\n    sku: Developer\n    capacity: 2'),
    ).toEqual([
      {
        path: 'environments.dev.gateway.azure.capacity',
        message: '2 is not allowed: Developer has exactly 1 unit',
      },
    ]);
  });

  test('fails when a private environment picks a tier that cannot reach private model endpoints', () => {
    const problems = configProblems(
      `${PRIVATE_ENVIRONMENT_YAML}\ngateway:\n  azure:\n    sku: BasicV2`,
      'prod',
    );
    expect(problems).toContainEqual({
      path: 'environments.prod.gateway.azure.sku',
      message:
        '"BasicV2" cannot join a virtual network, so it cannot reach the private model endpoints of a private environment: use Developer, Premium, StandardV2, PremiumV2',
    });
  });

  test('fails when a public environment turns public access off', () => {
    expect(
      configProblems('profile: development\ngateway:\n  azure:\n    publicNetworkAccessEnabled: false'),
    ).toEqual([
      {
        path: 'environments.dev.gateway.azure.publicNetworkAccessEnabled',
        message: 'false leaves the gateway of a public environment unreachable (it has no private endpoint)',
      },
    ]);
  });

  test('fails when semantic caching is asked for without its external cache, or with a chat deployment', () => {
    expect(
      configProblems('profile: development\ngateway:\n  semanticCache:\n    embeddingsDeployment: chat'),
    ).toEqual([
      {
        path: 'environments.dev.gateway.semanticCache.embeddingsDeployment',
        message: '"chat" is a chat deployment: the cache needs an embedding deployment',
      },
      {
        path: 'environments.dev.gateway.semanticCache.externalCacheAttached',
        message:
          'semantic caching needs an Azure Managed Redis cache with the RediSearch module attached to API Management as its external cache, which the platform does not create: attach one (docs/gateway.md, "Semantic caching"), then set externalCacheAttached: true',
      },
    ]);
  });

  test('a disabled gateway is not checked', () => {
    expect(testEnvironment(EXPERIMENT_YAML(1, 1, 'chat-v3', false)).gateway.enabled).toBe(false);
  });
});
