import { Token } from 'cdktf';
import { ApiManagementService } from '../../constructs/gateway/api-management';
import {
  APIM_BACKEND_TYPE,
  equalWeights,
  MAX_TRIP_DURATION_SECONDS,
  ModelBackends,
  type ModelBackendsProps,
  SEMANTIC_CACHE_BACKEND_ID,
} from '../../constructs/gateway/model-backends';
import { validateAgainstAzureSpec } from '../helpers/azure-spec';
import {
  type Attributes,
  resourcesOf,
  type SynthJson,
  synthStack,
  TEST_RESOURCE_GROUP,
  testStack,
} from '../helpers/synth';
import { DEPLOYMENTS, FakeModelEndpoint, FakeTelemetry, problemsOf, SUBSCRIPTION } from './fixtures';

const APIM = `\${azurerm_api_management.Apim.id}`;

function build(
  props: Partial<Omit<ModelBackendsProps, 'service' | 'primary' | 'secondaries'>> = {},
  secondaries: (stack: ReturnType<typeof testStack>) => FakeModelEndpoint[] = () => [],
): { backends: ModelBackends; json: SynthJson } {
  const stack = testStack();
  const service = new ApiManagementService(stack, 'Apim', {
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'apim-llmops-test-abcde',
    publisherEmail: 'platform@example.com',
    publisherName: 'Platform',
    telemetry: new FakeTelemetry(stack, 'Observability'),
  });
  const primary = new FakeModelEndpoint(stack, 'Models', 'swedencentral');
  const backends = new ModelBackends(stack, 'Backends', {
    service,
    primary,
    secondaries: secondaries(stack),
    ...props,
  });
  return { backends, json: synthStack(stack) };
}

/** Backends (azurerm) by name. */
function backendsByName(json: SynthJson): Record<string, Attributes> {
  return Object.fromEntries(
    Object.entries(resourcesOf(json, 'azurerm_api_management_backend')).map(([id, b]) => [
      b.name as string,
      { ...b, address: `\${azurerm_api_management_backend.${id}.id}` },
    ]),
  );
}

/** Pool members (name of the backend, priority, weight) by pool name. */
function pools(json: SynthJson): Record<string, [string, number, number][]> {
  const names = Object.fromEntries(Object.values(backendsByName(json)).map((b) => [b.address, b.name]));
  return Object.fromEntries(
    Object.values(resourcesOf(json, 'azapi_resource'))
      .filter((r) => r.type === APIM_BACKEND_TYPE)
      .map((r) => [
        r.name as string,
        (
          r.body as { properties: { pool: { services: { id: string; priority: number; weight: number }[] } } }
        ).properties.pool.services.map((s): [string, number, number] => [
          names[s.id] as string,
          s.priority,
          s.weight,
        ]),
      ]),
  );
}

describe('ModelBackends', () => {
  test('defaults: one backend per deployment on the primary endpoint; alone in its pool, it never trips', () => {
    // GIVEN a primary endpoint with three deployments and no failover region
    const { backends, json } = build();
    // THEN each deployment has a backend on its deployment's Azure OpenAI path, checking TLS
    const byName = backendsByName(json);
    expect(Object.keys(byName).sort()).toEqual(['chat-primary', 'chat-v2-primary', 'embedding-primary']);
    expect(byName['chat-primary']).toMatchObject({
      protocol: 'http',
      url: 'https://ais-test-swedencentral.openai.azure.com/openai/deployments/chat',
      description: 'Deployment chat in the primary region (last member of its pool: never tripped)',
      tls: { validate_certificate_chain: true, validate_certificate_name: true },
    });
    // AND the only member of a pool has no circuit breaker: one 429 never becomes a 503 for every caller
    for (const backend of Object.values(byName)) expect(backend).not.toHaveProperty('circuit_breaker_rule');
    expect(backends.backstops).toEqual({
      chat: 'chat-primary',
      'chat-v2': 'chat-v2-primary',
      embedding: 'embedding-primary',
    });
    expect(byName['chat-primary']).not.toHaveProperty('credentials');
    // AND one pool per deployment, holding only the primary backend, valid against the Azure schema
    expect(pools(json)).toEqual({
      'pool-chat': [['chat-primary', 1, 100]],
      'pool-chat-v2': [['chat-v2-primary', 1, 100]],
      'pool-embedding': [['embedding-primary', 1, 100]],
    });
    for (const pool of Object.values(resourcesOf(json, 'azapi_resource')).filter(
      (r) => r.type === APIM_BACKEND_TYPE,
    )) {
      expect(pool.parent_id).toBe(APIM);
      expect(validateAgainstAzureSpec(APIM_BACKEND_TYPE, pool.body)).toEqual([]);
    }
    expect(backends.backendIds).toEqual({
      chat: 'pool-chat',
      'chat-v2': 'pool-chat-v2',
      embedding: 'pool-embedding',
    });
    // AND the gateway identity may call the account; no cache backend
    const grants = Object.values(resourcesOf(json, 'azurerm_role_assignment')).filter(
      (r) => r.role_definition_name === 'Cognitive Services OpenAI User',
    );
    expect(grants.map((g) => g.scope)).toEqual([
      `${SUBSCRIPTION}/providers/Microsoft.CognitiveServices/accounts/ais-test-swedencentral`,
    ]);
    expect(backends.grants).toHaveLength(1);
    expect(backends.embeddingsBackend).toBeUndefined();
  });

  test('failover regions: priority 2 behind the primary, weights split evenly, a grant per account', () => {
    const { backends, json } = build({}, (stack) => [
      new FakeModelEndpoint(stack, 'Models-fr', 'francecentral'),
      new FakeModelEndpoint(stack, 'Models-uk', 'uksouth'),
      new FakeModelEndpoint(stack, 'Models-we', 'westeurope'),
    ]);
    expect(pools(json)['pool-chat']).toEqual([
      ['chat-primary', 1, 100],
      ['chat-francecentral', 2, 34],
      ['chat-uksouth', 2, 33],
      ['chat-westeurope', 2, 33],
    ]);
    expect(backends.members.chat).toEqual([
      'chat-primary',
      'chat-francecentral',
      'chat-uksouth',
      'chat-westeurope',
    ]);
    const byName = backendsByName(json);
    expect(byName['chat-uksouth']!.description).toBe('Deployment chat in uksouth');
    expect(byName['chat-uksouth']!.url).toBe(
      'https://ais-test-uksouth.openai.azure.com/openai/deployments/chat',
    );
    // AND every member but the last trips on its first 429, 5xx or connection failure for 30 s,
    // Retry-After not honoured
    for (const name of ['chat-primary', 'chat-francecentral', 'chat-uksouth']) {
      expect(byName[name]!.circuit_breaker_rule).toEqual({
        name: 'throttled-or-failing',
        trip_duration: 'PT30S',
        accept_retry_after_enabled: false,
        failure_condition: {
          count: 1,
          interval_duration: 'PT10S',
          status_code_range: [
            { min: 429, max: 429 },
            { min: 500, max: 599 },
          ],
          error_reasons: ['BackendConnectionFailure', 'Timeout'],
        },
      });
    }
    // AND the last member never trips, so the pool always has a member to answer
    expect(byName['chat-westeurope']).not.toHaveProperty('circuit_breaker_rule');
    expect(byName['chat-westeurope']!.description).toBe(
      'Deployment chat in westeurope (last member of its pool: never tripped)',
    );
    expect(backends.grants).toHaveLength(4);
  });

  test('a deployment with a fallback (an experiment candidate) may have every member of its pool tripped', () => {
    const { backends, json } = build({ fallbackDeployments: ['chat-v2'] }, (stack) => [
      new FakeModelEndpoint(stack, 'Models-fr', 'francecentral'),
    ]);
    const byName = backendsByName(json);
    expect(byName['chat-v2-primary']).toHaveProperty('circuit_breaker_rule');
    expect(byName['chat-v2-francecentral']).toHaveProperty('circuit_breaker_rule');
    expect(byName['chat-francecentral']).not.toHaveProperty('circuit_breaker_rule');
    expect(backends.backstops).toEqual({ chat: 'chat-francecentral', embedding: 'embedding-francecentral' });
  });

  test('a failover account without the deployment is left out of that pool', () => {
    const { json } = build({}, (stack) => [
      new FakeModelEndpoint(stack, 'Models-fr', 'francecentral', { chat: DEPLOYMENTS.chat! }),
    ]);
    expect(pools(json)).toEqual({
      'pool-chat': [
        ['chat-primary', 1, 100],
        ['chat-francecentral', 2, 100],
      ],
      'pool-chat-v2': [['chat-v2-primary', 1, 100]],
      'pool-embedding': [['embedding-primary', 1, 100]],
    });
  });

  test('secondaries whose location cannot label a backend (a repeat, a token) are numbered instead', () => {
    const { json } = build({}, (stack) => [
      new FakeModelEndpoint(stack, 'Models-a', 'francecentral', { chat: DEPLOYMENTS.chat! }),
      new FakeModelEndpoint(stack, 'Models-b', 'francecentral', { chat: DEPLOYMENTS.chat! }),
      new FakeModelEndpoint(stack, 'Models-c', Token.asString({ Ref: 'location' }), {
        chat: DEPLOYMENTS.chat!,
      }),
    ]);
    expect(pools(json)['pool-chat']!.map(([name]) => name)).toEqual([
      'chat-primary',
      'chat-francecentral',
      'chat-secondary2',
      'chat-secondary3',
    ]);
  });

  test('all props: circuit breaker settings and a semantic-cache embeddings backend', () => {
    const { backends, json } = build({
      circuitBreaker: { failureCount: 3, failureIntervalSeconds: 20, tripDurationSeconds: 300 },
      semanticCacheEmbeddingsDeployment: 'embedding',
      fallbackDeployments: ['chat-v2'],
    });
    const byName = backendsByName(json);
    expect(byName['chat-v2-primary']!.circuit_breaker_rule).toMatchObject({
      trip_duration: 'PT300S',
      failure_condition: { count: 3, interval_duration: 'PT20S' },
    });
    expect(byName[SEMANTIC_CACHE_BACKEND_ID]).toMatchObject({
      url: 'https://ais-test-swedencentral.openai.azure.com/openai/deployments/embedding/embeddings',
      tls: { validate_certificate_chain: true, validate_certificate_name: true },
    });
    expect(byName[SEMANTIC_CACHE_BACKEND_ID]).not.toHaveProperty('circuit_breaker_rule');
    expect(backends.embeddingsBackend).toBeDefined();
  });

  test.each([1, 2, 3, 6, 7])('equalWeights(%i) splits 100 into near-equal integer shares', (n) => {
    const weights = equalWeights(n);
    expect(weights).toHaveLength(n);
    expect(weights.reduce((a, b) => a + b, 0)).toBe(100);
    expect(Math.max(...weights) - Math.min(...weights)).toBeLessThanOrEqual(1);
    expect([...weights].sort((a, b) => b - a)).toEqual(weights); // the larger shares come first
  });

  describe('validation', () => {
    test('fails when a circuit breaker setting is not a positive integer, naming each', () => {
      expect(
        problemsOf(() =>
          build({
            circuitBreaker: { failureCount: 0, failureIntervalSeconds: 1.5, tripDurationSeconds: -1 },
          }),
        ),
      ).toEqual([
        { path: 'props.circuitBreaker.failureCount', message: '0 must be a positive integer' },
        { path: 'props.circuitBreaker.failureIntervalSeconds', message: '1.5 must be a positive integer' },
        { path: 'props.circuitBreaker.tripDurationSeconds', message: '-1 must be a positive integer' },
      ]);
    });

    test('fails when the trip duration is over the cap', () => {
      expect(
        problemsOf(() => build({ circuitBreaker: { tripDurationSeconds: MAX_TRIP_DURATION_SECONDS + 1 } })),
      ).toEqual([
        {
          path: 'props.circuitBreaker.tripDurationSeconds',
          message:
            '301 is over the cap of 300 seconds: a recovered region would stay out of its pool that long',
        },
      ]);
    });

    test('fails when a fallback deployment is not a deployment of the primary endpoint', () => {
      expect(problemsOf(() => build({ fallbackDeployments: ['nope'] }))).toEqual([
        {
          path: 'props.fallbackDeployments',
          message:
            '"nope" is not a deployment of the primary endpoint (deployments: chat, chat-v2, embedding)',
        },
      ]);
    });

    test('fails when the semantic-cache deployment is not an embedding deployment of the primary endpoint', () => {
      expect(problemsOf(() => build({ semanticCacheEmbeddingsDeployment: 'chat' }))).toEqual([
        {
          path: 'props.semanticCacheEmbeddingsDeployment',
          message:
            '"chat" is not an embedding deployment of the primary endpoint (deployments: chat, chat-v2, embedding)',
        },
      ]);
    });

    test('the error names the construct', () => {
      expect(() => build({ circuitBreaker: { failureCount: 0 } })).toThrow(
        'Invalid ModelBackends "test/Backends"',
      );
    });
  });
});
