import {
  COGNITIVE_SERVICES_RESOURCE,
  type InferenceApiPolicyInput,
  inferenceApiPolicy,
  POLICY_VARIABLES,
  parseWeightsLabel,
  RESPONSE_HEADERS,
  semanticCachePolicy,
  tokenLimitStatement,
  variantPickExpression,
  weightsLabel,
  weightsNamedValue,
} from '../../constructs/gateway/policies';
import { renderXml } from '../../constructs/gateway/policy-xml';
import { GATEWAY_TOKEN_METRICS } from '../../constructs/monitoring/platform-metrics';
import { EXPERIMENT } from './fixtures';
import { child, childNames, findAll, findOne, type Node, parseXml } from './xml';

const BACKENDS = { chat: 'pool-chat', 'chat-v2': 'pool-chat-v2', embedding: 'pool-embedding' };

function apiPolicy(input: Partial<InferenceApiPolicyInput> = {}): Node {
  return parseXml(
    inferenceApiPolicy({
      backends: BACKENDS,
      experiments: {},
      metricNamespace: 'llmops',
      sendBudgets: { 'pool-chat': 2, 'pool-chat-v2': 2, 'pool-embedding': 2 },
      timeoutSeconds: 120,
      retryCount: 0,
      products: { inference: { tokensPerMinute: 10_000 } },
      ...input,
    }),
  );
}

/** The routing `choose` of inbound (the second: the first enforces the token limits). */
function routingChoose(policy: Node): Node {
  return child(policy, 'inbound').children.filter((c) => c.name === 'choose')[1]!;
}

/** The `when` branches of the routing `choose`, by called deployment. */
function routes(policy: Node): Map<string, Node> {
  const choose = routingChoose(policy);
  const out = new Map<string, Node>();
  for (const when of choose.children.filter((c) => c.name === 'when')) {
    const m = /== "([^"]+)"\)$/.exec(when.attributes.condition!);
    out.set(m![1]!, when);
  }
  return out;
}

function variables(node: Node): Record<string, string> {
  return Object.fromEntries(
    node.children
      .filter((c) => c.name === 'set-variable')
      .map((c) => [c.attributes.name!, c.attributes.value!]),
  );
}

/**
 * Runs a policy expression of the variant pick (`@{ ... }`) in JavaScript. The expression uses a handful of
 * C# constructs; each is mapped to its JavaScript equivalent, and any other C# left over fails the test, so
 * what runs is the generated text, not a copy of it.
 */
function runPolicyExpression(
  expression: string,
): (input: { roll: number; headers: Record<string, string>; variables: Record<string, string> }) => string {
  expect(expression.startsWith('@{') && expression.endsWith('}')).toBe(true);
  const body = expression
    .slice(2, -1)
    .replace(/foreach \(var (\w+) in /g, 'for (const $1 of ')
    .replace(/\bvar /g, 'let ')
    .replace(/\(string\)/g, '')
    .replace(/new Random\(\)\.Next\(100\)/g, 'random()')
    .replace(/\bint\.Parse\(/g, 'Number(')
    .replace(/\.Split\(/g, '.split(');
  expect(body).not.toMatch(/foreach|\bvar\b|Random|int\.|\.Split|\(string\)/);
  const run = new Function('context', 'random', body) as (context: unknown, random: () => number) => string;
  return ({ roll, headers, variables }) =>
    run(
      {
        Request: {
          Headers: { GetValueOrDefault: (name: string, fallback: string) => headers[name] ?? fallback },
        },
        Variables: variables,
      },
      () => roll,
    );
}

describe('inference API policy', () => {
  test('routes every deployment to its pool and answers 404 for anything else', () => {
    // GIVEN three deployments and no experiment
    const policy = apiPolicy();
    // WHEN the routing branches are read
    const byDeployment = routes(policy);
    // THEN each deployment sets its pool as the backend
    expect([...byDeployment.keys()]).toEqual(['chat', 'chat-v2', 'embedding']);
    expect(variables(byDeployment.get('embedding')!)).toEqual({
      [POLICY_VARIABLES.backend]: 'pool-embedding',
    });
    const otherwise = child(routingChoose(policy), 'otherwise');
    expect(findOne(otherwise, 'set-status').attributes).toEqual({
      code: '404',
      reason: 'Deployment not found',
    });
    expect(findOne(otherwise, 'set-body').text).toContain('chat, chat-v2, embedding');
  });

  test('sends to the chosen backend without the deployment segment and without the caller key, authenticated with the managed identity', () => {
    const inbound = child(apiPolicy(), 'inbound');
    // THEN the order is: base, token limit, drop the key header, variables, routing, backend, rewrite,
    // drop the key query parameter, token, metrics
    expect(childNames(inbound)).toEqual([
      'base',
      'choose',
      'set-header',
      'set-header',
      'set-variable',
      'set-variable',
      'set-variable',
      'set-variable',
      'set-variable',
      'set-variable',
      'set-variable',
      'choose',
      'set-backend-service',
      'rewrite-uri',
      'set-query-parameter',
      'authentication-managed-identity',
      'azure-openai-emit-token-metric',
    ]);
    // AND the subscription key goes in neither form: header api-key, query parameter subscription-key
    // (and not in API Management's default key header either, should a client send it there)
    expect(inbound.children.filter((c) => c.name === 'set-header').map((c) => c.attributes)).toEqual([
      { name: 'api-key', 'exists-action': 'delete' },
      { name: 'Ocp-Apim-Subscription-Key', 'exists-action': 'delete' },
    ]);
    expect(child(inbound, 'set-query-parameter').attributes).toEqual({
      name: 'subscription-key',
      'exists-action': 'delete',
    });
    expect(child(inbound, 'set-backend-service').attributes['backend-id']).toBe(
      '@((string)context.Variables["llmops-backend"])',
    );
    // AND the backend URL names the deployment, so the path keeps only the operation
    expect(child(inbound, 'rewrite-uri').attributes).toEqual({
      template: '@(context.Operation.UrlTemplate.Replace("/deployments/{deployment-id}", ""))',
      'copy-unmatched-params': 'true',
    });
    expect(child(inbound, 'authentication-managed-identity').attributes).toEqual({
      resource: COGNITIVE_SERVICES_RESOURCE,
    });
  });

  test('emits token metrics with API, subscription, deployment, experiment and variant dimensions', () => {
    const metric = findOne(apiPolicy({ metricNamespace: 'llmops-test' }), 'azure-openai-emit-token-metric');
    expect(metric.attributes).toEqual({ namespace: 'llmops-test' });
    expect(metric.children.map((d) => d.attributes)).toEqual([
      { name: 'API ID' },
      { name: 'Subscription ID' },
      { name: 'Deployment', value: '@((string)context.Variables["llmops-target-deployment"])' },
      { name: 'Experiment', value: '@((string)context.Variables["llmops-experiment"])' },
      { name: 'Variant', value: '@((string)context.Variables["llmops-variant"])' },
    ]);
  });

  test('the token metrics match what the monitoring workbook reads (GATEWAY_TOKEN_METRICS)', () => {
    const metric = findOne(
      apiPolicy({ metricNamespace: GATEWAY_TOKEN_METRICS.namespace }),
      'azure-openai-emit-token-metric',
    );
    expect(metric.attributes.namespace).toBe(GATEWAY_TOKEN_METRICS.namespace);
    expect(metric.children.map((d) => d.attributes.name).sort()).toEqual(
      Object.values(GATEWAY_TOKEN_METRICS.dimensions).sort(),
    );
  });

  test('an experiment picks a pinned or weighted variant and routes to its deployment', () => {
    // GIVEN a 90/10 experiment named like the control deployment
    const policy = apiPolicy({ experiments: { chat: EXPERIMENT } });
    // WHEN its route is read
    const route = routes(policy).get('chat')!;
    // THEN it records the experiment, reads the weights from the experiment's named value, picks a variant
    expect(variables(route)).toEqual({
      [POLICY_VARIABLES.experiment]: 'chat',
      [POLICY_VARIABLES.weights]: '{{llmops-weights-chat}}',
      [POLICY_VARIABLES.variant]: variantPickExpression(EXPERIMENT),
    });
    expect(weightsNamedValue('chat')).toBe('llmops-weights-chat');
    const [unknownPin, variantMap] = findAll(route, 'choose');
    expect(findOne(unknownPin!, 'set-status').attributes).toEqual({ code: '400', reason: 'Unknown variant' });
    expect(unknownPin!.children[0]!.attributes.condition).toBe(
      '@{ var pinned = context.Request.Headers.GetValueOrDefault("x-llmops-variant", ""); return pinned != "" && pinned != "control" && pinned != "candidate"; }',
    );
    // AND the variant names the deployment (and prompt version) to call
    expect(variantMap!.children.map((w) => [w.attributes.condition, variables(w)])).toEqual([
      [
        '@((string)context.Variables["llmops-variant"] == "control")',
        { [POLICY_VARIABLES.targetDeployment]: 'chat', [POLICY_VARIABLES.backend]: 'pool-chat' },
      ],
      [
        '@((string)context.Variables["llmops-variant"] == "candidate")',
        {
          [POLICY_VARIABLES.targetDeployment]: 'chat-v2',
          [POLICY_VARIABLES.promptVersion]: 'v7',
          [POLICY_VARIABLES.backend]: 'pool-chat-v2',
        },
      ],
    ]);
    // AND the experiment replaces the plain route of the deployment it is named after
    expect([...routes(policy).keys()]).toEqual(['chat', 'chat-v2', 'embedding']);
  });

  test('the weighted pick honours a pin, else rolls against the cumulative weights of the named value', () => {
    // GIVEN an experiment with its own pin header
    const expression = variantPickExpression({
      pinHeader: 'x-team-variant',
      variants: { a: { deployment: 'chat', weight: 50 }, b: { deployment: 'chat', weight: 50 } },
    });
    // THEN a pinned name wins; otherwise a roll of 0-99 walks "a=50;b=50" and returns the first variant
    // whose cumulative weight exceeds it (weight 0 is never picked)
    expect(expression).toBe(
      '@{ var pinned = context.Request.Headers.GetValueOrDefault("x-team-variant", ""); if (pinned != "") { return pinned; } ' +
        'var roll = new Random().Next(100); var upper = 0; ' +
        "foreach (var entry in ((string)context.Variables[\"llmops-weights\"]).Split(';')) { var pair = entry.Split('='); upper += int.Parse(pair[1]); if (roll < upper) { return pair[0]; } } " +
        'return "a"; }',
    );
  });

  test('the weights label lists every variant in order, weight 0 included, and reads back', () => {
    expect(weightsLabel(EXPERIMENT)).toBe('control=90;candidate=10');
    expect(parseWeightsLabel('control=90;candidate=10')).toEqual({ control: 90, candidate: 10 });
    expect(parseWeightsLabel('not weights')).toBeUndefined();
    expect(
      weightsLabel({
        variants: {
          control: { deployment: 'chat', weight: 100 },
          candidate: { deployment: 'chat-v2', weight: 0 },
        },
      }),
    ).toBe('control=100;candidate=0');
  });

  test('the pick expression agrees with the weights: the generated C# run for every roll', () => {
    // GIVEN an experiment with a weight-0 variant, its pick expression and the label its named value holds
    const experiment = {
      variants: {
        a: { deployment: 'chat', weight: 50 },
        candidate: { deployment: 'chat-v2', weight: 0 },
        b: { deployment: 'chat', weight: 30 },
        c: { deployment: 'chat', weight: 20 },
      },
    };
    const label = weightsLabel(experiment);
    expect(label).toBe('a=50;candidate=0;b=30;c=20');
    // WHEN the generated expression is run: its C# statements map one to one onto JavaScript (the
    // mapping fails the test if the expression uses anything else), with the roll and the header injected
    const pick = runPolicyExpression(variantPickExpression(experiment));
    const counts: Record<string, number> = {};
    for (let roll = 0; roll < 100; roll++) {
      const variant = pick({ roll, headers: {}, variables: { [POLICY_VARIABLES.weights]: label } });
      counts[variant] = (counts[variant] ?? 0) + 1;
    }
    // THEN each variant gets its weight in percent, weight 0 gets nothing
    expect(counts).toEqual({ a: 50, b: 30, c: 20 });
    // AND a pinned variant wins over the roll
    expect(
      pick({
        roll: 0,
        headers: { 'x-llmops-variant': 'c' },
        variables: { [POLICY_VARIABLES.weights]: label },
      }),
    ).toBe('c');
  });

  test("retries 429 and 5xx on the next member, never the pool's own 503, only with a region to fail over to", () => {
    // GIVEN one failover region and no experiment
    const backend = child(apiPolicy({ retryCount: 1 }), 'backend');
    // THEN the request is sent again (body buffered) on 429 or a 5xx that is not the pool's "no backend"
    // 503, while its pool has sends left
    expect(findOne(backend, 'retry').attributes).toEqual({
      condition:
        '@(context.Response != null && ((int)context.Variables["llmops-sends-left"] > 0 && (context.Response.StatusCode == 429 || (context.Response.StatusCode >= 500 && !(context.Response.StatusCode == 503 && context.Response.StatusReason != null && (context.Response.StatusReason.Contains("Backend pool") || context.Response.StatusReason.Contains("is temporarily unavailable")))))))',
      count: '1',
      interval: '0',
      'first-fast-retry': 'true',
    });
    expect(childNames(backend)).toEqual(['set-variable', 'retry']);
    expect(childNames(findOne(backend, 'retry'))).toEqual(['forward-request', 'set-variable']);
    expect(findOne(backend, 'forward-request').attributes).toEqual({
      timeout: '120',
      'buffer-request-body': 'true',
    });
    // AND without failover regions it forwards once, with the same bounded wait
    const single = child(apiPolicy({ retryCount: 0 }), 'backend');
    expect(childNames(single)).toEqual(['forward-request']);
    expect(child(single, 'forward-request').attributes).toEqual({ timeout: '120' });
  });

  test('each pool gets its own send budget, counted down per send', () => {
    // GIVEN pools of different sizes
    const backend = child(
      apiPolicy({ retryCount: 4, sendBudgets: { 'pool-chat': 3, 'pool-embedding': 2 } }),
      'backend',
    );
    // THEN the budget is chosen by the pool the request was routed to, 1 for an unlisted pool
    const [budget] = backend.children;
    expect(budget!.attributes).toEqual({
      name: POLICY_VARIABLES.sendsLeft,
      value:
        '@((string)context.Variables["llmops-backend"] == "pool-chat" ? 3 : ((string)context.Variables["llmops-backend"] == "pool-embedding" ? 2 : (1)))',
    });
    // AND every send spends one
    expect(child(findOne(backend, 'retry'), 'set-variable').attributes).toEqual({
      name: POLICY_VARIABLES.sendsLeft,
      value: '@((int)context.Variables["llmops-sends-left"] - 1)',
    });
  });

  test('a backend that cannot be reached or does not answer in time gets a JSON 502 or 504', () => {
    const onError = child(apiPolicy(), 'on-error');
    const whens = findAll(onError, 'when');
    expect(whens.map((w) => w.attributes.condition)).toEqual([
      '@(context.LastError != null && context.LastError.Source == "forward-request" && context.LastError.Reason == "BackendConnectionFailure")',
      '@(context.LastError != null && context.LastError.Source == "forward-request")',
    ]);
    expect(whens.map((w) => findOne(w, 'set-status').attributes.code)).toEqual(['502', '504']);
    expect(whens.map((w) => JSON.parse(findOne(w, 'set-body').text).error.code)).toEqual([
      'BackendUnreachable',
      'BackendTimeout',
    ]);
  });

  test('an experiment variant whose pool is open falls back to the control, once', () => {
    // GIVEN an experiment (control: chat, candidate: chat-v2 with prompt v7) and retries
    const retry = findOne(
      child(apiPolicy({ experiments: { chat: EXPERIMENT }, retryCount: 3 }), 'backend'),
      'retry',
    );
    // THEN the retry also fires on the candidate's open pool, unless the caller pinned the candidate
    expect(retry.attributes.condition).toContain(
      '((string)context.Variables["llmops-experiment"] == "chat" && (string)context.Variables["llmops-variant"] != "control" && context.Request.Headers.GetValueOrDefault("x-llmops-variant", "") == "")',
    );
    // AND before each send, a candidate whose pool answered "no backend" is switched to the control
    const when = findOne(child(retry, 'choose'), 'when');
    expect(variables(when)).toEqual({
      [POLICY_VARIABLES.fallback]: 'true',
      [POLICY_VARIABLES.variant]: 'control',
      [POLICY_VARIABLES.targetDeployment]: 'chat',
      [POLICY_VARIABLES.promptVersion]: 'none',
      [POLICY_VARIABLES.backend]: 'pool-chat',
      // with the control pool's own send budget
      [POLICY_VARIABLES.sendsLeft]: '@(2)',
    });
    expect(child(when, 'set-backend-service').attributes['backend-id']).toBe(
      '@((string)context.Variables["llmops-backend"])',
    );
    expect(childNames(retry)).toEqual(['choose', 'forward-request', 'set-variable']);
  });

  test('responses carry the experiment, variant, deployment and prompt version, and a trace records them', () => {
    const policy = apiPolicy({ experiments: { chat: EXPERIMENT } });
    for (const section of ['outbound', 'on-error']) {
      const headers = child(policy, section)
        .children.filter((c) => c.name === 'set-header')
        .map((h) => [h.attributes.name, child(h, 'value').text]);
      expect(headers).toEqual([
        [
          RESPONSE_HEADERS.experiment,
          '@(context.Variables.GetValueOrDefault<string>("llmops-experiment", "none"))',
        ],
        [
          RESPONSE_HEADERS.variant,
          '@(context.Variables.GetValueOrDefault<string>("llmops-variant", "none"))',
        ],
        [
          RESPONSE_HEADERS.deployment,
          '@(context.Variables.GetValueOrDefault<string>("llmops-target-deployment", "none"))',
        ],
        [
          RESPONSE_HEADERS.promptVersion,
          '@(context.Variables.GetValueOrDefault<string>("llmops-prompt-version", "none"))',
        ],
        [
          RESPONSE_HEADERS.fallback,
          '@(context.Variables.GetValueOrDefault<string>("llmops-fallback", "false"))',
        ],
      ]);
    }
    const trace = findOne(child(policy, 'outbound'), 'trace');
    expect(trace.attributes).toEqual({ source: 'llmops-gateway', severity: 'information' });
    expect(findAll(trace, 'metadata').map((m) => m.attributes.name)).toEqual([
      'experiment',
      'variant',
      'weights',
      'deployment',
      'promptVersion',
      'fallback',
    ]);
  });

  test('is deterministic', () => {
    const input = {
      backends: BACKENDS,
      experiments: { chat: EXPERIMENT },
      metricNamespace: 'llmops',
      sendBudgets: { 'pool-chat': 2, 'pool-chat-v2': 2, 'pool-embedding': 2 },
      timeoutSeconds: 120,
      retryCount: 1,
      products: { inference: { tokensPerMinute: 10_000 } },
    };
    expect(inferenceApiPolicy(input)).toBe(inferenceApiPolicy(input));
  });
});

describe('token limit at API scope', () => {
  test('each product limits tokens per minute per subscription, with a quota when given', () => {
    // GIVEN two products, one with a monthly quota
    const choose = parseXml(
      renderXml(
        tokenLimitStatement({
          inference: { tokensPerMinute: 20_000, tokenQuota: 5_000_000 },
          batch: { tokensPerMinute: 1000 },
        }),
      ),
    );
    // THEN each product's branch counts per subscription, with its own limits
    const whens = findAll(choose, 'when');
    expect(whens.map((w) => w.attributes.condition)).toEqual([
      '@(context.Product != null && context.Product.Id == "inference")',
      '@(context.Product != null && context.Product.Id == "batch")',
    ]);
    expect(findOne(whens[0]!, 'azure-openai-token-limit').attributes).toEqual({
      'counter-key': '@(context.Subscription.Id)',
      'tokens-per-minute': '20000',
      'token-quota': '5000000',
      'token-quota-period': 'Monthly',
      'estimate-prompt-tokens': 'false',
      'remaining-tokens-header-name': 'x-llmops-remaining-tokens',
      'remaining-quota-tokens-header-name': 'x-llmops-remaining-quota-tokens',
    });
    expect(findOne(whens[1]!, 'azure-openai-token-limit').attributes).toEqual({
      'counter-key': '@(context.Subscription.Id)',
      'tokens-per-minute': '1000',
      'estimate-prompt-tokens': 'false',
      'remaining-tokens-header-name': 'x-llmops-remaining-tokens',
    });
  });

  test('a subscription without a product (scoped to the API or to all APIs) is refused before anything else runs', () => {
    // GIVEN the API policy
    const inbound = child(apiPolicy(), 'inbound');
    // THEN the token limit is the first statement after <base />
    const limit = inbound.children[1]!;
    expect(limit.name).toBe('choose');
    expect(findOne(limit, 'azure-openai-token-limit').attributes['tokens-per-minute']).toBe('10000');
    // AND any other caller gets 403 with a JSON error naming the products
    const otherwise = child(limit, 'otherwise');
    expect(findOne(otherwise, 'set-status').attributes).toEqual({
      code: '403',
      reason: 'Product subscription required',
    });
    expect(JSON.parse(findOne(otherwise, 'set-body').text!)).toEqual({
      error: {
        code: 'ProductSubscriptionRequired',
        message:
          'call with the key of a subscription to a product (inference): keys scoped to the API or to all APIs carry no token limit',
      },
    });
  });
});

describe('semantic cache policy', () => {
  test('looks up after the API policy, partitioned by caller and variant, and stores completions', () => {
    // GIVEN cache settings
    const policy = parseXml(
      semanticCachePolicy(
        { embeddingsDeployment: 'embedding', scoreThreshold: 0.1, durationSeconds: 600 },
        'semantic-cache-embeddings',
      ),
    );
    // THEN the lookup follows <base /> (variant known), uses the managed identity for embeddings
    const inbound = child(policy, 'inbound');
    expect(childNames(inbound)).toEqual(['base', 'azure-openai-semantic-cache-lookup']);
    const lookup = child(inbound, 'azure-openai-semantic-cache-lookup');
    expect(lookup.attributes).toEqual({
      'score-threshold': '0.1',
      'embeddings-backend-id': 'semantic-cache-embeddings',
      'embeddings-backend-auth': 'system-assigned',
    });
    expect(child(lookup, 'vary-by').text).toBe(
      '@(context.Subscription.Id + "|" + (string)context.Variables["llmops-experiment"] + "|" + (string)context.Variables["llmops-variant"] + "|" + (string)context.Variables["llmops-target-deployment"])',
    );
    expect(child(child(policy, 'outbound'), 'azure-openai-semantic-cache-store').attributes).toEqual({
      duration: '600',
    });
  });

  test('defaults: threshold 0.05, one hour', () => {
    const policy = parseXml(semanticCachePolicy({ embeddingsDeployment: 'embedding' }, 'emb'));
    expect(findOne(policy, 'azure-openai-semantic-cache-lookup').attributes['score-threshold']).toBe('0.05');
    expect(findOne(policy, 'azure-openai-semantic-cache-store').attributes.duration).toBe('3600');
  });
});
